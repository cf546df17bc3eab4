/* SPDX-License-Identifier: Apache-2.0 */
/*
 * confine (macOS): see confine.h. The probe worker needs root to read every
 * user's preferences and FileVault's state, and macOS offers no documented
 * system-call filter to narrow it (sandbox_init's custom profiles are
 * private), so it is not confined beyond what the parent gave it; said in
 * README.md, "What was not run here". NOT BUILT ON THIS PROJECT'S CI.
 */
#include "confine.h"

int confine_worker(char *err, size_t err_len)
{
	(void)err;
	(void)err_len;
	return 0;
}
