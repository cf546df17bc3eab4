/* SPDX-License-Identifier: Apache-2.0 */
/*
 * antivirus (Windows): the products Security Center knows of
 * (ROOT\SecurityCenter2 AntiVirusProduct; Windows 10 and 11, not Windows
 * Server) and Microsoft Defender's own status (ROOT\Microsoft\Windows\
 * Defender MSFT_MpComputerStatus, Windows Server too), through WMI. What
 * they mean is decided in platform/winrec/antivirus.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "probe.h"
#include "probeset.h"
#include "wmi.h"

int native_probe_antivirus(const struct rootfs *root, struct av_state *out, char *err,
                           size_t err_len)
{
	struct winrec_list l;
	char center_err[256] = "", defender_err[256] = "";
	int center_rc, defender_rc;

	memset(out, 0, sizeof(*out));
	out->defender_service = out->defender_av = out->defender_realtime = -1;
	out->signature_age = -1;
	if (!rootfs_is_host(root)) {
		snprintf(err, err_len,
		         "the antivirus state of another root cannot be read (--root)");
		return -ENOTSUP;
	}
	center_rc = wmi_query("ROOT\\SecurityCenter2", "SELECT * FROM AntiVirusProduct", NULL, NULL,
	                      &l, center_err, sizeof(center_err));
	if (center_rc == 0) {
		center_rc = winrec_security_center(&l, out, center_err, sizeof(center_err));
		winrec_free(&l);
	}
	defender_rc =
	    wmi_query("ROOT\\Microsoft\\Windows\\Defender", "SELECT * FROM MSFT_MpComputerStatus",
	              NULL, NULL, &l, defender_err, sizeof(defender_err));
	if (defender_rc == 0) {
		/* no object: Defender is not installed (a Windows Server without it) */
		if (l.n > 0)
			defender_rc = winrec_defender(&l, out, defender_err, sizeof(defender_err));
		winrec_free(&l);
	}
	snprintf(out->source, sizeof(out->source), "%s%s%s",
	         center_rc == 0 ? "Security Center" : "",
	         center_rc == 0 && out->defender ? ", " : "",
	         out->defender ? "Defender (MSFT_MpComputerStatus)" : "");
	if (center_rc != 0 && defender_rc != 0) {
		snprintf(err, err_len, "neither Security Center nor Defender answered (%s; %s)",
		         center_err, defender_err);
		return center_rc;
	}
	return 0;
}
