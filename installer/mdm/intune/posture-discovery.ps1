# SPDX-License-Identifier: Apache-2.0
# Intune custom compliance discovery script (Windows): Endpoint security >
# Device compliance > Scripts > Add > Windows 10 and later, this file as the
# script; "Run this script using the logged on credentials": No (it runs as
# SYSTEM); "Run script in 64 bit PowerShell Host": Yes. Then, in a Windows
# compliance policy's "Custom Compliance" setting, this script and the rules
# JSON made by
#   posture.exe policy intune-rules C:\ProgramData\Posture\policy.ini --more-info https://...
# Intune reads the one line of JSON this returns: what
# `posture.exe check --format intune` prints, or, when the agent is missing
# or refuses its policy, not compliant and counted as an error.
$ErrorActionPreference = 'Stop'
$fallback = '{"PostureCompliant":false,"PostureFailed":0,"PostureErrors":1}'
# the 64-bit Program Files even from a 32-bit host
$programFiles = if ($env:ProgramW6432) { $env:ProgramW6432 } else { $env:ProgramFiles }
$posture = Join-Path $programFiles 'Posture\posture.exe'
if (-not (Test-Path -LiteralPath $posture -PathType Leaf)) {
    return $fallback
}
try {
    $out = & $posture check --format intune 2>$null | Select-Object -First 1
} catch {
    return $fallback
}
if ($out -is [string] -and $out.StartsWith('{')) {
    return $out
}
return $fallback
