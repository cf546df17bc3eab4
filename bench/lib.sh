# SPDX-License-Identifier: Apache-2.0
# Shared by the collector's benchmarks (sourced, not run).

# wait_port PORT: until something answers HTTPS on 127.0.0.1:PORT (10 s at
# most, then the script stops).
wait_port() {
	i=0
	while ! curl -s -o /dev/null --max-time 1 -k "https://127.0.0.1:$1/" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 200 ] && { echo "nothing listens on $1" >&2; exit 1; }
		sleep 0.05
	done
}
