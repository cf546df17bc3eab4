#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The Windows agent (build/windows/posture.exe, `make windows`) under Debian's
# Wine, in a fresh prefix: the registry-backed probes against scenarios
# written into Wine's registry with its own reg.exe, and the JSON report
# against docs/schema/posture.report-1.json (python3-jsonschema).
#
# The OS scenario is Windows 11 23H2 with the November 2024 cumulative
# update: build 22631.4460 (KB5046633 in Microsoft's "Windows 11 release
# information"), DisplayVersion "23H2", and ProductName "Windows 10 Pro":
# Windows 11 left that value as Windows 10 wrote it, and the build (22000
# and later) is what tells the two apart.
set -eu
cd "$(dirname "$0")/../.."
exe=build/windows/posture.exe
wine=/usr/lib/wine/wine64
fail() {
	printf 'FAIL windows: %s\n' "$*"
	exit 1
}
ok() { echo "ok   windows: $*"; }
if ! [ -x "$wine" ]; then
	echo "SKIP windows: Debian's wine64 is not installed (scripts/install-deps.sh --real)"
	exit 0
fi
[ -f "$exe" ] || fail "$exe is missing (make windows)"
work=$(mktemp -d /tmp/posture-wine.XXXXXX)
export WINEPREFIX="$work/wine" WINEDEBUG=-all
. tests/windows/wineprefix.sh
trap 'wine_prefix_end; rm -rf "$work"' EXIT
wine_prefix_boot "$work/wineboot.log" || fail "wineboot: $(cat "$work/wineboot.log")"
winpath() { printf 'Z:%s\n' "$(printf '%s' "$1" | tr / '\\')"; }
# Wine's reg.exe writes the test's registry; once in a CI run it failed
# saying nothing (a local CI run, 2026-12-07), so a failed write is tried once
# more, and a second failure says its exit code and output
reg() {
	$wine reg "$@" >"$work/reg.out" 2>&1 && return 0
	echo "note windows: reg $* failed (exit $?), trying once more" >&2
	$wine reg "$@" >"$work/reg.out" 2>&1 ||
		fail "reg $*: exit $?: $(tr -d '\r' <"$work/reg.out" | head -c 400)"
}

cv='HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
reg add "$cv" /v ProductName /t REG_SZ /d "Windows 10 Pro" /f
reg add "$cv" /v DisplayVersion /t REG_SZ /d 23H2 /f
reg add "$cv" /v CurrentBuildNumber /t REG_SZ /d 22631 /f
reg add "$cv" /v CurrentBuild /t REG_SZ /d 22631 /f
reg add "$cv" /v CurrentMajorVersionNumber /t REG_DWORD /d 10 /f
reg add "$cv" /v CurrentMinorVersionNumber /t REG_DWORD /d 0 /f
reg add "$cv" /v UBR /t REG_DWORD /d 4460 /f
reg add 'HKLM\SOFTWARE\Microsoft\Cryptography' /v MachineGuid /t REG_SZ \
	/d 6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab /f

# programs, as their installers register them (the values of Microsoft's
# "Uninstall Registry Key" documentation: DisplayName, DisplayVersion): one
# 64-bit, one in the 32-bit view, one per-user in the user's own hive
lm='HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall'
cu='HKCU\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall'
reg add "$lm\7-Zip" /v DisplayName /t REG_SZ /d "7-Zip 23.01 (x64)" /f
reg add "$lm\7-Zip" /v DisplayVersion /t REG_SZ /d 23.01 /f
reg add "$lm\{11111111-2222-3333-4444-555555555555}" /v DisplayName /t REG_SZ \
	/d "Example Tool (x86)" /f /reg:32
reg add "$lm\{11111111-2222-3333-4444-555555555555}" /v DisplayVersion /t REG_SZ \
	/d 8.6.2.0 /f /reg:32
reg add "$cu\ExampleUserApp" /v DisplayName /t REG_SZ /d "Example User App" /f
reg add "$cu\ExampleUserApp" /v DisplayVersion /t REG_SZ /d "1.10.0 (4242)" /f
reg add "$lm\NoVersion" /v DisplayName /t REG_SZ /d "Example Tool (x86)" /f

