/* SPDX-License-Identifier: Apache-2.0 */
/*
 * disk_encryption: every persistent local filesystem (or only "/") and every
 * swap area is encrypted. The probe traces each down its block stack; this
 * judge applies the scope and the exemptions. What cannot be told (an
 * overlay root, ZFS) is an error with its reason, never a pass.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "checks/disk_encryption.h"

static const char *const scopes[] = { "all", "root", NULL };

static const struct key_spec keys[] = {
	{ .name = "scope", .kind = KEY_ENUM, .def = "all", .choices = scopes },
	{ .name = "exempt", .kind = KEY_LIST, .def = "/boot, /boot/efi, /efi" },
	{ .name = "require_swap", .kind = KEY_BOOL, .def = "true" },
	{ .name = "require_removable", .kind = KEY_BOOL, .def = "false" },
	{ .name = NULL },
};

static void default_title(const struct check *c, char *buf, size_t len)
{
	(void)c;
	snprintf(buf, len, "Disks are encrypted");
}

const struct check_type check_type_disk_encryption = {
	.name = "disk_encryption",
	.keys = keys,
	.default_title = default_title,
	.remediation = "Encrypt the disk.",
};
