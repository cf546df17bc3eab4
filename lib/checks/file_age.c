/* SPDX-License-Identifier: Apache-2.0 */
/*
 * file_age: a file must have been modified within a given time, for
 * freshness stamps (antivirus signatures, /var/lib/apt/periodic/
 * update-success-stamp, an EDR's last update).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "checks.h"

static int validate_path(const char *text, char *err, size_t err_len)
{
	if (text[0] != '/') {
		snprintf(err, err_len, "'%s' is not an absolute path", text);
		return -1;
	}
	return 0;
}

static const struct key_spec keys[] = {
	{ .name = "path", .kind = KEY_STRING, .required = 1, .validate = validate_path },
	{ .name = "max_age", .kind = KEY_DURATION, .required = 1, .min = 1, .max = 3650LL * 86400 },
	{ .name = "if_missing", .kind = KEY_ENUM, .def = "fail", .choices = if_missing_choices },
	{ .name = NULL },
};

static void default_title(const struct check *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s is newer than %s", check_value(c, "path")->text,
	         check_value(c, "max_age")->text);
}

const struct check_type check_type_file_age = {
	.name = "file_age",
	.keys = keys,
	.default_title = default_title,
	.remediation = "Run the update that refreshes this file, and check why it stopped.",
};
