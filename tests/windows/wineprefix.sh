# SPDX-License-Identifier: Apache-2.0
# Sourced by the tests that run the Windows agent under Debian's Wine
# (tests/windows/check.sh, tests/package/msi.sh): a fresh prefix at
# $WINEPREFIX, and its end.
#
# wine_prefix_boot LOG: wineboot --init, then waits until the prefix's
# wineserver has finished (services.exe and the rest of the boot).
# wineboot itself returns 0 whenever it runs (programs/wineboot in Wine's
# sources), so a failure is the loader's: one CI run saw it exit non-zero
# with nothing on stderr after the previous test's prefix was torn down.
# That is the environment, not the agent, so the boot is tried once more
# in a new empty prefix; both exit codes are in LOG, and a second failure
# is the test's failure.
#
# wine_prefix_end: kills the prefix's wineserver and waits until it has
# gone, so nothing of it outlives the prefix's folder.
wine_prefix_boot() {
	_log=$1
	: >"$_log"
	for _try in 1 2; do
		_rc=0
		/usr/lib/wine/wine64 wineboot --init >>"$_log" 2>&1 || _rc=$?
		if [ "$_rc" -eq 0 ]; then
			/usr/lib/wine/wineserver -w
			return 0
		fi
		echo "wineboot --init: exit code $_rc (attempt $_try)" >>"$_log"
		wine_prefix_end
		rm -rf "$WINEPREFIX"
	done
	return 1
}

wine_prefix_end() {
	/usr/lib/wine/wineserver -k 2>/dev/null || true
	/usr/lib/wine/wineserver -w 2>/dev/null || true
}
