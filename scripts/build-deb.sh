#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make deb: the posture agent as a Debian package, built from the tree with
# dpkg-deb (no debhelper): the binaries (stripped), the systemd unit, the
# default configuration and policy (conffiles), the shipped policies, the
# manual pages, copyright and changelog, the maintainer scripts from
# installer/debian/. Dependencies come from dpkg-shlibdeps.
#   sh scripts/build-deb.sh BUILD OUT.deb [VERSION]
set -eu
B=${1:?build directory}
out=${2:?output .deb}
version=${3:-$(cat VERSION)}-1
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
sh scripts/stage-agent.sh "$B" "$root" /lib/systemd/system
install -d "$root/DEBIAN"
sed "s/@VERSION@/$version/" installer/debian/changelog | gzip -9n >"$root/usr/share/doc/posture/changelog.Debian.gz"
chmod 0644 "$root/usr/share/doc/posture/changelog.Debian.gz"
install -d "$root/usr/share/lintian/overrides"
install -m 0644 installer/debian/lintian-overrides "$root/usr/share/lintian/overrides/posture"
for s in postinst prerm postrm; do
	install -m 0755 "installer/debian/$s" "$root/DEBIAN/$s"
done
printf '/etc/posture/posture.ini\n/etc/posture/policy.ini\n' >"$root/DEBIAN/conffiles"
# what the binaries link, as dpkg-shlibdeps finds it
mkdir -p "$stage/src/debian"
printf 'Source: posture\n\nPackage: posture\nArchitecture: any\n' >"$stage/src/debian/control"
depends=$(cd "$stage/src" && dpkg-shlibdeps -O "$root/usr/bin/posture" \
	"$root/usr/libexec/posture/posture-net" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
	-e "s/@DEPENDS@/$depends/" installer/debian/control.in >"$root/DEBIAN/control"
(cd "$root" && find . -type f ! -path './DEBIAN/*' ! -path './etc/*' -printf '%P\0' |
	sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums" "$root/DEBIAN/conffiles" "$root/DEBIAN/control"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
echo "built $out ($version, $arch)"
