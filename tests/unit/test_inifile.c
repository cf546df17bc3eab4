/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inifile: the INI reader every platform builds, against Debian's libinih
 * (release 55, the oracle; linked statically here only): the same handler
 * calls with the same section, name and value, and the same error line, on
 * hand-picked corner cases and on 20,000 generated files.
 */
#include "testutil.h"

#include "../fuzz/inidiff.h"

static void agree(const char *text)
{
	struct inilog ours, theirs;

	inidiff_run(text, &ours, &theirs);
	if (ours.len != theirs.len || memcmp(ours.text, theirs.text, ours.len) != 0)
		fail_msg("on %s\nexpected (libinih):\n%.*s\ncame (inifile):\n%.*s", text,
		         (int)theirs.len, theirs.text, (int)ours.len, ours.text);
	free(ours.text);
	free(theirs.text);
}

static void corner_cases(void **state)
{
	static const char *const cases[] = {
		"",
		"a=1\n",
		"[s]\na = 1\nb : 2\n",
		"\xEF\xBB\xBF[s]\nk=v\n",
		"  \xEF\xBB\xBF[s]\n",
		"[s]\nk = v ; comment\nk2 = v;not a comment\n",
		"[s]\nk = v\n  continued\n\tmore ; c\n",
		"  indented = first\n",
		"[s]\n[t]\n  x\n",
		"[no close\nk=v\n",
		"[a ; b]\n",
		"[ spaced ]\nk=v\n",
		"[0123456789012345678901234567890123456789012345678901234567890]\nk=v\n",
		"just text\n",
		"=\n",
		" = x\n",
		":x\n",
		"k==v\n",
		"k:v=w\n",
		"# c\n; c\n\n\r\nk=v\r\n",
		"k = \n",
		"k=v\n   \n  cont\n",
		"0123456789012345678901234567890123456789012345678901234567890123=long name\n"
		"  cont\n",
		"k=v\n[s\n  cont\n",
		"a=1\nb=2\nc=3\nd=4\ne=5\nf=6\ng=7\n",
		"k = "
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"x"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"x"
		"= a line longer than the buffer\n",
		"k = v\n\f\v cont\n",
		"k\t=\tv\t;\tc\n",
		"\xff\xfe[s]\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		agree(cases[i]);
}

/* Files made of the characters that matter to the grammar, in lines of
 * random length; a fixed seed, so a failure repeats. */
static void generated(void **state)
{
	static const char alphabet[] = "[]=:;# \t\r\nab\xEF\xBB\xBF";
	unsigned long long seed = 0x9E3779B97F4A7C15ULL;
	char text[600];

	(void)state;
	for (int n = 0; n < 20000; n++) {
		size_t len;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		len = (size_t)(seed >> 33) % (sizeof(text) - 1);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			text[i] = alphabet[(seed >> 33) % (sizeof(alphabet) - 1)];
		}
		text[len] = '\0';
		agree(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corner_cases),
		cmocka_unit_test(generated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
