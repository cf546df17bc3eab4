#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The dashboard test (make test-dashboard, part of make test-real): a real
# collector with three enrolled devices whose reports carry markup in the
# hostname and in a check id, a Windows device whose report the Windows
# agent wrote under Wine, and a Mac judged from its disk (--root), then
# tests/dashboard/dashboard.mjs in Debian's headless Chromium. Screenshots are kept in $BUILD/artefacts/.
set -eu
B=${BUILD:-build}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/posture-dashboard.XXXXXX)
port=$((30000 + $$ % 20000))
pid=""
idp_pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	[ -n "$idp_pid" ] && kill "$idp_pid" 2>/dev/null && wait "$idp_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
command -v node >/dev/null || { echo "dashboard test: node is missing (apt-get install nodejs npm)" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "dashboard test: /usr/bin/chromium is missing (apt-get install chromium)" >&2; exit 1; }
if [ ! -d "$here/node_modules/playwright-core" ]; then
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

"$B/posture-collector" init --dir "$work/c" >/dev/null
# OpenID Connect: a real provider (oidc-provider, tests/dashboard/oidc-provider.mjs)
# on HTTPS with a certificate OpenSSL makes here
idp_port=$((port + 1))
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
	-keyout "$work/idp.key" -out "$work/idp.pem" 2>/dev/null
node "$here/oidc-provider.mjs" "$idp_port" "$work/idp.key" "$work/idp.pem" \
	"https://localhost:$port/oidc/callback" >"$work/idp.log" 2>&1 &
idp_pid=$!
i=0
until curl -s -o /dev/null --cacert "$work/idp.pem" "https://localhost:$idp_port/.well-known/openid-configuration"; do
	i=$((i + 1)); [ $i -gt 200 ] && { cat "$work/idp.log" >&2; exit 1; }
	sleep 0.05
done
printf 'posture-test-secret-0123456789abcdef\n' >"$work/c/oidc-secret"
# the configuration: no release feeds fetched from the internet here; the
# provider above for sign-in, its groups for roles
cat >"$work/c/collector.ini" <<EOF
[oidc]
issuer = https://localhost:$idp_port
client_id = posture
client_secret_file = $work/c/oidc-secret
redirect_uri = https://localhost:$port/oidc/callback
role_claim = groups
admin_values = posture-admins
viewer_values = staff
ca = $work/idp.pem
EOF
"$B/posture-collector" policy publish --dir "$work/c" policies/baseline.ini >/dev/null
# two release feeds: one fetched now, one 20 days ago (stale: past the
# agents' default max_feed_age_days of 10)
cp tests/fixtures/feeds/chrome/mac-stable-2026-09-18.json "$work/chrome-mac.json"
cp tests/fixtures/feeds/mozilla/firefox_versions.json "$work/firefox_versions.json"
touch -d '20 days ago' "$work/firefox_versions.json"
"$B/posture-collector" feed import --dir "$work/c" "$work/chrome-mac.json" "$work/firefox_versions.json" >/dev/null
"$B/posture-collector" serve --dir "$work/c" --listen "127.0.0.1:$port" 2>"$work/serve.log" &
pid=$!
i=0
until curl -s -o /dev/null --cacert "$work/c/ca.pem" "https://localhost:$port/metrics"; do
	i=$((i + 1)); [ $i -gt 200 ] && { cat "$work/serve.log" >&2; exit 1; }
	sleep 0.05
done

