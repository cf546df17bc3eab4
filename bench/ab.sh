#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Two builds of posture side by side: ROUNDS rounds, each timing A then B
# (bench/measure.c, 15 runs each, median wall and CPU, peak RSS), so drift
# of the machine hits both alike; prints every round and the median of the
# rounds' medians for each.
#   sh bench/ab.sh A B [ROUNDS] -- POSTURE-ARGS...
# e.g. sh bench/ab.sh /tmp/posture-before build/posture 10 -- check --policy policies/baseline.ini
set -eu
A=$1
B=$2
ROUNDS=${3:-10}
shift 3
[ "${1:-}" = "--" ] && shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/measure" "$(dirname "$0")/measure.c"
i=0
while [ "$i" -lt "$ROUNDS" ]; do
	"$work/measure" 15 "A" -- "$A" "$@" | tee -a "$work/a"
	"$work/measure" 15 "B" -- "$B" "$@" | tee -a "$work/b"
	i=$((i + 1))
done
# the median of the rounds' medians (mawk has no asort: sort does it)
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for side in a b; do
	name=$([ "$side" = a ] && echo "$A" || echo "$B")
	wall=$(awk '{ print $2 }' "$work/$side" | med)
	cpu=$(awk '{ print $5 }' "$work/$side" | med)
	rss=$(awk '{ print $11 }' "$work/$side" | sort -n | tail -n 1)
	echo "$name: median of $ROUNDS rounds: $wall ms wall, $cpu ms CPU, peak $rss KiB"
done
