/* SPDX-License-Identifier: Apache-2.0 */
/*
 * browser_version: every installation of each named browser is at least
 * the policy's version. A browser the policy names but the device lacks is
 * skipped; an installation whose version cannot be read is an error, not a
 * guess. Browsers the policy does not name are reported, not judged.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "engine.h"
#include "version.h"

static int validate_version(const char *text, char *err, size_t err_len)
{
	return dotted_version_check(text, err, err_len);
}

#define BROWSER_KEY(n)                                                       \
	{                                                                    \
		.name = n, .kind = KEY_VERSION, .validate = validate_version \
	}
static const struct key_spec keys[] = {
	BROWSER_KEY("chrome"),  BROWSER_KEY("chromium"), BROWSER_KEY("edge"),
	BROWSER_KEY("brave"),   BROWSER_KEY("firefox"),  BROWSER_KEY("opera"),
	BROWSER_KEY("vivaldi"), { .name = NULL },
};
#undef BROWSER_KEY

static int validate(struct check *c, const struct policy_env *env, struct diags *d)
{
	size_t k;

	(void)env;
	for (k = 0; k < c->n_values; k++)
		if (c->values[k].set)
			return 0;
	diags_add(d, c->line,
	          "[check.%s]: browser_version needs at least one browser with its minimum "
	          "version, such as 'chrome = 131.0.6778.85'",
	          c->id);
	return -1;
}

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	struct browser_install *b = NULL;
	size_t n = 0, i, n_judged = 0, n_old = 0, n_unknown = 0;
	char old[512] = "", unknown[512] = "", err[256];
	json_t *list = NULL;

	if (probe_browsers(ctx->root, &b, &n, err, sizeof(err)) != 0) {
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

static void default_title(const struct check *c, char *buf, size_t len)
{
	(void)c;
	snprintf(buf, len, "Web browsers are up to date");
}

const struct check_type check_type_browser_version = {
	.name = "browser_version",
	.keys = keys,
	.validate = validate,
	.evaluate = evaluate,
	.default_title = default_title,
	.remediation = "Update the browser.",
};
