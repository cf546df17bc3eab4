#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Intune custom compliance discovery script (Linux; macOS with the same
# agent): Devices > Compliance > Scripts > Add, this file as the script;
# then, in the compliance policy's "Custom Compliance" setting, this script
# and the rules JSON made by
#   posture policy intune-rules /etc/posture/policy.ini --more-info https://... > rules.json
# Intune reads the one line of JSON this prints.
POSTURE=${POSTURE:-/usr/bin/posture}
if [ ! -x "$POSTURE" ]; then
	echo '{"PostureCompliant":false,"PostureFailed":0,"PostureErrors":1}'
	exit 0
fi
out=$("$POSTURE" check --format intune 2>/dev/null)
case $out in
"{"*) echo "$out" ;;
# no policy, or a refused one: not compliant, and counted as an error
*) echo '{"PostureCompliant":false,"PostureFailed":0,"PostureErrors":1}' ;;
esac
exit 0