# Windows Defender Firewall's local settings, every profile on and blocking;
# Secure Boot on; no update policy (Windows' default: it installs itself)
fw='HKLM\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy'
for p in DomainProfile StandardProfile PublicProfile; do
	reg add "$fw\\$p" /v EnableFirewall /t REG_DWORD /d 1 /f
	reg add "$fw\\$p" /v DefaultInboundAction /t REG_DWORD /d 1 /f
done
reg add 'HKLM\SYSTEM\CurrentControlSet\Control\SecureBoot\State' /v UEFISecureBootEnabled \
	/t REG_DWORD /d 1 /f

# screen lock: the signed-in user (Wine's) has a secure screen saver after
# 900 s, which group policy shortens to 240 s; a second user, bob, not signed
# in, whose registry is his NTUSER.DAT (a hive written by RegSaveKeyW:
# tests/windows/savehive.c; Wine writes its own hive format, Windows its
# regf, and RegLoadAppKeyW reads either on its system), has a secure screen
# saver after 420 s, longer than the policy's 300 s
desk='Control Panel\Desktop'
reg add "HKCU\\$desk" /v ScreenSaveActive /t REG_SZ /d 1 /f
reg add "HKCU\\$desk" /v ScreenSaverIsSecure /t REG_SZ /d 1 /f
reg add "HKCU\\$desk" /v ScreenSaveTimeOut /t REG_SZ /d 900 /f
reg add "HKCU\\$desk" /v SCRNSAVE.EXE /t REG_SZ /d 'C:\Windows\system32\scrnsave.scr' /f
reg add "HKCU\Software\Policies\Microsoft\Windows\\$desk" /v ScreenSaveTimeOut /t REG_SZ /d 240 /f
reg add "HKCU\Software\PostureBob\\$desk" /v ScreenSaveActive /t REG_SZ /d 1 /f
reg add "HKCU\Software\PostureBob\\$desk" /v ScreenSaverIsSecure /t REG_SZ /d 1 /f
reg add "HKCU\Software\PostureBob\\$desk" /v ScreenSaveTimeOut /t REG_SZ /d 420 /f
reg add "HKCU\Software\PostureBob\\$desk" /v SCRNSAVE.EXE /t REG_SZ /d 'C:\Windows\system32\scrnsave.scr' /f
mkdir -p "$WINEPREFIX/drive_c/users/bob"
x86_64-w64-mingw32-gcc -municode -O2 -Wall -Wextra -Werror -o "$work/savehive.exe" \
	tests/windows/savehive.c
$wine "$work/savehive.exe" 'Software\PostureBob' 'C:\users\bob\NTUSER.DAT' ||
	fail "savehive could not write bob's NTUSER.DAT"
reg delete 'HKCU\Software\PostureBob' /f
reg add 'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList\S-1-5-21-0-0-0-1001' \
	/v ProfileImagePath /t REG_SZ /d 'C:\users\bob' /f

# browsers: executables that carry a version resource as browsers do
# (tests/windows/fakebrowser.rc, built with mingw's windres): Chrome
# 131.0.6778.86 machine-wide, registered in App Paths; Firefox ESR 115.17.0
# 32-bit, registered in the 32-bit view; a per-user Chrome 130.0.6723.117
# in the user's AppData, registered nowhere; and an App Paths entry for
# Vivaldi whose executable is gone
fake() { # fake NAME VERSION(a.b.c.d) WINDOWS-PATH
	v=$(echo "$2" | tr . ,)
	x86_64-w64-mingw32-windres "-DFILEVER=$v" "-DFILEVERSTR=\\\"$2\\\"" \
		tests/windows/fakebrowser.rc -O coff -o "$work/$1.res.o" || fail "windres"
	unix="$WINEPREFIX/drive_c/$(printf '%s' "$3" | cut -c4- | tr '\\' /)"
	mkdir -p "$(dirname "$unix")"
	x86_64-w64-mingw32-gcc -o "$unix" tests/windows/fakebrowser.c "$work/$1.res.o" ||
		fail "the fake $1"
}
fake chrome 131.0.6778.86 'C:\Program Files\Google\Chrome\Application\chrome.exe'
fake firefox 115.17.0.0 'C:\Program Files (x86)\Mozilla Firefox\firefox.exe'
fake chrome-user 130.0.6723.117 'C:\users\root\AppData\Local\Google\Chrome\Application\chrome.exe'
ap='HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths'
reg add "$ap\chrome.exe" /ve /t REG_SZ /d 'C:\Program Files\Google\Chrome\Application\chrome.exe' /f
reg add "$ap\firefox.exe" /ve /t REG_SZ /d 'C:\Program Files (x86)\Mozilla Firefox\firefox.exe' \
	/f /reg:32
