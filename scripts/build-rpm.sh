#!/bin/sh
# make rpm: the posture agent as an RPM, with rpmbuild (Debian's rpm
# package), from the same files as the Debian package, laid out for
# Fedora/RHEL (/usr/lib/systemd/system). Dependencies on shared libraries
# come from rpmbuild's own ELF scan.
#   sh scripts/build-rpm.sh BUILD OUTDIR [VERSION]
set -eu
B=${1:?build directory}
outdir=${2:?output directory}
version=${3:-$(cat VERSION)}
top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
stage=$top/stage
install -d "$stage/usr/bin" "$stage/usr/libexec/posture" "$stage/usr/share/posture/policies" \
	"$stage/etc/posture" "$stage/usr/lib/systemd/system" "$stage/usr/share/man/man5" \
	"$stage/usr/share/man/man8" "$stage/usr/share/doc/posture"
install -m 0755 "$B/posture" "$stage/usr/bin/posture"
install -m 0755 "$B/posture-net" "$stage/usr/libexec/posture/posture-net"
strip --strip-unneeded --remove-section=.comment --remove-section=.note \
	"$stage/usr/bin/posture" "$stage/usr/libexec/posture/posture-net"
install -m 0644 policies/*.ini "$stage/usr/share/posture/policies/"
install -m 0644 installer/etc/posture.ini "$stage/etc/posture/posture.ini"
install -m 0644 policies/baseline.ini "$stage/etc/posture/policy.ini"
install -m 0644 installer/systemd/posture.service "$stage/usr/lib/systemd/system/posture.service"
for m in posture.ini.5 posture-policy.5; do gzip -9n <"man/$m" >"$stage/usr/share/man/man5/$m.gz"; done
gzip -9n <man/posture.8 >"$stage/usr/share/man/man8/posture.8.gz"
install -m 0644 installer/debian/copyright "$stage/usr/share/doc/posture/copyright"
mkdir -p "$outdir"
rpmbuild -bb --quiet \
	--define "_topdir $top/rpmbuild" \
	--define "_rpmdir $(cd "$outdir" && pwd)" \
	--define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
	--define "_unitdir /usr/lib/systemd/system" \
	--define "posture_version $version" \
	--define "posture_stage $stage" \
	installer/rpm/posture.spec
echo "built $outdir/posture-$version-1.$(uname -m).rpm"
