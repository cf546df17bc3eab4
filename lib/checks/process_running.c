/* SPDX-License-Identifier: Apache-2.0 */
/*
 * process_running: a process must (or must not) run, by any of a list of
 * names (EDR sensors change their process names across versions): the kernel's
 * short name (15 characters at most) or the base name of argv[0], so that
 * interpreters' scripts and long names are found too. Zombies do not count.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"

static const struct key_spec keys[] = {
	{ .name = "name", .kind = KEY_LIST, .required = 1 },
	{ .name = "running", .kind = KEY_BOOL, .def = "true" },
	{ .name = "min_count", .kind = KEY_INT, .def = "1", .min = 1, .max = 65535 },
	{ .name = NULL },
};

static void default_title(const struct check *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s is %s", check_value(c, "name")->text,
	         check_value(c, "running")->num ? "running" : "not running");
}

const struct check_type check_type_process_running = {
	.name = "process_running",
	.keys = keys,
	.default_title = default_title,
	.remediation = "Start (or stop) the program as the policy requires, and enable its "
	               "service so it survives a reboot.",
};
