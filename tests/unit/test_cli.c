/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The command line end to end, as data (curl's tests/data idea):
 *   tests/cli/cases/NAME/args           arguments after "posture check"
 *   tests/cli/cases/NAME/expected.json  {"exit": N, "report": {...}}: the
 *       report must hold every key given, with equal values (objects are
 *       compared as subsets, arrays and scalars exactly); report_id and
 *       generated_at are checked for form instead.
 *   tests/cli/bad/NAME.ini  a refused policy whose first line says
 *       "; expect: LINE: MESSAGE": the one error line must be
 *       "FILE:LINE: MESSAGE...", and the exit code 2.
 * POSTURE_UPDATE_EXPECTED=1 rewrites expected.json from the current output
 * (review the diff before committing it).
 */
#include <dirent.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <regex.h>

#include "testutil.h"

static int json_subset(const json_t *want, const json_t *got, char *where, size_t where_len)
{
	if (json_is_object(want)) {
		const char *key;
		json_t *value;
		size_t len = strlen(where);

		if (!json_is_object(got))
			return 0;
		json_object_foreach ((json_t *)want, key, value) {
			snprintf(where + len, where_len - len, ".%s", key);
			if (!json_subset(value, json_object_get(got, key), where, where_len))
				return 0;
		}
		where[len] = '\0';
		return 1;
	}
	if (json_is_array(want)) {
		size_t i, len = strlen(where);

		if (!json_is_array(got) || json_array_size(got) != json_array_size(want))
			return 0;
		for (i = 0; i < json_array_size(want); i++) {
			snprintf(where + len, where_len - len, "[%zu]", i);
			if (!json_subset(json_array_get(want, i), json_array_get(got, i), where,
			                 where_len))
				return 0;
		}
		where[len] = '\0';
		return 1;
	}
	return got != NULL && json_equal((json_t *)want, (json_t *)got);
}

static void file_sha256(const char *path, char out[65])
{
	unsigned char md[32], buf[65536];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	FILE *f = fopen(path, "rb");
	size_t n;
	int i;

	assert_non_null(f);
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		EVP_DigestUpdate(ctx, buf, n);
	EVP_DigestFinal_ex(ctx, md, NULL);
	EVP_MD_CTX_free(ctx);
	fclose(f);
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Reads ARGS (one argument per line) into argv after "posture check". */
static int read_args(const char *path, char **argv, int max)
{
	char line[1024];
	int n = 0;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	argv[n++] = (char *)tu_posture();
	argv[n++] = "check";
	argv[n++] = "--format";
	argv[n++] = "json";
	while (fgets(line, sizeof(line), f) != NULL && n < max - 1) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '\0')
			argv[n++] = strdup(line);
	}
	fclose(f);
	argv[n] = NULL;
	return n;
}

static void check_report_form(const json_t *doc, char **argv, int argc)
{
	const char *policy = NULL;
	char sha[65];
	int i;

	assert_string_equal(json_string_value(json_object_get(doc, "schema")), "posture.report/1");
	assert_true(
	    tu_matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
	               json_string_value(json_object_get(doc, "report_id"))));
	assert_true(tu_matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
	                       json_string_value(json_object_get(doc, "generated_at"))));
	for (i = 0; i < argc - 1; i++)
		if (strcmp(argv[i], "--policy") == 0)
			policy = argv[i + 1];
	assert_non_null(policy);
	file_sha256(policy, sha);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(doc, "policy"), "sha256")), sha);
}

