/* SPDX-License-Identifier: Apache-2.0 */
/*
 * version: known orderings from dpkg's deb-version(7) and rpm's version
 * comparison documentation, and the validity rules a policy relies on.
 * The differential tests against the real tools are in test_version_diff.c.
 */
#include "testutil.h"
#include "vercmp.h"

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void deb_orderings(void **state)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		{ "1.0", "1.0", 0 },
		{ "1.0~rc1", "1.0", -1 },
		{ "1.0~~", "1.0~", -1 },
		{ "1.0~", "1.0", -1 },
		{ "1.0", "1.0+b1", -1 },
		{ "1.0-1", "1.0-1ubuntu1", -1 },
		{ "1:0.1", "9.9", 1 },
		{ "0:1.0", "1.0", 0 },
		{ "1.0", "1.0-0", 0 },
		{ "1.01", "1.1", 0 },
		{ "1.0a", "1.0", 1 },
		{ "1.0a", "1.0+", -1 },
		{ "3.0.15-1~deb12u1", "3.0.15-1", -1 },
		{ "3.0.15-1~deb12u1", "3.0.14-1", 1 },
		{ "2.36-9+deb12u14", "2.36-9+deb12u9", 1 },
		{ "1.2.3", "1.2.10", -1 },
		{ "10", "9", 1 },
		{ "1.0.0", "1.0", 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = sign(deb_version_cmp_str(cases[i].a, cases[i].b));

		if (got != cases[i].want)
			fail_msg("deb %s vs %s: got %d, want %d", cases[i].a, cases[i].b, got,
			         cases[i].want);
		assert_int_equal(sign(deb_version_cmp_str(cases[i].b, cases[i].a)), -cases[i].want);
	}
}

static void deb_validity(void **state)
{
	static const char *const good[] = { "1.0", "1:2.3-4", "2.36-9+deb12u14", "0.9~rc1+dfsg-2",
		                            "1.0-1~bpo12+1" };
	static const char *const bad[] = { "",   "a1.0",  "1.0-",  "x:1.0",  "-1:1.0",
		                           "1:", "1.0 2", "1.0_1", "1.0-1:2" };
	struct deb_version v;
	char err[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (deb_version_parse(good[i], &v, err, sizeof(err)) != 0)
			fail_msg("'%s' refused: %s", good[i], err);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (deb_version_parse(bad[i], &v, err, sizeof(err)) == 0)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(deb_version_parse("2:1.0-3", &v, err, sizeof(err)), 0);
	assert_int_equal(v.epoch, 2);
	assert_int_equal(v.upstream_len, 3);
	assert_int_equal(v.revision_len, 1);
}

static void rpm_orderings(void **state)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		{ "1.0", "1.0", 0 },          { "1.0", "2.0", -1 },
		{ "2.0.1", "2.0", 1 },        { "2.0.1a", "2.0.1", 1 },
		{ "5.5p1", "5.5p2", -1 },     { "5.5p10", "5.5p1", 1 },
		{ "10xyz", "10.1xyz", -1 },   { "xyz10", "xyz10.1", -1 },
		{ "1.0~rc1", "1.0", -1 },     { "1.0~rc1", "1.0~rc2", -1 },
		{ "1.0^", "1.0", 1 },         { "1.0^git1", "1.0.1", -1 },
		{ "1.0^git1", "1.0~rc1", 1 }, { "a", "1", -1 },
		{ "1.0", "1_0", 0 },          { "001", "1", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = rpm_vercmp(cases[i].a, cases[i].b);

		if (got != cases[i].want)
			fail_msg("rpm %s vs %s: got %d, want %d", cases[i].a, cases[i].b, got,
			         cases[i].want);
	}
	/* EVR: a missing epoch is 0; a missing release sorts first. */
	assert_int_equal(rpm_evr_compare("0:1.0-1", "1.0-1"), 0);
	assert_int_equal(rpm_evr_compare("1:1.0", "2.0"), 1);
	assert_int_equal(rpm_evr_compare("1.0-1", "1.0"), 1);
	assert_int_equal(rpm_evr_compare("3.0.7-27.el9", "3.0.7-24.el9"), 1);
	assert_int_equal(rpm_evr_compare(":1.0", "0:1.0"), 0);
}

