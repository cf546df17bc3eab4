#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run on a Mac (as root, for fdesetup): captures the answers of the
# commands whose facts no file on the Mac's disk holds, into DIR, one file
# per command, named as platform/darwin/common.c reads them. Then, on any
# machine with that Mac's disk (or a copy of it) mounted at ROOT:
#
#   posture check --root ROOT --captured DIR --policy policies/macos-baseline.ini
#
# Usage: sudo sh scripts/macos-capture.sh DIR
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
[ "$(uname -s)" = Darwin ] || { echo "$0: run this on the Mac itself" >&2; exit 2; }
dir=$1
mkdir -p "$dir"
/usr/bin/fdesetup status >"$dir/fdesetup-status.txt"
/usr/sbin/diskutil apfs list -plist >"$dir/diskutil-apfs-list.plist"
# sysadminctl tells the screen lock of the user who runs it, on stderr
if [ -n "${SUDO_USER:-}" ]; then
	sudo -u "$SUDO_USER" /usr/sbin/sysadminctl -screenLock status 2>"$dir/sysadminctl-screenLock-status.txt" || true
else
	/usr/sbin/sysadminctl -screenLock status 2>"$dir/sysadminctl-screenLock-status.txt" || true
fi
/usr/libexec/ApplicationFirewall/socketfilterfw --getglobalstate --getblockall --getstealthmode \
	>"$dir/socketfilterfw.txt"
/usr/sbin/spctl --status >"$dir/spctl-status.txt" 2>&1 || true
# asks Apple's catalog: the pending updates as of now (may take a minute)
/usr/sbin/softwareupdate --list >"$dir/softwareupdate-list.txt" 2>&1 || true
/usr/bin/csrutil status >"$dir/csrutil-status.txt"
echo "captured into $dir: $(ls "$dir" | tr '\n' ' ')"
