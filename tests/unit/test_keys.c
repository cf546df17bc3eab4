/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keys: every value kind, its errors and its ranges.
 */
#include "keys.h"
#include "testutil.h"

static const char *const colours[] = { "red", "green", NULL };

static void durations(void **state)
{
	static const struct {
		const char *text;
		long long secs;
	} good[] = { { "300", 300 },   { "90s", 90 },     { "15m", 900 },    { "12h", 43200 },
		     { "7d", 604800 }, { "2w", 1209600 }, { "1h30m", 5400 }, { "0s", 0 } };
	static const char *const bad[] = { "",     "7 days", "7x",   "m",
		                           "1h30", "-5m",    "1.5h", "99999999999999999999w" };
	char err[256];
	long long secs;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(key_parse_duration(good[i].text, &secs, err, sizeof(err)), 0);
		assert_int_equal(secs, good[i].secs);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (key_parse_duration(bad[i], &secs, err, sizeof(err)) == 0)
			fail_msg("'%s' accepted as %lld", bad[i], secs);
}

static void kinds(void **state)
{
	const struct key_spec i_spec = { .name = "n", .kind = KEY_INT, .min = 1, .max = 10 };
	const struct key_spec d_spec = {
		.name = "d", .kind = KEY_DURATION, .min = 60, .max = 3600
	};
	const struct key_spec b_spec = { .name = "b", .kind = KEY_BOOL };
	const struct key_spec l_spec = { .name = "l", .kind = KEY_LIST };
	const struct key_spec e_spec = { .name = "e", .kind = KEY_ENUM, .choices = colours };
	const struct key_spec v_spec = { .name = "v", .kind = KEY_VERSION };
	struct key_value v = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(key_parse(&i_spec, "7", &v, err, sizeof(err)), 0);
	assert_int_equal(v.num, 7);
	key_value_clear(&v);
	assert_int_equal(key_parse(&i_spec, "11", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "11 is out of range (1 to 10)");
	assert_int_equal(key_parse(&i_spec, "7a", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "'7a' is not an integer");
	assert_int_equal(key_parse(&i_spec, " 7", &v, err, sizeof(err)), -1);
	assert_int_equal(key_parse(&d_spec, "15m", &v, err, sizeof(err)), 0);
	assert_int_equal(v.num, 900);
	key_value_clear(&v);
	assert_int_equal(key_parse(&d_spec, "2h", &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "out of range"));
	assert_int_equal(key_parse(&b_spec, "Yes", &v, err, sizeof(err)), 0);
	assert_int_equal(v.num, 1);
	key_value_clear(&v);
	assert_int_equal(key_parse(&b_spec, "off", &v, err, sizeof(err)), 0);
	assert_int_equal(v.num, 0);
	key_value_clear(&v);
	assert_int_equal(key_parse(&b_spec, "maybe", &v, err, sizeof(err)), -1);
	assert_int_equal(key_parse(&l_spec, " a , b,c ", &v, err, sizeof(err)), 0);
	assert_int_equal(v.n_items, 3);
	assert_string_equal(v.items[0], "a");
	assert_string_equal(v.items[2], "c");
	assert_int_equal(key_list_append(&v, "d", err, sizeof(err)), 0);
	assert_int_equal(v.n_items, 4);
	key_value_clear(&v);
	assert_int_equal(key_parse(&l_spec, "a,,b", &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "empty item"));
	assert_int_equal(key_parse(&l_spec, ",", &v, err, sizeof(err)), -1);
	assert_int_equal(key_parse(&l_spec, "a, b,", &v, err, sizeof(err)), 0);
	assert_int_equal(v.n_items, 2);
	key_value_clear(&v);
	assert_int_equal(key_parse(&e_spec, "green", &v, err, sizeof(err)), 0);
	assert_int_equal(v.num, 1);
	key_value_clear(&v);
	assert_int_equal(key_parse(&e_spec, "blue", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "'blue' is not one of: red, green");
	assert_int_equal(key_parse(&v_spec, "1.0 2", &v, err, sizeof(err)), -1);
	assert_int_equal(key_parse(&v_spec, "", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "value is empty; expected a version");
}

static void lookup(void **state)
{
	static const struct key_spec table[] = { { .name = "a", .kind = KEY_INT },
		                                 { .name = "*", .kind = KEY_VERSION },
		                                 { .name = NULL } };
	static const struct key_spec closed[] = { { .name = "a", .kind = KEY_INT },
		                                  { .name = NULL } };

	(void)state;
	assert_ptr_equal(key_find(table, "a"), &table[0]);
	assert_ptr_equal(key_find(table, "debian"), &table[1]);
	assert_null(key_find(closed, "b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(durations),
		cmocka_unit_test(kinds),
		cmocka_unit_test(lookup),
	};

	return cmocka_run_group_tests_name("keys", tests, NULL, NULL);
}
