#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Style and banned functions, as curl's checksrc does: run by `make check`.
# 1. clang-format: every C file as .clang-format says.
# 2. Functions with a safer form in this code base are refused in lib/, agent/,
#    collector/ and platform/: unbounded string copies (strcpy, strcat, sprintf, vsprintf,
#    gets), strtok (not reentrant), atoi/atol (no error), system/popen
#    (no shell: probes must not run host programs that ignore --root).
# 3. Every source file's first lines carry its SPDX licence identifier.
set -u
cd "$(dirname "$0")/.." || exit 1
status=0
files=$(ls lib/*.[ch] lib/checks/*.[ch] agent/*.[ch] agent/judges/*.c agent/net/*.[ch] collector/*.[ch] collector/*.cc platform/*.[ch] platform/*/*.[ch] tests/unit/*.[ch] tests/integration/*.c tests/fuzz/*.c 2>/dev/null)
if ! clang-format --dry-run --Werror $files 2>/tmp/posture-format.$$; then
	head -n 40 /tmp/posture-format.$$
	echo "checksrc: formatting differs from .clang-format; run 'make format'"
	status=1
fi
rm -f /tmp/posture-format.$$
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|system|popen)[[:space:]]*\('
if grep -nE "$banned" lib/*.[ch] lib/checks/*.[ch] agent/*.[ch] agent/judges/*.c agent/net/*.[ch] collector/*.[ch] platform/*.[ch] platform/*/*.[ch]; then
	echo "checksrc: banned function above (see scripts/checksrc.sh for the reasons)"
	status=1
fi
# 3. Every source file names its licence (SPDX), as LICENSE gives it.
unlicensed=$(git ls-files 2>/dev/null | grep -E '\.(c|h|cc|sh|py|mjs)$|^Makefile$|^\.ci/run$' |
	grep -v -E '^tests/(fixtures/roots|fuzz/corpus)/' |
	while read -r f; do head -n 3 "$f" | grep -q 'SPDX-License-Identifier: Apache-2.0' || echo "$f"; done)
if [ -n "$unlicensed" ]; then
	echo "$unlicensed"
	echo "checksrc: the files above lack 'SPDX-License-Identifier: Apache-2.0' in their first lines"
	status=1
fi
[ $status -eq 0 ] && echo "checksrc: clean"
exit $status
