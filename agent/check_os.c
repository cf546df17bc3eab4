/* SPDX-License-Identifier: Apache-2.0 */
/*
 * os_version: the operating system must be at least a given release, per
 * os-release ID ("debian = 12", "ubuntu = 22.04"). An OS the policy does not
 * name is skipped: derivatives (ID_LIKE) number their releases differently.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "engine.h"
#include "version.h"

static int validate_version(const char *text, char *err, size_t err_len)
{
	return dotted_version_check(text, err, err_len);
}

static const struct key_spec keys[] = {
	{ .name = "*", .kind = KEY_VERSION, .validate = validate_version },
	{ .name = NULL },
};

static int validate(struct check *c, const struct policy_env *env, struct diags *d)
{
	size_t i;

	(void)env;
	if (c->n_extra == 0) {
		diags_add(
		    d, c->line,
		    "[check.%s]: os_version needs at least one OS id with its minimum version, "
		    "such as 'debian = 12'",
		    c->id);
		return -1;
	}
	for (i = 0; i < c->n_extra; i++) {
		const char *p;

		for (p = c->extra[i].name; *p; p++) {
			if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
			    strchr("._-", *p) == NULL) {
				diags_add(
				    d, c->extra[i].line,
				    "[check.%s] %s: not an os-release ID (lower-case letters, "
				    "digits, '.', '_', '-')",
				    c->id, c->extra[i].name);
				return -1;
			}
		}
	}
	return 0;
}

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	const struct os_info *osp = ctx->os;
	const struct key_value *want = NULL;
	const char *have;
	char err[256];
	size_t i;

	if (osp == NULL) {
		result_set(
		    r, STATUS_ERROR,
		    "The operating system could not be identified (no readable os-release).");
		return;
	}
	json_object_set_new(r->observed, "id", json_string(osp->id));
	json_object_set_new(r->observed, "name",
	                    json_string(osp->pretty_name[0] ? osp->pretty_name : osp->name));
	json_object_set_new(r->observed, "version_id",
	                    osp->version_id[0] ? json_string(osp->version_id) : json_null());
	if (osp->point_version[0])
		json_object_set_new(r->observed, "point_version", json_string(osp->point_version));
	for (i = 0; i < c->n_extra; i++)
		if (strcmp(c->extra[i].name, osp->id) == 0)
			want = &c->extra[i];
	if (want == NULL) {
		result_set(r, STATUS_SKIP, "The policy sets no minimum release for %s.", osp->id);
		return;
	}
	json_object_set_new(r->expected, "os", json_string(osp->id));
	json_object_set_new(r->expected, "min_version", json_string(want->text));
	have = osp->point_version[0] ? osp->point_version : osp->version_id;
	if (have[0] == '\0') {
		result_set(r, STATUS_ERROR,
		           "%s has no VERSION_ID in os-release to compare with %s.", osp->id,
		           want->text);
		return;
	}
	if (dotted_version_check(have, err, sizeof(err)) != 0) {
		result_set(r, STATUS_ERROR, "The release '%s' of %s is not a numeric version.",
		           have, osp->id);
		return;
	}
	if (dotted_version_compare(have, want->text) >= 0)
		result_set(r, STATUS_PASS, "%s %s is at least release %s.", osp->id, have,
		           want->text);
	else
		result_set(r, STATUS_FAIL, "%s %s is older than the required release %s.", osp->id,
		           have, want->text);
}

static void default_title(const struct check *c, char *buf, size_t len)
{
	(void)c;
	snprintf(buf, len, "Operating system release is supported");
}

const struct check_type check_type_os_version = {
	.name = "os_version",
	.keys = keys,
	.validate = validate,
	.evaluate = evaluate,
	.default_title = default_title,
	.remediation = "Upgrade the operating system to a supported release.",
};
