#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The Windows installer (make msi), checked two ways.
# 1. Its tables, with msiinfo and msiextract: built by scripts/build-msi.sh
#    with wixl around a 512-byte x64 PE header (the agent has no Windows
#    build yet; nothing here is shipped): the service (automatic,
#    LocalSystem, "service", started on install, stopped and removed on
#    uninstall), the msiexec properties written to
#    HKLM\SOFTWARE\Policies\Posture (the secret kept out of logs), the files
#    in Program Files and ProgramData, major upgrades, the payload extracted
#    equal to its sources, and the script's refusals.
# 2. Installed for real by Wine's Windows Installer, around a test double of
#    the service side of posture.exe (tests/package/win-service-double.c,
#    built with MinGW-w64): install with the properties (files, the service
#    running and seeing the values), upgrade, uninstall leaving nothing.
set -eu
B=${BUILD:-build}
version=$(cat VERSION)
fail() { echo "msi test: FAIL: $*" >&2; exit 1; }
ok() { echo "msi test: ok: $*"; }
work=$(mktemp -d "$B/msi-test.XXXXXX")
work=$(cd "$work" && pwd) # Wine takes an absolute prefix
trap 'rm -rf "$work"' EXIT
python3 - "$work/posture.exe" <<'PY'
import struct, sys
b = bytearray(512)
b[0:2] = b"MZ"
struct.pack_into("<I", b, 0x3c, 0x80)
b[0x80:0x84] = b"PE\0\0"
struct.pack_into("<H", b, 0x84, 0x8664)
open(sys.argv[1], "wb").write(b)
PY
msi=$work/posture.msi
sh scripts/build-msi.sh "$work" "$msi" >/dev/null || fail "build-msi"
ok "built with wixl ($(wc -c <"$msi") bytes)"

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
	$9 == "LocalSystem" && $11 == "service" && $12 == "Agent" {found = 1} END {exit !found}' ||
	fail "ServiceInstall: $(table ServiceInstall)"
# Event 163: start on install, stop on install and uninstall, delete on
# uninstall; Wait 1
table ServiceControl | awk -F'\t' '$2 == "posture" && $3 == 163 && $5 == 1 && $6 == "Agent" {found = 1}
	END {exit !found}' || fail "ServiceControl: $(table ServiceControl)"
for a in StopServices DeleteServices InstallServices StartServices RemoveExistingProducts WriteRegistryValues; do
	table InstallExecuteSequence | cut -f1 | grep -qx "$a" || fail "InstallExecuteSequence lacks $a"