reg add "$ap\vivaldi.exe" /ve /t REG_SZ /d 'C:\Program Files\Vivaldi\Application\vivaldi.exe' /f
# a user's own App Paths pointing the agent (SYSTEM) at a path that is not a
# plain local one (a share would be \\server\share\...; this device-path
# form names a file that exists, so only the rule keeps it out): not followed
reg add 'HKCU\SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\msedge.exe' /ve /t REG_SZ \
	/d '\\?\C:\users\root\AppData\Local\Google\Chrome\Application\chrome.exe' /f

# The live WMI call and the parser of captured answers agree: Wine's WMI
# answers ROOT\CIMV2, whose objects the call turns into records, written as
# wmic writes them and read back (tests/windows/wmiround.c)
x86_64-w64-mingw32-gcc -std=c11 -O2 -Wall -Wextra -Werror -D_WIN32_WINNT=0x0A00 -D_POSIX_THREAD_SAFE_FUNCTIONS -Ilib \
	-Iplatform -Iplatform/win -o "$work/wmiround.exe" tests/windows/wmiround.c \
	platform/win/wmi.c platform/winrec/records.c lib/timefmt.c -lole32 -loleaut32 -lwbemuuid -luuid ||
	fail "wmiround does not build"
$wine "$work/wmiround.exe" >"$work/wmiround.txt" 2>&1 ||
	fail "WMI's records and the parser disagree: $(grep error "$work/wmiround.txt")"
grep -q '^Caption=Microsoft Windows' "$work/wmiround.txt" ||
	fail "Win32_OperatingSystem has no Caption: $(head -5 "$work/wmiround.txt")"
ok "WMI: $(grep -c '=' "$work/wmiround.txt") properties of Win32_OperatingSystem and" \
	"Win32_Processor through the live call and back through the capture parser"

# The state folder's ACL (platform/win/secdir.c): made for SYSTEM and
# Administrators only, and the rule that refuses a folder others may write
x86_64-w64-mingw32-gcc -std=c11 -O2 -Wall -Wextra -Werror -D_WIN32_WINNT=0x0A00 \
	-Iplatform/win -o "$work/secdir.exe" tests/windows/secdir.c platform/win/secdir.c \
	-ladvapi32 || fail "secdir does not build"
$wine "$work/secdir.exe" 'C:\ProgramData\PostureTest' >"$work/secdir.txt" 2>&1 ||
	fail "the state folder's ACL: $(grep FAIL "$work/secdir.txt")"
ok "state folder ACL: $(grep -c '^ok' "$work/secdir.txt") cases (tests/windows/secdir.c)"
# posture-net.exe's sandbox (platform/win/sandbox.c)
x86_64-w64-mingw32-gcc -std=c11 -O2 -Wall -Wextra -Werror -D_WIN32_WINNT=0x0A00 -Iplatform -Iplatform/win \
	-o "$work/sandbox.exe" tests/windows/sandbox.c \
	platform/win/sandbox.c -ladvapi32 || fail "sandbox does not build"
