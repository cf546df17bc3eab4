/* SPDX-License-Identifier: Apache-2.0 */
/*
 * file_content: a POSIX extended regular expression must (or must not)
 * match some line of a file, for the many settings that are one line of a
 * configuration file ("PermitRootLogin no").
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

static int validate_path(const char *text, char *err, size_t err_len)
{
	if (text[0] != '/') {
		snprintf(err, err_len, "'%s' is not an absolute path", text);
		return -1;
	}
	return 0;
}

/*
 * glibc's regcomp() expands repetitions into copies of their operand: "x+"
 * becomes "xx*" and "x{3}" three x's, so nesting them multiplies:
 * "((a{255}){255}){255}" or a run of a hundred '+' take gigabytes. A policy
 * must not be able to do that to the agent, so the size of the expanded
 * expression is estimated here and capped.
 */
#define MAX_REGEX_SIZE 20000
#define MAX_REGEX_DEPTH 32

static int regex_size_ok(const char *p, int *backref)
{
	double sum[MAX_REGEX_DEPTH + 1] = { 0 }, last[MAX_REGEX_DEPTH + 1] = { 0 };
	int depth = 0;

	for (; *p; p++) {
		double mult = 1;

		switch (*p) {
		case '(':
			if (++depth > MAX_REGEX_DEPTH)
				return 0;
			sum[depth] = 0;
			last[depth] = 0;
			continue;
		case ')':
			if (depth == 0) {
				last[0] = 1;
				sum[0] += 1;
				continue;
			}
			depth--;
			last[depth] = sum[depth + 1] + 1;
			sum[depth] += last[depth];
			continue;
		case '+':
			mult = 2;
			break;
		case '*':
		case '?':
		case '|':
			continue;
		case '{': {
			unsigned long lo = 0, hi;
			const char *q;

			for (q = p + 1; *q >= '0' && *q <= '9' && lo <= 100000; q++)
				lo = lo * 10 + (unsigned long)(*q - '0');
			hi = lo;
			if (*q == ',') {
				hi = 0;
				for (q++; *q >= '0' && *q <= '9' && hi <= 100000; q++)
					hi = hi * 10 + (unsigned long)(*q - '0');
				if (hi < lo)
					hi = lo;
			}
			if (*q != '}' || q == p + 1)
				goto atom; /* a literal '{' */
			p = q;
			mult = hi > 1 ? (double)hi : 1;
			break;
		}
		case '[':
			/* A bracket expression is one node: skip to its ']', which
			 * may come first ("[]a]", "[^]a]") and may not end a class
			 * name ("[[:space:]]"). */
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p && *p != ']') {
				if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
					const char *end = strstr(p + 2, p[1] == ':'   ? ":]"
					                                : p[1] == '.' ? ".]"
					                                              : "=]");

					if (end == NULL)
						return 1; /* regcomp() will refuse it */
					p = end + 2;
					continue;
				}
				p++;
			}
			if (*p == '\0')
				return 1;
			goto atom;
		case '\\':
			if (p[1] >= '1' && p[1] <= '9')
				*backref = 1;
			if (p[1] != '\0')
				p++;
			goto atom;
		default:
			goto atom;
		}
		/* A repetition of the last element. */
		sum[depth] += last[depth] * (mult - 1);
		last[depth] *= mult;
		if (sum[depth] > MAX_REGEX_SIZE)
			return 0;
		continue;
atom:
		last[depth] = 1;
		sum[depth] += 1;
	}
	return sum[0] <= MAX_REGEX_SIZE;
}

static int validate_regex(const char *text, char *err, size_t err_len)
{
	regex_t re;
	int rc;

	int backref = 0;

	if (!regex_size_ok(text, &backref)) {
		snprintf(err, err_len,
		         "'%s' repeats too much: nested repetitions expand past %d elements", text,
		         MAX_REGEX_SIZE);
		return -1;
	}
	/* without backreferences glibc matches without backtracking, in time
	 * bounded by the line's length times the expression's size; with them
	 * "^(a*)*\\1\\1b$" takes minutes on a short line */
	if (backref) {
		snprintf(err, err_len,
		         "'%s' uses a backreference (\\1-\\9), which can take exponential time; "
		         "write the pattern without one",
		         text);
		return -1;
	}
	rc = regcomp(&re, text, REG_EXTENDED | REG_NOSUB);

	if (rc != 0) {
		char why[128];

		regerror(rc, &re, why, sizeof(why));
		snprintf(err, err_len, "'%s' is not a POSIX extended regular expression: %s", text,
		         why);
		return -1;
	}
	regfree(&re);
	return 0;
}

static const struct key_spec keys[] = {
	{ .name = "path", .kind = KEY_STRING, .required = 1, .validate = validate_path },
	{ .name = "pattern", .kind = KEY_STRING, .required = 1, .validate = validate_regex },
	{ .name = "must_match", .kind = KEY_BOOL, .def = "true" },
	{ .name = "ignore_case", .kind = KEY_BOOL, .def = "false" },
	{ .name = "skip_comments", .kind = KEY_BOOL, .def = "true" },
	{ .name = "if_missing", .kind = KEY_ENUM, .def = "skip", .choices = if_missing_choices },
	{ .name = NULL },
};

static void free_priv(void *priv)
{
	regfree(priv);
	free(priv);
}

static int validate(struct check *c, const struct policy_env *env, struct diags *d)
{
	regex_t *re = calloc(1, sizeof(*re));
	int flags = REG_EXTENDED | REG_NOSUB;

	(void)env;
	if (re == NULL)
		return -1;
	if (check_value(c, "ignore_case")->num)
		flags |= REG_ICASE;
	if (regcomp(re, check_value(c, "pattern")->text, flags) != 0) {
		free(re);
		diags_add(d, check_value(c, "pattern")->line,
		          "[check.%s] pattern: does not compile", c->id);
		return -1;
	}
	c->priv = re;
	return 0;
}

static void default_title(const struct check *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s /%s/", check_value(c, "path")->text,
	         check_value(c, "must_match")->num ? "matches" : "does not match",
	         check_value(c, "pattern")->text);
}

const struct check_type check_type_file_content = {
	.name = "file_content",
	.keys = keys,
	.validate = validate,
	.free_priv = free_priv,
	.default_title = default_title,
	.remediation = "Edit the file so that the setting is as the policy requires.",
};
