/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tpm: the TPM as Windows reports it (winrec.h). Property names are those
 * of Microsoft's Win32_Tpm reference and of the TrustedPlatformModule
 * module's TpmObject (Get-Tpm).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winrec/winrec.h"

static int flag(const struct winrec *r, const char *name)
{
	const char *v = winrec_get(r, name);

	return v == NULL ? -1 : winrec_bool(v);
}

int winrec_tpm(const struct winrec_list *l, struct boot_state *b, char *err, size_t err_len)
{
	const struct winrec *r;
	const char *spec;
	int present, ready;

	if (l->n == 0) {
		/* Win32_Tpm has an object only when there is a TPM */
		b->tpm = 0;
		b->tpm_ready = 0;
		return 0;
	}
	if (l->n > 1) {
		snprintf(err, err_len, "the TPM came as %zu objects, not one", l->n);
		return -EINVAL;
	}
	r = &l->recs[0];
	present = flag(r, "TpmPresent");
	b->tpm = present >= 0 ? present : 1; /* Win32_Tpm: an object is a TPM */
	ready = flag(r, "TpmReady");
	if (ready < 0)
		ready = flag(r, "IsReady");
	if (ready >= 0)
		b->tpm_ready = b->tpm ? ready : 0;
	spec = winrec_get(r, "SpecVersion");
	if (spec != NULL && b->tpm_version == 0) {
		if (strncmp(spec, "2.0", 3) == 0)
			b->tpm_version = 20;
		else if (strncmp(spec, "1.2", 3) == 0)
			b->tpm_version = 12;
	}
	return 0;
}
