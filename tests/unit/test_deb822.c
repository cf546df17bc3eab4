/* SPDX-License-Identifier: Apache-2.0 */
/*
 * deb822: stanzas, field names in any case, continuation lines, lines longer
 * than the read window, chunk boundaries anywhere, a missing final newline.
 */
#include "deb822.h"
#include "testutil.h"

struct mem {
	const char *data;
	size_t size, pos, step;
};

static ssize_t mem_read(void *src, char *buf, size_t len)
{
	struct mem *m = src;
	size_t n = m->size - m->pos;

	if (n > len)
		n = len;
	if (n > m->step)
		n = m->step;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

struct seen {
	char names[8][64];
	char versions[8][64];
	long lines[8];
	size_t n;
};

static int collect(void *user, const struct deb822_stanza *s)
{
	struct seen *seen = user;

	if (seen->n < 8) {
		snprintf(seen->names[seen->n], 64, "%s", s->values[0] ? s->values[0] : "(none)");
		snprintf(seen->versions[seen->n], 64, "%s", s->values[1] ? s->values[1] : "(none)");
		seen->lines[seen->n] = s->line;
	}
	seen->n++;
	return 0;
}

static void parse_all_steps(const char *text, struct seen *out)
{
	static const char *const fields[] = { "Package", "Version" };
	size_t step;

	/* The same answer whatever the chunk boundaries. */
	for (step = 1; step <= 70; step += 23) {
		struct mem m = { .data = text, .size = strlen(text), .step = step };
		struct seen seen = { 0 };

		assert_int_equal(deb822_parse(mem_read, &m, fields, 2, collect, &seen), 0);
		if (step == 1)
			*out = seen;
		assert_int_equal(seen.n, out->n);
		assert_memory_equal(&seen, out, sizeof(seen));
	}
}

static void stanzas(void **state)
{
	struct seen s;

	(void)state;
	parse_all_steps("Package: a\nStatus: install ok installed\nversion: 1.0\n"
	                "Description: first\n Package: not-a-field\n .\n"
	                "\n\n"
	                "PACKAGE: b\r\nVersion:   2:3-4  \r\n"
	                " \t\n"
	                "Package: c\nVersion: 5",
	                &s);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.names[0], "a");
	assert_string_equal(s.versions[0], "1.0");
	assert_int_equal(s.lines[0], 1);
	assert_string_equal(s.names[1], "b");
	assert_string_equal(s.versions[1], "2:3-4");
	assert_int_equal(s.lines[1], 9);
	assert_string_equal(s.names[2], "c");
	assert_string_equal(s.versions[2], "5");
}

static void long_lines(void **state)
{
	size_t big = 200 * 1024;
	char *text = malloc(big + 256);
	struct seen s;
	size_t n;

	(void)state;
	n = (size_t)snprintf(text, 256, "Package: long\nDepends: ");
	memset(text + n, 'x', big);
	n += big;
	n += (size_t)snprintf(text + n, 256 - 24, "\nVersion: 7\n\nPackage: next\nVersion: 8\n");
	parse_all_steps(text, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.versions[0], "7");
	assert_string_equal(s.names[1], "next");
	free(text);
}

static int collect_uris(void *user, const struct deb822_stanza *s)
{
	char *out = user;

	if (s->values[0] != NULL)
		snprintf(out + strlen(out), 1024 - strlen(out), "[%s|%s]", s->values[0],
		         s->values[1] ? s->values[1] : "-");
	return 0;
}

/* DEB822_FOLD, as apt's .sources need it: continuation lines join the
 * field with one space; a comment inside a stanza, and one before the
 * first, are skipped; a line of blanks ends a stanza; deb822_read_mem. */
static void folded_fields(void **state)
{
	static const char text[] = "# comment before the first stanza\n"
	                           "Types: deb\n"
	                           "URIs: http://deb.debian.org/debian\n"
	                           "  http://mirror.example/debian   \n"
	                           "# a comment inside\n"
	                           "\thttp://third.example/debian\n"
	                           "Suites: bookworm\n"
	                           " bookworm-updates\n"
	                           " \t\n"
	                           "Types: deb\n"
	                           "URIs: file:/srv\n";
	static const char *const fields[] = { "URIs", "Suites" };
	struct deb822_mem m = { text, sizeof(text) - 1 };
	char out[1024] = "";

	(void)state;
	assert_int_equal(
	    deb822_parse_flags(deb822_read_mem, &m, fields, 2, DEB822_FOLD, collect_uris, out), 0);
	assert_string_equal(out, "[http://deb.debian.org/debian http://mirror.example/debian "
	                         "http://third.example/debian|bookworm bookworm-updates]"
	                         "[file:/srv|-]");
	/* without the flag, the first line only */
	m.p = text;
	m.left = sizeof(text) - 1;
	out[0] = '\0';
	assert_int_equal(deb822_parse(deb822_read_mem, &m, fields, 2, collect_uris, out), 0);
	assert_string_equal(out, "[http://deb.debian.org/debian|bookworm][file:/srv|-]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stanzas),
		cmocka_unit_test(long_lines),
		cmocka_unit_test(folded_fields),
	};

	return cmocka_run_group_tests_name("deb822", tests, NULL, NULL);
}