static void cases(void **state)
{
	DIR *d = opendir("tests/cli/cases");
	struct dirent *de;
	int n_cases = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char path[1024], where[512] = "report", *argv[64], *out = NULL;
		json_t *want, *got, *report;
		json_error_t jerr;
		int argc, rc, i;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "tests/cli/cases/%s/args", de->d_name);
		argc = read_args(path, argv, 64);
		rc = tu_run(argv, &out, NULL);
		got = json_loads(out, 0, &jerr);
		if (got == NULL)
			fail_msg("%s: output is not JSON: %s\n%s", de->d_name, jerr.text, out);
		check_report_form(got, argv, argc);
		snprintf(path, sizeof(path), "tests/cli/cases/%s/expected.json", de->d_name);
		if (getenv("POSTURE_UPDATE_EXPECTED") != NULL) {
			/* What depends on when the test runs is left out. */
			static const char *const volatile_keys[] = { "last_update_check",
				                                     "days_since_update_check",
				                                     "age_seconds", "modified",
				                                     NULL };
			size_t r, k;

			json_object_del(got, "report_id");
			json_object_del(got, "generated_at");
			for (r = 0; r < json_array_size(json_object_get(got, "results")); r++) {
				json_t *obs = json_object_get(
				    json_array_get(json_object_get(got, "results"), r), "observed");

				for (k = 0; volatile_keys[k] != NULL; k++)
					json_object_del(obs, volatile_keys[k]);
			}
			want = json_pack("{s:i, s:O}", "exit", rc, "report", got);
			json_dump_file(want, path, JSON_INDENT(2));
			json_decref(want);
		}
		want = json_load_file(path, 0, &jerr);
		if (want == NULL)
			fail_msg("%s: %s", path, jerr.text);
		if (json_integer_value(json_object_get(want, "exit")) != rc)
			fail_msg("%s: exit %d, want %d", de->d_name, rc,
			         (int)json_integer_value(json_object_get(want, "exit")));
		report = json_object_get(want, "report");
		if (!json_subset(report, got, where, sizeof(where))) {
			char *g = json_dumps(got, JSON_INDENT(2));

			fail_msg("%s: %s differs; got:\n%s", de->d_name, where, g);
		}
		print_message("case %s: exit %d, %zu results as expected\n", de->d_name, rc,
		              json_array_size(json_object_get(got, "results")));
		json_decref(want);
		json_decref(got);
		free(out);
		for (i = 4; i < argc; i++)
			free(argv[i]);
		n_cases++;
	}
	closedir(d);
	assert_true(n_cases >= 4);
}

static void bad_policies(void **state)
{
	DIR *d = opendir("tests/cli/bad");
	struct dirent *de;
	int n_cases = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char path[1024], expect[512], want[1100], *err = NULL, *nl;
		char *argv[] = {
			(char *)tu_posture(), "check", "--root", "tests/fixtures/roots/debian12",
			"--policy",           path,    NULL
		};
		size_t n_lines = 0;
		const char *p;
		FILE *f;
		int rc;

		if (strstr(de->d_name, ".ini") == NULL)
			continue;
		snprintf(path, sizeof(path), "tests/cli/bad/%s", de->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_non_null(fgets(expect, sizeof(expect), f));
		fclose(f);
		assert_true(strncmp(expect, "; expect: ", 10) == 0);
		expect[strcspn(expect, "\n")] = '\0';
		snprintf(want, sizeof(want), "%s:%s", path, expect + 10);
		rc = tu_run(argv, NULL, &err);
		if (rc != 2)
			fail_msg("%s: exit %d, want 2; stderr:\n%s", de->d_name, rc, err);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("%s:\n want: %s\n  got: %s", de->d_name, want, err);
		/* Exactly one error line names the file. */
		for (p = err; (p = strstr(p, path)) != NULL; p++)
			if (p == err || p[-1] == '\n')
				n_lines++;
		nl = strchr(err, '\n');
		assert_non_null(nl);
		if (n_lines != 1)
			fail_msg("%s: %zu error lines:\n%s", de->d_name, n_lines, err);
		free(err);
		n_cases++;
	}
	closedir(d);
	print_message("%d refused policies, each with its one FILE:LINE error and exit 2\n",
	              n_cases);
	assert_true(n_cases >= 30);
}

