#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Benchmark: `posture run` between evaluations. Starts the service on the
# baseline policy with a one-hour interval, lets it finish its first
# evaluation, then watches it for SECONDS idle seconds beside `sleep` (the
# floor: a process that does nothing at all). Reported from /proc: resident
# and peak memory, CPU time and context switches (every wake-up is one).
# Targets: idle RSS <= 4 MiB; no wake-ups and no CPU between runs.
#   sh bench/idle.sh [build/posture] [SECONDS]
set -eu
POSTURE=${1:-build/posture}
SECONDS_IDLE=${2:-60}
work=$(mktemp -d)
cp policies/baseline.ini "$work/policy.ini"
printf '[agent]\ninterval = 1h\n' >"$work/posture.ini"
"$POSTURE" run --config "$work/posture.ini" --policy "$work/policy.ini" \
	--state-dir "$work/state" --socket "$work/status.sock" 2>"$work/log" &
agent=$!
sleep infinity &
floor=$!
trap 'kill $agent $floor 2>/dev/null; rm -rf "$work"' EXIT
i=0
until grep -q spooled "$work/log" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 300 ] || { cat "$work/log"; exit 1; }
	sleep 0.1
done
sleep 1

field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
switches() { echo $(($(field "$1" voluntary_ctxt_switches) + $(field "$1" nonvoluntary_ctxt_switches))); }

for p in $agent $floor; do
	eval "cpu0_$p=$(cpu_ticks $p) sw0_$p=$(switches $p)"
done
sleep "$SECONDS_IDLE"
hz=$(getconf CLK_TCK)
echo "machine: $(nproc) cores, $(uname -r); idle for ${SECONDS_IDLE}s after the first evaluation"
printf '%-28s %10s %10s %12s %12s\n' "process" "RSS KiB" "peak KiB" "CPU ms" "wake-ups"
for p in $agent $floor; do
	eval "c0=\$cpu0_$p s0=\$sw0_$p"
	name="sleep infinity (floor)"
	[ "$p" = "$agent" ] && name="posture run (baseline)"
	printf '%-28s %10s %10s %12s %12s\n' "$name" "$(field $p VmRSS)" "$(field $p VmHWM)" \
		"$(( ($(cpu_ticks $p) - c0) * 1000 / hz ))" "$(( $(switches $p) - s0 ))"
done
start=$(date +%s%N)
"$POSTURE" status --socket "$work/status.sock" >/dev/null 2>&1 || true
echo "posture status from the socket: $(( ($(date +%s%N) - start) / 1000000 )) ms"