static void rpm_validity(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(rpm_version_check("3.0.7-27.el9", err, sizeof(err)), 0);
	assert_int_equal(rpm_version_check("1:9.0.2068-1.fc40", err, sizeof(err)), 0);
	assert_int_equal(rpm_version_check("1.0^20240101git1a2b3c-1", err, sizeof(err)), 0);
	assert_int_equal(rpm_version_check("1.0-1-2", err, sizeof(err)), -1);
	assert_int_equal(rpm_version_check("a:1.0", err, sizeof(err)), -1);
	assert_int_equal(rpm_version_check("1.0-", err, sizeof(err)), -1);
	assert_int_equal(rpm_version_check("1.0 beta", err, sizeof(err)), -1);
	assert_int_equal(rpm_version_check("", err, sizeof(err)), -1);
}

/* The schemes a package_version check judges by, found by the name the
 * platform's probe gives. */
static void schemes(void **state)
{
	const struct pkg_scheme *msi = pkg_scheme_find("msi");
	char err[128];

	(void)state;
	assert_non_null(pkg_scheme_find("deb"));
	assert_non_null(pkg_scheme_find("rpm"));
	assert_non_null(pkg_scheme_find("pkg"));
	assert_null(pkg_scheme_find("apk"));
	assert_null(pkg_scheme_find(NULL));
	assert_non_null(msi);
	/* text after a component's number is ignored, a component without
	 * one is 0 */
	assert_int_equal(msi->compare("7.4.2 (x64)", "7.4.2"), 0);
	assert_int_equal(msi->compare("1.2.x.1", "1.2.0.1"), 0);
	assert_int_equal(msi->compare("1.2.x.1", "1.2.1"), -1);
	assert_int_equal(msi->compare("10.0.19045.5247", "10.0.22621.1"), -1);
	assert_int_equal(msi->compare("131.0.2903.112", "131.0.2903.99"), 1);
	assert_int_equal(msi->check("1.2.3.4", err, sizeof(err)), 0);
	assert_int_equal(msi->check("1.2-3", err, sizeof(err)), -1);
	assert_int_equal(pkg_scheme_find("deb")->compare("1:1.0", "2.0"), 1);
	assert_int_equal(pkg_scheme_find("rpm")->compare("1.0~rc1", "1.0"), -1);
}

static void dotted(void **state)
{
	char err[128];

	(void)state;
	assert_int_equal(dotted_version_compare("22.04", "22.4"), 0);
	assert_int_equal(dotted_version_compare("12", "12.0"), 0);
	assert_int_equal(dotted_version_compare("12.8", "12"), 1);
	assert_int_equal(dotted_version_compare("9.4", "10"), -1);
	assert_int_equal(dotted_version_check("22.04", err, sizeof(err)), 0);
	assert_int_equal(dotted_version_check("22.", err, sizeof(err)), -1);
	assert_int_equal(dotted_version_check("bookworm", err, sizeof(err)), -1);
}

static void browsers(void **state)
{
	(void)state;
	assert_int_equal(browser_version_compare("131.0.6778.85", "131.0.6778.85"), 0);
	assert_int_equal(browser_version_compare("131.0.6778.108", "131.0.6778.85"), 1);
	assert_int_equal(browser_version_compare("128.5.0esr", "128.5.0"), 0);
	assert_int_equal(browser_version_compare("128.5.0esr", "128.5.1"), -1);
	assert_int_equal(browser_version_compare("134.0b5", "134.0"), -1);
	assert_int_equal(browser_version_compare("134.0b5", "134.0a1"), 1);
	assert_int_equal(browser_version_compare("134.0b5", "133.0.3"), 1);
	assert_int_equal(browser_version_compare("133.0", "133.0.0.0"), 0);
	assert_int_equal(browser_version_compare("1.73.91", "1.73.89"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deb_orderings), cmocka_unit_test(deb_validity),
		cmocka_unit_test(rpm_orderings), cmocka_unit_test(rpm_validity),
		cmocka_unit_test(dotted),        cmocka_unit_test(schemes),
		cmocka_unit_test(browsers),
	};

	return cmocka_run_group_tests_name("version", tests, NULL, NULL);
}