static void unreadable_policies(void **state)
{
	char *missing[] = { (char *)tu_posture(), "check", "--policy", "/nonexistent/policy.ini",
		            NULL };
	char *dir[] = { (char *)tu_posture(), "check", "--policy", "tests", NULL };
	char *err = NULL;

	(void)state;
	assert_int_equal(tu_run(missing, NULL, &err), 2);
	assert_true(
	    strncmp(err, "/nonexistent/policy.ini:1: cannot read policy: No such file", 59) == 0);
	free(err);
	assert_int_equal(tu_run(dir, NULL, &err), 2);
	assert_true(strncmp(err, "tests:1: cannot read policy: Is a directory", 43) == 0);
	free(err);
}

/*
 * No local user can stall an evaluation: a FIFO planted where a probe
 * reads (a user's ~/.config/kscreenlockerrc), a policy that reads
 * /dev/zero or a FIFO. (The policy file itself may be a pipe: it is
 * root's to name.) Each run is under timeout(1), so a
 * regression fails (124) instead of hanging the suite. A backreference,
 * which can take minutes to match, is refused when the policy loads.
 */
static void planted_fifos_do_not_stall(void **state)
{
	char *root = tu_mkdtemp(), cmd[9000], *out = NULL, *err = NULL;
	char *sh[] = { "sh", "-c", cmd, NULL };

	(void)state;
	snprintf(cmd, sizeof(cmd),
	         "cp -a tests/fixtures/roots/desktop-kde-xfce/. %s/ && "
	         "rm %s/home/bob/.config/kscreenlockerrc && "
	         "mkfifo %s/home/bob/.config/kscreenlockerrc",
	         root, root, root);
	assert_int_equal(tu_run(sh, NULL, NULL), 0);
	snprintf(cmd, sizeof(cmd),
	         "timeout 60 %s check --format json --root %s --policy policies/baseline.ini",
	         tu_posture(), root);
	assert_int_equal(tu_run(sh, &out, NULL), 1);
	assert_true(tu_matches("\"id\": \"screen-lock\"", out));
	free(out);
	tu_write(root, "zero.ini",
	         "[policy]\nname = zero\n[check.z]\ntype = file_content\npath = /dev/zero\n"
	         "pattern = x\n[check.f]\ntype = file_content\npath = /fifo\npattern = x\n");
	snprintf(cmd, sizeof(cmd), "mkfifo %s/fifo", root);
	assert_int_equal(tu_run(sh, NULL, NULL), 0);
	snprintf(
	    cmd, sizeof(cmd),
	    "timeout 60 %s check --format json --policy %s/zero.ini | grep -c 'not a regular "
	    "file'; timeout 60 %s check --format json --root %s --policy %s/zero.ini | grep -c "
	    "'not a regular file'",
	    tu_posture(), root, tu_posture(), root, root);
	tu_run(sh, &out, &err);
	if (!tu_matches("^[1-9][0-9]*\n[1-9][0-9]*\n$", out))
		fprintf(stderr,
		        "expected both checks refused as 'not a regular file'; got %s / %s\n", out,
		        err);
	assert_true(tu_matches("^[1-9][0-9]*\n[1-9][0-9]*\n$", out));
	free(out);
	free(err);
	tu_write(root, "backref.ini",
	         "[policy]\nname = b\n[check.b]\ntype = file_content\npath = /etc/hosts\n"
	         "pattern = ^(a*)*\\1\\1\\1b$\n");
	snprintf(cmd, sizeof(cmd), "timeout 60 %s check --policy %s/backref.ini", tu_posture(),
	         root);
	assert_int_equal(tu_run(sh, NULL, &err), 2);
	assert_true(tu_matches("uses a backreference", err));
	free(err);
	tu_rm_rf(root);
	free(root);
}

