#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Benchmark: unauthenticated denial of service against the collector, on
# loopback only.
#
#   1. HTTP/2 rapid reset (bench/rapid_reset.py, python3-h2): CONNS
#      connections sending HEADERS + RST_STREAM for 2 s on each PATH, while
#      a probe times an unrelated GET /v1/crl every 50 ms; target: no probe
#      slower than 0.5 s. The collector holds a fleet of DEVICES devices
#      (build/loadgen enrolls them and each sends the agent's own report
#      for a few seconds first).
#   2. Slow HTTP/2 bodies (bench/slow_bodies.py): 6 connections, each with
#      100 POST /v1/enroll streams announcing 1 MB (then 31 KB) and
#      trickling a byte every 3 s; the collector's resident memory (VmRSS)
#      before, at the peak and after; target: it grows by less than 64 MB.
#   3. 5,000 connections without a certificate (bench/conn_flood.py), held
#      open, then closed: VmRSS at the peak and 5 s after.
#
#   sh bench/dos.sh [DEVICES] [CONNS]
# Needs python3-h2 (scripts/install-deps.sh) and a build (make all
# build/loadgen). BUILD=DIR measures another build of the collector.
set -eu
DEVICES=${1:-100}
CONNS=${2:-4}
B=${BUILD:-build}
C=$B/posture-collector
work=$(mktemp -d /tmp/posture-dos.XXXXXX)
port=$((30000 + $$ % 20000))
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
. bench/lib.sh

"$C" init --dir "$work/c" >/dev/null
rm -f "$work/c/collector.ini" # no release feeds fetched from the internet here
"$C" policy publish --dir "$work/c" policies/baseline.ini >/dev/null
"$C" serve --dir "$work/c" --listen "127.0.0.1:$port" --rate-limit 0 2>"$work/serve.log" &
pid=$!
wait_port "$port"
build/posture check --format json --policy policies/baseline.ini >"$work/report.json" || true
build/loadgen --url "https://localhost:$port/v1/reports" --ca "$work/c/ca.pem" \
	--report "$work/report.json" --enroll "https://localhost:$port/v1/enroll" \
	--secret-file "$work/c/enroll-secret" --devices "$DEVICES" --duration 3 >/dev/null
echo "collector $C, $DEVICES devices enrolled and reporting"
rc=0
for path in /metrics /v1/crl / /v1/enroll; do
	/usr/bin/python3 bench/rapid_reset.py "$port" "$work/c/ca.pem" "$path" 2 "$CONNS" || rc=1
done
/usr/bin/python3 bench/slow_bodies.py "$port" "$work/c/ca.pem" "$pid" 6 100 30 1000000 || rc=1
# the worst a connection without a certificate may hold: bodies just under
# its 32 KiB limit, one byte short
/usr/bin/python3 bench/slow_bodies.py "$port" "$work/c/ca.pem" "$pid" 6 100 30 31000 || rc=1
# 5,000 connections without a certificate, held open, then closed
/usr/bin/python3 bench/conn_flood.py "$port" "$work/c/ca.pem" "$pid" 5000 || rc=1
kill -0 "$pid" 2>/dev/null || { echo "the collector died:"; tail -5 "$work/serve.log"; exit 1; }
exit $rc
