/* SPDX-License-Identifier: Apache-2.0 */
/*
 * browser_version: the judge (see lib/checks/browser_version.c for the keys).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "judges.h"
#include "engine.h"
#include "vercmp.h"
#include "latest.h"
#include "timefmt.h"

/* One install judged by a `latest` minimum TEXT: a sentence added to OLD
 * when it is older than the bar, to NOBAR when no bar can be set, to LATER
 * when a newer release is still within its grace; the bar's evidence into
 * *BARS under the browser's key (the first install's). */
static void judge_latest_install(const struct check *c, struct eval_ctx *ctx, const char *text,
                                 const struct browser_install *bi, json_t *bars, char *old,
                                 size_t old_len, size_t *n_old, char *nobar, size_t nobar_len,
                                 size_t *n_nobar, char *later, size_t later_len)
{
	char product[40], err[384], rel[16], due[16];
	struct feed_bar bar;
	json_t *ev = NULL;
	int esr = 0, rc;

	latest_browser_product(ctx, bi->name, product, sizeof(product));
	if (strcmp(bi->name, "firefox") == 0 &&
	    (strcmp(bi->channel, "esr") == 0 || strstr(bi->version, "esr") != NULL)) {
		esr = feedset_major(bi->version);
		if (ctx->feeds != NULL && feedset_esr_supported(ctx->feeds, esr) == 0) {
			size_t used = strlen(old);

			snprintf(old + used, old_len - used,
			         "%sfirefox %s (%s) is on ESR line %d, which Mozilla no longer "
			         "supports",
			         (*n_old)++ ? "; " : "", bi->version, bi->source, esr);
			return;
		}
	}
	/* the bar's evidence only where a report shows it (bars is NULL for text) */
	rc = latest_judge(c, ctx, text, product, bi->version, esr, &bar, bars ? &ev : NULL, err,
	                  sizeof(err));
	if (ev != NULL) {
		if (json_object_get(bars, bi->name) == NULL)
			json_object_set_new(bars, bi->name, ev);
		else
			json_decref(ev);
	}
	if (rc < 0) {
		size_t used = strlen(nobar);
		char one[512];

		/* one sentence per cause: three Firefox installs lack one feed */
		if (ctx->feeds == NULL)
			snprintf(one, sizeof(one), "%s", err);
		else
			snprintf(one, sizeof(one), "%s: %s", bi->name, err);
		if (strstr(nobar, one) == NULL)
			snprintf(nobar + used, nobar_len - used, "%s%s", used ? "; " : "", one);
		(*n_nobar)++;
		return;
	}
	time_day((time_t)bar.published, rel);
	if (rc == 0) {
		size_t used = strlen(old);

		snprintf(old + used, old_len - used,
		         "%s%s %s (%s) is older than %s, the %s release that is due (released "
		         "%s%s)",
		         (*n_old)++ ? "; " : "", bi->name, bi->version, bi->source, bar.version,
		         product, rel, bar.exploited ? ", exploited" : "");
	} else if (bar.newest[0] && browser_version_compare(bi->version, bar.newest) < 0) {
		size_t used = strlen(later);
		char one[160];

		time_day((time_t)bar.newest_due, due);
		snprintf(one, sizeof(one), "%s %s is due by %s", bi->name, bar.newest, due);
		/* two installs behind the same release: said once */
		if (strstr(later, one) == NULL)
			snprintf(later + used, later_len - used, "%s%s", used ? ", " : "", one);
	}
}

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	int probe_rc;
	struct browser_install *b = NULL;
	size_t n = 0, i, n_judged = 0, n_old = 0, n_unknown = 0, n_nobar = 0;
	char old[768] = "", unknown[512] = "", nobar[768] = "", later[512] = "", err[384];
	json_t *list = NULL, *bars = NULL;

	probe_rc = probe_browsers(ctx->root, &b, &n, err, sizeof(err));
	if (result_unsupported(r, probe_rc, err))
		return;
	if (probe_rc != 0) {
		result_set(r, STATUS_ERROR, "The installed browsers could not be listed: %s.", err);
		return;
	}
	if (r->observed != NULL)
		list = json_array();
	if (r->expected != NULL)
		bars = json_object();
	for (i = 0; i < n; i++) {
		const struct key_value *min = check_value(c, b[i].name);

		if (list != NULL) {
			json_t *item = json_object();

			json_object_set_new(item, "name", json_string(b[i].name));
			json_object_set_new(item, "version",
			                    b[i].version[0] ? json_string(b[i].version)
			                                    : json_null());
			json_object_set_new(item, "source", json_string(b[i].source));
			json_object_set_new(item, "path", json_string(b[i].path));
			if (b[i].channel[0])
				json_object_set_new(item, "channel", json_string(b[i].channel));
			if (b[i].package[0])
				json_object_set_new(item, "package", json_string(b[i].package));
			json_array_append_new(list, item);
		}
		if (min == NULL || !min->set)
			continue;
		n_judged++;
		if (b[i].version[0] == '\0') {
			size_t used = strlen(unknown);

			snprintf(unknown + used, sizeof(unknown) - used, "%s%s (%s, %s)",
			         n_unknown++ ? ", " : "", b[i].name, b[i].source, b[i].path);
		} else if (feedset_rule_parse(min->text, &(int){ 0 })) {
			judge_latest_install(c, ctx, min->text, &b[i], bars, old, sizeof(old),
			                     &n_old, nobar, sizeof(nobar), &n_nobar, later,
			                     sizeof(later));
		} else if (browser_version_compare(b[i].version, min->text) < 0) {
			size_t used = strlen(old);

			snprintf(old + used, sizeof(old) - used, "%s%s %s (%s) is older than %s",
			         n_old++ ? "; " : "", b[i].name, b[i].version, b[i].source,
			         min->text);
		}
	}
	if (list != NULL)
		json_object_set_new(r->observed, "browsers", list);
	if (r->expected != NULL)
		for (i = 0; i < c->n_values; i++) {
			const char *key = c->values[i].spec->name;
			json_t *bar = bars ? json_object_get(bars, key) : NULL;

			if (!c->values[i].set || c->values[i].spec->kind != KEY_VERSION)
				continue;
			json_object_set_new(r->expected, key,
			                    bar ? json_incref(bar)
			                        : json_string(c->values[i].text));
		}
	json_decref(bars);
	free(b);
	if (n_old > 0) {
		result_set(r, STATUS_FAIL, "%c%s.", old[0] - 32 * (old[0] >= 'a' && old[0] <= 'z'),
		           old + 1);
		r->remediation = strdup("Update the browser (restarting it finishes the update), "
		                        "or remove the installation that is no longer used.");
	} else if (n_unknown > 0) {
		result_set(r, STATUS_ERROR, "The version of %s could not be read.", unknown);
	} else if (n_nobar > 0) {
		result_set(r, STATUS_ERROR, "No minimum could be set from the release feeds: %s.",
		           nobar);
	} else if (n_judged == 0) {
		result_set(r, STATUS_SKIP, "None of the browsers the policy names is installed.");
	} else {
		result_set(r, STATUS_PASS,
		           "%zu installation%s of the named browsers, all up to date%s%s.",
		           n_judged, n_judged == 1 ? "" : "s", later[0] ? "; " : "", later);
	}
}

const struct check_judge check_judge_browser_version = {
	.evaluate = evaluate,
};
