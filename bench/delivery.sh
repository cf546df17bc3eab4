#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Benchmark: delivery to a collector over mutual TLS.
#
# The collector stand-in is Debian's nginx (HTTP/2, client certificates
# required, the body read and handed to an upstream that answers 202), with
# certificates from tests/tls/make-certs.sh. Three figures:
#   1. CPU and wall time of one evaluation plus its delivery
#      (`posture run --once`, baseline policy), beside the evaluation alone
#      (no collector configured);
#   2. the delivery rate of a spool of N reports (default 10,000) drained by
#      `posture run --once`, beside curl posting the same N bodies over one
#      keep-alive HTTP/2 connection with the same client certificate (the
#      same libcurl, without the spool: the transport's limit here);
#   3. idle memory and wake-ups of `posture run` with a collector, once the
#      spool is empty (target: <= 4 MiB, none).
#   sh bench/delivery.sh [build/posture] [N]
set -eu
POSTURE=${1:-build/posture}
N=${2:-10000}
RUNS=${RUNS:-20}
work=$(mktemp -d)
chmod 755 "$work"
port=$((30000 + $$ % 20000))
sh tests/tls/make-certs.sh "$work" >/dev/null
cc -O2 -o "$work/measure" "$(dirname "$0")/measure.c"
cat >"$work/nginx.conf" <<CONF
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
worker_processes 1;
events {}
http {
  access_log off;
  client_body_buffer_size 1m;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  upstream store { server unix:$work/up.sock; keepalive 8; }
  server { listen 127.0.0.1:$port ssl http2;
    ssl_certificate $work/server.pem; ssl_certificate_key $work/server.key;
    ssl_client_certificate $work/ca.pem; ssl_verify_client on;
    keepalive_requests 100000;
    location = /v1/reports { proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_pass http://store/ok; } }
  server { listen unix:$work/up.sock; keepalive_requests 100000;
    location = /ok { return 202; } }
}
CONF
nginx -q -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
agent=""
trap 'kill $nginx_pid $agent 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.5
cp policies/baseline.ini "$work/policy.ini"
mkdir -p "$work/state"
cp "$work/device.crt" "$work/device.key" "$work/state/"
cat >"$work/posture.ini" <<INI
[collector]
url = https://localhost:$port
ca = $work/ca.pem
[agent]
interval = 1h
state_dir = $work/state
status_socket = $work/status.sock
INI
printf '[agent]\nstate_dir = %s/alone\n' "$work" >"$work/alone.ini"

echo "machine: $(nproc) cores, $(uname -r), $(nginx -v 2>&1), $(curl --version | head -1 | cut -d' ' -f1-2)"
echo "== 1. one evaluation, with and without its delivery (median of $RUNS)"
"$work/measure" "$RUNS" "run --once, no collector" -- "$POSTURE" run --once \
	--config "$work/alone.ini" --policy "$work/policy.ini"
"$work/measure" "$RUNS" "run --once, delivered over mTLS" -- "$POSTURE" run --once \
	--config "$work/posture.ini" --policy "$work/policy.ini"
[ -z "$(ls "$work/state/spool" | grep '^R-' || true)" ] || { echo "spool not drained"; exit 1; }

echo "== 2. draining a spool of $N reports"
"$POSTURE" run --once --config "$work/alone.ini" --policy "$work/policy.ini" 2>/dev/null
sample=$(ls "$work/alone/spool"/R-* | head -1)
mkdir -p "$work/bodies"
# N distinct reports (fresh report_id each), spooled as the agent names them
i=0
while [ $i -lt "$N" ]; do
	name=$(printf 'R-%020d-%06d.json' $((1700000000000000000 + i)) 0)
	id=$(printf '%08x-0000-4000-8000-%012x' $i $i)
	sed "s/\"report_id\":\"[^\"]*\"/\"report_id\":\"$id\"/" "$sample" >"$work/bodies/$name"
	i=$((i + 1))
done
bytes=$(cat "$work/bodies"/* | wc -c)
mkdir -p "$work/drain/spool"
cp "$work/bodies"/* "$work/drain/spool/"
sed "s|state_dir = .*|state_dir = $work/drain\nspool_max_mb = 1000|" "$work/posture.ini" >"$work/drain.ini"
cp "$work/device.crt" "$work/device.key" "$work/drain/"
# the one-report policy run adds one more report to the N
printf '[policy]\nname = drain\n[check.os]\ntype = os_version\ndebian = 12\n' >"$work/tiny.ini"
"$work/measure" 1 "posture: drain $N spooled reports" -- "$POSTURE" run --once \
	--config "$work/drain.ini" --policy "$work/tiny.ini" 2>"$work/drain.log"
tail -n 1 "$work/drain.log" | sed 's/^/  last log line: /'
left=$(ls "$work/drain/spool" | grep -c '^R-' || true)
echo "  left in the spool: $left; report bytes: $bytes"
cc -O2 -o "$work/post" "$(dirname "$0")/post.c" $(pkg-config --cflags --libs libcurl)
"$work/measure" 1 "libcurl alone: $N POSTs, one connection" -- sh -c \
	"cd '$work/bodies' && '$work/post' https://localhost:$port/v1/reports '$work/ca.pem' \
	'$work/device.crt' '$work/device.key' R-* >'$work/posted'"
echo "  2xx answers to libcurl alone: $(cat "$work/posted")"

echo "== 3. idle with a collector, after the first delivery"
"$POSTURE" run --config "$work/posture.ini" --policy "$work/policy.ini" 2>"$work/log" &
agent=$!
i=0
until grep -q "delivered" "$work/log" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 300 ] || { cat "$work/log"; exit 1; }
	sleep 0.1
done
sleep 1
field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
sw() { echo $(($(field "$1" voluntary_ctxt_switches) + $(field "$1" nonvoluntary_ctxt_switches))); }
s0=$(sw $agent)
sleep "${IDLE_SECONDS:-30}"
echo "  posture run: RSS $(field $agent VmRSS) KiB, wake-ups in ${IDLE_SECONDS:-30} s: $(($(sw $agent) - s0)), processes: $(pgrep -c -P $agent || true) children"
