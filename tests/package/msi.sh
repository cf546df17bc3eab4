#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The Windows installer (build/windows/posture.msi, made by make windows),
# checked two ways.
# 1. Its tables, with msiinfo and msiextract: the service (automatic,
#    LocalSystem, "posture.exe run", started on install, stopped and removed
#    on uninstall), the Event Log source, the msiexec properties written to
#    HKLM\SOFTWARE\Policies\Posture (the secret kept out of logs), the files
#    in Program Files and ProgramData, major upgrades, the payload extracted
#    equal to its sources, and the build script's refusals.
# 2. Installed for real by Wine's Windows Installer in a fresh prefix, with
#    the real agent: msiexec /i with COLLECTOR_URL, ENROLL_SECRET and CA (a
#    posture-collector running here), the service started by Wine's service
#    manager enrolls, moves the secret out of the registry, and delivers a
#    report over mutual TLS that the collector stores; posture.exe status
#    reads the running service over its pipe; then an upgrade and an
#    uninstall that leaves nothing.
set -eu
B=${BUILD:-build}
version=$(cat VERSION)
fail() { echo "msi test: FAIL: $*" >&2; exit 1; }
ok() { echo "msi test: ok: $*"; }
W=$B/windows
[ -f "$W/posture.msi" ] || fail "$W/posture.msi is missing (make windows)"
work=$(mktemp -d "$B/msi-test.XXXXXX")
work=$(cd "$work" && pwd) # Wine takes an absolute prefix
collector_pid=
trap 'rm -rf "$work"' EXIT
msi=$W/posture.msi
ok "built with wixl by make windows ($(wc -c <"$msi") bytes)"

table() { msiinfo export "$msi" "$1" | tail -n +4 | tr -d '\r'; }
row() { # TABLE ROW: the exact tab-separated row is in the table
	table "$1" | grep -qxF "$2" || { table "$1" >&2; fail "$1 lacks: $2"; }
}
tab=$(printf '\t')
row Property "ProductName${tab}Posture"
row Property "ProductVersion${tab}$version"
row Property "UpgradeCode${tab}{C4907955-D73C-4F12-93F7-70A095E2BBCA}"
row Property "ALLUSERS${tab}1"
row Property "MsiHiddenProperties${tab}ENROLL_SECRET"
ok "properties: per machine, version $version, the secret hidden from logs"
# Name, DisplayName, ServiceType 16 (own process), StartType 2 (automatic),
# ErrorControl 1 (normal), StartName, Arguments, Component
table ServiceInstall | awk -F'\t' '$2 == "posture" && $4 == 16 && $5 == 2 && $6 == 1 &&
	$9 == "LocalSystem" && $11 == "run" && $12 == "Agent" {found = 1} END {exit !found}' ||
	fail "ServiceInstall: $(table ServiceInstall)"
# Event 163: start on install, stop on install and uninstall, delete on
# uninstall; Wait 1
table ServiceControl | awk -F'\t' '$2 == "posture" && $3 == 163 && $5 == 1 && $6 == "Agent" {found = 1}
	END {exit !found}' || fail "ServiceControl: $(table ServiceControl)"
for a in StopServices DeleteServices InstallServices StartServices RemoveExistingProducts WriteRegistryValues; do
	table InstallExecuteSequence | cut -f1 | grep -qx "$a" || fail "InstallExecuteSequence lacks $a"
