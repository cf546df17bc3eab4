/* SPDX-License-Identifier: Apache-2.0 */
/*
 * file_age: the judge (see lib/checks/file_age.c for the keys).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "checks.h"
#include "judges.h"
#include "timefmt.h"
#include "engine.h"

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
	if (result_unsupported(r, rc, PROBE_UNSUPPORTED_TEXT))
		return;
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
	time_rfc3339(st.st_mtime, when);
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

const struct check_judge check_judge_file_age = {
	.evaluate = evaluate,
};
