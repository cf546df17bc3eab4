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

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	int probe_rc;
	struct browser_install *b = NULL;
	size_t n = 0, i, n_judged = 0, n_old = 0, n_unknown = 0;
	char old[512] = "", unknown[512] = "", err[256];
	json_t *list = NULL;

	probe_rc = probe_browsers(ctx->root, &b, &n, err, sizeof(err));
	if (result_unsupported(r, probe_rc, err))
		return;
	if (probe_rc != 0) {
		result_set(r, STATUS_ERROR, "The installed browsers could not be listed: %s.", err);
		return;
	}
	if (r->observed != NULL)
		list = json_array();
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
		for (i = 0; i < c->n_values; i++)
			if (c->values[i].set)
				json_object_set_new(r->expected, c->values[i].spec->name,
				                    json_string(c->values[i].text));
	free(b);
	if (n_old > 0) {
		result_set(r, STATUS_FAIL, "%c%s.", old[0] - 32 * (old[0] >= 'a' && old[0] <= 'z'),
		           old + 1);
		r->remediation = strdup("Update the browser (restarting it finishes the update), "
		                        "or remove the installation that is no longer used.");
	} else if (n_unknown > 0) {
		result_set(r, STATUS_ERROR, "The version of %s could not be read.", unknown);
	} else if (n_judged == 0) {
		result_set(r, STATUS_SKIP, "None of the browsers the policy names is installed.");
	} else {
		result_set(r, STATUS_PASS,
		           "%zu installation%s of the named browsers, all up to date.", n_judged,
		           n_judged == 1 ? "" : "s");
	}
}

const struct check_judge check_judge_browser_version = {
	.evaluate = evaluate,
};
