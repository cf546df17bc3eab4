/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The report's JSON Schema (docs/schema/posture.report-1.json) against what
 * the agent writes, with python3-jsonschema as the validator: the JSON
 * report of every end-to-end case (tests/cli/cases), of a policy with a
 * check of every type, and of the platform-less build when make test has
 * built it; and a report broken on purpose, which must not validate. The
 * status document is validated where a service runs (test_service). The
 * schema's list of check types is the registry's (test_registry).
 */
#include "testutil.h"

#include "checks.h"

static int skip_without_jsonschema(void)
{
	char *argv[] = { "/usr/bin/python3", "-c", "import jsonschema", NULL };

	return access("/usr/bin/python3", X_OK) != 0 || tu_run(argv, NULL, NULL) != 0;
}

/* posture check --format json with ARGS (NULL-terminated, at most 8). */
static char *report_of(const char *posture, char *const *args)
{
	char *argv[16] = { (char *)posture, "check", "--format", "json" }, *out = NULL;
	int n = 4;

	for (; *args != NULL && n < 14; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	tu_run(argv, &out, NULL);
	return out;
}

static void cli_cases_match_the_schema(void **state)
{
	DIR *dir;
	struct dirent *de;
	int n = 0;

	(void)state;
	if (skip_without_jsonschema())
		skip();
	dir = opendir("tests/cli/cases");
	assert_non_null(dir);
	while ((de = readdir(dir)) != NULL) {
		char path[600], *text, *args[10], *save, *tok, *out;
		int k = 0;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "tests/cli/cases/%s/args", de->d_name);
		text = tu_slurp(path);
		if (text == NULL)
			continue;
		for (tok = strtok_r(text, "\n", &save); tok && k < 8;
		     tok = strtok_r(NULL, "\n", &save))
			if (strcmp(tok, "--format") != 0 && strcmp(tok, "json") != 0 &&
			    strcmp(tok, "text") != 0)
				args[k++] = tok;
		args[k] = NULL;
		out = report_of(tu_posture(), args);
		if (out == NULL || tu_schema_check("posture.report-1.json", out) != 0)
			fail_msg("case %s: its JSON report does not match the schema", de->d_name);
		n++;
		free(out);
		free(text);
	}
	closedir(dir);
	printf("schema: the reports of %d cases are valid posture.report/1\n", n);
}

static void every_type_and_no_platform_match_the_schema(void **state)
{
	char *args[] = { "--policy", "tests/platform/every-type.ini", NULL }, *out, none[600];
	const char *b = getenv("BUILD");

	(void)state;
	if (skip_without_jsonschema())
		skip();
	out = report_of(tu_posture(), args);
	assert_int_equal(tu_schema_check("posture.report-1.json", out), 0);
	free(out);
	snprintf(none, sizeof(none), "%s/none/posture", b && *b ? b : "build");
	if (access(none, X_OK) == 0) {
		out = report_of(none, args);
		assert_int_equal(tu_schema_check("posture.report-1.json", out), 0);
		free(out);
		printf("schema: %s's report is valid posture.report/1\n", none);
	}
}

static void a_broken_report_does_not_validate(void **state)
{
	char *args[] = { "--policy", "tests/platform/every-type.ini", NULL }, *out, *at;

	(void)state;
	if (skip_without_jsonschema())
		skip();
	out = report_of(tu_posture(), args);
	/* "compliant" no longer a boolean, the JSON still well-formed */
	at = strstr(out, "\"compliant\": ");
	assert_non_null(at);
	at += strlen("\"compliant\": ");
	if (strncmp(at, "true", 4) == 0)
		memcpy(at, "\"no\"", 4);
	else
		memcpy(at, "\"no\" ", 5);
	assert_int_equal(tu_schema_check("posture.report-1.json", out), 1);
	free(out);
}

static void schema_lists_every_check_type(void **state)
{
	char *schema = tu_slurp("docs/schema/posture.report-1.json"), want[96], *at;
	size_t i, n = 0;

	(void)state;
	assert_non_null(schema);
	at = strstr(schema, "\"enum\": [\"os_patch\"");
	assert_non_null(at);
	for (i = 0; check_types[i] != NULL; i++) {
		snprintf(want, sizeof(want), "\"%s\"", check_types[i]->name);
		if (strstr(at, want) == NULL || strstr(at, want) > strchr(at, ']'))
			fail_msg("docs/schema/posture.report-1.json's result type enum lacks %s",
			         check_types[i]->name);
	}
	for (char *p = at; p < strchr(at, ']'); p++)
		n += *p == ',';
	if (n + 1 != CHECK_TYPE_COUNT)
		fail_msg("the schema's type enum has %zu names; lib/checktypes.h has %d", n + 1,
		         (int)CHECK_TYPE_COUNT);
	free(schema);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cli_cases_match_the_schema),
		cmocka_unit_test(every_type_and_no_platform_match_the_schema),
		cmocka_unit_test(a_broken_report_does_not_validate),
		cmocka_unit_test(schema_lists_every_check_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
