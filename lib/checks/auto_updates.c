/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auto_updates: security updates install themselves: the distribution's
 * own mechanism is installed, turned on, installs (not only downloads) and
 * is scheduled.
 */
#include <stdio.h>

#include "checks.h"

static const struct key_spec keys[] = {
	{ .name = "require_install", .kind = KEY_BOOL, .def = "true" },
	{ .name = NULL },
};

static void default_title(const struct check *c, char *buf, size_t len)
{
	(void)c;
	snprintf(buf, len, "Updates install automatically");
}

const struct check_type check_type_auto_updates = {
	.name = "auto_updates",
	.keys = keys,
	.default_title = default_title,
	.remediation = "Turn on the automatic installation of security updates.",
};
