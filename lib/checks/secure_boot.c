/* SPDX-License-Identifier: Apache-2.0 */
/*
 * secure_boot: the machine boots through UEFI with Secure Boot enforced, so
 * only signed boot loaders and kernels run; with require_tpm, a TPM is
 * present and ready too (BitLocker's and measured boot's root of trust).
 */
#include <stdio.h>

#include "checks.h"

static const struct key_spec keys[] = {
	{ .name = "require_tpm", .kind = KEY_BOOL, .def = "false" },
	{ .name = NULL },
};

static void default_title(const struct check *c, char *buf, size_t len)
{
	(void)c;
	snprintf(buf, len, "Secure Boot is on");
}

const struct check_type check_type_secure_boot = {
	.name = "secure_boot",
	.keys = keys,
	.default_title = default_title,
	.remediation = "Turn on Secure Boot in the firmware settings (UEFI mode), and leave "
	               "Setup Mode by enrolling the platform key.",
};