/* 16. Each command's --help prints its own usage and options. */
static void each_command_has_its_help(void **state)
{
	static const char *const want[][2] = {
		{ "check", "^Usage: posture check .*--format FORMAT" },
		{ "status", "^Usage: posture status .*--socket PATH" },
		{ "run", "^Usage: posture run .*--once .*4 \\(--once\\) reports stay" },
		{ "enroll", "^Usage: posture enroll .*--secret-file FILE" },
		{ "policy", "^Usage: posture policy intune-rules .*--more-info URL" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char *argv[] = { (char *)tu_posture(), (char *)want[i][0], "--help", NULL };
		char *out = NULL;

		assert_int_equal(tu_run(argv, &out, NULL), 0);
		for (char *p = out; *p; p++)
			if (*p == '\n')
				*p = ' ';
		if (!tu_matches(want[i][1], out))
			fprintf(stderr, "posture %s --help: expected /%s/; got:\n%s\n", want[i][0],
			        want[i][1], out);
		assert_true(tu_matches(want[i][1], out));
		free(out);
	}
}

/* 16. A fresh machine: no policy installed is said as such, with the
 * command to run, not as a refused policy. */
static void no_policy_installed(void **state)
{
	char *dir = tu_mkdtemp(), conf[4300], text[4400], *err = NULL;
	char *argv[] = { (char *)tu_posture(), "check", "--config", conf, NULL };

	(void)state;
	snprintf(text, sizeof(text), "[agent]\npolicy = %s/none.ini\n", dir);
	tu_write(dir, "posture.ini", text);
	snprintf(conf, sizeof(conf), "%s/posture.ini", dir);
	assert_int_equal(tu_run(argv, NULL, &err), 2);
	if (!tu_matches("^posture: no policy is installed \\(.*/none.ini does not exist\\)", err))
		fprintf(stderr, "expected 'no policy is installed'; got:\n%s\n", err);
	assert_true(
	    tu_matches("^posture: no policy is installed \\(.*/none.ini does not exist\\)", err));
	assert_true(tu_matches("posture check --policy .*/policies/baseline.ini", err));
	assert_null(strstr(err, "refused"));
	free(err);
	tu_rm_rf(dir);
	free(dir);
}

static void usage_errors(void **state)
{
	char *a[] = { (char *)tu_posture(),    "check", "--format", "xml", "--policy",
		      "policies/baseline.ini", NULL };
	char *b[] = { (char *)tu_posture(), "check", "--no-such-option", NULL };
	char *c[] = { (char *)tu_posture(), "check", "--policy", NULL };
	char *d[] = { (char *)tu_posture(), "frobnicate", NULL };
	char *e[] = { (char *)tu_posture(), NULL };
	char *f[] = { (char *)tu_posture(),    "check", "--root", "/nonexistent-root", "--policy",
		      "policies/baseline.ini", NULL };
	char *v[] = { (char *)tu_posture(), "version", NULL };
	char *err = NULL, *out = NULL;

	(void)state;
	assert_int_equal(tu_run(a, NULL, &err), 2);
	assert_non_null(strstr(err, "--format: 'xml' is not text, json, jamf or intune"));
	free(err);
	assert_int_equal(tu_run(b, NULL, NULL), 2);
	assert_int_equal(tu_run(c, NULL, &err), 2);
	assert_non_null(strstr(err, "--policy needs a value"));
	free(err);
	assert_int_equal(tu_run(d, NULL, NULL), 2);
	assert_int_equal(tu_run(e, NULL, NULL), 2);
	assert_int_equal(tu_run(f, NULL, &err), 2);
	assert_non_null(strstr(err, "/nonexistent-root"));
	free(err);
	assert_int_equal(tu_run(v, &out, NULL), 0);
	assert_true(tu_matches("^posture [0-9]+\\.[0-9]+\\.[0-9]+\n$", out));
	free(out);
}

static void text_output(void **state)
{
	char *argv[] = { (char *)tu_posture(),
		         "check",
		         "--root",
		         "tests/fixtures/roots/debian12",
		         "--policy",
		         "tests/cli/cases/debian12-mixed/policy.ini",
		         NULL };
	char *out = NULL, *line, *save = NULL, *last = NULL;
	size_t n_checks = 0, n_fix = 0;

	(void)state;
	assert_int_equal(tu_run(argv, &out, NULL), 1);
	assert_null(strchr(out, '\033')); /* not a terminal: no colour */
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (tu_matches("^(PASS |FAIL |ERROR|SKIP ) ", line))
			n_checks++;
		else if (tu_matches("^ +fix: ", line))
			n_fix++;
		last = line;
	}
	assert_int_equal(n_checks, 13);
	assert_int_equal(n_fix, 5); /* one under each failure */
	assert_true(tu_matches("^NOT COMPLIANT: 6 pass, 5 fail, 1 error, 1 skip; policy mixed 7 on "
	                       "laptop-17$",
	                       last));
	free(out);
}

