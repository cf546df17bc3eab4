#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The collector's files as its packages ship them, below ROOT: the program
# (stripped), its configuration (/etc/posture-collector/collector.ini, the
# file `posture-collector config` prints with dir = /var/lib/posture-collector),
# the hardened systemd unit in UNITDIR, the manual page and the copyright.
#   sh scripts/stage-collector.sh BUILD ROOT UNITDIR
set -eu
B=${1:?build directory}
root=${2:?staging root}
unitdir=${3:?systemd unit directory}
install -d "$root/usr/bin" "$root/etc/posture-collector" "$root$unitdir" \
	"$root/usr/share/man/man8" "$root/usr/share/doc/posture-collector"
install -m 0755 "$B/posture-collector" "$root/usr/bin/posture-collector"
strip --strip-unneeded --remove-section=.comment --remove-section=.note \
	"$root/usr/bin/posture-collector"
{
	cat installer/collector/collector.ini.head
	"$B/posture-collector" config |
		sed 's|^; dir = /var/lib/posture-collector ;|dir = /var/lib/posture-collector   ;|'
} >"$root/etc/posture-collector/collector.ini"
grep -q '^dir = /var/lib/posture-collector' "$root/etc/posture-collector/collector.ini" ||
	{ echo "stage-collector: the configuration names no data directory" >&2; exit 1; }
# 0640 root:posture-collector once the user exists (the maintainer scripts)
chmod 0644 "$root/etc/posture-collector/collector.ini"
install -m 0644 installer/systemd/posture-collector.service "$root$unitdir/posture-collector.service"
gzip -9n <man/posture-collector.8 >"$root/usr/share/man/man8/posture-collector.8.gz"
chmod 0644 "$root/usr/share/man/man8/posture-collector.8.gz"
install -m 0644 installer/debian/copyright "$root/usr/share/doc/posture-collector/copyright"
