/* SPDX-License-Identifier: Apache-2.0 */
/*
 * password_policy: the judge (see lib/checks/password_policy.c for the
 * keys). Fails when the shortest password the system accepts is shorter
 * than min_length, or when an account has an empty password (unless
 * empty_passwords = ignore); names the module and file that set the
 * length, and the accounts.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "engine.h"
#include "judges.h"

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	long long want = check_value(c, "min_length")->num;
	int judge_empty = check_value(c, "empty_passwords")->num == 0;
	struct password_state p;
	char err[256], names[512] = "", length_msg[512] = "", empty_msg[700] = "";
	int probe_rc, short_ok;
	size_t i;

	probe_rc = probe_password_policy(ctx->root, &p, err, sizeof(err));
	if (result_unsupported(r, probe_rc, err))
		return;
	if (probe_rc != 0) {
		result_set(r, STATUS_ERROR, "The password rules could not be read: %s.", err);
		return;
	}
	for (i = 0; i < p.n_empty && i < PASSWORD_LISTED; i++) {
		size_t used = strlen(names);

		snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "", p.empty[i]);
	}
	if (r->observed != NULL) {
		json_t *list = json_array();

		for (i = 0; i < p.n_empty && i < PASSWORD_LISTED; i++)
			json_array_append_new(list, json_string(p.empty[i]));
		json_object_set_new(r->observed, "min_length", json_integer(p.min_length));
		json_object_set_new(r->observed, "min_length_from",
		                    p.min_length_from[0] ? json_string(p.min_length_from)
		                                         : json_null());
		json_object_set_new(r->observed, "login_defs_pass_min_len",
		                    p.login_defs_min_len >= 0 ? json_integer(p.login_defs_min_len)
		                                              : json_null());
		json_object_set_new(r->observed, "empty_password_accounts", list);
		json_object_set_new(r->observed, "empty_password_count",
		                    json_integer((json_int_t)p.n_empty));
		json_object_set_new(r->expected, "min_length", json_integer(want));
		json_object_set_new(r->expected, "empty_passwords",
		                    json_string(check_value(c, "empty_passwords")->text));
	}
	short_ok = p.min_length >= want;
	if (!short_ok && p.min_length == 0)
		snprintf(length_msg, sizeof(length_msg),
		         "nothing in the password rules enforces a length, and at least %lld "
		         "characters are required",
		         want);
	else if (!short_ok)
		snprintf(length_msg, sizeof(length_msg),
		         "passwords as short as %d characters are accepted (%s), fewer than %lld",
		         p.min_length, p.min_length_from, want);
	if (judge_empty && p.n_empty > 0)
		snprintf(empty_msg, sizeof(empty_msg), "%zu account%s %s an empty password: %s%s",
		         p.n_empty, p.n_empty == 1 ? "" : "s", p.n_empty == 1 ? "has" : "have",
		         names, p.n_empty > PASSWORD_LISTED ? ", ..." : "");
	if (length_msg[0] || empty_msg[0]) {
		const char *first = length_msg[0] ? length_msg : empty_msg;

		result_set(r, STATUS_FAIL, "%c%s%s%s.",
		           first[0] >= 'a' && first[0] <= 'z' ? first[0] - 32 : first[0], first + 1,
		           length_msg[0] && empty_msg[0] ? "; " : "",
		           length_msg[0] && empty_msg[0] ? empty_msg : "");
		return;
	}
	result_set(r, STATUS_PASS, "New passwords need at least %d characters (%s)%s.",
	           p.min_length, p.min_length_from,
	           judge_empty ? "; no account has an empty password" : "");
}

const struct check_judge check_judge_password_policy = {
	.evaluate = evaluate,
};
