#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A throwaway PostgreSQL cluster on a loopback port for the collector's tests
# and benchmarks: `start DIR PORT` makes (once) and starts it, with a database
# named posture and trust authentication on 127.0.0.1 only; `stop DIR` stops
# it. Prints the store URL on start. As root the server runs as the postgres
# user (initdb refuses root). Debian's postgresql package provides the binaries.
set -eu
cmd=${1:?usage: pg-cluster.sh start DIR PORT | stop DIR}
dir=${2:?the cluster directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
	echo "pg-cluster.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
	exit 1
fi
as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $cmd in
start)
	port=${3:?the port}
	if [ ! -f "$dir/PG_VERSION" ]; then
		mkdir -p "$dir"
		[ "$(id -u)" = 0 ] && chown postgres: "$dir"
		as_owner "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C >"$dir.initdb.log" 2>&1 ||
			{ cat "$dir.initdb.log" >&2; exit 1; }
	fi
	as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -o "-h 127.0.0.1 -p $port -k $dir" start >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 1; }
	as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qAt -c "SELECT 1 FROM pg_database WHERE datname = 'posture'" postgres | grep -q 1 ||
		as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres posture
	echo "postgresql://postgres@127.0.0.1:$port/posture"
	;;
stop)
	as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
	;;
*)
	echo "pg-cluster.sh: unknown command $cmd" >&2
	exit 2
	;;
esac
