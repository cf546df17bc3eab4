#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make rpm-collector: the collector as an RPM, with rpmbuild (Debian's rpm
# package), from the same files as its Debian package, laid out for
# Fedora/RHEL (/usr/lib/systemd/system).
#   sh scripts/build-rpm-collector.sh BUILD OUTDIR [VERSION]
set -eu
B=${1:?build directory}
outdir=${2:?output directory}
version=${3:-$(cat VERSION)}
top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
stage=$top/stage
sh scripts/stage-collector.sh "$B" "$stage" /usr/lib/systemd/system
mkdir -p "$outdir"
rpmbuild -bb --quiet \
	--define "_topdir $top/rpmbuild" \
	--define "_rpmdir $(cd "$outdir" && pwd)" \
	--define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
	--define "_unitdir /usr/lib/systemd/system" \
	--define "posture_version $version" \
	--define "posture_stage $stage" \
	installer/rpm/posture-collector.spec
echo "built $outdir/posture-collector-$version-1.$(uname -m).rpm"
