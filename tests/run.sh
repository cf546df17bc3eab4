#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs the cmocka unit test binaries, then the fuzz-corpus replays, and ends
# with one "tests: N passed, N failed" line. Usage: run.sh UNIT... -- REPLAY...
set -u
passed=0
failed=0
failed_names=""
in_replay=0
for bin in "$@"; do
	if [ "$bin" = "--" ]; then
		in_replay=1
		continue
	fi
	name=$(basename "$bin")
	if [ $in_replay -eq 1 ]; then
		corpus="tests/fuzz/corpus/$name"
		if "$bin" "$corpus" >/tmp/posture-replay.$$ 2>&1; then
			passed=$((passed + 1))
			echo "replay $name: $(tail -n 1 /tmp/posture-replay.$$)"
		else
			failed=$((failed + 1))
			failed_names="$failed_names $name"
			cat /tmp/posture-replay.$$
		fi
		rm -f /tmp/posture-replay.$$
		continue
	fi
	out=$("$bin" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/.*\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' | tail -n 1)
	f=$(printf '%s\n' "$out" | sed -n 's/.*\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ $rc -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		failed=$((failed + 1)) # crashed before cmocka could count
	fi
	# a failed group setup or teardown is not counted by cmocka's summary
	if printf '%s\n' "$out" | grep -q '\[  FAILED  \] GROUP \(SETUP\|TEARDOWN\)'; then
		failed=$((failed + 1))
		rc=1
	fi
	[ $rc -ne 0 ] && failed_names="$failed_names $name"
done
[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
