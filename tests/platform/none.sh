#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The platform-less build: `make PLATFORM=none` (every probe a stub,
# platform/none/) must compile and link all three programs, and `posture
# check` must report every check of every shipped policy, and of a policy
# with one check of each type, as skip with "Not supported on this OS."
# Usage: BUILD=build sh tests/platform/none.sh
set -eu
BUILD=${BUILD:-build}
NONE=$BUILD/none
make -s --no-print-directory BUILD="$NONE" PLATFORM=none \
	"$NONE/posture" "$NONE/posture-net" "$NONE/posture-collector"
for prog in posture posture-net posture-collector; do
	test -x "$NONE/$prog" || { echo "none: $NONE/$prog was not built"; exit 1; }
done
if nm "$NONE/posture" | grep -q ' T dpkg_\| T apt_pending\| T nft_'; then
	echo "none: $NONE/posture links Linux probes (expected only platform/none/'s stubs)"
	exit 1
fi
fail=0
n=0
for policy in policies/*.ini tests/platform/every-type.ini; do
	out=$("$NONE/posture" check --format json --policy "$policy" 2>/dev/null) && rc=0 || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "none: posture check --policy $policy exited $rc, expected 0 (every check skipped)"
		fail=1
		continue
	fi
	if ! printf '%s' "$out" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
bad = [(x["id"], x["status"], x["message"]) for x in r["results"]
       if x["status"] != "skip" or x["message"] != "Not supported on this OS."]
for b in bad:
    print("  %s: expected skip \"Not supported on this OS.\", got %s \"%s\"" % b)
sys.exit(1 if bad or not r["results"] else 0)
'; then
		echo "none: $policy: not every check was skipped as unsupported"
		fail=1
	fi
	n=$((n + 1))
done
[ "$fail" -eq 0 ] || exit 1
echo "none: PLATFORM=none links posture, posture-net and posture-collector; every check of $n policies skipped as not supported on this OS"
