#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs every Debian/Ubuntu package that building and testing Posture needs.
# Safe to run again: apt-get skips what is already installed.
# With --real, also the browsers that `make test-real` checks against, and
# Node.js for the dashboard test (playwright-core driving chromium).
set -eu
REAL=""
[ "${1:-}" = "--real" ] && REAL="chromium firefox-esr nodejs testssl.sh lintian man-db adduser wixl msitools wine64 gcc-mingw-w64-x86-64-win32 cmake"
# Debian's npm; a Node.js from elsewhere (NodeSource) carries its own and
# conflicts with Debian's
[ -n "$REAL" ] && ! command -v npm >/dev/null 2>&1 && REAL="$REAL npm"
PKGS="$REAL build-essential pkg-config clang clang-format cppcheck mandoc libclang-rt-14-dev llvm
libcurl4-openssl-dev libssl-dev libseccomp-dev nginx-light libh2o-dev curl libpq-dev postgresql python3 python3-h2 python3-pwquality cracklib-runtime libplist-utils libplist-dev python3-jsonschema libyajl-dev libsimdjson-dev libuv1-dev libinih-dev libjansson-dev libsqlite3-dev
liblz4-dev zlib1g-dev liblzma-dev libzstd-dev libzck-dev libexpat1-dev libmnl-dev libnftnl-dev nftables libcmocka-dev dpkg rpm systemd time strace
cryptsetup-bin util-linux dconf-cli dconf-gsettings-backend gsettings-desktop-schemas
libglib2.0-bin dnf createrepo-c libkf5config-bin rsyslog"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "install-deps: all build and test dependencies are present"
	exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing$missing"
$SUDO apt-get update -q
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
