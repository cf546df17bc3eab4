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
#include "latest.h"
#include "timefmt.h"

/* The OS release HAVE of ID judged by a `latest` minimum TEXT: the feed
 * product is the OS id ("macos" from Apple's feed, others from
 * posture.feed/1 files). */
static void judge_latest_os(const struct check *c, struct eval_ctx *ctx, const char *text,
                            const char *id, const char *have, struct result *r)
{
	struct feed_bar bar;
	json_t *ev = NULL;
	char err[384], rel[16], due[16];
	int rc;

	if (have[0] == '\0') {
		result_set(r, STATUS_ERROR, "%s has no release number to compare with %s.", id,
		           text);
		return;
	}
	rc = latest_judge(c, ctx, text, id, have, 0, &bar, r->expected ? &ev : NULL, err,
	                  sizeof(err));
	if (ev != NULL)
		json_object_set_new(r->expected, "latest", ev);
	if (rc < 0) {
		result_set(r, STATUS_ERROR, "No minimum release could be set from the feeds: %s.",
		           err);
		return;
	}
	json_object_set_new(r->expected, "min_version", json_string(bar.version));
	time_day((time_t)bar.published, rel);
	if (rc == 0) {
		result_set(r, STATUS_FAIL,
		           "%s %s is older than %s, the release that is due (released %s%s).", id,
		           have, bar.version, rel, bar.exploited ? ", exploited" : "");
		return;
	}
	if (bar.newest[0] && browser_version_compare(have, bar.newest) < 0) {
		time_day((time_t)bar.newest_due, due);
		result_set(r, STATUS_PASS, "%s %s is at least %s (released %s); %s is due by %s.",
		           id, have, bar.version, rel, bar.newest, due);
	} else {
		result_set(r, STATUS_PASS, "%s %s is at least %s (released %s).", id, have,
		           bar.version, rel);
	}
}

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
	have = osp->point_version[0] ? osp->point_version : osp->version_id;
	if (feedset_rule_parse(want->text, &(int){ 0 })) {
		judge_latest_os(c, ctx, want->text, osp->id, have, r);
		return;
	}
	json_object_set_new(r->expected, "min_version", json_string(want->text));
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
