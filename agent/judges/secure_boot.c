/* SPDX-License-Identifier: Apache-2.0 */
/*
 * secure_boot: the judge (see lib/checks/secure_boot.c for the keys).
 */
#include <stdio.h>

#include "checks.h"
#include "judges.h"
#include "engine.h"

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	int probe_rc;
	struct boot_state b;
	char err[256];
	int want_tpm = (int)check_value(c, "require_tpm")->num;

	probe_rc = probe_secure_boot(ctx->root, &b, err, sizeof(err));
	if (result_unsupported(r, probe_rc, err))
		return;
	if (probe_rc != 0) {
		result_set(r, STATUS_ERROR, "The Secure Boot state could not be read: %s.", err);
		return;
	}
	json_object_set_new(r->observed, "efi", json_boolean(b.efi));
	json_object_set_new(r->observed, "secure_boot",
	                    b.secure_boot < 0 ? json_null() : json_boolean(b.secure_boot));
	json_object_set_new(r->observed, "setup_mode",
	                    b.setup_mode < 0 ? json_null() : json_boolean(b.setup_mode));
	if (b.tpm >= 0 || want_tpm) {
		json_object_set_new(r->observed, "tpm",
		                    b.tpm < 0 ? json_null() : json_boolean(b.tpm));
		if (b.tpm_version)
			json_object_set_new(r->observed, "tpm_version",
			                    json_string(b.tpm_version == 20 ? "2.0" : "1.2"));
		json_object_set_new(r->observed, "tpm_ready",
		                    b.tpm_ready < 0 ? json_null() : json_boolean(b.tpm_ready));
	}
	json_object_set_new(r->expected, "secure_boot", json_true());
	if (want_tpm)
		json_object_set_new(r->expected, "tpm", json_true());
	if (!b.efi)
		result_set(r, STATUS_FAIL,
		           "The machine booted in legacy BIOS mode, which has no Secure Boot.");
	else if (b.secure_boot < 0)
		result_set(r, STATUS_ERROR,
		           "The machine booted through UEFI, but whether Secure Boot is on could "
		           "not be read.");
	else if (!b.secure_boot)
		result_set(r, STATUS_FAIL, "Secure Boot is off in the firmware.");
	else if (b.setup_mode == 1)
		result_set(r, STATUS_FAIL,
		           "The firmware is in Setup Mode: Secure Boot keys can be replaced and "
		           "signatures are not enforced.");
	else if (want_tpm && b.tpm == 0)
		result_set(r, STATUS_FAIL, "Secure Boot is on, but the machine has no TPM.");
	else if (want_tpm && b.tpm_ready == 0)
		result_set(r, STATUS_FAIL,
		           "Secure Boot is on and a TPM is present, but the TPM is not ready for "
		           "use (not enabled, activated or owned).");
	else if (want_tpm && (b.tpm < 0 || b.tpm_ready < 0))
		result_set(r, STATUS_ERROR,
		           "Secure Boot is on, but whether a TPM is %s could not be read.",
		           b.tpm < 0 ? "present" : "ready");
	else
		result_set(r, STATUS_PASS, "Secure Boot is on and enforced%s.",
		           want_tpm ? ", with a TPM ready for use" : "");
}

const struct check_judge check_judge_secure_boot = {
	.evaluate = evaluate,
};
