/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sysctl: a kernel parameter compared with a value (numerically when both
 * sides are integers, else as text with whitespace folded).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "engine.h"

static const char *const ops[] = { "eq", "ne", "lt", "le", "gt", "ge", NULL };
enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };
static const char *const op_words[] = { "equal to", "not equal to", "less than",
	                                "at most",  "greater than", "at least" };
static const char *const op_signs[] = { "=", "!=", "<", "<=", ">", ">=" };

static int validate_name(const char *text, char *err, size_t err_len)
{
	const char *p;

	for (p = text; *p; p++) {
		if (!isalnum((unsigned char)*p) && strchr("._-/", *p) == NULL) {
			snprintf(err, err_len, "'%s' is not a kernel parameter name", text);
			return -1;
		}
	}
	if (text[0] == '/' || text[0] == '.' || strstr(text, "..") != NULL ||
	    strstr(text, "//") != NULL) {
		snprintf(err, err_len, "'%s' is not a kernel parameter name", text);
		return -1;
	}
	return 0;
}

static const struct key_spec keys[] = {
	{ .name = "name", .kind = KEY_STRING, .required = 1, .validate = validate_name },
	{ .name = "value", .kind = KEY_STRING, .required = 1 },
	{ .name = "op", .kind = KEY_ENUM, .def = "eq", .choices = ops },
	{ .name = "if_missing", .kind = KEY_ENUM, .def = "error", .choices = if_missing_choices },
	{ .name = NULL },
};

static int parse_ll(const char *s, long long *out)
{
	char *end;

	if (*s == '\0')
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

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

static int validate(struct check *c, const struct policy_env *env, struct diags *d)
{
	const struct key_value *value = check_value(c, "value");
	long long n;

	(void)env;
	if (check_value(c, "op")->num >= OP_LT && parse_ll(value->text, &n) != 0) {
		diags_add(d, value->line, "[check.%s] value: '%s' must be an integer for op = %s",
		          c->id, value->text, check_value(c, "op")->text);
		return -1;
	}
	return 0;
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
	json_object_set_new(r->expected, "op", json_string(ops[op]));
	json_object_set_new(r->expected, "value", json_string(want));
	rc = probe_sysctl(ctx->root, name, have, sizeof(have), err, sizeof(err));
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
	if (parse_ll(have, &a) == 0 && parse_ll(want, &b) == 0) {
		cmp = a < b ? -1 : a > b;
	} else if (op >= OP_LT) {
		result_set(r, STATUS_ERROR, "%s is '%s', not an integer to compare with %s.", name,
		           have, want);
		return;
	} else {
		cmp = strcmp(have, want) == 0 ? 0 : 1;
	}
	switch (op) {
	case OP_EQ:
		ok = cmp == 0;
		break;
	case OP_NE:
		ok = cmp != 0;
		break;
	case OP_LT:
		ok = cmp < 0;
		break;
	case OP_LE:
		ok = cmp <= 0;
		break;
	case OP_GT:
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
	if (!ok && op == OP_EQ) {
		char *fix = NULL;

		if (asprintf(&fix,
		             "Set it now with: sudo sysctl -w %s='%s', and keep it with a file in "
		             "/etc/sysctl.d/.",
		             name, want) >= 0)
			r->remediation = fix;
	}
}

static void default_title(const struct check *c, char *buf, size_t len)
{
	snprintf(buf, len, "Kernel parameter %s %s %s", check_value(c, "name")->text,
	         op_signs[check_value(c, "op")->num], check_value(c, "value")->text);
}

const struct check_type check_type_sysctl = {
	.name = "sysctl",
	.keys = keys,
	.validate = validate,
	.evaluate = evaluate,
	.default_title = default_title,
	.remediation =
	    "Set the kernel parameter in /etc/sysctl.d/ and apply it with sysctl --system.",
};
