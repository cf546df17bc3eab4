#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# testssl.sh (Debian's package) against `posture-collector serve`: fails on
# any finding of severity MEDIUM or above (make test-testssl, part of make
# test-real). Takes about a minute.
set -eu
B=${BUILD:-build}
command -v testssl >/dev/null || { echo "testssl test: testssl is missing (apt-get install testssl.sh)" >&2; exit 1; }
work=$(mktemp -d /tmp/posture-testssl.XXXXXX)
port=$((30000 + $$ % 20000))
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
"$B/posture-collector" init --dir "$work/c" >/dev/null
rm -f "$work/c/collector.ini" # no release feeds fetched from the internet here
"$B/posture-collector" serve --dir "$work/c" --listen "127.0.0.1:$port" 2>"$work/serve.log" &
pid=$!
i=0
until curl -s -o /dev/null --cacert "$work/c/ca.pem" "https://localhost:$port/metrics"; do
	i=$((i + 1)); [ $i -gt 200 ] && { cat "$work/serve.log" >&2; exit 1; }
	sleep 0.05
done
timeout 900 testssl --quiet --color 0 --warnings off --add-ca "$work/c/ca.pem" \
	--jsonfile "$work/testssl.json" "https://localhost:$port/" >"$work/testssl.txt" 2>&1 || true
python3 - "$work/testssl.json" <<'PY'
import collections, json, sys
findings = json.load(open(sys.argv[1]))
counts = collections.Counter(f["severity"] for f in findings)
bad = [f for f in findings if f["severity"] in ("MEDIUM", "HIGH", "CRITICAL")]
print("testssl: %d findings: %s" % (len(findings), ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
for f in bad:
    print("testssl: %s %s: %s" % (f["severity"], f["id"], f["finding"]))
if len(findings) < 50:
    print("testssl: too few findings; the scan did not run through")
    sys.exit(1)
sys.exit(1 if bad else 0)
PY
