#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The agent's RPM (make rpm), checked with Debian's rpm: digests, the file
# list (the same layout as the Debian package, the unit in
# /usr/lib/systemd/system), config files marked noreplace, the shared
# libraries it requires, the scriptlets (user, unit, state removed on
# erase), and an install into a scratch root and erase leaving nothing.
set -eu
B=${BUILD:-build}
version=$(cat VERSION)
pkg=$B/posture-$version-1.$(uname -m).rpm
fail() { echo "rpm test: FAIL: $*" >&2; exit 1; }
ok() { echo "rpm test: ok: $*"; }
[ -f "$pkg" ] || fail "$pkg is missing (make rpm)"
rpm -K --nosignature "$pkg" >/dev/null || fail "digests"
ok "digests"
files=$(rpm -qpl "$pkg" 2>/dev/null)
for f in /usr/bin/posture /usr/libexec/posture/posture-net /usr/lib/systemd/system/posture.service \
	/etc/posture/posture.ini /etc/posture/policy.ini /usr/share/man/man8/posture.8.gz \
	/usr/share/posture/policies/baseline.ini; do
	echo "$files" | grep -qx "$f" || fail "$f is not in the package"
done
ok "file list"
[ "$(rpm -qp --configfiles "$pkg" 2>/dev/null | sort | tr '\n' ' ')" = "/etc/posture/policy.ini /etc/posture/posture.ini " ] ||
	fail "config files"
rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$pkg" 2>/dev/null | grep -q '^cn /etc/posture/posture.ini$' ||
	fail "posture.ini is not %config(noreplace)"
ok "config files, noreplace"
req=$(rpm -qpR "$pkg" 2>/dev/null)
for lib in 'libcurl.so.4()(64bit)' 'libcrypto.so.3()(64bit)' 'libseccomp.so.2()(64bit)' 'libuv.so.1()(64bit)'; do
	echo "$req" | grep -qxF "$lib" || fail "does not require $lib"
done
ok "requires the libraries it links"
scripts=$(rpm -qp --scripts "$pkg" 2>/dev/null)
echo "$scripts" | grep -q "useradd -r -g posture" || fail "no posture user in %pre"
echo "$scripts" | grep -q "systemctl enable posture.service" || fail "the unit is not enabled in %post"
echo "$scripts" | grep -q "rm -rf /var/lib/posture" || fail "state not removed on erase"
ok "scriptlets"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
rpm --root "$root" --initdb
rpm --root "$root" -i --nodeps --noscripts "$pkg" 2>/dev/null || fail "install into a scratch root"
[ -x "$root/usr/bin/posture" ] && [ -f "$root/etc/posture/posture.ini" ] || fail "files not installed"
"$root/usr/bin/posture" version >/dev/null || fail "the installed posture does not run"
rpm --root "$root" -e --nodeps --noscripts posture 2>/dev/null || fail "erase"
left=$(find "$root" -path "$root/var/lib/rpm" -prune -o -path "$root/usr/lib/sysimage" -prune -o -path "$root/root/.rpmdb" -prune -o \
	\( -type f -o -type l \) -print)
[ -z "$left" ] || fail "left behind: $left"
ok "installed into a scratch root and erased, nothing left"
