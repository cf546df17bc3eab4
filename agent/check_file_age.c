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
#include "device.h"
#include "engine.h"

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

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	const char *path = check_value(c, "path")->text;
	const struct key_value *max_age = check_value(c, "max_age");
	struct stat st;
	char when[32];
	long long age;
	int rc;

	json_object_set_new(r->observed, "path", json_string(path));
	json_object_set_new(r->expected, "max_age_seconds", json_integer(max_age->num));
	rc = probe_file_stat(ctx->root, path, &st);
	if (rc == -ENOENT) {
		json_object_set_new(r->observed, "exists", json_false());
		result_missing(r, check_value(c, "if_missing")->num, "%s does not exist", path);
		return;
	}
	if (rc != 0) {
		result_set(r, STATUS_ERROR, "Cannot read %s: %s.", path, rootfs_strerror(-rc));
		return;
	}
	age = (long long)(time(NULL) - st.st_mtime);
	device_time_rfc3339(st.st_mtime, when);
	json_object_set_new(r->observed, "exists", json_true());
	json_object_set_new(r->observed, "modified", json_string(when));
	json_object_set_new(r->observed, "age_seconds", json_integer(age));
	if (age <= max_age->num)
		result_set(r, STATUS_PASS, "%s was modified %s, within %s.", path, when,
		           max_age->text);
	else
		result_set(r, STATUS_FAIL, "%s was last modified %s, more than %s ago.", path, when,
		           max_age->text);
}

static void default_title(const struct check *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s is newer than %s", check_value(c, "path")->text,
	         check_value(c, "max_age")->text);
}

const struct check_type check_type_file_age = {
	.name = "file_age",
	.keys = keys,
	.evaluate = evaluate,
	.default_title = default_title,
	.remediation = "Run the update that refreshes this file, and check why it stopped.",
};
