#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Benchmark: the collector under load, beside the physical limit, in one run.
#
#   1. nginx answering a static 200 over the same mutual TLS (the collector's
#      own server certificate and CA, client certificates verified): what
#      TLS and HTTP cost on this machine with nothing stored;
#   2. posture-collector serve on SQLite (WAL, synchronous=FULL, group commit);
#   3. posture-collector serve on PostgreSQL (a throwaway cluster on loopback,
#      fsync and synchronous_commit on, as shipped);
#   each driven by build/loadgen: DEVICES enrolled devices (default 50), each
#   on its own keep-alive connection with one report in flight, for SECONDS
#   (default 10); twice: with the agent's own JSON for this machine, and
#   with the same report as a patched machine sends it (three pending
#   updates listed, not all of them);
#   and, beside them, where the collector's rate goes: builds of it that
#   answer without storing (make bench-layers), after the TLS handshake's
#   identity and HTTP alone, after the body is validated too, and after it
#   is compressed too; what is left between the last and SQLite is storing;
#   4. the fleet summary over ROWS synthetic device-check rows (default
#      1,000,000: 50,000 devices x 20 checks) on PostgreSQL and on SQLite:
#      GET /v1/fleet/summary, median and worst of 11 (target <= 100 ms on
#      PostgreSQL).
#
#   each load runs ROUNDS times (default 3), nginx, SQLite and PostgreSQL
#   one after another, and each store's rate is set against the nginx run of
#   its round: the median of those ratios is the figure.
#
#   sh bench/collector.sh [SECONDS] [DEVICES]
#   LOADS=0 sh bench/collector.sh: part 4 alone
# Needs nginx-light and postgresql (scripts/install-deps.sh) and a build
# (make all build/loadgen).
set -eu
SECONDS_=${1:-10}
DEVICES=${2:-50}
B=${BUILD:-build}
C=$B/posture-collector
work=$(mktemp -d /tmp/posture-bench.XXXXXX)
chmod 755 "$work"
port=$((30000 + $$ % 20000))
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	# a store that failed under load says why in its log: shown, not lost
	for l in lite pg; do
		if grep -q 'error' "$work/$l.log" 2>/dev/null; then
			echo "== the $l collector's log: $(grep -c 'error' "$work/$l.log") errors, the first:"
			grep 'error' "$work/$l.log" | head -5
		fi
	done
	[ -f "$work/pg/PG_VERSION" ] && sh scripts/pg-cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
make -s all bench-layers "$B/loadgen" >/dev/null

# the agent's report for this machine, compact as agents send it; and the
# same report as a patched machine sends it (three pending updates listed
# instead of all of them): the body sizes agents send lie between the two
"$B/posture" check --format json --policy policies/baseline.ini >"$work/pretty.json" || true
python3 - "$work/pretty.json" "$work/report.json" "$work/small.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
json.dump(doc, open(sys.argv[2], "w"), separators=(",", ":"))
for r in doc["results"]:
    o = r.get("observed")
    if r.get("type") == "os_patch" and isinstance(o, dict) and isinstance(o.get("updates"), list):
        o["updates"] = o["updates"][:3]
        o["pending_updates"] = len(o["updates"])
        o["pending_security"] = sum(1 for u in o["updates"] if u.get("security"))
json.dump(doc, open(sys.argv[3], "w"), separators=(",", ":"))
PY
echo "machine: $(nproc) cores, $(uname -r); report bodies $(wc -c <"$work/report.json") and $(wc -c <"$work/small.json") bytes, $(grep -o '"status"' "$work/report.json" | wc -l) results"

. "$(dirname "$0")/lib.sh"

# --- 1. nginx, static 200 over mutual TLS
"$C" init --dir "$work/lite" >/dev/null
rm -f "$work/lite/collector.ini" # no release feeds fetched from the internet here
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=bench \
	-keyout "$work/dev.key" -out "$work/dev.csr" 2>/dev/null
openssl x509 -req -in "$work/dev.csr" -CA "$work/lite/ca.pem" -CAkey "$work/lite/ca.key" \
	-CAcreateserial -days 2 -out "$work/dev.pem" 2>/dev/null