static void colour_only_on_terminals(void **state)
{
	char cmd[512], *out = NULL;
	char *argv[] = { "script", "-qec", cmd, "/dev/null", NULL };
	char *env_argv[] = { "env", "NO_COLOR=1", "script", "-qec", cmd, "/dev/null", NULL };

	(void)state;
	snprintf(cmd, sizeof(cmd),
	         "%s check --root tests/fixtures/roots/debian12 --policy "
	         "policies/baseline.ini",
	         tu_posture());
	unsetenv("NO_COLOR");
	tu_run(argv, &out, NULL);
	assert_non_null(strstr(out, "\033[32mPASS"));
	free(out);
	tu_run(env_argv, &out, NULL);
	assert_non_null(strstr(out, "PASS"));
	assert_null(strchr(out, '\033'));
	free(out);
}

/*
 * The MDM outputs on the debian12 fixture: Jamf's extension attribute
 * (<result>...</result>, nothing else on stdout), Intune's discovery line
 * (one line of JSON) and the rules JSON in Microsoft's schema (operators and
 * data types from its documented sets, an en_US remediation string, a
 * MoreInfoUrl), whose settings are exactly the discovery line's; both
 * formats exit 0 whatever the verdict.
 */
static void mdm_outputs(void **state)
{
	char *dir = tu_mkdtemp(), policy[4200], *out = NULL, *err = NULL;
	json_t *values, *rules, *rule;
	size_t i;

	(void)state;
	tu_write(dir, "p.ini",
	         "[policy]\nname = mdm\n"
	         "[check.os-release]\ntype = os_version\ndebian = 12\n"
	         "[check.openssl]\ntype = package_version\npackage = openssl\n"
	         "min_version = 99\nseverity = high\n");
	tu_write(dir, "ok.ini",
	         "[policy]\nname = ok\n[check.os-release]\ntype = os_version\ndebian = 12\n");
	snprintf(policy, sizeof(policy), "%s/p.ini", dir);
	{
		char *argv[] = { (char *)tu_posture(),
			         "check",
			         "--root",
			         "tests/fixtures/roots/debian12",
			         "--policy",
			         policy,
			         "--format",
			         "jamf",
			         NULL };

		assert_int_equal(tu_run(argv, &out, &err), 0);
		assert_string_equal(out, "<result>Non-compliant: openssl</result>\n");
		free(out);
		free(err);
		argv[7] = "intune";
		assert_int_equal(tu_run(argv, &out, &err), 0);
		assert_int_equal(strchr(out, '\n') - out, (long)strlen(out) - 1); /* one line */
		values = json_loads(out, 0, NULL);
		assert_non_null(values);
		assert_true(json_is_false(json_object_get(values, "PostureCompliant")));
		assert_int_equal(json_integer_value(json_object_get(values, "PostureFailed")), 1);
		assert_true(json_is_true(json_object_get(values, "os-release")));
		assert_true(json_is_false(json_object_get(values, "openssl")));
		free(out);
		free(err);
		snprintf(policy, sizeof(policy), "%s/ok.ini", dir);
		argv[7] = "jamf";
		assert_int_equal(tu_run(argv, &out, &err), 0);
		assert_string_equal(out, "<result>Compliant</result>\n");
		free(out);
		free(err);
	}
	snprintf(policy, sizeof(policy), "%s/p.ini", dir);
	{
		char *argv[] = { (char *)tu_posture(),
			         "policy",
			         "intune-rules",
			         policy,
			         "--more-info",
			         "https://it.example.com/posture",
			         NULL };
		static const char *const operators[] = { "IsEquals",    "NotEquals",
			                                 "GreaterThan", "GreaterEquals",
			                                 "LessThan",    "LessEquals" };
		static const char *const types[] = { "Boolean", "Int64",    "Double",
			                             "String",  "DateTime", "Version" };

		assert_int_equal(tu_run(argv, &out, &err), 0);
		rules = json_loads(out, 0, NULL);
		free(out);
		free(err);
		assert_non_null(rules);
		assert_int_equal(json_array_size(json_object_get(rules, "Rules")), 3);
		json_array_foreach (json_object_get(rules, "Rules"), i, rule) {
			const char *name = json_string_value(json_object_get(rule, "SettingName"));
			const char *op = json_string_value(json_object_get(rule, "Operator"));
			const char *type = json_string_value(json_object_get(rule, "DataType"));
			json_t *en = json_array_get(json_object_get(rule, "RemediationStrings"), 0);
			int op_ok = 0, type_ok = 0;

			for (size_t k = 0; k < 6; k++) {
				op_ok |= op && strcmp(op, operators[k]) == 0;
				type_ok |= type && strcmp(type, types[k]) == 0;
			}
			assert_true(op_ok && type_ok);
			assert_non_null(name);
			/* the rule's setting is what the discovery line reports */
			assert_non_null(json_object_get(values, name));
			assert_true(json_is_boolean(json_object_get(rule, "Operand")));
			assert_string_equal(json_string_value(json_object_get(rule, "MoreInfoUrl")),
			                    "https://it.example.com/posture");
			assert_string_equal(json_string_value(json_object_get(en, "Language")),
			                    "en_US");
			assert_true(strlen(json_string_value(json_object_get(en, "Title"))) > 0);
			assert_true(strlen(json_string_value(json_object_get(en, "Description"))) >
			            0);
		}
		json_decref(rules);
		argv[4] = NULL;
		assert_int_equal(tu_run(argv, NULL, &err), 2);
		assert_true(tu_matches("--more-info URL \\(https\\) is required", err));
		free(err);
	}
	json_decref(values);
	tu_rm_rf(dir);
	free(dir);
}

