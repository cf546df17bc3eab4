/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/firewall: the application firewall, from
 * /Library/Preferences/com.apple.alf.plist: globalstate (0 off, 1 on, 2 on
 * and blocking every incoming connection), stealthenabled (no answer to
 * probes such as ping), allowsignedenabled (signed software may accept
 * connections without asking). Reported as one profile, "application": on
 * when globalstate is 1 or 2, and then it refuses unsolicited input to
 * every app not allowed (block-all and stealth are in the detail).
 *
 * macOS 15 no longer keeps that file: its state is the running Mac's to
 * say (socketfilterfw --getglobalstate), so on a disk of macOS 15 or later
 * without the file the check is an error with that reason. A configuration
 * profile's com.apple.security.firewall payload is not read yet (no
 * captured file of it to test with).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../plist.h"
#include "../probe.h"
#include "../probeset.h"
#include "darwin.h"

#define ALF "/Library/Preferences/com.apple.alf.plist"

int darwin_probe_firewall(const struct rootfs *root, struct firewall_state *out, char *err,
                          size_t err_len)
{
	struct pl_doc *doc = NULL;
	const struct pl_node *top;
	long long global = -1, stealth = -1, signed_ok = -1;
	struct firewall_profile *p;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = darwin_plist_read(root, ALF, &doc, err, err_len);
	if (rc == -ENOENT && darwin_os_major(root) >= 15) {
		snprintf(err, err_len,
		         "macOS 15 and later keep the firewall's state where only the running Mac "
		         "reads it (socketfilterfw --getglobalstate); a Mac's disk read with "
		         "--root does not say");
		return -ENODATA;
	}
	if (rc != 0)
		return rc;
	top = pl_root(doc);
	if (pl_int(pl_get(top, "globalstate"), &global) != 0 || global < 0 || global > 2) {
		snprintf(err, err_len, "%s has no globalstate of 0, 1 or 2", ALF);
		pl_free(doc);
		return -EINVAL;
	}
	pl_int(pl_get(top, "stealthenabled"), &stealth);
	pl_int(pl_get(top, "allowsignedenabled"), &signed_ok);
	pl_free(doc);
	p = &out->profiles[0];
	out->n_profiles = 1;
	snprintf(p->name, sizeof(p->name), "application");
	p->enabled = global >= 1;
	p->blocks_inbound = global >= 1;
	snprintf(p->source, sizeof(p->source), "com.apple.alf.plist");
	snprintf(out->source, sizeof(out->source), "%s", ALF);
	snprintf(out->detail, sizeof(out->detail),
	         "application firewall %s; stealth mode %s; signed software %s",
	         global == 0   ? "off"
	         : global == 1 ? "on"
	                       : "on, blocking every incoming connection",
	         stealth == 1   ? "on"
	         : stealth == 0 ? "off"
	                        : "not set",
	         signed_ok == 1   ? "may accept connections"
	         : signed_ok == 0 ? "must be allowed too"
	                          : "not set");
	return 0;
}
