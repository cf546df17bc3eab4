#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Removes the posture agent from a Mac: the daemon, the programs, the
# manual pages and the agent's state. /etc/posture is kept unless --purge.
set -eu
[ "$(id -u)" = 0 ] || { echo "uninstall.sh: run as root" >&2; exit 1; }
launchctl bootout system/com.posture.agent 2>/dev/null || true
rm -f /Library/LaunchDaemons/com.posture.agent.plist
rm -f /usr/local/bin/posture /usr/local/share/man/man8/posture.8 \
	/usr/local/share/man/man5/posture.ini.5 /usr/local/share/man/man5/posture-policy.5
rm -rf /usr/local/libexec/posture /usr/local/share/posture /var/lib/posture /var/log/posture.log
[ "${1:-}" = "--purge" ] && rm -rf /etc/posture
pkgutil --forget com.posture.agent >/dev/null 2>&1 || true
echo "posture removed"
