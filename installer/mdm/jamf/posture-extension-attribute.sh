#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Jamf Pro extension attribute "Posture": Settings > Computer Management >
# Extension Attributes > New, Input Type "Script", this file as the script.
# Prints <result>Compliant</result>, <result>Non-compliant: ID, ...</result>
# or <result>Unknown: ...</result>; smart groups match on it ("like
# Non-compliant"). The policy is the agent's own (/etc/posture/policy.ini,
# or the signed policy the collector handed it).
POSTURE=${POSTURE:-/usr/bin/posture}
[ -x /usr/local/bin/posture ] && [ ! -x "$POSTURE" ] && POSTURE=/usr/local/bin/posture
if [ ! -x "$POSTURE" ]; then
	echo "<result>Unknown: posture is not installed</result>"
	exit 0
fi
out=$("$POSTURE" check --format jamf 2>/dev/null)
case $out in
"<result>"*) echo "$out" ;;
*) echo "<result>Unknown: posture could not evaluate its policy</result>" ;;
esac
exit 0
