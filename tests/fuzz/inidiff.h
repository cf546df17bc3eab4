/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inidiff: lib/inifile.c against Debian's libinih (the oracle) on one text:
 * both calls' handler events and error lines, as one log each. Shared by
 * tests/unit/test_inifile.c and tests/fuzz/fuzz_inifile.c.
 */
#ifndef POSTURE_INIDIFF_H
#define POSTURE_INIDIFF_H

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inifile.h"

struct inilog {
	char *text;
	size_t len, cap;
	int calls; /* the handler returns 0 on every third call: errors too */
};

static void inilog_add(struct inilog *l, const char *a, const char *b, const char *c)
{
	size_t need = strlen(a) + strlen(b) + strlen(c) + 8;

	if (l->len + need >= l->cap) {
		l->cap = (l->len + need) * 2;
		l->text = realloc(l->text, l->cap);
		if (l->text == NULL)
			abort();
	}
	l->len += (size_t)snprintf(l->text + l->len, l->cap - l->len, "[%s] %s=%s|\n", a, b, c);
}

static int inilog_handler(void *user, const char *section, const char *name, const char *value)
{
	struct inilog *l = user;

	inilog_add(l, section, name, value);
	return ++l->calls % 3 != 0;
}

/* Runs both parsers over TEXT (NUL-terminated); each log ends with the
 * returned error line. The caller frees both logs' text. */
static void inidiff_run(const char *text, struct inilog *ours, struct inilog *theirs)
{
	char rc[32];

	memset(ours, 0, sizeof(*ours));
	memset(theirs, 0, sizeof(*theirs));
	snprintf(rc, sizeof(rc), "%d", inifile_parse_string(text, inilog_handler, ours));
	inilog_add(ours, "=", "rc", rc);
	snprintf(rc, sizeof(rc), "%d", ini_parse_string(text, inilog_handler, theirs));
	inilog_add(theirs, "=", "rc", rc);
}

#endif
