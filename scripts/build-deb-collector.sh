#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make deb-collector: the collector as a Debian package, built with
# dpkg-deb (no debhelper) from scripts/stage-collector.sh's tree, the
# maintainer scripts of installer/debian/collector/ and dpkg-shlibdeps'
# dependencies.
#   sh scripts/build-deb-collector.sh BUILD OUT.deb [VERSION]
set -eu
B=${1:?build directory}
out=${2:?output .deb}
version=${3:-$(cat VERSION)}-1
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
sh scripts/stage-collector.sh "$B" "$root" /lib/systemd/system
install -d "$root/DEBIAN" "$root/usr/share/lintian/overrides"
sed "s/@VERSION@/$version/" installer/debian/collector/changelog |
	gzip -9n >"$root/usr/share/doc/posture-collector/changelog.Debian.gz"
chmod 0644 "$root/usr/share/doc/posture-collector/changelog.Debian.gz"
install -m 0644 installer/debian/collector/lintian-overrides \
	"$root/usr/share/lintian/overrides/posture-collector"
for s in postinst prerm postrm; do
	install -m 0755 "installer/debian/collector/$s" "$root/DEBIAN/$s"
done
printf '/etc/posture-collector/collector.ini\n' >"$root/DEBIAN/conffiles"
mkdir -p "$stage/src/debian"
printf 'Source: posture\n\nPackage: posture-collector\nArchitecture: any\n' >"$stage/src/debian/control"
depends=$(cd "$stage/src" && dpkg-shlibdeps -O "$root/usr/bin/posture-collector" 2>/dev/null |
	sed -n 's/^shlibs:Depends=//p')
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
	-e "s/@DEPENDS@/$depends/" installer/debian/collector/control.in >"$root/DEBIAN/control"
(cd "$root" && find . -type f ! -path './DEBIAN/*' ! -path './etc/*' -printf '%P\0' |
	sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums" "$root/DEBIAN/conffiles" "$root/DEBIAN/control"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
echo "built $out ($version, $arch)"
