#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Benchmark: what judging by release feeds costs, side by side in one run.
# The same browser check on the same fixture root (tests/fixtures/roots/
# ubuntu-browsers: Chrome, Firefox and Chromium from debs, snaps and a
# tarball), once with fixed minimums and once with `latest` read from
# the real feeds in tests/fixtures/feeds (Google's, Mozilla's, Apple's,
# Microsoft's, as captured and trimmed there), fetched "now"; then the
# size of the collector's GET /v1/feeds answer for those feeds, signed.
#   sh bench/feeds.sh [build] [RUNS]
set -eu
B=${1:-build}
RUNS=${2:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/measure" "$(dirname "$0")/measure.c"
mkdir "$work/feeds"
cp tests/fixtures/feeds/chrome/*.json tests/fixtures/feeds/mozilla/*.json \
	tests/fixtures/feeds/apple/*.json tests/fixtures/feeds/edge/*.json "$work/feeds/"
rm -f "$work/feeds/win-stable-131-rollout.json" # a rollout alone: refused, not timed
echo "machine: $(nproc) cores, $(uname -r); feeds: $(ls "$work/feeds" | wc -l) files, $(cat "$work/feeds"/* | wc -c) bytes"
printf '[policy]\nname = fixed\n[check.browsers]\ntype = browser_version\nchrome = 150.0\nchromium = 150.0\nfirefox = 140.0\n' >"$work/fixed.ini"
printf '[policy]\nname = latest\n[check.browsers]\ntype = browser_version\ngrace_days = 14\nchrome = latest\nchromium = latest\nfirefox = latest\n' >"$work/latest.ini"
root=tests/fixtures/roots/ubuntu-browsers
"$B/posture" check --root "$root" --policy "$work/latest.ini" --feeds "$work/feeds" | tail -n 2 || true
"$work/measure" "$RUNS" "browser check, fixed minimums" -- sh -c "'$B/posture' check --root $root --policy '$work/fixed.ini' >/dev/null || true"
"$work/measure" "$RUNS" "browser check, latest from feeds" -- sh -c "'$B/posture' check --root $root --policy '$work/latest.ini' --feeds '$work/feeds' >/dev/null || true"
"$work/measure" "$RUNS" "the same, JSON with evidence" -- sh -c "'$B/posture' check --format json --root $root --policy '$work/latest.ini' --feeds '$work/feeds' >/dev/null || true"
"$B/posture-collector" init --dir "$work/c" >/dev/null
"$B/posture-collector" feed import --dir "$work/c" "$work/feeds"/*.json >/dev/null
python3 - "$work/c/collector.db" <<'PY'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT length(envelope) FROM feeds").fetchall()
body = sum(r[0] for r in rows) + len(rows) + 40
print(f"GET /v1/feeds answer for {len(rows)} feeds: {body} bytes (each publisher's bytes in base64, signed)")
PY
