#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make msi WINDOWS_BUILD=DIR: the Windows installer, built here with wixl
# (Debian's wixl, from msitools) from installer/windows/posture.wxs around
# DIR/posture.exe and DIR/posture-net.exe, the Windows build of the agent
# (x64). The package: both in C:\Program Files\Posture, posture.exe as the
# automatic LocalSystem service "posture" (started on install, stopped and
# removed on uninstall) and the Event Log source "Posture", posture.ini and
# policy.ini in C:\ProgramData\Posture, and the msiexec properties
# COLLECTOR_URL, ENROLL_SECRET, CA and COLLECTOR_PIN written to
# HKLM\SOFTWARE\Policies\Posture. Checked afterwards with msiinfo.
#   sh scripts/build-msi.sh DIR OUT.msi [VERSION]
set -eu
dir=${1:?the directory of the Windows build (posture.exe)}
out=${2:?output .msi}
version=${3:-$(cat VERSION)}
exe=$dir/posture.exe
fail() { echo "build-msi: $*" >&2; exit 1; }
command -v wixl >/dev/null || fail "wixl is missing (apt-get install wixl msitools)"
[ -f "$exe" ] || fail "$exe is missing: the MSI packages the Windows build of the agent"
[ -f "$dir/posture-net.exe" ] || fail "$dir/posture-net.exe is missing: the MSI packages the Windows build's network process too"
# a Windows executable for x64: MZ, then PE\0\0 and machine 0x8664 at e_lfanew
python3 - "$exe" <<'PY' || fail "$exe is not an x64 Windows executable"
import struct, sys
b = open(sys.argv[1], "rb").read(4096)
ok = len(b) >= 0x40 and b[:2] == b"MZ"
if ok:
    at = struct.unpack_from("<I", b, 0x3c)[0]
    ok = at + 6 <= len(b) and b[at:at + 4] == b"PE\0\0" and struct.unpack_from("<H", b, at + 4)[0] == 0x8664
sys.exit(0 if ok else 1)
PY
case $version in
[0-9]*.[0-9]*.[0-9]*) ;;
*) fail "version '$version' is not MAJOR.MINOR.PATCH (what Windows Installer compares)" ;;
esac
# wixl takes sources relative to the working directory: the tree's root
case $dir in
/*) rel=$(python3 -c 'import os, sys; print(os.path.relpath(sys.argv[1]))' "$dir") ;;
*) rel=$dir ;;
esac
wixl -a x64 -D Version="$version" -D Build="$rel" -o "$out" installer/windows/posture.wxs
msiinfo export "$out" ServiceInstall | grep -q "	posture	" || fail "$out installs no service"
echo "build-msi: $out ($(wc -c <"$out") bytes), version $version"