$wine "$work/sandbox.exe" >"$work/sandbox.txt" 2>&1 || fail "the network process's sandbox: $(grep FAIL "$work/sandbox.txt")"
ok "network sandbox: $(grep -c '^ok' "$work/sandbox.txt") facts hold, $(grep -c '^SKIP' "$work/sandbox.txt") not enforced by Wine ($(grep '^SKIP' "$work/sandbox.txt" | cut -d: -f1 | sed 's/^SKIP //' | tr '\n' ';'))"

cat >"$work/policy.ini" <<'POLICY'
[check.disk]
type = disk_encryption
scope = root

[check.os-patch]
type = os_patch

[check.antivirus]
type = antivirus

[check.browsers]
type = browser_version
chrome = 131.0
firefox = 128.0

[check.screen-lock]
type = screen_lock
max_idle_seconds = 300

[check.firewall]
type = firewall

[check.secure-boot]
type = secure_boot

[check.tpm]
type = secure_boot
require_tpm = true

[check.updates]
type = auto_updates

[check.pkg-by-key]
type = package_version
package = 7-zip
min_version = 23.1

[check.pkg-32-bit]
type = package_version
package = Example Tool (x86)
min_version = 8.6.3

[check.pkg-per-user]
type = package_version
package = Example User App
min_version = 1.9

[check.pkg-absent]
type = package_version
package = Not Installed Anywhere
min_version = 1.0

[check.os-current]
type = os_version
windows = 10.0.22631.4460

[check.os-newer]
type = os_version
windows = 10.0.22631.4602
POLICY

# run NAME: posture.exe check, its report in $work/NAME.json, checked
# against the schema; the exit code in $work/NAME.rc
run() {
	$wine "$exe" check --format json --policy "$(winpath "$work/policy.ini")" \
		>"$work/$1.raw" 2>"$work/$1.err" && rc=0 || rc=$?
	echo "$rc" >"$work/$1.rc"
	tr -d '\r' <"$work/$1.raw" >"$work/$1.json"
	/usr/bin/python3 tests/schema_check.py docs/schema/posture.report-1.json "$work/$1.json" ||
		fail "$1: the report does not follow posture.report/1: $(cat "$work/$1.err")"
	ok "$1: the report follows posture.report/1"
}
run first
# what Intune's discovery script (installer/mdm/intune/posture-discovery.ps1)
# returns: one line, exit 0 whatever the verdict, a boolean per check id
$wine "$exe" check --format intune --policy "$(winpath "$work/policy.ini")" \
	>"$work/intune.raw" 2>"$work/intune.err" || fail "--format intune exits nonzero"
tr -d '\r' <"$work/intune.raw" >"$work/intune.json"

# a managed setting that is there but no string is a refused configuration
# that names it, not a value silently left out
reg add 'HKLM\SOFTWARE\Policies\Posture' /v CollectorUrl /t REG_DWORD /d 1 /f
: >"$work/empty.ini"
code=0
$wine "$exe" check --config "$(winpath "$work/empty.ini")" >/dev/null 2>"$work/managed.err" || code=$?
reg delete 'HKLM\SOFTWARE\Policies\Posture' /f
[ "$code" = 2 ] && tr -d '\r' <"$work/managed.err" | grep -q 'Posture\\CollectorUrl is not a string value' ||
	fail "a REG_DWORD CollectorUrl: expected exit 2 naming it, came $code: $(cat "$work/managed.err")"
ok "a managed setting of the wrong type refuses the configuration: $(tr -d '\r' <"$work/managed.err" | sed 's/.*: HKLM/HKLM/' | head -n 1)"

# group policy wins over the local settings: the private profile turned off,
# automatic updates off; Secure Boot off in the firmware
pol='HKLM\SOFTWARE\Policies\Microsoft'
reg add "$pol\WindowsFirewall\PrivateProfile" /v EnableFirewall /t REG_DWORD /d 0 /f
reg add "$pol\Windows\WindowsUpdate\AU" /v NoAutoUpdate /t REG_DWORD /d 1 /f
reg add 'HKLM\SYSTEM\CurrentControlSet\Control\SecureBoot\State' /v UEFISecureBootEnabled \
	/t REG_DWORD /d 0 /f
