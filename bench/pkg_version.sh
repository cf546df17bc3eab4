#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Benchmark: `posture check` with 1,000 package_version checks against the
# real /var/lib/dpkg/status, beside `dpkg-query -W` (the package manager's
# own reader) and `cat` of the same file (the cost of reading it at all), in
# one run. Targets: peak RSS <= 4 MiB; CPU within 3x of cat.
#   sh bench/pkg_version.sh [build/posture] [RUNS]
set -eu
POSTURE=${1:-build/posture}
RUNS=${2:-200}
STATUS=/var/lib/dpkg/status
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/measure" "$(dirname "$0")/measure.c"

# 1,000 checks: every installed package (at a minimum version every
# installed version meets, so each check really compares), then names that
# are not installed (skipped after the lookup), up to 1,000.
policy="$work/1000-packages.ini"
printf '[policy]\nname = bench-1000\n\n' >"$policy"
dpkg-query -W -f='${db:Status-Status} ${Package}\n' | awk '$1 == "installed" {print $2}' |
	sort -u | head -n 1000 >"$work/names"
i=$(wc -l <"$work/names")
while [ "$i" -lt 1000 ]; do
	echo "not-installed-$i" >>"$work/names"
	i=$((i + 1))
done
n=0
while read -r name; do
	n=$((n + 1))
	printf '[check.p%d]\ntype = package_version\npackage = %s\nmin_version = 0~\n\n' \
		"$n" "$name" >>"$policy"
done <"$work/names"

echo "machine: $(nproc) cores, $(uname -r); $STATUS: $(wc -c <$STATUS) bytes," \
	"$(grep -c '^Package:' $STATUS) packages; policy: $n package_version checks"
"$POSTURE" check --format json --policy "$policy" >"$work/out.json" || true
echo "posture verdicts: $(grep -c '"status": "pass"' "$work/out.json") pass," \
	"$(grep -c '"status": "skip"' "$work/out.json") skip"
"$work/measure" "$RUNS" "cat (read limit)" -- cat "$STATUS"
"$work/measure" "$RUNS" "dpkg-query -W" -- dpkg-query -W
"$work/measure" "$RUNS" "posture check (json)" -- "$POSTURE" check --format json --policy "$policy"
"$work/measure" "$RUNS" "posture check (text)" -- "$POSTURE" check --policy "$policy"
"$work/measure" "$RUNS" "posture version (startup)" -- "$POSTURE" version