cat >"$work/nginx.conf" <<CONF
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
worker_processes 1;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/body;
  server { listen 127.0.0.1:$port ssl http2;
    ssl_certificate $work/lite/server.pem; ssl_certificate_key $work/lite/server.key;
    ssl_client_certificate $work/lite/ca.pem; ssl_verify_client on;
    ssl_protocols TLSv1.2 TLSv1.3;
    keepalive_requests 1000000;
    location / { return 200 '{"stored":"now"}'; } }
}
CONF
nginx -c "$work/nginx.conf" -e "$work/nginx-error.log" &
pids="$pids $!"
sleep 0.5
nginx_port=$port

# --- 2. the collector on SQLite
port=$((port + 1))
"$C" serve --dir "$work/lite" --listen "127.0.0.1:$port" --rate-limit 0 2>"$work/lite.log" &
pids="$pids $!"
wait_port $port
lite_port=$port

# --- 3. the collector on PostgreSQL
port=$((port + 1))
url=$(sh scripts/pg-cluster.sh start "$work/pg" $((port + 1000)))
"$C" init --dir "$work/pgc" --store "$url" >/dev/null
rm -f "$work/pgc/collector.ini"
"$C" serve --dir "$work/pgc" --listen "127.0.0.1:$port" --rate-limit 0 2>"$work/pg.log" &
pids="$pids $!"
wait_port $port
pg_port=$port

# --- the collector answering without storing, after each stage
"$C" init --dir "$work/layers" >/dev/null
rm -f "$work/layers/collector.ini"
layer_load() { # N LABEL REPORT: build N on a port of its own, under load
	lport=$((port + 10 + $1))
	"$B/bench/collector-layer$1" serve --dir "$work/layers" --listen "127.0.0.1:$lport" \
		--rate-limit 0 2>"$work/layer$1.log" &
	lpid=$!
	wait_port $lport
	printf '%-34s ' "$2"
	$B/loadgen --url "https://localhost:$lport/v1/reports" --ca "$work/layers/ca.pem" \
		--report "$3" --enroll "https://localhost:$lport/v1/enroll" \
		--secret-file "$work/layers/enroll-secret" --devices "$DEVICES" --duration "$SECONDS_"
	kill $lpid
	wait $lpid 2>/dev/null || true
}

