/* SPDX-License-Identifier: Apache-2.0 */
/*
 * run_command (platform/runcmd.h), which the macOS probes use on the
 * running Mac for fdesetup, diskutil and sysadminctl: with /bin/sh here.
 * The deadline cases use a program that would sleep a minute against a
 * deadline of one second: the outcome does not depend on the machine's
 * speed.
 */
#include <errno.h>

#include "runcmd.h"
#include "testutil.h"

static void its_output_and_exit_status(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	struct run_result r;
	char err[256] = "";

	(void)state;
	if (run_command(argv, 10, 1024, &r, err, sizeof(err)) != 0)
		fail_msg("expected the run, came an error: %s", err);
	if (r.status != 3 || strcmp(r.out, "out\n") != 0 || strcmp(r.err, "err\n") != 0)
		fail_msg("expected status 3, 'out', 'err'; came %d '%s' '%s'", r.status, r.out,
		         r.err);
	free(r.out);
	free(r.err);
}

static void an_empty_environment(void **state)
{
	const char *const argv[] = { "/usr/bin/env", NULL };
	struct run_result r;
	char err[256] = "";

	(void)state;
	setenv("POSTURE_TEST_LEAK", "1", 1);
	if (run_command(argv, 10, 4096, &r, err, sizeof(err)) != 0)
		fail_msg("expected the run, came an error: %s", err);
	if (r.out_len != 0)
		fail_msg("expected no environment, came '%s'", r.out);
	free(r.out);
	free(r.err);
}

static void past_the_deadline_it_is_stopped(void **state)
{
	static const char *const cases[][4] = {
		{ "/bin/sh", "-c", "sleep 60", NULL },
		/* closes its output and stays */
		{ "/bin/sh", "-c", "exec >/dev/null 2>&1; sleep 60", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run_result r;
		char err[256] = "";
		int rc = run_command(cases[i], 1, 1024, &r, err, sizeof(err));

		if (rc != -ETIMEDOUT || strstr(err, "did not finish within 1 s") == NULL)
			fail_msg("%s: expected -ETIMEDOUT and the deadline named, came %d '%s'",
			         cases[i][2], rc, err);
	}
}

static void too_much_output_is_refused(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "yes", NULL };
	struct run_result r;
	char err[256] = "";
	int rc;

	(void)state;
	rc = run_command(argv, 10, 4096, &r, err, sizeof(err));
	if (rc != -EFBIG || strstr(err, "more than 4096 bytes") == NULL)
		fail_msg("expected -EFBIG naming the bound, came %d '%s'", rc, err);
}

static void only_absolute_paths_that_exist(void **state)
{
	const char *const rel[] = { "sh", "-c", "true", NULL };
	const char *const missing[] = { "/nonexistent/fdesetup", "status", NULL };
	struct run_result r;
	char err[256] = "";

	(void)state;
	if (run_command(rel, 10, 1024, &r, err, sizeof(err)) != -EINVAL)
		fail_msg("expected a relative path refused, came '%s'", err);
	if (run_command(missing, 10, 1024, &r, err, sizeof(err)) != -ENOENT ||
	    strstr(err, "/nonexistent/fdesetup") == NULL)
		fail_msg("expected -ENOENT naming the program, came '%s'", err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(its_output_and_exit_status),
		cmocka_unit_test(an_empty_environment),
		cmocka_unit_test(past_the_deadline_it_is_stopped),
		cmocka_unit_test(too_much_output_is_refused),
		cmocka_unit_test(only_absolute_paths_that_exist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
