#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Plain rollout (ssh, a configuration-management tool, a golden image):
# configures the agent for a collector, drops the enrollment secret and
# installs the package; the service enrolls by itself. Idempotent.
#   rollout.sh --collector URL --ca FILE --secret-file FILE [--package FILE.deb]
# Without --package, installs "posture" from the configured apt repository.
set -eu
collector="" ca="" secret="" package=""
while [ $# -gt 0 ]; do
	case $1 in
	--collector) collector=$2; shift 2 ;;
	--ca) ca=$2; shift 2 ;;
	--secret-file) secret=$2; shift 2 ;;
	--package) package=$2; shift 2 ;;
	*) echo "rollout.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$collector" ] && [ -n "$ca" ] && [ -n "$secret" ] ||
	{ echo "usage: rollout.sh --collector URL --ca FILE --secret-file FILE [--package FILE.deb]" >&2; exit 2; }
case $collector in https://*) ;; *) echo "rollout.sh: --collector must be an https URL" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "rollout.sh: run as root" >&2; exit 1; }
umask 077
install -d -m 0755 /etc/posture
install -m 0644 "$ca" /etc/posture/collector-ca.pem
# the secret first, readable by root only; the agent removes nothing under
# /etc (it cannot write there), so it is removed below once enrolled
install -m 0600 "$secret" /etc/posture/enroll-secret
if [ ! -f /etc/posture/posture.ini ] || ! grep -q "^url = $collector\$" /etc/posture/posture.ini; then
	cat >/etc/posture/posture.ini <<CONF
; written by rollout.sh
[collector]
url = $collector
ca = /etc/posture/collector-ca.pem
CONF
	chmod 0644 /etc/posture/posture.ini
fi
if [ -n "$package" ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Options::=--force-confold "$package"
else
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Options::=--force-confold posture
fi
if [ -d /run/systemd/system ]; then
	systemctl reload-or-restart posture.service
	# enrolled once the device certificate exists; then the secret can go
	i=0
	while [ ! -f /var/lib/posture/device.crt ] && [ $i -lt 60 ]; do
		sleep 1
		i=$((i + 1))
	done
	if [ -f /var/lib/posture/device.crt ]; then
		rm -f /etc/posture/enroll-secret
		echo "rollout.sh: enrolled; posture status:"
		posture status || true
	else
		echo "rollout.sh: not enrolled yet; see journalctl -u posture" >&2
		exit 1
	fi
fi
