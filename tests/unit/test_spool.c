/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spool: order, durability steps' results, bounds and the dropped count,
 * crash leftovers and corrupt files, and state across reopening.
 */
#include "testutil.h"

#include "spool.h"

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = tu_mkdtemp();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rm_rf(dir);
	free(dir);
	return 0;
}

static void put(struct spool *s, const char *json, char name[64])
{
	char err[256];

	if (spool_put(s, json, strlen(json), name, err, sizeof(err)) != 0)
		fail_msg("spool_put: %s", err);
}

static void oldest_first_and_survives_reopen(void **state)
{
	char path[4200], a[64], b[64], c[64], name[64], err[256], *data = NULL;
	struct spool *s;
	struct stat st;
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/spool", dir);
	assert_int_equal(spool_open(path, 0, 0, &s, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	put(s, "{\"n\":1}", a);
	put(s, "{\"n\":2}", b);
	put(s, "{\"n\":3}", c);
	assert_int_equal(spool_depth(s), 3);
	assert_int_equal(spool_bytes(s), 21);
	snprintf(path, sizeof(path), "%s/spool/%s", dir, a);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(spool_oldest(s, name, &data, &len, err, sizeof(err)), 1);
	assert_string_equal(name, a);
	assert_string_equal(data, "{\"n\":1}");
	free(data);
	assert_int_equal(spool_remove(s, a), 0);
	assert_int_equal(spool_remove(s, a), -ENOENT);
	spool_close(s);

	/* What was not delivered is still there, in order, after a restart. */
	snprintf(path, sizeof(path), "%s/spool", dir);
	assert_int_equal(spool_open(path, 0, 0, &s, err, sizeof(err)), 0);
	assert_int_equal(spool_depth(s), 2);
	assert_int_equal(spool_oldest(s, name, &data, &len, err, sizeof(err)), 1);
	assert_string_equal(name, b);
	free(data);
	spool_close(s);
}

static void bounds_drop_the_oldest_and_count(void **state)
{
	char path[4200], err[256], name[64], first[64], *data = NULL;
	struct spool *s;
	size_t len, i;

	(void)state;
	snprintf(path, sizeof(path), "%s/bounded", dir);
	/* Room for three 10-byte reports. */
	assert_int_equal(spool_open(path, 30, 0, &s, err, sizeof(err)), 0);
	put(s, "{\"i\":\"00\"}", first);
	for (i = 1; i < 5; i++)
		put(s, "{\"i\":\"11\"}", name);
	assert_int_equal(spool_depth(s), 3);
	assert_true(spool_bytes(s) <= 30);
	assert_int_equal(spool_dropped(s), 2);
	assert_int_equal(spool_oldest(s, name, &data, &len, err, sizeof(err)), 1);
	assert_string_not_equal(name, first);
	free(data);
	spool_close(s);
	/* The count survives a restart, and is handed over once. */
	assert_int_equal(spool_open(path, 30, 0, &s, err, sizeof(err)), 0);
	assert_int_equal(spool_take_dropped(s), 2);
	assert_int_equal(spool_take_dropped(s), 0);
	spool_close(s);
	assert_int_equal(spool_open(path, 30, 0, &s, err, sizeof(err)), 0);
	assert_int_equal(spool_dropped(s), 0);
	spool_close(s);
}

static void crash_leftovers_and_corrupt_files(void **state)
{
	char path[4200], err[256], name[64], good[64], *data = NULL;
	struct spool *s;
	struct stat st;
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/damaged", dir);
	assert_int_equal(spool_open(path, 0, 0, &s, err, sizeof(err)), 0);
	put(s, "{\"ok\":true}", good);
	spool_close(s);
	/* A write interrupted before its rename, a torn report that sorts
	 * first, and a file that is no report at all. */
	tu_write(path, ".tmp-R-00000000000000000001-000000.json", "{\"half");
	tu_write(path, "R-00000000000000000002-000000.json", "{\"torn\": ");
	tu_write(path, "README", "not ours");
	assert_int_equal(spool_open(path, 0, 0, &s, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/damaged/.tmp-R-00000000000000000001-000000.json", dir);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(spool_depth(s), 2);
	assert_int_equal(spool_oldest(s, name, &data, &len, err, sizeof(err)), 1);
	assert_string_equal(name, good);
	free(data);
	snprintf(path, sizeof(path), "%s/damaged/corrupt/R-00000000000000000002-000000.json", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(spool_depth(s), 1);
	assert_int_equal(spool_remove(s, good), 0);
	assert_int_equal(spool_oldest(s, name, &data, &len, err, sizeof(err)), 0);
	spool_close(s);
}

static void refuses_what_it_cannot_hold(void **state)
{
	char path[4200], err[256];
	struct spool *s;

	(void)state;
	snprintf(path, sizeof(path), "%s/no/such/parent", dir);
	assert_true(spool_open(path, 0, 0, &s, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(oldest_first_and_survives_reopen),
		cmocka_unit_test(bounds_drop_the_oldest_and_count),
		cmocka_unit_test(crash_leftovers_and_corrupt_files),
		cmocka_unit_test(refuses_what_it_cannot_hold),
	};

	return cmocka_run_group_tests_name("spool", tests, setup, teardown);
}
