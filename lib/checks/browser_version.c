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
#include "feedset.h"
#include "vercmp.h"

#define BROWSER_KEY(n)                                                            \
	{                                                                         \
		.name = n, .kind = KEY_VERSION, .validate = feedset_minimum_check \
	}
static const struct key_spec keys[] = {
	BROWSER_KEY("chrome"),  BROWSER_KEY("chromium"), BROWSER_KEY("edge"),
	BROWSER_KEY("brave"),   BROWSER_KEY("firefox"),  BROWSER_KEY("opera"),
	BROWSER_KEY("vivaldi"), BROWSER_KEY("safari"),   FEED_KEYS,
	{ .name = NULL },
};
#undef BROWSER_KEY

static int validate(struct check *c, const struct policy_env *env, struct diags *d)
{
	size_t k;

	(void)env;
	for (k = 0; k < c->n_values; k++)
		if (c->values[k].set && c->values[k].spec->kind == KEY_VERSION)
			return 0;
	diags_add(d, c->line,
	          "[check.%s]: browser_version needs at least one browser with its minimum "
	          "version, such as 'chrome = 131.0.6778.85'",
	          c->id);
	return -1;
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
	.default_title = default_title,
	.remediation = "Update the browser.",
};
