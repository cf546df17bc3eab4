#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Benchmark: the whole baseline policy on this machine, beside lynis (a
# full host audit, the peer tool) and `apt list --upgradable` (the single
# most expensive question the baseline asks), in one run.
# Targets: <= 100 ms wall and <= 8 MiB peak RSS.
#   sh bench/baseline.sh [build/posture] [RUNS]
set -eu
POSTURE=${1:-build/posture}
RUNS=${2:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/measure" "$(dirname "$0")/measure.c"
echo "machine: $(nproc) cores, $(uname -r); checks in policies/baseline.ini: $(grep -c '^\[check\.' policies/baseline.ini)"
"$POSTURE" check --policy policies/baseline.ini | tail -n 1
"$work/measure" "$RUNS" "posture check baseline" -- "$POSTURE" check --policy policies/baseline.ini
"$work/measure" "$RUNS" "posture check baseline json" -- "$POSTURE" check --format json --policy policies/baseline.ini
"$work/measure" "$RUNS" "apt list --upgradable" -- sh -c 'apt list --upgradable 2>/dev/null'
if command -v lynis >/dev/null; then
	"$work/measure" 1 "lynis audit system" -- sh -c "lynis audit system --quick --no-colors --no-log >/dev/null 2>&1"
else
	echo "lynis: not installed (apt-get install lynis)"
fi
