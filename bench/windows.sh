#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Benchmark: the Windows agent's baseline check under Debian's Wine, beside a
# trivial Windows program (main returning 0, built with the same mingw-w64)
# under the same Wine, in one run; the ratio is what posture.exe adds to
# Wine's own start-up. Also the sizes of what `make windows` built.
#   sh bench/windows.sh [build/windows/posture.exe] [RUNS]
set -eu
EXE=${1:-build/windows/posture.exe}
RUNS=${2:-20}
wine=/usr/lib/wine/wine64
[ -x "$wine" ] || { echo "windows: Debian's wine64 is not installed"; exit 1; }
work=$(mktemp -d)
export WINEPREFIX="$work/wine" WINEDEBUG=-all
trap '/usr/lib/wine/wineserver -k 2>/dev/null; rm -rf "$work"' EXIT
cc -O2 -o "$work/measure" "$(dirname "$0")/measure.c"
printf 'int main(void) { return 0; }\n' >"$work/trivial.c"
x86_64-w64-mingw32-gcc -O2 -o "$work/trivial.exe" "$work/trivial.c"
$wine wineboot --init >/dev/null 2>&1
/usr/lib/wine/wineserver -w
# one wineserver for every run, as on a desktop where Wine is running
/usr/lib/wine/wineserver -p &
policy="Z:$(pwd | tr / '\\')\\policies\\windows-baseline.ini"
echo "machine: $(nproc) cores, $(uname -r); $($wine --version 2>/dev/null)"
$wine "$EXE" check --policy "$policy" | tail -n 1
"$work/measure" "$RUNS" "trivial.exe (wine floor)" -- $wine "$work/trivial.exe"
"$work/measure" "$RUNS" "posture.exe check windows-baseline" -- $wine "$EXE" check --policy "$policy"
"$work/measure" "$RUNS" "posture.exe check windows-baseline json" -- $wine "$EXE" check --format json --policy "$policy"
echo "sizes: posture.exe $(stat -c %s "$EXE") bytes ($(x86_64-w64-mingw32-strip -o "$work/s.exe" "$EXE" && stat -c %s "$work/s.exe") stripped); trivial.exe $(stat -c %s "$work/trivial.exe")"
