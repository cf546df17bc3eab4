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
#include "checks/sysctl.h"

static const char *const ops[] = { "eq", "ne", "lt", "le", "gt", "ge", NULL };
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

int sysctl_parse_integer(const char *s, long long *out)
{
	char *end;

	if (*s == '\0')
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

static int validate(struct check *c, const struct policy_env *env, struct diags *d)
{
	const struct key_value *value = check_value(c, "value");
	long long n;

	(void)env;
	if (check_value(c, "op")->num >= SYSCTL_OP_LT &&
	    sysctl_parse_integer(value->text, &n) != 0) {
		diags_add(d, value->line, "[check.%s] value: '%s' must be an integer for op = %s",
		          c->id, value->text, check_value(c, "op")->text);
		return -1;
	}
	return 0;
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
	.default_title = default_title,
	.remediation =
	    "Set the kernel parameter to the required value, and keep it so across reboots.",
};
