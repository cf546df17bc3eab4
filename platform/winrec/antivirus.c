/* SPDX-License-Identifier: Apache-2.0 */
/*
 * antivirus: Security Center's products and Defender's status as the
 * probe's (winrec.h). Property names are those of AntiVirusProduct
 * (ROOT\SecurityCenter2) and of MSFT_MpComputerStatus (Microsoft's
 * "MSFT_MpComputerStatus class" reference).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "winrec/winrec.h"

/* Security Center's name for Defender, in each Windows 10/11 release so far */
static int is_defender(const char *name)
{
	return strcasecmp(name, "Windows Defender") == 0 ||
	       strcasecmp(name, "Microsoft Defender Antivirus") == 0;
}

int winrec_security_center(const struct winrec_list *l, struct av_state *st, char *err,
                           size_t err_len)
{
	size_t i;

	st->have_center = 1;
	for (i = 0; i < l->n && st->n_products < AV_MAX_PRODUCTS; i++) {
		const char *name = winrec_get(&l->recs[i], "displayName");
		const char *state = winrec_get(&l->recs[i], "productState");
		struct av_product *p = &st->products[st->n_products];
		long long v;

		if (name == NULL || name[0] == '\0') {
			snprintf(err, err_len, "antivirus product %zu has no displayName", i + 1);
			return -EINVAL;
		}
		memset(p, 0, sizeof(*p));
		snprintf(p->name, sizeof(p->name), "%s", name);
		p->signature_age = -1;
		p->defender = is_defender(name);
		if (state == NULL || winrec_number(state, &v) != 0 || v > 0xFFFFFFFFLL) {
			p->state = -1;
			p->up_to_date = -1;
		} else {
			int s = (int)((v >> 12) & 0xF), sig = (int)((v >> 4) & 0xF);

			p->state = s <= AV_EXPIRED ? (s == 0 ? AV_OFF : s == 1 ? AV_ON : s) : -1;
			p->up_to_date = sig == 0 ? 1 : sig == 1 ? 0 : -1;
		}
		st->n_products++;
	}
	return 0;
}

static int flag(const struct winrec *r, const char *name)
{
	const char *v = winrec_get(r, name);
	int b = v == NULL ? -1 : winrec_bool(v);

	return b < 0 ? -1 : b;
}

int winrec_defender(const struct winrec_list *l, struct av_state *st, char *err, size_t err_len)
{
	const struct winrec *r;
	const char *age, *mode;
	long long days;

	if (l->n != 1) {
		snprintf(err, err_len, "Defender's status came as %zu objects, not one", l->n);
		return -EINVAL;
	}
	r = &l->recs[0];
	st->defender = 1;
	st->defender_service = flag(r, "AMServiceEnabled");
	st->defender_av = flag(r, "AntivirusEnabled");
	st->defender_realtime = flag(r, "RealTimeProtectionEnabled");
	age = winrec_get(r, "AntivirusSignatureAge");
	/* 4294967295 (-1 as a uint32) is WMI's "never" */
	st->signature_age =
	    age != NULL && winrec_number(age, &days) == 0 && days < 4294967295LL ? days : -1;
	mode = winrec_get(r, "AMRunningMode");
	snprintf(st->defender_mode, sizeof(st->defender_mode), "%s", mode ? mode : "");
	return 0;
}