# the machine inactivity limit (600 s) and the Balanced power scheme turning
# the display off after 300 s on mains, 180 s on battery, with sign-in on wake
reg add 'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' \
	/v InactivityTimeoutSecs /t REG_DWORD /d 600 /f
pw='HKLM\SYSTEM\CurrentControlSet\Control\Power\User\PowerSchemes'
balanced=381b4222-f694-41f0-9685-ff5bb260df2e
reg add "$pw" /v ActivePowerScheme /t REG_SZ /d $balanced /f
reg add "$pw\\$balanced\7516b95f-f776-4464-8c53-06167f40cc99\3c0bc021-c8a8-4e07-a973-6b14cbcb2b7e" \
	/v ACSettingIndex /t REG_DWORD /d 300 /f
reg add "$pw\\$balanced\7516b95f-f776-4464-8c53-06167f40cc99\3c0bc021-c8a8-4e07-a973-6b14cbcb2b7e" \
	/v DCSettingIndex /t REG_DWORD /d 180 /f
reg add "$pw\\$balanced\fea3413e-7e05-4911-9a71-700331f1c294\0e796bdb-100d-47d6-a2d5-f7d2daa51f51" \
	/v ACSettingIndex /t REG_DWORD /d 1 /f
reg add "$pw\\$balanced\fea3413e-7e05-4911-9a71-700331f1c294\0e796bdb-100d-47d6-a2d5-f7d2daa51f51" \
	/v DCSettingIndex /t REG_DWORD /d 1 /f
run second

/usr/bin/python3 - "$work" <<'PY' || exit 1
import hashlib, hmac, json, sys, uuid
work = sys.argv[1]
def expect(what, came, want):
    if came != want:
        print(f"FAIL windows: {what}: expected {want!r}, came {came!r}")
        sys.exit(1)
    print(f"ok   windows: {what}: {came}")
r = json.load(open(f"{work}/first.json"))
expect("exit code (checks fail)", open(f"{work}/first.rc").read().strip(), "1")
lines = open(f"{work}/intune.json").read().splitlines()
intune = json.loads(lines[0])
expect("Intune: one line, the verdict and one boolean per check",
       (len(lines), intune["PostureCompliant"], sorted(k for k in intune if not k.startswith("Posture"))),
       (1, False, sorted(c["id"] for c in r["results"])))
os_ = r["device"]["os"]
expect("OS family", os_.get("family"), "windows")
expect("OS name, Windows 11 told from the build", os_.get("name"), "Windows 11 Pro")
expect("OS version", os_.get("version"), "10.0.22631")
expect("OS version with UBR", os_.get("point_version"), "10.0.22631.4460")
res = {c["id"]: c for c in r["results"]}
expect("os_version at 10.0.22631.4460", res["os-current"]["status"], "pass")
expect("its evidence", res["os-current"]["observed"]["name"], "Windows 11 Pro 23H2 (build 22631.4460)")
expect("os_version below 10.0.22631.4602", res["os-newer"]["status"], "fail")
expect("7-Zip by its key, 23.01 against 23.1", res["pkg-by-key"]["status"], "pass")
expect("a 32-bit program by DisplayName", res["pkg-32-bit"]["status"], "fail")
expect("its view", [i["architecture"] for i in res["pkg-32-bit"]["observed"]["installed"]], ["x86"])
expect("a per-user install", res["pkg-per-user"]["status"], "pass")
expect("its view", [i["architecture"] for i in res["pkg-per-user"]["observed"]["installed"]], ["user"])
expect("a program not installed", res["pkg-absent"]["status"], "skip")
found = sorted((b["name"], b["version"], b["source"], b["path"])
               for b in res["browsers"]["observed"]["browsers"])
expect("browsers, each install with its version resource", found, [
    ("chrome", "130.0.6723.117", "user",
     "C:\\users\\root\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe"),
    ("chrome", "131.0.6778.86", "machine",
     "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"),
    ("firefox", "115.17.0.0", "machine",
     "C:\\Program Files (x86)\\Mozilla Firefox\\firefox.exe")])