/* The MDM scripts of installer/mdm/ run against this build print what
 * their MDM reads. */
static void mdm_scripts(void **state)
{
	char posture[4200], *out = NULL;

	(void)state;
	snprintf(posture, sizeof(posture), "POSTURE=%s", tu_posture());
	{
		/* the agent's default policy path may not exist here: the
		 * scripts still answer in their MDM's form */
		char *argv[] = { "env", posture, "sh",
			         "installer/mdm/jamf/posture-extension-attribute.sh", NULL };

		assert_int_equal(tu_run(argv, &out, NULL), 0);
		assert_true(tu_matches("^<result>(Compliant|Non-compliant: [^<]+|Unknown: [^<]+)"
		                       "</result>\n$",
		                       out));
		free(out);
		argv[3] = "installer/mdm/intune/posture-discovery.sh";
		assert_int_equal(tu_run(argv, &out, NULL), 0);
		{
			json_t *doc = json_loads(out, 0, NULL);

			assert_non_null(doc);
			assert_true(json_is_boolean(json_object_get(doc, "PostureCompliant")));
			json_decref(doc);
		}
		free(out);
		argv[1] = "POSTURE=/nonexistent/posture";
		argv[3] = "installer/mdm/jamf/posture-extension-attribute.sh";
		assert_int_equal(tu_run(argv, &out, NULL), 0);
		assert_string_equal(out, "<result>Unknown: posture is not installed</result>\n");
		free(out);
	}
}

