#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Benchmark: the inventory of a fleet of NDEV devices (default 10,000; 20
# checks each), on SQLite and on PostgreSQL: GET /v1/fleet/inventory for
# the views an admin opens (the first page, a search, a state, a check's
# failing devices, a sort, a far page, the CSV export of every device),
# median and worst of 11 over HTTPS with the admin token; then the page
# itself in headless Chromium, from navigation to its table drawn (SQLite).
# Targets (issue 21): the API in 200 ms or less, the page in 1 s or less.
#   sh bench/inventory.sh [NDEV]
set -eu
NDEV=${1:-10000}
B=${BUILD:-build}
C=$B/posture-collector
work=$(mktemp -d /tmp/posture-inv.XXXXXX)
chmod 755 "$work"
port=$((30000 + $$ % 20000))
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	[ -f "$work/pg/PG_VERSION" ] && sh scripts/pg-cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
. "$(dirname "$0")/lib.sh"
make -s all >/dev/null

# NDEV devices: hostnames, owners, three OS, two agent versions, a seventh
# non-compliant, a thirteenth stale; 20 checks each (latest), and their
# counts. The same rows on both stores.
fill_sql() {
	g="WITH RECURSIVE g(d) AS (SELECT 1 UNION ALL SELECT d + 1 FROM g WHERE d < $NDEV)"
	h="h(c) AS (SELECT 0 UNION ALL SELECT c + 1 FROM h WHERE c < 19)"
	cat <<SQL
$g
INSERT INTO devices (id, hostname, os, agent_version, first_seen, last_seen, revoked,
  compliant, last_generated_at, last_report_at, owner, owner_source)
SELECT 'dev-' || substr('00000' || CAST(d AS TEXT), -6), 'host-' || d,
  CASE d % 3 WHEN 0 THEN 'Debian GNU/Linux 12' WHEN 1 THEN 'Windows 11 Pro 24H2' ELSE 'macOS 15.1' END,
  CASE WHEN d % 5 = 0 THEN '0.1.0' ELSE '0.2.0' END, '2026-10-01T00:00:00Z', '2026-12-07T00:00:00Z', 0,
  CASE WHEN d % 7 = 0 THEN 0 ELSE 1 END, '2026-12-07T00:00:00Z',
  CASE WHEN d % 13 = 0 THEN '2026-11-01T00:00:00Z' ELSE '2026-12-07T00:00:00Z' END,
  'user' || (d % 2000) || '@example.com', 'enrollment'
FROM g;
$g, $h
INSERT INTO latest (device_id, check_id, report_id, status, severity, remediation, at)
SELECT 'dev-' || substr('00000' || CAST(d AS TEXT), -6), 'check-' || c, 'r-' || d,
  CASE WHEN d % 7 = 0 AND c = 3 THEN 'fail' WHEN (d + c) % 50 = 0 THEN 'error'
       WHEN c = 19 THEN 'skip' ELSE 'pass' END, 'high', 'fix it', '2026-12-07T00:00:00Z'
FROM g, h;
DELETE FROM check_counts;
INSERT INTO check_counts (check_id, status, n) SELECT check_id, status, count(*) FROM latest GROUP BY check_id, status;
SQL
}

"$C" init --dir "$work/lite" >/dev/null
rm -f "$work/lite/collector.ini"
fill_sql |
	python3 -c 'import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.executescript(sys.stdin.read()); db.execute("ANALYZE"); db.commit()' "$work/lite/collector.db"
"$C" serve --dir "$work/lite" --listen "127.0.0.1:$port" 2>"$work/lite.log" &
pids="$pids $!"
wait_port $port
lite_port=$port

port=$((port + 1))
url=$(sh scripts/pg-cluster.sh start "$work/pg" $((port + 1000)))
"$C" init --dir "$work/pgc" --store "$url" >/dev/null
rm -f "$work/pgc/collector.ini"
{
	echo "ALTER TABLE latest DISABLE TRIGGER USER;"
	fill_sql
	echo "ALTER TABLE latest ENABLE TRIGGER USER;"
} | psql -q "$url" -v ON_ERROR_STOP=1 >/dev/null
psql -q "$url" -c "VACUUM ANALYZE" >/dev/null
"$C" serve --dir "$work/pgc" --listen "127.0.0.1:$port" 2>"$work/pg.log" &
pids="$pids $!"
wait_port $port
pg_port=$port

echo "machine: $(nproc) cores, $(uname -r); $NDEV devices, $((NDEV * 20)) device-check rows"
views="?
?q=host-4242
?state=noncompliant
?check=check-3&status=failing
?sort=last_report&order=desc
?os=Windows
?owner=user42%40example.com
?page=150
?format=csv"
time_view() { # PORT DIR QUERY
	for i in 1 2 3 4 5 6 7 8 9 10 11; do
		curl -s -o "$work/answer" -w '%{time_total} %{size_download}\n' --cacert "$2/ca.pem" \
			-H "Authorization: Bearer $(cat "$2/admin-token")" "https://localhost:$1/v1/fleet/inventory$3"
	done | sort -n | awk '{t[NR] = $1 * 1000; s = $2} END {printf "median %6.1f ms, worst %6.1f ms, %d bytes\n", t[6], t[NR], s}'
}
for store in SQLite PostgreSQL; do
	echo "== GET /v1/fleet/inventory, $store (11 runs each)"
	for v in $views; do
		printf '  %-36s ' "$v"
		if [ $store = SQLite ]; then time_view $lite_port "$work/lite" "$v"; else time_view $pg_port "$work/pgc" "$v"; fi
	done
done

echo "== the inventory page in headless Chromium (SQLite), navigation to the table drawn (11 runs each)"
URL="https://localhost:$lite_port" TOKEN=$(cat "$work/lite/admin-token") \
	node bench/inventory_page.mjs '#devices' '#devices?q=host-4242' '#devices?check=check-3&status=failing' \
	'#devices?sort=last_report&order=desc&page=100'
