#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Benchmark: reports' latency while the lifecycle prunes (issue 21: p99 at
# most twice the normal). A SQLite store holding NOLD reports (default
# 1,000,000: 350 devices, 30 days of 96 a day, the agent's own report)
# that are all past the 30-day retention; posture-collector serve on it
# (with retention off, so it prunes nothing itself); build/loadgen with 50
# devices for SECONDS (default 20): first alone, then while
# `posture-collector prune` (the lifecycle's pass, as serve runs it hourly:
# 200 reports a transaction, each followed by a pause three times its
# length) prunes them.
#   sh bench/retention.sh [SECONDS] [DEVICES_OLD]
set -eu
SECONDS_=${1:-20}
OLD_DEVICES=${2:-350}
B=${BUILD:-build}
C=$B/posture-collector
work=$(mktemp -d /tmp/posture-retention.XXXXXX)
port=$((30000 + $$ % 20000))
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
. "$(dirname "$0")/lib.sh"
make -s all "$B/loadgen" "$B/lifecycle_bench" >/dev/null
"$B/posture" check --format json --policy policies/baseline.ini >"$work/pretty.json" || true
python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2], "w"), separators=(",", ":"))' \
	"$work/pretty.json" "$work/report.json"
"$C" init --dir "$work/c" >/dev/null
printf '[retention]\nreports = forever\n' >"$work/c/collector.ini"
printf '[collector]\ndir = %s\n' "$work/c" >"$work/prune.ini"
LB_END_DAYS=31 LB_NO_PASS=1 "$B/lifecycle_bench" "$work/c/collector.db" "$work/report.json" \
	"$OLD_DEVICES" 30 96
echo "machine: $(nproc) cores; store $(du -m "$work/c/collector.db" | cut -f1) MB with $((OLD_DEVICES * 30 * 96)) reports past the retention"
"$C" serve --dir "$work/c" --listen "127.0.0.1:$port" --rate-limit 0 2>"$work/serve.log" &
pids="$pids $!"
# a store of gigabytes: serve checks it before it listens
i=0
until curl -s -o /dev/null --max-time 1 -k "https://127.0.0.1:$port/"; do
	i=$((i + 1)); [ $i -gt 3000 ] && { cat "$work/serve.log" >&2; exit 1; }
	sleep 0.1
done
load() {
	"$B/loadgen" --url "https://localhost:$port/v1/reports" --ca "$work/c/ca.pem" \
		--report "$work/report.json" --enroll "https://localhost:$port/v1/enroll" \
		--secret-file "$work/c/enroll-secret" --devices 50 --duration "$SECONDS_"
}
printf '%-26s ' "reports alone"
load | tee "$work/alone"
"$C" prune --config "$work/prune.ini" >"$work/prune.out" 2>&1 &
prune=$!
printf '%-26s ' "reports while pruning"
load | tee "$work/pruning"
if kill -0 $prune 2>/dev/null; then
	echo "(the prune went on after the load: all of the load ran beside it)"
fi
wait $prune || { cat "$work/prune.out"; exit 1; }
cat "$work/prune.out"
awk '/p99/ { for (i = 1; i <= NF; i++) if ($i == "p99") v[FILENAME] = $(i + 1) }
     END { printf "p99 while pruning / alone: %.2f (target <= 2)\n", v[ARGV[2]] / v[ARGV[1]] }' \
	"$work/alone" "$work/pruning"
