/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: platform/winrec/: captured wmic and Format-List text
 * (UTF-8 or UTF-16LE) into records, and the records into BitLocker's
 * volumes, Windows Update's pending updates, Security Center's products and
 * Defender's status. Every property of every record is read back, and
 * every volume's strings must be terminated. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "winrec/winrec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct winrec_list l;
	struct volume *v = NULL;
	size_t n = 0, i, j;
	char err[256];

	if (winrec_parse((const char *)data, size, &l, err, sizeof(err)) == 0) {
		for (i = 0; i < l.n; i++)
			for (j = 0; j < l.recs[i].n; j++) {
				char items[8][64];
				long long num;

				if (winrec_get(&l.recs[i], l.recs[i].props[j].name) == NULL)
					__builtin_trap();
				(void)winrec_items(l.recs[i].props[j].value, items, 8);
				(void)winrec_number(l.recs[i].props[j].value, &num);
				(void)winrec_cimtime(l.recs[i].props[j].value, &num);
			}
		if (winrec_bitlocker(&l, &v, &n, err, sizeof(err)) == 0)
			for (i = 0; i < n; i++)
				if (strlen(v[i].mount) >= sizeof(v[i].mount) ||
				    strlen(v[i].reason) >= sizeof(v[i].reason) ||
				    strlen(v[i].protectors) >= sizeof(v[i].protectors) ||
				    v[i].encrypted < -1 || v[i].encrypted > 1)
					__builtin_trap();
		free(v);
		{
			struct av_state av;

			memset(&av, 0, sizeof(av));
			(void)winrec_security_center(&l, &av, err, sizeof(err));
			(void)winrec_defender(&l, &av, err, sizeof(err));
			if (av.n_products > AV_MAX_PRODUCTS)
				__builtin_trap();
		}
		{
			struct boot_state b;

			memset(&b, 0, sizeof(b));
			(void)winrec_tpm(&l, &b, err, sizeof(err));
		}
		{
			struct patch_state ps;

			memset(&ps, 0, sizeof(ps));
			if (winrec_wua(&l, &ps, err, sizeof(err)) == 0 &&
			    ps.n_security > ps.n_updates)
				__builtin_trap();
			patch_state_free(&ps);
		}
	}
	winrec_free(&l);
	return 0;
}
