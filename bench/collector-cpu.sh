#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Where the collector's CPU goes under load, thread by thread, and how much
# of the machine sits idle: one collector on SQLite (or STORE, a
# postgresql:// URL), build/loadgen with DEVICES devices (default 50) for
# SECONDS (default 8) with REPORT; over the middle of the load, each
# thread's share of a CPU (from /proc/PID/task/*/stat), the machine's busy,
# idle and iowait time (from /proc/stat), and CPU time a report.
#
#   sh bench/collector-cpu.sh REPORT [SECONDS] [DEVICES]
# Threads: posture-collect, the event loop (TLS, HTTP); posture-writer
# (validation and storing); posture-sync (fsync of the WAL); posture-ckpt
# (checkpoints). COLLECTOR=path runs another build.
set -eu
. "$(dirname "$0")/lib.sh"
REPORT=$1
SECONDS_=${2:-8}
DEVICES=${3:-50}
B=${BUILD:-build}
C=${COLLECTOR:-$B/posture-collector}
work=$(mktemp -d /tmp/posture-cpu.XXXXXX)
port=$((30000 + $$ % 20000))
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$C" init --dir "$work/c" ${STORE:+--store "$STORE"} >/dev/null
rm -f "$work/c/collector.ini" # no release feeds fetched from the internet here
"$C" serve --dir "$work/c" --listen "127.0.0.1:$port" --rate-limit 0 2>"$work/log" &
pid=$!
wait_port "$port"
"$B/loadgen" --url "https://localhost:$port/v1/reports" --ca "$work/c/ca.pem" \
	--report "$REPORT" --enroll "https://localhost:$port/v1/enroll" \
	--secret-file "$work/c/enroll-secret" --devices "$DEVICES" \
	--duration "$SECONDS_" >"$work/load" &
lg=$!
# the middle half of the load: enrolment and the last requests left out
settle=$((SECONDS_ / 4))
window=$((SECONDS_ / 2))
sleep "$settle"
snap() {
	for t in /proc/$pid/task/* /proc/$lg/task/*; do
		printf '%s %s %s\n' "$(basename "$t")" "$(tr ' ' _ <"$t/comm")" \
			"$(awk '{print $14 + $15}' "$t/stat")"
	done
	awk '/^cpu / {print "machine", "-", $2 + $3 + $4 + $7 + $8, $5, $6}' /proc/stat
}
req() { curl -s --cacert "$work/c/ca.pem" -H "Authorization: Bearer $(cat "$work/c/admin-token")" \
	"https://localhost:$port/metrics" |
	awk '$1 == "posture_reports_received_total{outcome=\"stored\"}" {print $2}'; }
r0=$(req)
snap >"$work/a"
sleep "$window"
snap >"$work/b"
r1=$(req)
wait "$lg"
cat "$work/load"
hz=$(getconf CLK_TCK)
paste "$work/a" "$work/b" | awk -v hz="$hz" -v w="$window" -v n="$((r1 - r0))" '
	$1 == "machine" {
		busy = $8 - $3; idle = $9 - $4; io = $10 - $5; all = busy + idle + io
		printf "machine: busy %.0f%%, idle %.0f%%, iowait %.0f%%; %d reports stored in the window, %.3f ms of CPU each (all threads, the load generator too)\n",
			busy * 100 / all, idle * 100 / all, io * 100 / all, n, n ? busy / hz * 1000 / n : 0
		next
	}
	{
		t = ($6 - $3) / hz
		printf "  %-8s %-16s %3.0f%% of a CPU, %.3f ms a report\n", $1, $2, t * 100 / w, n ? t * 1000 / n : 0
	}'