metric() { # FILE NAME: the sample's value
	awk -v m="$2" '$1 == m {print $2}' "$1"
}
commits() { # PORT DIR BEFORE: commits and reports since BEFORE's figures
	curl -s --cacert "$2/ca.pem" -H "Authorization: Bearer $(cat "$2/admin-token")" \
		"https://localhost:$1/metrics" >"$work/after"
	awk -v c0="$(metric "$3" posture_store_commit_seconds_count)" \
		-v s0="$(metric "$3" posture_store_commit_seconds_sum)" \
		-v r0="$(metric "$3" posture_store_batched_reports_total)" \
		-v c1="$(metric "$work/after" posture_store_commit_seconds_count)" \
		-v s1="$(metric "$work/after" posture_store_commit_seconds_sum)" \
		-v r1="$(metric "$work/after" posture_store_batched_reports_total)" \
		'BEGIN {c = c1 - c0; printf "    commits %d, reports %d, mean commit %.2f ms\n", c, r1 - r0, c ? (s1 - s0) / c * 1000 : 0}'
}
collector_load() { # LABEL PORT DIR REPORT
	printf '%-34s ' "$1"
	curl -s --cacert "$3/ca.pem" -H "Authorization: Bearer $(cat "$3/admin-token")" \
		"https://localhost:$2/metrics" >"$work/before"
	$B/loadgen --url "https://localhost:$2/v1/reports" --ca "$3/ca.pem" \
		--report "$4" --enroll "https://localhost:$2/v1/enroll" \
		--secret-file "$3/enroll-secret" --devices "$DEVICES" --duration "$SECONDS_"
	commits "$2" "$3" "$work/before"
}
rate_of() { # the load generator's rate in FILE
	sed -n 's/.* rate \([0-9]*\)\/s .*/\1/p' "$1" | head -1
}
# ROUNDS rounds of nginx, SQLite and PostgreSQL one after another (this
# machine's speed drifts between runs: each store is set against the nginx
# run beside it, and the median of the rounds is the figure)
ROUNDS=${ROUNDS:-3}
# LOADS=0: the fleet summary alone (on stores that took no load)
for report in $([ "${LOADS:-1}" = 0 ] || echo report small); do
	echo
	echo "== load: $DEVICES devices, ${SECONDS_} s each, $(wc -c <"$work/$report.json")-byte reports"
	: >"$work/ratios"
	round=1
	while [ $round -le "$ROUNDS" ]; do
		printf '%-34s ' "nginx static 200 (1 worker)"
		$B/loadgen --url "https://localhost:$nginx_port/v1/reports" --ca "$work/lite/ca.pem" \
			--report "$work/$report.json" --cert "$work/dev.pem" --key "$work/dev.key" \
			--devices "$DEVICES" --duration "$SECONDS_" | tee "$work/nginx.out"
		if [ $round -eq 1 ]; then
			layer_load 1 "  answering after TLS, HTTP, identity" "$work/$report.json"
			layer_load 2 "  ... after validating the JSON" "$work/$report.json"
			layer_load 3 "  ... after compressing it" "$work/$report.json"
		fi
		collector_load "posture-collector, SQLite" $lite_port "$work/lite" \
			"$work/$report.json" | tee "$work/lite.out"
		collector_load "posture-collector, PostgreSQL" $pg_port "$work/pgc" \
			"$work/$report.json" | tee "$work/pg.out"
		echo "$(rate_of "$work/nginx.out") $(rate_of "$work/lite.out") $(rate_of "$work/pg.out")" >>"$work/ratios"
		round=$((round + 1))
	done
	awk '{ printf "%.1f %.1f\n", $2 * 100 / $1, $3 * 100 / $1 }' "$work/ratios" >"$work/pct"
	mid=$(((ROUNDS + 1) / 2))
	printf 'SQLite and PostgreSQL against the nginx run beside them: %s; median SQLite %s%%, PostgreSQL %s%%\n' \
		"$(awk '{ printf "%s%s%%/%s%%", (NR > 1 ? ", " : ""), $1, $2 }' "$work/pct")" \
		"$(cut -d' ' -f1 "$work/pct" | sort -n | sed -n "${mid}p")" \
		"$(cut -d' ' -f2 "$work/pct" | sort -n | sed -n "${mid}p")"
done
kill "$(cat "$work/nginx.pid")" 2>/dev/null || true

# --- 4. the fleet summary over synthetic rows
ROWS=${ROWS:-1000000}
NDEV=$((ROWS / 20))
synth() { # the SQL that fills devices, latest and daily with NDEV x 20 rows
	# a bulk load: the per-row triggers that keep check_counts are set
	# aside and the counts made once at the end, as migration 3 does
	cat <<SQL
ALTER TABLE latest DISABLE TRIGGER USER;
INSERT INTO devices (id, hostname, os, agent_version, first_seen, last_seen, revoked,
                     compliant, last_generated_at, last_report_at)
SELECT 'synthetic-' || d, 'host-' || d, 'Debian GNU/Linux 12', '0.1.0',
       '2026-10-01T00:00:00Z', '2026-11-20T00:00:00Z', 0,
       CASE WHEN d % 7 = 0 THEN 0 ELSE 1 END, '2026-11-20T00:00:00Z',
       CASE WHEN d % 13 = 0 THEN '2026-11-01T00:00:00Z' ELSE '2026-11-20T00:00:00Z' END
FROM ($1) AS g(d);
INSERT INTO latest (device_id, check_id, report_id, status, severity, remediation, at)
SELECT 'synthetic-' || d, 'check-' || c, 'r-' || d, CASE WHEN d % 7 = 0 AND c = 3 THEN 'fail'
       WHEN (d + c) % 50 = 0 THEN 'error' WHEN c = 19 THEN 'skip' ELSE 'pass' END,
       'high', 'fix it', '2026-11-20T00:00:00Z'
FROM ($1) AS g(d), ($2) AS h(c);
INSERT INTO daily (day, device_id, at, compliant)
SELECT '2026-11-' || lpad(CAST(k AS TEXT), 2, '0'), 'synthetic-' || d, '2026-11-20T00:00:00Z',
       CASE WHEN (d + k) % 7 = 0 THEN 0 ELSE 1 END
FROM ($1) AS g(d), ($3) AS j(k) WHERE d % 10 = 0;
ALTER TABLE latest ENABLE TRIGGER USER;
DELETE FROM check_counts;
INSERT INTO check_counts (check_id, status, n)
SELECT check_id, status, count(*) FROM latest GROUP BY check_id, status;
SQL
}
synth "SELECT generate_series(1, $NDEV)" "SELECT generate_series(0, 19)" "SELECT generate_series(1, 20)" |
	psql -q "$url" -v ON_ERROR_STOP=1 >/dev/null
