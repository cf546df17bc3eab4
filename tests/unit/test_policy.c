/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy: what a valid policy becomes, and the INI details inih and our line
 * reader must agree on (BOM, CRLF, comments, continuation lines, defaults).
 * The refused policies are tested end to end by test_cli.c.
 */
#include "checks.h"
#include "policy.h"
#include "testutil.h"

static struct policy *parse(const char *text, const char *pkg_system, struct diags *d)
{
	struct policy_env env = { .pkg_system = pkg_system };
	struct policy *p = NULL;

	diags_init(d, "t.ini");
	policy_parse("t.ini", text, strlen(text), &env, &p, d);
	return p;
}

static void valid_policy(void **state)
{
	struct diags d;
	struct policy *p = parse("\xef\xbb\xbf; a BOM, CRLF line ends and comments\r\n"
	                         "[policy]\r\n"
	                         "name = demo ; inline comment\r\n"
	                         "version = 3\r\n"
	                         "\r\n"
	                         "[check.edr]\r\n"
	                         "type: process_running\r\n"
	                         "name = falcon-sensor,\r\n"
	                         "  falcond\r\n"
	                         "\tcbagentd\r\n"
	                         "severity = critical\r\n"
	                         "os = debian, ubuntu\r\n"
	                         "[check.os]\n"
	                         "type = os_version\n"
	                         "debian = 12\n"
	                         "ubuntu = 22.04\n",
	                         NULL, &d);
	const struct check *c;

	(void)state;
	if (p == NULL) {
		diags_print(&d, stderr);
		fail();
	}
	assert_string_equal(p->name, "demo");
	assert_string_equal(p->version, "3");
	assert_int_equal(p->n_checks, 2);
	c = &p->checks[0];
	assert_string_equal(c->id, "edr");
	assert_int_equal(c->line, 6);
	assert_string_equal(c->type->name, "process_running");
	assert_int_equal(c->severity, SEVERITY_CRITICAL);
	assert_int_equal(c->on_error, ON_ERROR_REPORT);
	assert_int_equal(check_value(c, "name")->n_items, 3);
	assert_string_equal(check_value(c, "name")->items[2], "cbagentd");
	assert_int_equal(check_value(c, "running")->num, 1); /* default */
	assert_int_equal(check_value(c, "min_count")->num, 1);
	assert_int_equal(c->n_only_os, 2);
	c = &p->checks[1];
	assert_int_equal(c->n_extra, 2);
	assert_string_equal(c->extra[1].name, "ubuntu");
	assert_string_equal(c->extra[1].text, "22.04");
	assert_int_equal(c->extra[1].line, 16);
	policy_free(p);
	diags_free(&d);
}

static void name_from_file(void **state)
{
	struct diags d;
	struct policy *p;

	(void)state;
	diags_init(&d, "x");
	assert_int_equal(policy_load("policies/baseline.ini", NULL, &p, &d), 0);
	assert_string_equal(p->name, "baseline");
	policy_free(p);
	diags_free(&d);
	p = parse("[check.a]\ntype = sysctl\nname = kernel.x\nvalue = 1\n", NULL, &d);
	assert_non_null(p);
	assert_string_equal(p->name, "t"); /* t.ini without its extension */
	policy_free(p);
	diags_free(&d);
}

static void version_scheme_follows_the_system(void **state)
{
	const char *text = "[check.a]\ntype = package_version\npackage = openssl\n"
	                   "min_version = 3.0.7-27.el9\n";
	const char *deb_only = "[check.a]\ntype = package_version\npackage = sudo\n"
	                       "min_version = 1.9.13p3-1+deb12u1\n";
	const char *rpm_only = "[check.a]\ntype = package_version\npackage = x\n"
	                       "min_version = release_candidate\n";
	struct diags d;
	struct policy *p;

	(void)state;
	/* Valid for both. */
	assert_non_null(p = parse(text, "deb", &d));
	policy_free(p);
	diags_free(&d);
	/* '+' in a revision: dpkg's, and rpm allows '+' too. */
	assert_non_null(p = parse(deb_only, "rpm", &d));
	policy_free(p);
	diags_free(&d);
	/* A version that starts with a letter is rpm's only. */
	assert_non_null(p = parse(rpm_only, "rpm", &d));
	policy_free(p);
	diags_free(&d);
	assert_null(parse(rpm_only, "deb", &d));
	assert_int_equal(d.n_items, 1);
	assert_non_null(strstr(d.items[0].msg, "not a valid deb version"));
	diags_free(&d);
	assert_non_null(p = parse(rpm_only, NULL, &d));
	policy_free(p);
	diags_free(&d);
	/* Windows and macOS minimums are plain dotted versions */
	assert_non_null(p = parse("[check.a]\ntype = package_version\npackage = Git\n"
	                          "min_version = 2.47.1.1\n",
	                          "msi", &d));
	policy_free(p);
	diags_free(&d);
	assert_null(parse(text, "msi", &d));
	assert_int_equal(d.n_items, 1);
	assert_non_null(strstr(d.items[0].msg, "not a valid Windows dotted version"));
	diags_free(&d);
	assert_null(parse(rpm_only, "pkg", &d));
	assert_int_equal(d.n_items, 1);
	assert_non_null(strstr(d.items[0].msg, "not a valid macOS dotted version"));
	diags_free(&d);
	/* with no system known, one no system accepts names every reason */
	assert_null(parse("[check.a]\ntype = package_version\npackage = x\n"
	                  "min_version = 1:2:3:@\n",
	                  NULL, &d));
	assert_int_equal(d.n_items, 1);
	assert_non_null(strstr(d.items[0].msg, "not a valid version in any package format (deb: "));
	assert_non_null(strstr(d.items[0].msg, "; rpm: "));
	assert_non_null(strstr(d.items[0].msg, "; pkg: "));
	diags_free(&d);
}

static void several_errors_each_with_its_line(void **state)
{
	struct diags d;

	(void)state;
	assert_null(parse("[check.a]\ntype = sysctl\nname = kernel.x\nvalue = 1\nop = big\n"
	                  "[check.b]\ntype = nope\n"
	                  "[check.c]\ntype = os_version\ndebian = twelve\n",
	                  NULL, &d));
	assert_int_equal(d.n_items, 3);
	assert_int_equal(d.items[0].line, 5);
	assert_int_equal(d.items[1].line, 7);
	assert_int_equal(d.items[2].line, 10);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_policy),
		cmocka_unit_test(name_from_file),
		cmocka_unit_test(version_scheme_follows_the_system),
		cmocka_unit_test(several_errors_each_with_its_line),
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
