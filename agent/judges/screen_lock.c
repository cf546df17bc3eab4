/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen_lock: the judge (see lib/checks/screen_lock.c for the keys).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "judges.h"
#include "engine.h"

static void append(char *buf, size_t len, const char *text)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s", used ? "; " : "", text);
}

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	int probe_rc;
	long long max_idle = check_value(c, "max_idle_seconds")->num;
	int need_lock = (int)check_value(c, "require_password")->num;
	struct lock_setting *s = NULL;
	size_t n = 0, i, bad = 0, unknown = 0;
	char bad_list[1024] = "", unknown_list[1024] = "", err[256];
	json_t *list = NULL;

	probe_rc = probe_screen_lock(ctx->root, &s, &n, err, sizeof(err));
	if (result_unsupported(r, probe_rc, err))
		return;
	if (probe_rc != 0) {
		result_set(r, STATUS_ERROR,
		           "The users' screen lock settings could not be read: %s.", err);
		return;
	}
	if (r->observed != NULL)
		list = json_array();
	if (r->expected != NULL) {
		json_object_set_new(r->expected, "max_idle_seconds", json_integer(max_idle));
		json_object_set_new(r->expected, "require_password", json_boolean(need_lock));
	}
	for (i = 0; i < n; i++) {
		char line[400];

		if (list != NULL) {
			json_t *item = json_object();

			json_object_set_new(item, "user", json_string(s[i].user));
			json_object_set_new(item, "desktop", json_string(s[i].desktop));
			json_object_set_new(item, "lock_enabled",
			                    s[i].known ? json_boolean(s[i].lock_enabled)
			                               : json_null());
			json_object_set_new(item, "idle_seconds",
			                    s[i].known ? json_integer(s[i].idle_seconds)
			                               : json_null());
			json_object_set_new(item, "lock_delay_seconds",
			                    s[i].known ? json_integer(s[i].lock_delay_seconds)
			                               : json_null());
			json_object_set_new(item, "in_session", json_boolean(s[i].in_session));
			json_object_set_new(item, s[i].known ? "source" : "reason",
			                    json_string(s[i].known ? s[i].source : s[i].reason));
			json_array_append_new(list, item);
		}
		if (!s[i].known) {
			unknown++;
			snprintf(line, sizeof(line), "user %s: %s", s[i].user, s[i].reason);
			append(unknown_list, sizeof(unknown_list), line);
			continue;
		}
		if (need_lock && !s[i].lock_enabled) {
			bad++;
			snprintf(line, sizeof(line), "user %s (%s) has screen locking turned off",
			         s[i].user, s[i].desktop);
			append(bad_list, sizeof(bad_list), line);
		} else if (s[i].idle_seconds == 0) {
			bad++;
			snprintf(line, sizeof(line), "user %s (%s) never goes idle (idle delay 0)",
			         s[i].user, s[i].desktop);
			append(bad_list, sizeof(bad_list), line);
		} else if (s[i].idle_seconds + s[i].lock_delay_seconds > max_idle) {
			bad++;
			snprintf(line, sizeof(line),
			         "user %s (%s) locks after %llds, more than %llds", s[i].user,
			         s[i].desktop, s[i].idle_seconds + s[i].lock_delay_seconds,
			         max_idle);
			append(bad_list, sizeof(bad_list), line);
		}
	}
	if (list != NULL)
		json_object_set_new(r->observed, "users", list);
	free(s);
	if (bad > 0) {
		result_set(r, STATUS_FAIL, "%c%s.",
		           bad_list[0] - 32 * (bad_list[0] >= 'a' && bad_list[0] <= 'z'),
		           bad_list + 1);
		const struct fix_args fa = { .number = max_idle };

		result_fix(r, "screen_lock", &fa);
	} else if (unknown > 0) {
		result_set(r, STATUS_ERROR, "Could not tell for %s.", unknown_list);
	} else if (n == 0) {
		result_set(r, STATUS_SKIP, "No user has a graphical session or desktop settings.");
	} else {
		result_set(r, STATUS_PASS, "All %zu desktop user%s lock within %llds.", n,
		           n == 1 ? "" : "s", max_idle);
	}
}

const struct check_judge check_judge_screen_lock = {
	.evaluate = evaluate,
};