expect("no device or share path followed from a user's App Paths",
       [b for b in res["browsers"]["observed"]["browsers"] if b["name"] == "edge"], [])
expect("browsers: the old per-user Chrome and Firefox fail", res["browsers"]["status"], "fail")
users = {u["user"]: u for u in res["screen-lock"]["observed"]["users"]}
expect("screen lock: one user's is too slow", res["screen-lock"]["status"], "fail")
expect("the signed-in user, group policy's 240 s",
       (users["root"]["idle_seconds"], users["root"]["in_session"], users["root"]["source"]),
       (240, True, "secure screen saver after 240s (group policy)"))
expect("bob, from his NTUSER.DAT",
       (users["bob"]["lock_enabled"], users["bob"]["in_session"], users["bob"]["idle_seconds"],
        users["bob"]["source"]),
       (True, False, 420, "secure screen saver after 420s (the user's setting)"))
expect("firewall, every profile on", res["firewall"]["status"], "pass")
expect("its profiles", [(p["profile"], p["enabled"], p["default_inbound"])
                        for p in res["firewall"]["observed"]["profiles"]],
       [("domain", True, "block"), ("private", True, "block"), ("public", True, "block")])
expect("Secure Boot on", res["secure-boot"]["status"], "pass")
expect("updates by Windows' default", res["updates"]["status"], "pass")
# what Wine lacks, the live calls report as an error, never a verdict
expect("BitLocker: Wine has no MicrosoftVolumeEncryption namespace",
       (res["disk"]["status"], "BitLocker's WMI provider" in res["disk"]["message"]),
       ("error", True))
expect("Windows Update: Wine's IUpdateSearcher::Search is not implemented",
       (res["os-patch"]["status"], "0x80004001" in res["os-patch"]["message"]), ("error", True))
expect("TPM: Wine's tbs.dll finds none (TBS_E_TPM_NOT_FOUND)",
       (res["tpm"]["status"], res["tpm"]["observed"]["tpm"], res["tpm"]["message"]),
       ("fail", False, "Secure Boot is on, but the machine has no TPM."))
expect("antivirus: Wine has neither SecurityCenter2 nor Defender's namespace",
       (res["antivirus"]["status"], "neither Security Center nor Defender answered"
        in res["antivirus"]["message"]), ("error", True))
# the device id is derived from MachineGuid as systemd derives an
# application-specific id (sd_id128_get_machine_app_specific(3)):
# HMAC-SHA256 keyed by the machine id over the application's id, as a v4 UUID
mac = bytearray(hmac.new(bytes.fromhex("6f1c2d3e4a5b4c6d8e7f0123456789ab"),
                         bytes.fromhex("e104042aefe64229a0f308c3cbc7e0e4"),
                         hashlib.sha256).digest()[:16])
mac[6] = (mac[6] & 0x0F) | 0x40
mac[8] = (mac[8] & 0x3F) | 0x80
expect("device id from MachineGuid", r["device"]["id"], str(uuid.UUID(bytes=bytes(mac))))

r = json.load(open(f"{work}/second.json"))
res = {c["id"]: c for c in r["results"]}
expect("firewall, private profile off by policy", res["firewall"]["status"], "fail")
expect("its message", res["firewall"]["message"],
       "The firewall does not protect every network: the private profile is off.")
expect("the policy named as the source",
       res["firewall"]["observed"]["profiles"][1]["source"],
       "group policy (on/off), local settings (inbound)")
expect("Secure Boot off", res["secure-boot"]["status"], "fail")
users = {u["user"]: u for u in res["screen-lock"]["observed"]["users"]}
expect("screen lock with the display's path", res["screen-lock"]["status"], "pass")
expect("bob: the display off after 300 s, before his 420 s and the 600 s limit",
       (users["bob"]["idle_seconds"], users["bob"]["source"]),
       (300, "display off after 300s, sign-in on wake (power scheme)"))
expect("root: still the screen saver", users["root"]["idle_seconds"], 240)
expect("updates off by policy", res["updates"]["status"], "fail")
PY
echo "windows: all checks passed"
