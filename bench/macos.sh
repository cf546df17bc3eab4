#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Benchmark: policies/macos-baseline.ini judged on a Mac's disk (--root, a
# fixture of tests/fixtures/macos/roots/), beside `posture version` (the
# program's start alone), in one run. Which of its checks have a macOS
# probe yet is platform/darwin/README.md's; the others skip at no cost.
#   sh bench/macos.sh [build/posture] [RUNS] [ROOT]
set -eu
POSTURE=${1:-build/posture}
RUNS=${2:-30}
ROOT=${3:-tests/fixtures/macos/roots/macos-14.7.4}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/measure" "$(dirname "$0")/measure.c"
echo "machine: $(nproc) cores, $(uname -r); root: $ROOT"
"$POSTURE" check --root "$ROOT" --policy policies/macos-baseline.ini | tail -n 1 || true
"$work/measure" "$RUNS" "posture version" -- "$POSTURE" version
"$work/measure" "$RUNS" "posture check macos-baseline" -- "$POSTURE" check --root "$ROOT" --policy policies/macos-baseline.ini
"$work/measure" "$RUNS" "posture check macos-baseline json" -- "$POSTURE" check --format json --root "$ROOT" --policy policies/macos-baseline.ini