# the load above left PostgreSQL flushing: the summary is timed once it has
psql -q "$url" -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
python3 - "$work/lite/collector.db" "$NDEV" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2])
db.execute("WITH RECURSIVE g(d) AS (SELECT 1 UNION ALL SELECT d + 1 FROM g WHERE d < ?) "
           "INSERT INTO devices (id, hostname, os, agent_version, first_seen, last_seen, revoked, compliant, last_generated_at, last_report_at) "
           "SELECT 'synthetic-' || d, 'host-' || d, 'Debian GNU/Linux 12', '0.1.0', '2026-10-01T00:00:00Z', '2026-11-20T00:00:00Z', 0, "
           "CASE WHEN d % 7 = 0 THEN 0 ELSE 1 END, '2026-11-20T00:00:00Z', "
           "CASE WHEN d % 13 = 0 THEN '2026-11-01T00:00:00Z' ELSE '2026-11-20T00:00:00Z' END FROM g", (n,))
db.execute("WITH RECURSIVE g(d) AS (SELECT 1 UNION ALL SELECT d + 1 FROM g WHERE d < ?), h(c) AS (SELECT 0 UNION ALL SELECT c + 1 FROM h WHERE c < 19) "
           "INSERT INTO latest (device_id, check_id, report_id, status, severity, remediation, at) "
           "SELECT 'synthetic-' || d, 'check-' || c, 'r-' || d, CASE WHEN d % 7 = 0 AND c = 3 THEN 'fail' WHEN (d + c) % 50 = 0 THEN 'error' WHEN c = 19 THEN 'skip' ELSE 'pass' END, "
           "'high', 'fix it', '2026-11-20T00:00:00Z' FROM g, h", (n,))
db.execute("WITH RECURSIVE g(d) AS (SELECT 1 UNION ALL SELECT d + 1 FROM g WHERE d < ?), j(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM j WHERE k < 20) "
           "INSERT INTO daily (day, device_id, at, compliant) SELECT '2026-11-' || substr('0' || k, -2), 'synthetic-' || d, '2026-11-20T00:00:00Z', "
           "CASE WHEN (d + k) % 7 = 0 THEN 0 ELSE 1 END FROM g, j WHERE d % 10 = 0", (n,))
db.commit(); db.execute("ANALYZE"); db.close()
PY
echo
echo "== fleet summary over $(psql -qAt "$url" -c 'SELECT count(*) FROM latest') device-check rows, $(psql -qAt "$url" -c 'SELECT count(*) FROM devices') devices (GET /v1/fleet/summary, 11 runs)"
token=$(cat "$work/pgc/admin-token")
time_summary() { # PORT DIR
	for i in 1 2 3 4 5 6 7 8 9 10 11; do
		curl -s -o /dev/null -w '%{time_total}\n' --cacert "$2/ca.pem" \
			-H "Authorization: Bearer $(cat "$2/admin-token")" "https://localhost:$1/v1/fleet/summary"
	done | sort -n | awk '{t[NR] = $1 * 1000} END {printf "median %.1f ms, worst %.1f ms\n", t[6], t[NR]}'
}
printf '%-34s ' "PostgreSQL"
time_summary $pg_port "$work/pgc"
printf '%-34s ' "SQLite"
time_summary $lite_port "$work/lite"
printf '%-34s ' "PostgreSQL, GROUP BY over latest"
psql -qAt "$url" -c '\timing on' -c 'SELECT check_id, status, count(*) FROM latest GROUP BY check_id, status' 2>&1 | awk '/^Time/ {print $2 " ms (what check_counts saves)"}'
: "$token"
