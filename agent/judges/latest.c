/* SPDX-License-Identifier: Apache-2.0 */
/*
 * latest: see latest.h.
 */
#include "latest.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "probe.h"
#include "timefmt.h"

static const char *platform_of(const struct eval_ctx *ctx)
{
	if (ctx->os != NULL && strcmp(ctx->os->family, "macos") == 0)
		return "mac";
	if (ctx->os != NULL && strcmp(ctx->os->family, "windows") == 0)
		return "win";
	return "linux";
}

const char *latest_browser_product(const struct eval_ctx *ctx, const char *browser, char *buf,
                                   size_t len)
{
	char cand[2][32];
	const char *plat = platform_of(ctx);
	int n = 1;

	if (strcmp(browser, "chrome") == 0 || strcmp(browser, "edge") == 0) {
		snprintf(cand[0], sizeof(cand[0]), "%s-%s", browser, plat);
		snprintf(cand[1], sizeof(cand[1]), "%s", browser);
		n = 2;
	} else if (strcmp(browser, "chromium") == 0) {
		snprintf(cand[0], sizeof(cand[0]), "chromium");
		snprintf(cand[1], sizeof(cand[1]), "chrome-%s", plat);
		n = 2;
	} else {
		snprintf(cand[0], sizeof(cand[0]), "%s", browser);
	}
	for (int i = 0; i < n; i++)
		if (feedset_carries(ctx->feeds, cand[i])) {
			snprintf(buf, len, "%s", cand[i]);
			return buf;
		}
	snprintf(buf, len, "%s", cand[0]);
	return buf;
}

static void put_time(json_t *o, const char *key, long long t)
{
	char full[32];

	time_rfc3339((time_t)t, full);
	json_object_set_new(o, key, json_string(full));
}

int latest_judge(const struct check *c, const struct eval_ctx *ctx, const char *text,
                 const char *product, const char *installed, int esr_major, struct feed_bar *bar,
                 json_t **evidence, char *err, size_t err_len)
{
	struct feed_rule rule;

	memset(bar, 0, sizeof(*bar));
	if (evidence != NULL)
		*evidence = NULL;
	if (ctx->feeds == NULL) {
		snprintf(err, err_len, "'%s' needs release feeds, and %s", text, ctx->feeds_why);
		return -1;
	}
	memset(&rule, 0, sizeof(rule));
	feedset_rule_parse(text, &rule.behind);
	rule.grace_days = c->grace_days >= 0 ? c->grace_days : 0;
	/* both keys have defaults (FEED_KEYS), so they are always set */
	rule.grace_exploited = (int)check_value(c, "grace_days_exploited")->num;
	if (rule.grace_exploited > rule.grace_days)
		rule.grace_exploited = rule.grace_days;
	rule.max_age_days = (int)check_value(c, "max_feed_age_days")->num;
	rule.esr_major = esr_major;
	if (feedset_judge(ctx->feeds, product, installed, &rule, ctx->now, bar, err, err_len) != 0)
		return -1;
	if (evidence != NULL) {
		json_t *o = json_object();

		json_object_set_new(o, "rule", json_string(text));
		json_object_set_new(o, "product", json_string(product));
		if (esr_major > 0)
			json_object_set_new(o, "esr_line", json_integer(esr_major));
		json_object_set_new(o, "min_version", json_string(bar->version));
		put_time(o, "released_at", bar->published);
		if (bar->exploited)
			json_object_set_new(o, "exploited", json_true());
		json_object_set_new(o, "grace_days", json_integer(rule.grace_days));
		json_object_set_new(o, "grace_days_exploited", json_integer(rule.grace_exploited));
		if (bar->src != NULL) {
			json_object_set_new(o, "feed", json_string(bar->src->file));
			json_object_set_new(o, "feed_format",
			                    json_string(feed_format_name(bar->src->feed.format)));
			put_time(o, "feed_fetched_at", bar->src->as_of);
		}
		if (bar->newest[0]) {
			json_object_set_new(o, "newer", json_string(bar->newest));
			put_time(o, "newer_released_at", bar->newest_published);
			put_time(o, "newer_required_from", bar->newest_due);
		}
		*evidence = o;
	}
	return bar->ok ? 1 : 0;
}
