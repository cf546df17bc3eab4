/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inifile: see inifile.h for the rules.
 */
#include "inifile.h"

#include <ctype.h>
#include <string.h>

#define MAX_SECTION 50
#define MAX_NAME 50

static char *trim_end(char *s)
{
	char *p = s + strlen(s);

	while (p > s && isspace((unsigned char)p[-1]))
		*--p = '\0';
	return s;
}

static char *skip_space(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return (char *)s;
}

/* The first of CHARS (NULL: none) or the start of an inline comment (a ';'
 * after white space) in S, or S's end. */
static char *find_stop(const char *s, const char *chars)
{
	int after_space = 0;

	while (*s && !(chars != NULL && strchr(chars, *s)) && !(after_space && *s == ';')) {
		after_space = isspace((unsigned char)*s) != 0;
		s++;
	}
	return (char *)s;
}

/* Copies at most SIZE - 1 bytes of SRC and a NUL. */
static void copy_cut(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (n > size - 1)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int inifile_parse_stream(inifile_reader reader, void *stream, inifile_handler handler, void *user)
{
	char line[INIFILE_MAX_LINE];
	char section[MAX_SECTION] = "";
	char prev_name[MAX_NAME] = "";
	int lineno = 0, error = 0;

	while (reader(line, (int)sizeof(line), stream) != NULL) {
		char *start = line, *end;

		lineno++;
		if (lineno == 1 && (unsigned char)start[0] == 0xEF &&
		    (unsigned char)start[1] == 0xBB && (unsigned char)start[2] == 0xBF)
			start += 3;
		start = skip_space(trim_end(start));
		if (*start == '\0' || *start == ';' || *start == '#')
			continue;
		if (prev_name[0] != '\0' && start > line) {
			/* a continuation of the key before, as it is: inih 55
			 * looks for no inline comment there */
			if (!handler(user, section, prev_name, start) && !error)
				error = lineno;
		} else if (*start == '[') {
			end = find_stop(start + 1, "]");
			if (*end == ']') {
				*end = '\0';
				copy_cut(section, start + 1, sizeof(section));
				prev_name[0] = '\0';
			} else if (!error)
				error = lineno;
		} else {
			char *name, *value;

			end = find_stop(start, "=:");
			if (*end != '=' && *end != ':') {
				if (!error)
					error = lineno;
				continue;
			}
			*end = '\0';
			name = trim_end(start);
			value = end + 1;
			end = find_stop(value, NULL);
			*end = '\0';
			value = trim_end(skip_space(value));
			copy_cut(prev_name, name, sizeof(prev_name));
			if (!handler(user, section, name, value) && !error)
				error = lineno;
		}
	}
	return error;
}

/* The reader over a string: up to NUM - 1 bytes, ending after a newline. */
struct string_stream {
	const char *p;
};

static char *string_reader(char *str, int num, void *stream)
{
	struct string_stream *s = stream;
	char *out = str;

	if (*s->p == '\0' || num < 2)
		return NULL;
	while (num > 1 && *s->p != '\0') {
		char c = *s->p++;

		*out++ = c;
		num--;
		if (c == '\n')
			break;
	}
	*out = '\0';
	return str;
}

int inifile_parse_string(const char *text, inifile_handler handler, void *user)
{
	struct string_stream s = { text };

	return inifile_parse_stream(string_reader, &s, handler, user);
}