HOSTILE_HOST='<img src=x onerror=alert(1)>'
HOSTILE_CHECK='<b>aslr</b><script>alert(2)</script>'
export HOSTILE_HOST HOSTILE_CHECK
"$B/posture" check --format json --policy policies/baseline.ini >"$work/report.json" || true
python3 - "$work/report.json" <<'PY'
import json, os, sys
doc = json.load(open(sys.argv[1]))
doc["device"]["hostname"] = os.environ["HOSTILE_HOST"]
doc["results"][0]["id"] = os.environ["HOSTILE_CHECK"]
# a check id the published policy does not have: the report is of a local
# policy of the device's (the collector holds a report that names the
# published policy to exactly its checks)
doc["policy"]["sha256"] = "0" * 64
json.dump(doc, open(sys.argv[1], "w"), separators=(",", ":"))
PY
"$B/loadgen" --url "https://localhost:$port/v1/reports" --ca "$work/c/ca.pem" \
	--report "$work/report.json" --enroll "https://localhost:$port/v1/enroll" \
	--secret-file "$work/c/enroll-secret" --devices 3 --duration 0.5 >/dev/null
# a Windows device beside them: the report of the Windows agent
# (make windows) run under Wine in a fresh prefix
[ -f "$B/windows/posture.exe" ] || { echo "dashboard test: $B/windows/posture.exe is missing (make windows)" >&2; exit 1; }
WINEPREFIX="$work/wine" WINEDEBUG=-all /usr/lib/wine/wine64 "$B/windows/posture.exe" check --format json \
	--policy policies/windows-baseline.ini >"$work/windows.json" 2>"$work/wine.log" || true
WINEPREFIX="$work/wine" /usr/lib/wine/wineserver -k 2>/dev/null && WINEPREFIX="$work/wine" /usr/lib/wine/wineserver -w 2>/dev/null || true
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["device"]["os"]["family"] == "windows"' \
	"$work/windows.json" || { echo "dashboard test: no Windows report: $(tail -n 3 "$work/wine.log")" >&2; exit 1; }
"$B/loadgen" --url "https://localhost:$port/v1/reports" --ca "$work/c/ca.pem" \
	--report "$work/windows.json" --enroll "https://localhost:$port/v1/enroll" \
	--secret-file "$work/c/enroll-secret" --devices 1 --duration 0.2 >/dev/null
# and a Mac: the report of this agent judging a Mac's disk (--root) by the
# macOS baseline (14.7.4, below its minimum: the fleet page lists
# non-compliant devices, not compliant ones)
"$B/posture" check --format json --root tests/fixtures/macos/roots/macos-14.7.4 \
	--policy policies/macos-baseline.ini >"$work/macos.json" || true
"$B/loadgen" --url "https://localhost:$port/v1/reports" --ca "$work/c/ca.pem" \
	--report "$work/macos.json" --enroll "https://localhost:$port/v1/enroll" \
	--secret-file "$work/c/enroll-secret" --devices 1 --duration 0.2 >/dev/null
# and a device failing a check within its grace period (grace_days): the
# collector keeps that failure as due, and the device compliant
printf '%s\n' '[policy]' 'name = grace' 'version = 1' '' '[check.grace-hosts]' \
	'type = file_content' 'path = /etc/hosts' 'pattern = ^no-such-line-in-hosts$' \
	'grace_days = 14' >"$work/grace.ini"
mkdir -m 700 "$work/grace-state"
"$B/posture" check --format json --policy "$work/grace.ini" --state-dir "$work/grace-state" \
	>"$work/grace.json" || true
"$B/loadgen" --url "https://localhost:$port/v1/reports" --ca "$work/c/ca.pem" \
	--report "$work/grace.json" --enroll "https://localhost:$port/v1/enroll" \
	--secret-file "$work/c/enroll-secret" --devices 1 --duration 0.2 >/dev/null
