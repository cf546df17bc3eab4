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
#include "feedset.h"
#include "vercmp.h"

static const struct key_spec keys[] = {
	FEED_KEYS,
	{ .name = "*", .kind = KEY_VERSION, .validate = feedset_minimum_check },
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

static void default_title(const struct check *c, char *buf, size_t len)
{
	(void)c;
	snprintf(buf, len, "Operating system release is supported");
}

const struct check_type check_type_os_version = {
	.name = "os_version",
	.keys = keys,
	.validate = validate,
	.default_title = default_title,
	.remediation = "Upgrade the operating system to a supported release.",
};