done
ok "service: posture, automatic, LocalSystem, started on install, removed on uninstall"
for p in COLLECTOR_URL:CollectorUrl ENROLL_SECRET:EnrollSecret COLLECTOR_PIN:CollectorPin; do
	prop=${p%%:*} name=${p#*:}
	# Root 2: HKEY_LOCAL_MACHINE
	table Registry | awk -F'\t' -v n="$name" -v v="[$prop]" \
		'$2 == 2 && $3 == "SOFTWARE\\Policies\\Posture" && $4 == n && $5 == v {found = 1} END {exit !found}' ||
		fail "Registry: $prop is not written to HKLM\\SOFTWARE\\Policies\\Posture\\$name"
done
ok "msiexec properties to HKLM\\SOFTWARE\\Policies\\Posture"
row Directory "INSTALLDIR${tab}ProgramFiles64Folder${tab}Posture"
row Directory "DATADIR${tab}CommonAppDataFolder${tab}Posture"
table File | awk -F'\t' '{print $1 ":" $2}' | sort | tr '\n' ' ' | grep -qx 'LICENSE.txt:Agent policy.ini:Configuration posture.exe:Agent posture.ini:Configuration ' ||
	fail "File: $(table File)"
# 64-bit components (256), the registry ones keyed by their value (+4)
table Component | awk -F'\t' '$4 != 256 && $4 != 260 {bad = 1} END {exit bad}' || fail "Component attributes: $(table Component)"
ok "files: posture.exe and LICENSE.txt in Program Files, posture.ini and policy.ini in ProgramData; 64-bit components"
table Upgrade | grep -q "WIX_UPGRADE_DETECTED" && table Upgrade | grep -q "WIX_DOWNGRADE_DETECTED" ||
	fail "no major upgrade"
ok "Upgrade table: older versions detected (removed), newer ones detected (downgrade refused)"
mkdir "$work/x"
msiextract -C "$work/x" "$msi" >/dev/null
cmp -s "$work/x/Posture/posture.exe" "$work/posture.exe" &&
	cmp -s "$work/x/Posture/posture.ini" installer/windows/posture.ini &&
	cmp -s "$work/x/Posture/policy.ini" policies/baseline.ini || fail "the payload differs from its sources"
ok "payload extracted equal to its sources"
printf 'not a program' >"$work/posture.exe"
if sh scripts/build-msi.sh "$work" "$work/no.msi" 2>"$work/err"; then fail "built around a file that is no Windows executable"; fi
grep -q "is not an x64 Windows executable" "$work/err" || fail "refusal: $(cat "$work/err")"
rm "$work/posture.exe"
if sh scripts/build-msi.sh "$work" "$work/no.msi" 2>"$work/err"; then fail "built without a Windows build"; fi
grep -q "posture.exe is missing" "$work/err" || fail "refusal: $(cat "$work/err")"
ok "refuses a missing or foreign posture.exe"

# --- installed for real, by Wine's Windows Installer (an implementation no
# one here wrote), with a test double that behaves as the service must:
# tests/package/win-service-double.c, built with MinGW-w64
if ! command -v x86_64-w64-mingw32-gcc >/dev/null || ! [ -x /usr/lib/wine/wine64 ]; then
	fail "MinGW-w64 or Wine is missing (scripts/install-deps.sh --real)"
fi
mkdir "$work/win"
x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -o "$work/win/posture.exe" \
	tests/package/win-service-double.c -lshell32
sh scripts/build-msi.sh "$work/win" "$work/old.msi" 0.1.0 >/dev/null
sh scripts/build-msi.sh "$work/win" "$work/new.msi" 0.1.1 >/dev/null
export WINEPREFIX="$work/wine" WINEDEBUG=-all
wine=/usr/lib/wine/wine64
trap '/usr/lib/wine/wineserver -k 2>/dev/null; rm -rf "$work"' EXIT
$wine wineboot --init >"$work/wineboot.log" 2>&1 || fail "wineboot: $(cat "$work/wineboot.log")"
/usr/lib/wine/wineserver -w
c=$WINEPREFIX/drive_c
winpath() { printf 'Z:%s\n' "$(printf '%s' "$1" | tr / '\\')"; }
products() { # the Posture products Windows lists as installed, with versions
	$wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s 2>/dev/null |
		tr -d '\r' | awk '$1 == "DisplayName" {n = $3} $1 == "DisplayVersion" && n == "Posture" {print $3; n = ""}'
}
$wine msiexec /i "$(winpath "$work/old.msi")" /qn COLLECTOR_URL=https://collector.example.com:8443 \
	ENROLL_SECRET=s3cret || fail "msiexec /i exited $?"
for f in "Program Files/Posture/posture.exe" ProgramData/Posture/posture.ini ProgramData/Posture/policy.ini; do
	[ -f "$c/$f" ] || fail "C:/$f was not installed"
done
cmp -s "$c/ProgramData/Posture/posture.ini" installer/windows/posture.ini || fail "posture.ini differs"
[ -d "$c/ProgramData/Posture/state" ] || fail "no state directory"
$wine sc query posture | tr -d '\r' | grep -q "STATE.*RUNNING" || fail "the service is not running: $($wine sc query posture)"
i=0
while [ ! -s "$c/ProgramData/Posture/service-double.txt" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
tr -d '\r' <"$c/ProgramData/Posture/service-double.txt" >"$work/seen"
grep -qx 'started as: "C:\\Program Files\\Posture\\posture.exe" service' "$work/seen" &&
	grep -qx 'CollectorUrl=https://collector.example.com:8443' "$work/seen" &&
	grep -qx 'EnrollSecret=s3cret' "$work/seen" && grep -qx 'CollectorPin=' "$work/seen" ||
	fail "what the service saw: $(cat "$work/seen")"
[ "$(products)" = "0.1.0" ] || fail "installed products: $(products)"
ok "Wine's msiexec /i /qn: files, the service running as 'posture.exe service', the properties in HKLM\\SOFTWARE\\Policies\\Posture as the service reads them"
$wine msiexec /i "$(winpath "$work/new.msi")" /qn COLLECTOR_URL=https://collector.example.com:8443 ||
	fail "the upgrade exited $?"
[ "$(products)" = "0.1.1" ] || fail "after the upgrade, installed products: $(products)"
$wine sc query posture | tr -d '\r' | grep -q "STATE.*RUNNING" || fail "the service is not running after the upgrade"
ok "upgrade to 0.1.1: one product left, the service running (Wine removes the old product without UPGRADINGPRODUCTCODE, so it runs purge-state where Windows would not)"
$wine msiexec /x "$(winpath "$work/new.msi")" /qn || fail "msiexec /x exited $?"
[ ! -e "$c/Program Files/Posture" ] || fail "C:/Program Files/Posture is left: $(ls -R "$c/Program Files/Posture")"
[ ! -e "$c/ProgramData/Posture" ] || fail "C:/ProgramData/Posture is left: $(ls -R "$c/ProgramData/Posture")"
if $wine sc query posture >/dev/null 2>&1; then fail "the service is left"; fi
if $wine reg query 'HKLM\SOFTWARE\Policies\Posture' >/dev/null 2>&1; then fail "the policy values are left"; fi
[ -z "$(products)" ] || fail "still listed as installed: $(products)"
ok "msiexec /x: nothing left (files, state, service, registry, product)"
echo "msi test: all checks passed"
