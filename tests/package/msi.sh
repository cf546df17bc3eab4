#!/bin/sh
# The Windows installer's packaging (make msi), checked with msiinfo and
# msiextract: built by scripts/build-msi.sh with wixl around a test double of
# the Windows build (the agent has no Windows build yet: the double is only
# the x64 PE header the script checks for, never shipped), then its tables:
# the service (automatic, LocalSystem, "service", started on install,
# stopped and removed on uninstall), the msiexec properties written to
# HKLM\SOFTWARE\Policies\Posture (the secret kept out of logs), the files in
# Program Files and ProgramData, major upgrades; the payload extracted equal
# to its sources; and the script's refusals.
set -eu
B=${BUILD:-build}
version=$(cat VERSION)
fail() { echo "msi test: FAIL: $*" >&2; exit 1; }
ok() { echo "msi test: ok: $*"; }
work=$(mktemp -d "$B/msi-test.XXXXXX")
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
table File | awk -F'\t' '{print $1 ":" $2}' | sort | tr '\n' ' ' | grep -qx 'policy.ini:Configuration posture.exe:Agent posture.ini:Configuration ' ||
	fail "File: $(table File)"
# 64-bit components (256), the registry ones keyed by their value (+4)
table Component | awk -F'\t' '$4 != 256 && $4 != 260 {bad = 1} END {exit bad}' || fail "Component attributes: $(table Component)"
ok "files: posture.exe in Program Files, posture.ini and policy.ini in ProgramData; 64-bit components"
table Upgrade | grep -q "WIX_UPGRADE_DETECTED" && table Upgrade | grep -q "WIX_DOWNGRADE_DETECTED" ||
	fail "no major upgrade"
ok "major upgrade: an older version is removed, a newer one refuses the downgrade"
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
echo "msi test: all checks passed"
