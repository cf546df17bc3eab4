/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen_lock: every user with a desktop locks the screen, with a password,
 * within max_idle_seconds of going idle. Time to lock is the idle delay plus
 * the lock delay; an idle delay of 0 means the session never goes idle, so
 * the screen never locks.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

static const struct key_spec keys[] = {
	{ .name = "max_idle_seconds", .kind = KEY_INT, .def = "300", .min = 1, .max = 86400 },
	{ .name = "require_password", .kind = KEY_BOOL, .def = "true" },
	{ .name = NULL },
};

static void default_title(const struct check *c, char *buf, size_t len)
{
	snprintf(buf, len, "Screens lock within %llds", check_value(c, "max_idle_seconds")->num);
}

const struct check_type check_type_screen_lock = {
	.name = "screen_lock",
	.keys = keys,
	.default_title = default_title,
	.remediation = "Turn on automatic screen locking.",
};