/* The macOS and MDM files parse: property lists by Python's plistlib, the
 * scripts by sh -n. */
static void installer_files_parse(void **state)
{
	static const char *const plists[] = { "installer/macos/com.posture.agent.plist",
		                              "installer/macos/pppc.mobileconfig",
		                              "installer/macos/managed-preferences.mobileconfig" };
	static const char *const scripts[] = {
		"installer/macos/scripts/preinstall",
		"installer/macos/scripts/postinstall",
		"installer/macos/uninstall.sh",
		"installer/mdm/jamf/posture-extension-attribute.sh",
		"scripts/build-pkg.sh",
		"installer/mdm/shell/rollout.sh",
		"installer/mdm/kandji/posture-audit.sh",
		"installer/debian/postinst",
		"installer/debian/prerm",
		"installer/debian/postrm",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(plists) / sizeof(plists[0]); i++) {
		char *argv[] = {
			"python3", "-c",
			"import plistlib, sys; d = plistlib.load(open(sys.argv[1], 'rb')); "
			"assert isinstance(d, dict) and d",
			(char *)plists[i], NULL
		};

		if (tu_run(argv, NULL, NULL) != 0)
			fail_msg("%s is not a property list", plists[i]);
	}
	for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		char *argv[] = { "sh", "-n", (char *)scripts[i], NULL };

		if (tu_run(argv, NULL, NULL) != 0)
			fail_msg("%s: sh -n fails", scripts[i]);
	}
}

static void ids(void **state)
{
	char *argv[] = { (char *)tu_posture(),    "check", "--format", "json", "--policy",
		         "policies/baseline.ini", NULL };
	char *oracle[] = { "systemd-id128", "machine-id",
		           "--app-specific=e104042aefe64229a0f308c3cbc7e0e4", "-u", NULL };
	char *out1 = NULL, *out2 = NULL, *want = NULL;
	json_t *a, *b;
	const char *id1, *id2;

	(void)state;
	tu_run(argv, &out1, NULL);
	tu_run(argv, &out2, NULL);
	a = json_loads(out1, 0, NULL);
	b = json_loads(out2, 0, NULL);
	assert_non_null(a);
	assert_non_null(b);
	/* A fresh report id per evaluation, the same device id every time. */
	assert_string_not_equal(json_string_value(json_object_get(a, "report_id")),
	                        json_string_value(json_object_get(b, "report_id")));
	id1 = json_string_value(json_object_get(json_object_get(a, "device"), "id"));
	id2 = json_string_value(json_object_get(json_object_get(b, "device"), "id"));
	if (id1 != NULL) {
		assert_string_equal(id1, id2);
		/* systemd's own derivation of an app-specific id is the oracle. */
		if (tu_run(oracle, &want, NULL) == 0) {
			want[strcspn(want, "\n")] = '\0';
			assert_string_equal(id1, want);
		}
		free(want);
	}
	json_decref(a);
	json_decref(b);
	free(out1);
	free(out2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cases),
		cmocka_unit_test(bad_policies),
		cmocka_unit_test(unreadable_policies),
		cmocka_unit_test(planted_fifos_do_not_stall),
		cmocka_unit_test(no_policy_installed),
		cmocka_unit_test(each_command_has_its_help),
		cmocka_unit_test(usage_errors),
		cmocka_unit_test(text_output),
		cmocka_unit_test(colour_only_on_terminals),
		cmocka_unit_test(mdm_outputs),
		cmocka_unit_test(mdm_scripts),
		cmocka_unit_test(installer_files_parse),
		cmocka_unit_test(ids),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
