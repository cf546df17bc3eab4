/* SPDX-License-Identifier: Apache-2.0 */
/*
 * os_patch: the operating system is patched: few enough pending (security)
 * updates, updates checked for recently, no reboot outstanding. The probe
 * computes pending updates as the package manager does; this judge only
 * compares them with the policy.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks.h"

static const struct key_spec keys[] = {
	{ .name = "max_pending_security", .kind = KEY_INT, .def = "0", .min = 0, .max = 1000000 },
	{ .name = "max_pending_updates", .kind = KEY_INT, .min = 0, .max = 1000000 },
	{ .name = "max_days_since_update_check", .kind = KEY_INT, .min = 0, .max = 3650 },
	{ .name = "require_no_reboot", .kind = KEY_BOOL, .def = "false" },
	{ .name = "fresh_list", .kind = KEY_BOOL, .def = "false" },
	{ .name = NULL },
};

static void default_title(const struct check *c, char *buf, size_t len)
{
	(void)c;
	snprintf(buf, len, "Operating system updates are installed");
}

const struct check_type check_type_os_patch = {
	.name = "os_patch",
	.keys = keys,
	.default_title = default_title,
	.remediation = "Install the pending updates with the system's package manager.",
};
