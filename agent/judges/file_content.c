/* SPDX-License-Identifier: Apache-2.0 */
/*
 * file_content: the judge (see lib/checks/file_content.c for the keys).
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "judges.h"
#include "engine.h"

struct scan {
	const regex_t *re;
	int skip_comments;
	long match_line;
	char *line_buf;
	size_t line_cap;
};

static int on_line(void *user, const char *line, size_t len, long line_no)
{
	struct scan *s = user;
	const char *p = line;

	if (s->skip_comments) {
		while (p < line + len && (*p == ' ' || *p == '\t'))
			p++;
		if (p < line + len && *p == '#')
			return 0;
	}
	if (len + 1 > s->line_cap) {
		char *bigger = realloc(s->line_buf, len + 1);

		if (bigger == NULL)
			return 0;
		s->line_buf = bigger;
		s->line_cap = len + 1;
	}
	memcpy(s->line_buf, line, len);
	s->line_buf[len] = '\0';
	if (regexec(s->re, s->line_buf, 0, NULL, 0) == 0) {
		s->match_line = line_no;
		return 1;
	}
	return 0;
}

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	const char *path = check_value(c, "path")->text;
	const char *pattern = check_value(c, "pattern")->text;
	int must_match = (int)check_value(c, "must_match")->num;
	struct scan s = { .re = c->priv,
		          .skip_comments = (int)check_value(c, "skip_comments")->num };
	char err[512];
	int rc;

	json_object_set_new(r->observed, "path", json_string(path));
	json_object_set_new(r->expected, "pattern", json_string(pattern));
	json_object_set_new(r->expected, "must_match", json_boolean(must_match));
	rc = probe_file_lines(ctx->root, path, on_line, &s, err, sizeof(err));
	free(s.line_buf);
	if (result_unsupported(r, rc, err))
		return;
	if (rc == -ENOENT) {
		json_object_set_new(r->observed, "exists", json_false());
		result_missing(r, check_value(c, "if_missing")->num, "%s does not exist", path);
		return;
	}
	if (rc != 0) {
		result_set(r, STATUS_ERROR, "%s.", err);
		return;
	}
	json_object_set_new(r->observed, "exists", json_true());
	json_object_set_new(r->observed, "matched", json_boolean(s.match_line > 0));
	json_object_set_new(r->observed, "line",
	                    s.match_line > 0 ? json_integer(s.match_line) : json_null());
	if (must_match && s.match_line > 0)
		result_set(r, STATUS_PASS, "Line %ld of %s matches /%s/.", s.match_line, path,
		           pattern);
	else if (must_match)
		result_set(r, STATUS_FAIL, "No line of %s matches /%s/.", path, pattern);
	else if (s.match_line > 0)
		result_set(r, STATUS_FAIL, "Line %ld of %s matches /%s/, which must not appear.",
		           s.match_line, path, pattern);
	else
		result_set(r, STATUS_PASS, "No line of %s matches /%s/.", path, pattern);
}

const struct check_judge check_judge_file_content = {
	.evaluate = evaluate,
};
