#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The agent's files as every package ships them, below ROOT: the programs
# (stripped), the shipped policies, the default configuration and policy,
# the systemd unit in UNITDIR, the manual pages (gzipped) and the copyright
# file. scripts/build-deb.sh and scripts/build-rpm.sh add their own parts.
#   sh scripts/stage-agent.sh BUILD ROOT UNITDIR
set -eu
B=${1:?build directory}
root=${2:?staging root}
unitdir=${3:?systemd unit directory}
install -d "$root/usr/bin" "$root/usr/libexec/posture" "$root/usr/share/posture/policies" \
	"$root/etc/posture" "$root$unitdir" "$root/usr/share/man/man5" "$root/usr/share/man/man8" \
	"$root/usr/share/doc/posture"
install -m 0755 "$B/posture" "$root/usr/bin/posture"
install -m 0755 "$B/posture-net" "$root/usr/libexec/posture/posture-net"
strip --strip-unneeded --remove-section=.comment --remove-section=.note \
	"$root/usr/bin/posture" "$root/usr/libexec/posture/posture-net"
install -m 0644 policies/*.ini "$root/usr/share/posture/policies/"
install -m 0644 installer/etc/posture.ini "$root/etc/posture/posture.ini"
install -m 0644 policies/baseline.ini "$root/etc/posture/policy.ini"
install -m 0644 installer/systemd/posture.service "$root$unitdir/posture.service"
for m in posture.ini.5 posture-policy.5; do
	gzip -9n <"man/$m" >"$root/usr/share/man/man5/$m.gz"
done
gzip -9n <man/posture.8 >"$root/usr/share/man/man8/posture.8.gz"
chmod 0644 "$root"/usr/share/man/man*/*.gz
install -m 0644 installer/debian/copyright "$root/usr/share/doc/posture/copyright"
