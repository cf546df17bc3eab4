#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Benchmark: the os_patch check on this machine beside the physical limit
# (reading and decompressing the same apt lists, with the formats' own
# tools) and `apt list --upgradable`, in one run. Target: <= 2x the limit.
#   sh bench/os_patch.sh [build/posture] [RUNS]
set -eu
POSTURE=${1:-build/posture}
RUNS=${2:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/measure" "$(dirname "$0")/measure.c"
printf '[check.patch]\ntype = os_patch\n' >"$work/patch.ini"
# The limit: every Packages list apt uses, decompressed to nowhere.
cat >"$work/read-lists.sh" <<'S'
for f in /var/lib/apt/lists/*_Packages*; do
	case "$f" in
	*.lz4) lz4cat "$f" ;; *.gz) zcat "$f" ;; *.xz) xzcat "$f" ;; *) cat "$f" ;;
	esac
done >/dev/null
cat /var/lib/dpkg/status >/dev/null
S
bytes=$(for f in /var/lib/apt/lists/*_Packages*; do case "$f" in
	*.lz4) lz4cat "$f" ;; *.gz) zcat "$f" ;; *.xz) xzcat "$f" ;; *) cat "$f" ;; esac; done | wc -c)
echo "lists: $(ls /var/lib/apt/lists/*_Packages* | wc -l) Packages files, $bytes bytes decompressed;" \
	"$(grep -c '^Package:' /var/lib/dpkg/status) packages in dpkg status"
"$POSTURE" check --format json --policy "$work/patch.ini" | grep -E '"pending_(updates|security)"' | tr -d ' ,\n'
echo
"$work/measure" "$RUNS" "read+decompress lists" -- sh "$work/read-lists.sh"
"$work/measure" "$RUNS" "posture check os_patch" -- "$POSTURE" check --policy "$work/patch.ini"
"$work/measure" "$RUNS" "apt list --upgradable" -- apt list --upgradable
