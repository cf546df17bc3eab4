/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sysctl: the judge (see lib/checks/sysctl.c for the keys).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "judges.h"
#include "checks/sysctl.h"

static const char *const op_words[] = { "equal to", "not equal to", "less than",
	                                "at most",  "greater than", "at least" };
#include "engine.h"

static void fold(const char *in, char *out, size_t out_len)
{
	size_t n = 0;

	for (; *in && n + 1 < out_len; in++) {
		if (isspace((unsigned char)*in)) {
			while (isspace((unsigned char)in[1]))
				in++;
			if (n > 0 && in[1] != '\0')
				out[n++] = ' ';
			continue;
		}
		out[n++] = *in;
	}
	out[n] = '\0';
}

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	const char *name = check_value(c, "name")->text;
	long long op = check_value(c, "op")->num;
	char want[512], have[4096], err[512];
	long long a, b;
	int cmp, ok, rc;

	fold(check_value(c, "value")->text, want, sizeof(want));
	json_object_set_new(r->observed, "name", json_string(name));
	json_object_set_new(r->expected, "op", json_string(check_value(c, "op")->text));
	json_object_set_new(r->expected, "value", json_string(want));
	rc = probe_sysctl(ctx->root, name, have, sizeof(have), err, sizeof(err));
	if (result_unsupported(r, rc, err))
		return;
	if (rc == -ENOENT) {
		json_object_set_new(r->observed, "value", json_null());
		result_missing(r, check_value(c, "if_missing")->num,
		               "The kernel has no parameter %s", name);
		return;
	}
	if (rc != 0) {
		json_object_set_new(r->observed, "value", json_null());
		result_set(r, STATUS_ERROR, "%s.", err);
		return;
	}
	json_object_set_new(r->observed, "value", json_string(have));
	if (sysctl_parse_integer(have, &a) == 0 && sysctl_parse_integer(want, &b) == 0) {
		cmp = a < b ? -1 : a > b;
	} else if (op >= SYSCTL_OP_LT) {
		result_set(r, STATUS_ERROR, "%s is '%s', not an integer to compare with %s.", name,
		           have, want);
		return;
	} else {
		cmp = strcmp(have, want) == 0 ? 0 : 1;
	}
	switch (op) {
	case SYSCTL_OP_EQ:
		ok = cmp == 0;
		break;
	case SYSCTL_OP_NE:
		ok = cmp != 0;
		break;
	case SYSCTL_OP_LT:
		ok = cmp < 0;
		break;
	case SYSCTL_OP_LE:
		ok = cmp <= 0;
		break;
	case SYSCTL_OP_GT:
		ok = cmp > 0;
		break;
	default:
		ok = cmp >= 0;
		break;
	}
	if (ok)
		result_set(r, STATUS_PASS, "%s is %s, %s %s.", name, have, op_words[op], want);
	else
		result_set(r, STATUS_FAIL, "%s is %s; it must be %s %s.", name, have, op_words[op],
		           want);
	if (!ok && op == SYSCTL_OP_EQ) {
		const struct fix_args fa = { .name = name, .value = want };

		result_fix(r, "sysctl", &fa);
	}
}

const struct check_judge check_judge_sysctl = {
	.evaluate = evaluate,
};