done
ok "service: posture, automatic, LocalSystem, started on install, removed on uninstall"
for p in COLLECTOR_URL:CollectorUrl ENROLL_SECRET:EnrollSecret CA:CollectorCa COLLECTOR_PIN:CollectorPin; do
	prop=${p%%:*} name=${p#*:}
	# Root 2: HKEY_LOCAL_MACHINE
	table Registry | awk -F'\t' -v n="$name" -v v="[$prop]" \
		'$2 == 2 && $3 == "SOFTWARE\\Policies\\Posture" && $4 == n && $5 == v {found = 1} END {exit !found}' ||
		fail "Registry: $prop is not written to HKLM\\SOFTWARE\\Policies\\Posture\\$name"
done
ok "msiexec properties to HKLM\\SOFTWARE\\Policies\\Posture"
table Registry | awk -F'\t' '$2 == 2 && $3 == "SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\Posture" &&
	$4 == "EventMessageFile" && $5 == "[INSTALLDIR]posture.exe" {found = 1} END {exit !found}' ||
	fail "Registry: no Event Log source: $(table Registry)"
ok "the Event Log source Posture, its messages in posture.exe"
row Directory "INSTALLDIR${tab}ProgramFiles64Folder${tab}Posture"
row Directory "DATADIR${tab}CommonAppDataFolder${tab}Posture"
table File | awk -F'\t' '{print $1 ":" $2}' | sort | tr '\n' ' ' |
	grep -qx 'LICENSE.txt:Agent policy.ini:Configuration posture.exe:Agent posture.ini:Configuration posture_net.exe:Network windows_baseline.ini:Policies ' ||
	fail "File: $(table File)"
# 64-bit components (256), the registry ones keyed by their value (+4)
table Component | awk -F'\t' '$4 != 256 && $4 != 260 {bad = 1} END {exit bad}' || fail "Component attributes: $(table Component)"
ok "files: posture.exe, posture-net.exe, policies and LICENSE.txt in Program Files, posture.ini and policy.ini in ProgramData; 64-bit components"
table Upgrade | grep -q "WIX_UPGRADE_DETECTED" && table Upgrade | grep -q "WIX_DOWNGRADE_DETECTED" ||
	fail "no major upgrade"
ok "Upgrade table: older versions detected (removed), newer ones detected (downgrade refused)"
mkdir "$work/x"
msiextract -C "$work/x" "$msi" >/dev/null
cmp -s "$work/x/Posture/posture.exe" "$W/posture.exe" &&
	cmp -s "$work/x/Posture/posture-net.exe" "$W/posture-net.exe" &&
	cmp -s "$work/x/Posture/posture.ini" installer/windows/posture.ini &&
	cmp -s "$work/x/Posture/policy.ini" policies/windows-baseline.ini || fail "the payload differs from its sources"
ok "payload extracted equal to its sources"
mkdir "$work/bad"
cp "$W/posture-net.exe" "$work/bad/"
printf 'not a program' >"$work/bad/posture.exe"
if sh scripts/build-msi.sh "$work/bad" "$work/no.msi" 2>"$work/err"; then fail "built around a file that is no Windows executable"; fi
grep -q "is not an x64 Windows executable" "$work/err" || fail "refusal: $(cat "$work/err")"
rm "$work/bad/posture.exe"
if sh scripts/build-msi.sh "$work/bad" "$work/no.msi" 2>"$work/err"; then fail "built without a Windows build"; fi
grep -q "posture.exe is missing" "$work/err" || fail "refusal: $(cat "$work/err")"
cp "$W/posture.exe" "$work/bad/" && rm "$work/bad/posture-net.exe"
if sh scripts/build-msi.sh "$work/bad" "$work/no.msi" 2>"$work/err"; then fail "built without posture-net.exe"; fi
grep -q "posture-net.exe is missing" "$work/err" || fail "refusal: $(cat "$work/err")"
ok "refuses a missing or foreign posture.exe, and a missing posture-net.exe"

# --- installed for real, by Wine's Windows Installer (an implementation no
# one here wrote), with the real agent and a real collector
[ -x /usr/lib/wine/wine64 ] || fail "Wine is missing (scripts/install-deps.sh --real)"
[ -x "$B/posture-collector" ] || fail "$B/posture-collector is missing (make all)"
sh scripts/build-msi.sh "$W" "$work/new.msi" 0.1.1 >/dev/null
coll=$work/collector
"$B/posture-collector" init --dir "$coll" >"$work/init.log" 2>&1 || fail "collector init: $(cat "$work/init.log")"
rm -f "$coll/collector.ini" # no release feeds fetched from the internet here
# the fleet's signed policy, named apart from the one the MSI installs
sed 's/^name = windows-baseline$/name = fleet-windows/' policies/windows-baseline.ini >"$work/fleet-windows.ini"
"$B/posture-collector" policy publish --dir "$coll" "$work/fleet-windows.ini" >"$work/publish.log" 2>&1 ||
	fail "policy publish: $(cat "$work/publish.log")"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$B/posture-collector" serve --dir "$coll" --listen "127.0.0.1:$port" >"$work/collector.log" 2>&1 &
collector_pid=$!
export WINEPREFIX="$work/wine" WINEDEBUG=-all
wine=/usr/lib/wine/wine64
. tests/windows/wineprefix.sh
trap 'wine_prefix_end; [ -z "$collector_pid" ] || kill "$collector_pid" 2>/dev/null; rm -rf "$work"' EXIT
wine_prefix_boot "$work/wineboot.log" || fail "wineboot: $(cat "$work/wineboot.log")"
c=$WINEPREFIX/drive_c
winpath() { printf 'Z:%s\n' "$(printf '%s' "$1" | tr / '\\')"; }
products() { # the Posture products Windows lists as installed, with versions
	$wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s 2>/dev/null |
		tr -d '\r' | awk '$1 == "DisplayName" {n = $3} $1 == "DisplayVersion" && n == "Posture" {print $3; n = ""}'
}
# the CA as the property takes it: the certificate's base64, one line
ca64=$(openssl x509 -in "$coll/ca.pem" -outform DER | base64 -w0)
$wine msiexec /i "$(winpath "$msi")" /qn "COLLECTOR_URL=https://127.0.0.1:$port" \
	"ENROLL_SECRET=$(cat "$coll/enroll-secret")" "CA=$ca64" || fail "msiexec /i exited $?"
for f in "Program Files/Posture/posture.exe" "Program Files/Posture/posture-net.exe" \
	"Program Files/Posture/policies/windows-baseline.ini" ProgramData/Posture/posture.ini ProgramData/Posture/policy.ini; do
	[ -f "$c/$f" ] || fail "C:/$f was not installed"
done
$wine sc query posture | tr -d '\r' | grep -q "STATE.*RUNNING" || fail "the service is not running: $($wine sc query posture)"
[ "$(products)" = "0.1.0" ] || fail "installed products: $(products)"
ok "Wine's msiexec /i /qn: files, the service running"
# the service enrolls and delivers: wait for the collector to hold a
# report (events counted, not a clock raced: up to 300 polls)
i=0
reports() { "$B/posture-collector" export --dir "$coll" --format json 2>/dev/null | python3 -c '
import json, sys
rows = json.load(sys.stdin)
rows = rows if isinstance(rows, list) else rows.get("results", [])
print(len({r.get("report_id") for r in rows}))' 2>/dev/null || echo 0; }
while [ "$(reports)" = 0 ] && [ $i -lt 300 ]; do
	sleep 1
	i=$((i + 1))
done
[ "$(reports)" != 0 ] || fail "no report reached the collector; its log: $(tail -n 5 "$work/collector.log")"
"$B/posture-collector" devices --dir "$coll" >"$work/devices"
grep -q "Windows" "$work/devices" || fail "the collector's devices: $(cat "$work/devices")"
ok "the service enrolled with the secret and CA from msiexec and delivered a report over mutual TLS: $(tail -n 1 "$work/devices" | tr -s ' ')"
if $wine reg query 'HKLM\SOFTWARE\Policies\Posture' /v EnrollSecret >/dev/null 2>&1; then
	fail "the enrollment secret is still in the registry after enrollment"
fi
[ -f "$c/ProgramData/Posture/state/device.crt" ] || fail "no device certificate in the state folder"
[ ! -e "$c/ProgramData/Posture/state/enroll-secret" ] || fail "the secret file is left after enrollment"
ok "the secret: moved from the registry into the state folder, then removed after enrollment"
# the collector's policy, fetched and verified against its Ed25519 key,
# is in force: the service evaluates by it at once (up to 300 polls)
i=0
# (results of the running service, not this command's own evaluation,
# which names the same policy: under Wine the service has been seen to
# start again here, and then answers "not evaluated yet" for a while)
until { grep -q "policy fleet-windows" "$work/status" &&
	grep -q "last results of the running agent" "$work/status"; } 2>/dev/null || [ $i -ge 300 ]; do
	$wine "$c/Program Files/Posture/posture.exe" status >"$work/status" 2>&1 || true
	sleep 1
	i=$((i + 1))
done
grep -q "last results of the running agent" "$work/status" || fail "posture status: $(cat "$work/status")"
grep -q "policy fleet-windows" "$work/status" || fail "the collector's policy is not in force: $(tail -n 1 "$work/status")"
cmp -s "$c/ProgramData/Posture/state/policy.ini" "$work/fleet-windows.ini" ||
	fail "the stored policy differs from the one published"
ok "posture.exe status reads the running service over its named pipe, judging by the collector's signed policy: $(tail -n 1 "$work/status")"
# a local user who connects to the status pipe and never reads stalls no
# one: each client is answered in a thread of its own, so status answers
# at once while eight connections are held unread
x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -o "$work/pipehog.exe" tests/windows/pipehog.c ||
	fail "pipehog does not build"
$wine "$work/pipehog.exe" 8 60 >"$work/hog.txt" 2>&1 &
hog=$!
i=0
until grep -q "holding" "$work/hog.txt" 2>/dev/null || [ $i -ge 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
$wine "$c/Program Files/Posture/posture.exe" status >"$work/status2" 2>&1 || true
# An answer is what is checked: the agent's results, or that it has none
# yet. Under Wine the service has been seen (about one run in three, since
# before feeds) to answer "not evaluated yet" here: a new service process,
# its pid compared below. Then it must answer with results within the
# hog's minute, the hog still holding the pipe.
restarted=""
if grep -q "has not evaluated yet" "$work/status2"; then
	before=$(sed -n 's/.*running agent (pid \([0-9]*\)).*/\1/p' "$work/status" | head -n 1)
	i=0
	until grep -q "last results of the running agent" "$work/status2" || [ $i -ge 50 ]; do
		sleep 1
		i=$((i + 1))
		$wine "$c/Program Files/Posture/posture.exe" status >"$work/status2" 2>&1 || true
	done
	after=$(sed -n 's/.*running agent (pid \([0-9]*\)).*/\1/p' "$work/status2" | head -n 1)
	restarted="; first 'not evaluated yet' (service pid $before, then $after)"
	echo "msi test: NOTE: the service answered 'not evaluated yet' under the hog (pid $before before, $after after): a known Wine-only restart, issue 18" >&2
fi
kill "$hog" 2>/dev/null || true
grep -q "last results of the running agent" "$work/status2" ||
	fail "status while a client holds the pipe without reading ($(cat "$work/hog.txt")): $(head -n 3 "$work/status2")"
ok "status answers while another client holds the pipe without reading ($(tr -d '\r' <"$work/hog.txt"))$restarted"
$wine reg query 'HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\Posture' /v EventMessageFile |
	tr -d '\r' | grep -q 'Posture\\posture.exe' || fail "the Event Log source is not registered"
ok "the Event Log source Posture is registered"
$wine msiexec /i "$(winpath "$work/new.msi")" /qn "COLLECTOR_URL=https://127.0.0.1:$port" ||
	fail "the upgrade exited $?"
[ "$(products)" = "0.1.1" ] || fail "after the upgrade, installed products: $(products)"
# Wine removes the old product as if it were uninstalled: without
# UPGRADINGPRODUCTCODE, and stopping the service its shared component
# keeps (Windows' reference count leaves both alone), so purge-state runs
# and the service is left stopped; what is checked is that the upgraded
# service starts and runs
if ! $wine sc query posture | tr -d '\r' | grep -q "STATE.*RUNNING"; then
	$wine sc start posture >/dev/null 2>&1 || true
fi
$wine sc query posture | tr -d '\r' | grep -q "STATE.*RUNNING" || fail "the service does not run after the upgrade"
ok "upgrade to 0.1.1: one product left, the service runs (Wine removes the old product without UPGRADINGPRODUCTCODE, so it stops the service and runs purge-state where Windows would not)"
$wine msiexec /x "$(winpath "$work/new.msi")" /qn || fail "msiexec /x exited $?"
[ ! -e "$c/Program Files/Posture" ] || fail "C:/Program Files/Posture is left: $(ls -R "$c/Program Files/Posture")"
[ ! -e "$c/ProgramData/Posture" ] || fail "C:/ProgramData/Posture is left: $(ls -R "$c/ProgramData/Posture")"
if $wine sc query posture >/dev/null 2>&1; then fail "the service is left"; fi
if $wine reg query 'HKLM\SOFTWARE\Policies\Posture' >/dev/null 2>&1; then fail "the policy values are left"; fi
[ -z "$(products)" ] || fail "still listed as installed: $(products)"
ok "msiexec /x: nothing left (files, state, service, registry, product)"
echo "msi test: all checks passed"
