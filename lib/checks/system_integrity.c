/* SPDX-License-Identifier: Apache-2.0 */
/*
 * system_integrity: the OS's own protections of itself are on. On macOS:
 * System Integrity Protection (system files and processes, even from
 * root) and Gatekeeper (only identified, notarized apps open). Each may be
 * left out of the check with its key set to false.
 */
#include <stdio.h>

#include "checks.h"

static const struct key_spec keys[] = {
	{ .name = "require_sip", .kind = KEY_BOOL, .def = "true" },
	{ .name = "require_gatekeeper", .kind = KEY_BOOL, .def = "true" },
	{ .name = NULL },
};

static void default_title(const struct check *c, char *buf, size_t len)
{
	(void)c;
	snprintf(buf, len, "The system's integrity protections are on");
}

const struct check_type check_type_system_integrity = {
	.name = "system_integrity",
	.keys = keys,
	.default_title = default_title,
	.remediation = "Turn the system's integrity protections back on (on a Mac, System "
	               "Integrity Protection from Recovery, and Gatekeeper).",
};
