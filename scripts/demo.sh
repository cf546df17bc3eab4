#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make demo: the whole product on this machine in one command. Installs what
# is missing, builds, starts a collector on loopback (SQLite, a temporary
# data directory), enrolls this machine's agent, runs the agent service
# until its first report is delivered, prints the local status and the
# fleet summary, then the dashboard's address and token. Ctrl-C stops
# everything and removes the temporary files. DEMO_SECONDS=N stops by
# itself after N seconds (CI); DEMO_PORT picks the port (default 18443).
set -eu
cd "$(dirname "$0")/.."
B=${BUILD:-build}
port=${DEMO_PORT:-18443}
./scripts/install-deps.sh
make -s all
work=$(mktemp -d /tmp/posture-demo.XXXXXX)
chmod 755 "$work"
collector_pid=""
agent_pid=""
stop() {
	trap - INT TERM EXIT
	echo
	echo "demo: stopping"
	[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
	[ -n "$collector_pid" ] && kill "$collector_pid" 2>/dev/null && wait "$collector_pid" 2>/dev/null || true
	rm -rf "$work"
	echo "demo: stopped; $work removed"
}
trap stop EXIT
trap 'exit 130' INT TERM

say() { printf '\n== %s\n' "$*"; }

say "a collector on https://localhost:$port (data in $work/collector)"
"$B/posture-collector" init --dir "$work/collector" --hostname localhost
"$B/posture-collector" policy publish --dir "$work/collector" policies/baseline.ini
"$B/posture-collector" serve --dir "$work/collector" --listen "127.0.0.1:$port" 2>"$work/collector.log" &
collector_pid=$!
i=0
until curl -s -o /dev/null --cacert "$work/collector/ca.pem" "https://localhost:$port/metrics"; do
	i=$((i + 1))
	if [ $i -gt 200 ] || ! kill -0 "$collector_pid" 2>/dev/null; then
		cat "$work/collector.log" >&2
		echo "demo: the collector did not start (is port $port taken? DEMO_PORT=...)" >&2
		exit 1
	fi
	sleep 0.05
done

say "this machine's agent enrolls with it"
"$B/posture" enroll --server "https://localhost:$port" --ca "$work/collector/ca.pem" \
	--secret-file "$work/collector/enroll-secret" --state-dir "$work/agent"
cat >"$work/posture.ini" <<CONF
[collector]
url = https://localhost:$port
ca = $work/collector/ca.pem
[agent]
state_dir = $work/agent
status_socket = $work/status.sock
policy = $(pwd)/policies/baseline.ini
CONF

say "the agent service runs (log in $work/agent.log) until its first report is delivered"
"$B/posture" run --config "$work/posture.ini" 2>"$work/agent.log" &
agent_pid=$!
i=0
until grep -q "delivered (HTTP 20" "$work/agent.log" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 600 ] || ! kill -0 "$agent_pid" 2>/dev/null; then
		cat "$work/agent.log" >&2
		echo "demo: the agent did not deliver its report" >&2
		exit 1
	fi
	sleep 0.1
done
cat "$work/agent.log"

say "posture status (what the person at this machine sees)"
"$B/posture" status --config "$work/posture.ini" || true

say "posture-collector fleet (what the administrator sees)"
"$B/posture-collector" fleet --dir "$work/collector"

say "the dashboard"
echo "  https://localhost:$port/  (the collector's own CA: $work/collector/ca.pem; your"
echo "  browser will warn that it does not know it)"
echo "  admin token: $(cat "$work/collector/admin-token")"
if [ -n "${DEMO_SECONDS:-}" ]; then
	sleep "$DEMO_SECONDS"
	exit 0
fi
echo
echo "Ctrl-C stops the demo."
while kill -0 "$collector_pid" 2>/dev/null && kill -0 "$agent_pid" 2>/dev/null; do
	sleep 1
done
echo "demo: a process ended by itself" >&2
exit 1
