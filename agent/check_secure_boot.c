/* SPDX-License-Identifier: Apache-2.0 */
/*
 * secure_boot: the machine boots through UEFI with Secure Boot enforced, so
 * only signed boot loaders and kernels run.
 */
#include <stdio.h>

#include "checks.h"
#include "engine.h"

static const struct key_spec keys[] = {
	{ .name = NULL },
};

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	struct boot_state b;
	char err[256];

	(void)c;
	if (probe_secure_boot(ctx->root, &b, err, sizeof(err)) != 0) {
		result_set(r, STATUS_ERROR, "The Secure Boot state could not be read: %s.", err);
		return;
	}
	json_object_set_new(r->observed, "efi", json_boolean(b.efi));
	json_object_set_new(r->observed, "secure_boot",
	                    b.secure_boot < 0 ? json_null() : json_boolean(b.secure_boot));
	json_object_set_new(r->observed, "setup_mode",
	                    b.setup_mode < 0 ? json_null() : json_boolean(b.setup_mode));
	json_object_set_new(r->expected, "secure_boot", json_true());
	if (!b.efi)
		result_set(r, STATUS_FAIL,
		           "The machine booted in legacy BIOS mode, which has no Secure Boot.");
	else if (!b.secure_boot)
		result_set(r, STATUS_FAIL, "Secure Boot is off in the firmware.");
	else if (b.setup_mode == 1)
		result_set(r, STATUS_FAIL,
		           "The firmware is in Setup Mode: Secure Boot keys can be replaced and "
		           "signatures are not enforced.");
	else
		result_set(r, STATUS_PASS, "Secure Boot is on and enforced.");
}

static void default_title(const struct check *c, char *buf, size_t len)
{
	(void)c;
	snprintf(buf, len, "Secure Boot is on");
}

const struct check_type check_type_secure_boot = {
	.name = "secure_boot",
	.keys = keys,
	.evaluate = evaluate,
	.default_title = default_title,
	.remediation = "Turn on Secure Boot in the firmware settings (UEFI mode, with the "
	               "distribution's shim), and leave Setup Mode by enrolling the platform key.",
};