# two devices whose reports were generated two days ago (spooled while
# they were offline), then a lifecycle pass: that day is rolled up, so the
# per-check history has a day before today
python3 - "$work/report.json" "$work/past.json" <<'PY'
import datetime, json, sys
doc = json.load(open(sys.argv[1]))
when = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=2)
doc["generated_at"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
json.dump(doc, open(sys.argv[2], "w"), separators=(",", ":"))
PY
"$B/loadgen" --url "https://localhost:$port/v1/reports" --ca "$work/c/ca.pem" \
	--report "$work/past.json" --enroll "https://localhost:$port/v1/enroll" \
	--secret-file "$work/c/enroll-secret" --devices 2 --duration 0.2 >/dev/null
"$B/posture-collector" prune --dir "$work/c" | grep -q '^rolled up 1 days' ||
	{ echo "dashboard test: the lifecycle pass did not roll up the day two days ago" >&2; exit 1; }
"$B/posture-collector" devices --dir "$work/c" --format json >"$work/devices.json"
WINDOWS_DEVICE=$(python3 -c 'import json, sys; print(next(d["id"] for d in json.load(open(sys.argv[1])) if "Windows" in (d["os"] or "")))' "$work/devices.json")
# (a non-compliant one: the fleet page lists those; the grace device is compliant)
LINUX_DEVICE=$(python3 -c 'import json, sys; print(next(d["id"] for d in json.load(open(sys.argv[1])) if "Linux" in (d["os"] or "") and d["compliant"] is False))' "$work/devices.json")
MACOS_DEVICE=$(python3 -c 'import json, sys; print(next(d["id"] for d in json.load(open(sys.argv[1])) if "macOS" in (d["os"] or "")))' "$work/devices.json")
LINUX_REPORT=$work/report.json
export WINDOWS_DEVICE LINUX_DEVICE MACOS_DEVICE LINUX_REPORT
# and a thousand more devices, seeded into the store beside the real ones
# (synthetic: hostnames seed-NNNN.corp.example.com, four OS, 300 owners,
# every fifth failing one of the baseline's checks; each with the checks of
# the Linux report), last heard from yesterday so that the real devices
# come first where the newest are listed first
python3 - "$work/c/collector.db" "$work/report.json" <<'PY'
import datetime, json, sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=60)
checks = [r["id"] for r in json.load(open(sys.argv[2]))["results"] if r["id"].isascii() and r["id"].replace("-", "").isalnum()]
day = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
oses = ["Debian GNU/Linux 12", "Ubuntu 24.04.1 LTS", "Windows 11 Pro 24H2", "macOS 15.2"]
with db:
    for i in range(1, 1001):
        dev = "5eed0000-0000-4000-8000-%012d" % i
        bad = i % 5 == 0
        db.execute("INSERT INTO devices (id, hostname, os, agent_version, first_seen, last_seen, revoked, "
                   "compliant, last_generated_at, last_report_at, owner, owner_source) "
                   "VALUES (?, ?, ?, '0.1.0', ?, ?, 0, ?, ?, ?, ?, 'enrollment')",
                   (dev, "seed-%04d.corp.example.com" % i, oses[i % 4], day, day, 0 if bad else 1, day, day,
                    "user%d@example.com" % (i % 300)))
        for k, c in enumerate(checks):
            status = "fail" if bad and k == i % len(checks) else "pass"
            db.execute("INSERT INTO latest (device_id, check_id, report_id, status, severity, remediation, at) "
                       "VALUES (?, ?, 'seeded', ?, 'high', 'fix it', ?)", (dev, c, status, day))
PY
"$B/posture-collector" fleet --dir "$work/c" --format json >"$work/fleet.json"

mkdir -p "$B/artefacts"
IDP="https://localhost:$idp_port" URL="https://localhost:$port" TOKEN=$(cat "$work/c/admin-token") EXPECTED="$work/fleet.json" \
	SHOTS=$(cd "$B/artefacts" && pwd) node "$here/dashboard.mjs"
# what the admin did in the page is in the audit trail, and the chain holds
"$B/posture-collector" audit --dir "$work/c" --verify >"$work/audit.txt" 2>"$work/audit.err" ||
	{ cat "$work/audit.err" >&2; exit 1; }
for a in signin.refused signin device.owner device.retire; do
	grep -q " $a " "$work/audit.txt" || { echo "dashboard test: no $a in the audit trail" >&2; cat "$work/audit.txt" >&2; exit 1; }
done
echo "dashboard: the audit trail holds the sign-ins, the owner and the retirement, and verifies"
