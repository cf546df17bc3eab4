/* SPDX-License-Identifier: Apache-2.0 */
/*
 * os_version: the judge (see lib/checks/os_version.c for the keys).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "judges.h"
#include "engine.h"
#include "vercmp.h"

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	const struct os_info *osp = ctx->os;
	const struct key_value *want = NULL;
	const char *have;
	char err[256];
	size_t i;

	if (osp == NULL && result_unsupported(r, ctx->os_rc, ctx->os_err))
		return;
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

const struct check_judge check_judge_os_version = {
	.evaluate = evaluate,
};
