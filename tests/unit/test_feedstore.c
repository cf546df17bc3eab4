/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feedstore: the agent keeping the feeds its collector signed. A feed is
 * kept with the collector's fetch time as the file's; the same serial again
 * changes nothing; a lower serial (a replay of an older feed) is refused
 * and the newer copy stays; a name that is no plain .json file name never
 * reaches the disk; serials survive a restart (they are on disk).
 */
#include <sys/stat.h>

#include "testutil.h"

#include "feedstore.h"

static void replay_refused(void **state)
{
	char *dir = tu_mkdtemp(), path[4300], why[400], *text;
	struct stat st;

	(void)state;
	assert_int_equal(feedstore_accept(dir, "chrome-mac.json", 5, 1700000000, "{\"a\":1}", 7,
	                                  why, sizeof(why)),
	                 1);
	snprintf(path, sizeof(path), "%s/feeds/chrome-mac.json", dir);
	text = tu_slurp(path);
	assert_string_equal(text, "{\"a\":1}");
	free(text);
	assert_int_equal(stat(path, &st), 0);
	if ((long long)st.st_mtime != 1700000000)
		fail_msg("expected the fetch time 1700000000 as the file's time, came %lld",
		         (long long)st.st_mtime);
	/* the same serial: nothing to do */
	assert_int_equal(feedstore_accept(dir, "chrome-mac.json", 5, 1700000000, "{\"b\":2}", 7,
	                                  why, sizeof(why)),
	                 0);
	/* an older one: a replay */
	assert_int_equal(feedstore_accept(dir, "chrome-mac.json", 4, 1800000000, "{\"c\":3}", 7,
	                                  why, sizeof(why)),
	                 -1);
	if (strstr(why, "serial 4 is older than the 5 kept (a replay)") == NULL)
		fail_msg("expected the replay named, came '%s'", why);
	text = tu_slurp(path);
	assert_string_equal(text, "{\"a\":1}");
	free(text);
	/* a newer one replaces it; another name is its own */
	assert_int_equal(feedstore_accept(dir, "chrome-mac.json", 9, 1800000000, "{\"d\":4}", 7,
	                                  why, sizeof(why)),
	                 1);
	assert_int_equal(
	    feedstore_accept(dir, "edge.json", 2, 1800000000, "{}", 2, why, sizeof(why)), 1);
	text = tu_slurp(path);
	assert_string_equal(text, "{\"d\":4}");
	free(text);
	assert_int_equal(
	    feedstore_accept(dir, "chrome-mac.json", 6, 1900000000, "{}", 2, why, sizeof(why)), -1);
	tu_rm_rf(dir);
	free(dir);
}

static void names_that_are_no_file_names(void **state)
{
	static const char *const bad[] = { "../x.json", "a/b.json", ".hidden.json", "Chrome.json",
		                           "x.txt",     "",         "feed.json\n" };
	char *dir = tu_mkdtemp(), why[400];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (feedstore_accept(dir, bad[i], 1, 1, "{}", 2, why, sizeof(why)) != -1)
			fail_msg("expected the name '%s' refused", bad[i]);
		if (strstr(why, "not a plain .json file name") == NULL)
			fail_msg("expected the reason for '%s', came '%s'", bad[i], why);
	}
	if (feedstore_accept(dir, "ok.json", 0, 1, "{}", 2, why, sizeof(why)) != -1)
		fail_msg("expected serial 0 refused");
	/* nothing was written for any of them */
	{
		char path[4300];

		snprintf(path, sizeof(path), "%s/feeds", dir);
		assert_int_not_equal(access(path, F_OK), 0);
	}
	tu_rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay_refused),
		cmocka_unit_test(names_that_are_no_file_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
