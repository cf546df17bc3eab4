/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one list of check types (lib/checktypes.h) against everything that
 * enumerates them by hand: every type has a spec and a judge, a section in
 * docs/POLICY.md naming each of its keys, in the list's order, an item in
 * posture-policy(5) naming each key, a check in tests/platform/every-type.ini
 * (which the platform-less build runs), and a seed of the policy fuzzer.
 * Adding a type (docs/internals/ADDING-A-CHECK.md) fails here until each is
 * written.
 */
#include "testutil.h"

#include <ctype.h>
#include <dirent.h>
#include <string.h>

#include "checks.h"
#include "judges.h"
#include "policy.h"

/* Whether WORD occurs in [FROM, TO) with no letter, digit or '_' around it. */
static int has_word(const char *from, const char *to, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = from; p + n <= to; p++) {
		if (memcmp(p, word, n) != 0)
			continue;
		if ((p == from || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
		    (p + n == to || !(isalnum((unsigned char)p[n]) || p[n] == '_')))
			return 1;
	}
	return 0;
}

static void every_type_has_spec_and_judge(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(CHECK_TYPE_COUNT, 16);
	for (i = 0; check_types[i] != NULL; i++) {
		const struct check_type *t = check_types[i];
		const struct check_judge *j = judge_for(t);

		assert_int_equal(check_type_index(t), i);
		if (t->keys == NULL || t->default_title == NULL || t->remediation == NULL ||
		    t->remediation[0] == '\0')
			fail_msg("%s: its spec lacks keys, a default title or a remediation",
			         t->name);
		if (j == NULL || j->evaluate == NULL)
			fail_msg("%s: no judge (agent/judges/%s.c)", t->name, t->name);
		assert_ptr_equal(check_type_find(t->name), t);
	}
	assert_int_equal(i, CHECK_TYPE_COUNT);
}

static void policy_md_documents_every_key(void **state)
{
	char *doc = tu_slurp("docs/POLICY.md");
	const char *last = doc;
	size_t i;

	(void)state;
	assert_non_null(doc);
	for (i = 0; check_types[i] != NULL; i++) {
		const struct check_type *t = check_types[i];
		char heading[96];
		const char *at, *end;
		size_t k;

		snprintf(heading, sizeof(heading), "\n### `%s`\n", t->name);
		at = strstr(doc, heading);
		if (at == NULL)
			fail_msg("docs/POLICY.md has no section '### `%s`'", t->name);
		if (at < last)
			fail_msg("docs/POLICY.md: '%s' comes before the type listed before it in "
			         "lib/checktypes.h",
			         t->name);
		last = at;
		end = strstr(at + strlen(heading), "\n#");
		if (end == NULL)
			end = doc + strlen(doc);
		for (k = 0; t->keys[k].name != NULL; k++) {
			char quoted[96];

			if (strcmp(t->keys[k].name, "*") == 0)
				continue;
			snprintf(quoted, sizeof(quoted), "`%s`", t->keys[k].name);
			if (strstr(at, quoted) == NULL || strstr(at, quoted) > end)
				fail_msg("docs/POLICY.md's section on %s does not name its key %s",
				         t->name, quoted);
		}
	}
	free(doc);
}

static void man_page_documents_every_key(void **state)
{
	char *man = tu_slurp("man/posture-policy.5");
	size_t i;

	(void)state;
	assert_non_null(man);
	for (i = 0; check_types[i] != NULL; i++) {
		const struct check_type *t = check_types[i];
		char item[96];
		const char *at, *end;
		size_t k;

		snprintf(item, sizeof(item), "\n.It Cm %s\n", t->name);
		at = strstr(man, item);
		if (at == NULL)
			fail_msg("man/posture-policy.5 has no '.It Cm %s'", t->name);
		at += strlen(item);
		end = strstr(at, "\n.It Cm ");
		if (end == NULL)
			end = strstr(at, "\n.El");
		assert_non_null(end);
		for (k = 0; t->keys[k].name != NULL; k++)
			if (strcmp(t->keys[k].name, "*") != 0 &&
			    !has_word(at, end, t->keys[k].name))
				fail_msg("posture-policy(5)'s item on %s does not name its key %s",
				         t->name, t->keys[k].name);
	}
	free(man);
}

static void every_type_in_the_none_policy_and_the_fuzz_seeds(void **state)
{
	char *ini = tu_slurp("tests/platform/every-type.ini"), want[96];
	struct policy *p = NULL;
	struct diags d;
	size_t i;

	(void)state;
	assert_non_null(ini);
	diags_init(&d, "tests/platform/every-type.ini");
	if (policy_load("tests/platform/every-type.ini", NULL, &p, &d) != 0) {
		diags_print(&d, stderr);
		fail_msg("tests/platform/every-type.ini is refused");
	}
	for (i = 0; check_types[i] != NULL; i++) {
		DIR *dir = opendir("tests/fuzz/corpus/fuzz_policy");
		struct dirent *de;
		int seeded = 0;

		snprintf(want, sizeof(want), "type = %s\n", check_types[i]->name);
		if (strstr(ini, want) == NULL)
			fail_msg("tests/platform/every-type.ini has no check of type %s",
			         check_types[i]->name);
		assert_non_null(dir);
		while (!seeded && (de = readdir(dir)) != NULL) {
			char path[600], *text;

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "tests/fuzz/corpus/fuzz_policy/%s",
			         de->d_name);
			text = tu_slurp(path);
			seeded = text != NULL && strstr(text, want) != NULL;
			free(text);
		}
		closedir(dir);
		if (!seeded)
			fail_msg("no seed in tests/fuzz/corpus/fuzz_policy has a check of type %s",
			         check_types[i]->name);
	}
	printf("registry: %zu check types, each documented, seeded and in every-type.ini\n", i);
	policy_free(p);
	diags_free(&d);
	free(ini);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_type_has_spec_and_judge),
		cmocka_unit_test(policy_md_documents_every_key),
		cmocka_unit_test(man_page_documents_every_key),
		cmocka_unit_test(every_type_in_the_none_policy_and_the_fuzz_seeds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
