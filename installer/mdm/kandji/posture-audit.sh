#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Kandji Custom Script library item, audit script: exit 0 when the device
# meets its posture policy, 1 when it does not (Kandji then runs the
# remediation script, if one is set, and reports the item as failing). The
# failing checks and how to fix them are printed for the Kandji log.
POSTURE=${POSTURE:-/usr/bin/posture}
[ -x "$POSTURE" ] || POSTURE=/usr/local/bin/posture
if [ ! -x "$POSTURE" ]; then
	echo "posture is not installed"
	exit 1
fi
NO_COLOR=1 "$POSTURE" check
rc=$?
# 0 compliant, 3 compliant but some checks could not look: both pass audit
[ $rc -eq 0 ] || [ $rc -eq 3 ] && exit 0
exit 1
