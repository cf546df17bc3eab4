#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds the libraries the Windows agent links (zlib, libuv, jansson,
# OpenSSL, libcurl, and TRE for POSIX regular expressions, which MinGW
# lacks; INI files are read by lib/inifile.c), from Debian's own
# source packages, with Debian's mingw-w64 (x86_64), into PREFIX (static .a files
# and headers):
#   sh scripts/win-deps.sh [PREFIX]         (default build/windows/deps)
#
# Each source package is pinned to a version and the SHA-256 of its .dsc;
# `apt-get source` checks the .dsc against the archive's signed index, and
# dpkg-source checks every tarball against the .dsc, Debian's patches
# applied. A deb-src entry for the machine's own Debian suites is added when
# there is none.
#
# The result is cached: PREFIX/.stamp holds the SHA-256 of this script, and
# a second run with the same script does nothing. POSTURE_WIN_CACHE, when
# set, is a directory kept between CI runs: a finished PREFIX is copied
# there and copied back next time, so a clean clone rebuilds only when this
# script (its pins or its build steps) changed.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=${1:-$here/build/windows/deps}
case $PREFIX in /*) ;; *) PREFIX=$(pwd)/$PREFIX ;; esac
HOST=x86_64-w64-mingw32
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
key=$(sha256sum "$0" | cut -c1-64)

# name version dsc-sha256; the newest each suite of Debian 12 serves
PINS="zlib 1:1.2.13.dfsg-1 3fa1e6b2fc525062aa88207dda52fed8e045373c809d362fe8a2bfbf7cf515a8
libuv1 1.44.2-1+deb12u1 798be0a2bcbcd40bb85302f6ccbf02b240e1958d4ad9cf153b8101c3a82f21b9
jansson 2.14-2 6296ddd9c0a022bd1b70074aefb171cfcdf5694a04ffd32b35fd66097621af87
openssl 3.0.20-1~deb12u2 a614474a2773c23b10c0d65f4eccbcf93fdac4749afb7c26d76e1b0340154d3d
curl 7.88.1-10+deb12u15 2744f12e3aef161c0361743fa1b318296b122e566e47f381e4a63320fbcc23f4
tre 0.8.0-7 98b9497da2373e30110fde5ef4184c1ef6714291e3bdf8f4627d833630ba364f"

say() { echo "win-deps: $*"; }
die() {
	echo "win-deps: error: $*" >&2
	exit 1
}

if [ -f "$PREFIX/.stamp" ] && [ "$(cat "$PREFIX/.stamp")" = "$key" ]; then
	say "up to date in $PREFIX"
	exit 0
fi
if [ -n "${POSTURE_WIN_CACHE:-}" ] && [ -f "$POSTURE_WIN_CACHE/$key/.stamp" ]; then
	rm -rf "$PREFIX"
	mkdir -p "$(dirname "$PREFIX")"
	cp -a "$POSTURE_WIN_CACHE/$key" "$PREFIX"
	say "copied from the cache $POSTURE_WIN_CACHE/$key"
	exit 0
fi
for t in $HOST-gcc $HOST-ar $HOST-windres cmake dpkg-source apt-get; do
	command -v "$t" >/dev/null || die "$t is missing (sh scripts/install-deps.sh --real installs it)"
done

if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	[ "$(id -u)" -eq 0 ] || die "no deb-src entry in /etc/apt, and adding one needs root"
	suites=$(. /etc/os-release && echo "$VERSION_CODENAME")
	cat >/etc/apt/sources.list.d/posture-deb-src.sources <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $suites $suites-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: $suites-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	say "added /etc/apt/sources.list.d/posture-deb-src.sources"
	apt-get update -q >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/posture-win-deps.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/prefix
mkdir -p "$stage/include" "$stage/lib"

# fetch NAME VERSION SHA256: unpacks the source package into $work/src-NAME
fetch() {
	(cd "$work" && apt-get source -q --download-only "$1=$2" >"$work/fetch-$1.log" 2>&1) || {
		avail=$(apt-cache showsrc "$1" 2>/dev/null | sed -n 's/^Version: //p' | tr '\n' ' ')
		die "cannot fetch the source of $1 $2 (available: ${avail:-none}): $(grep '^E:' "$work/fetch-$1.log" | head -n 2)"
	}
	dsc=$(ls "$work/$1_"*.dsc | head -n 1)
	got=$(sha256sum "$dsc" | cut -c1-64)
	[ "$got" = "$3" ] || die "$(basename "$dsc"): SHA-256 $got, expected $3"
	# the maintainers' keys are not on this machine: the archive's signed
	# index (apt) and the pinned .dsc hash stand for them
	dpkg-source --no-check -x "$dsc" "$work/src-$1" >/dev/null
	say "$1 $2 unpacked"
}

# a cmake cross build of the source in $1 with the remaining options
cmake_build() {
	src=$1
	shift
	cmake -S "$src" -B "$src/_build" -DCMAKE_SYSTEM_NAME=Windows \
	    -DCMAKE_C_COMPILER=$HOST-gcc -DCMAKE_RC_COMPILER=$HOST-windres \
	    -DCMAKE_FIND_ROOT_PATH="$stage" -DCMAKE_INSTALL_PREFIX="$stage" \
	    -DCMAKE_BUILD_TYPE=Release "$@" >"$src/_build.log" 2>&1 ||
	    die "cmake failed for $src: $(tail -n 5 "$src/_build.log")"
	cmake --build "$src/_build" -j "$JOBS" >>"$src/_build.log" 2>&1 ||
	    die "build failed for $src: $(tail -n 5 "$src/_build.log")"
	cmake --install "$src/_build" >>"$src/_build.log" 2>&1
}

echo "$PINS" | while read -r name version sum; do
	fetch "$name" "$version" "$sum"
done

# zlib: Debian's tarball drops win32/, so its fifteen C files directly
(cd "$work/src-zlib" && for f in adler32 compress crc32 deflate gzclose gzlib gzread gzwrite \
    infback inffast inflate inftrees trees uncompr zutil; do
	$HOST-gcc -O2 -c -o "$f.o" "$f.c" || exit 1
done && $HOST-ar rcs libz.a ./*.o) >"$work/zlib.log" 2>&1 || die "zlib: $(tail -n 5 "$work/zlib.log")"
cp "$work/src-zlib/libz.a" "$stage/lib/"
cp "$work/src-zlib/zlib.h" "$work/src-zlib/zconf.h" "$stage/include/"
say "zlib built"

cmake_build "$work/src-libuv1" -DLIBUV_BUILD_TESTS=OFF -DLIBUV_BUILD_BENCH=OFF
# only the static library: libuv.dll.a would make the link dynamic
rm -f "$stage/lib/libuv.dll.a" "$stage/lib/libuv.dll" "$stage/bin/libuv.dll"
[ -f "$stage/lib/libuv_a.a" ] && mv "$stage/lib/libuv_a.a" "$stage/lib/libuv.a"
say "libuv built"

cmake_build "$work/src-jansson" -DJANSSON_BUILD_DOCS=OFF -DJANSSON_EXAMPLES=OFF \
    -DJANSSON_WITHOUT_TESTS=ON -DJANSSON_BUILD_SHARED_LIBS=OFF
say "jansson built"

# OpenSSL: the device key and CSR, the policy signature (Ed25519), and
# libcurl's TLS (a client certificate from memory, which Schannel cannot take)
(cd "$work/src-openssl" &&
    ./Configure mingw64 no-shared no-tests no-module no-engine no-legacy \
        --cross-compile-prefix=$HOST- --prefix="$stage" --libdir=lib >build.log 2>&1 &&
    make -j "$JOBS" build_libs >>build.log 2>&1 && make install_dev >>build.log 2>&1) ||
    die "openssl: $(tail -n 5 "$work/src-openssl/build.log")"
say "openssl built"

cmake_build "$work/src-curl" -DBUILD_SHARED_LIBS=OFF -DBUILD_CURL_EXE=OFF -DBUILD_TESTING=OFF \
    -DCURL_USE_OPENSSL=ON -DOPENSSL_ROOT_DIR="$stage" -DOPENSSL_USE_STATIC_LIBS=ON \
    -DCURL_ZLIB=ON -DZLIB_LIBRARY="$stage/lib/libz.a" -DZLIB_INCLUDE_DIR="$stage/include" \
    -DCURL_DISABLE_LDAP=ON -DCURL_USE_LIBSSH2=OFF -DCURL_USE_LIBPSL=OFF -DUSE_LIBIDN2=OFF \
    -DENABLE_UNIX_SOCKETS=OFF -DCURL_DISABLE_DICT=ON -DCURL_DISABLE_FTP=ON \
    -DCURL_DISABLE_GOPHER=ON -DCURL_DISABLE_IMAP=ON -DCURL_DISABLE_MQTT=ON \
    -DCURL_DISABLE_POP3=ON -DCURL_DISABLE_RTSP=ON -DCURL_DISABLE_SMB=ON \
    -DCURL_DISABLE_SMTP=ON -DCURL_DISABLE_TELNET=ON -DCURL_DISABLE_TFTP=ON
say "curl built"

# TRE: POSIX extended regular expressions (file_content's patterns);
# <tre/regex.h> maps regcomp() and the rest onto it
(cd "$work/src-tre" &&
    ./configure --host=$HOST --prefix="$stage" --enable-static --disable-shared \
        --disable-agrep --disable-nls --disable-approx >build.log 2>&1 &&
    make -j "$JOBS" >>build.log 2>&1 && make install >>build.log 2>&1) ||
    die "tre: $(tail -n 5 "$work/src-tre/build.log")"
say "tre built"

echo "$PINS" | awk '{ print $1, $2 }' >"$stage/VERSIONS"
echo "$key" >"$stage/.stamp"
rm -rf "$PREFIX"
mkdir -p "$(dirname "$PREFIX")"
cp -a "$stage" "$PREFIX"
if [ -n "${POSTURE_WIN_CACHE:-}" ]; then
	mkdir -p "$POSTURE_WIN_CACHE"
	rm -rf "${POSTURE_WIN_CACHE:?}/$key"
	cp -a "$stage" "$POSTURE_WIN_CACHE/$key"
fi
say "done: $PREFIX ($(du -sh "$PREFIX" | cut -f1))"
