/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/firewall: the application firewall, reported as one profile,
 * "application": on when its global state is 1 (on) or 2 (on, blocking
 * every incoming connection but the essential ones), and then it refuses
 * unsolicited input to every app not allowed. Block-all and stealth mode
 * (no answer to probes such as ping) are in the detail.
 *
 * Where the state comes from, first found wins:
 * 1. socketfilterfw --getglobalstate --getblockall --getstealthmode: the
 *    firewall's own answer on the running Mac, or captured there
 *    (darwin.h). Its wordings changed over the releases; both are read
 *    (darwin_parse_socketfilterfw).
 * 2. A configuration profile's com.apple.security.firewall payload, as
 *    macOS keeps it in /Library/Managed Preferences (EnableFirewall,
 *    BlockAllIncoming, EnableStealthMode; Apple's device-management
 *    reference): what the Mac is made to do.
 * 3. /Library/Preferences/com.apple.alf.plist: globalstate 0, 1 or 2,
 *    stealthenabled, allowsignedenabled. macOS 15 no longer keeps it, so on
 *    a disk of macOS 15 or later with neither a capture nor a profile the
 *    check is an error saying only the running Mac knows.
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
#define MANAGED_FW "/Library/Managed Preferences/com.apple.security.firewall.plist"

static void fill(struct firewall_state *out, const struct darwin_firewall *fw, const char *source)
{
	struct firewall_profile *p = &out->profiles[0];

	out->n_profiles = 1;
	snprintf(p->name, sizeof(p->name), "application");
	p->enabled = fw->global >= 1;
	p->blocks_inbound = fw->global >= 1;
	snprintf(p->source, sizeof(p->source), "%s", source);
	snprintf(out->source, sizeof(out->source), "%s", source);
	snprintf(out->detail, sizeof(out->detail),
	         "application firewall %s; block all incoming %s; stealth mode %s",
	         fw->global == 0 ? "off" : "on",
	         fw->block_all == 1   ? "on"
	         : fw->block_all == 0 ? "off"
	                              : "not said",
	         fw->stealth == 1   ? "on"
	         : fw->stealth == 0 ? "off"
	                            : "not said");
}

/* The profile's payload: 0 and FW when it sets EnableFirewall, -ENOENT when
 * there is no payload or it does not, another negative errno when it is
 * unreadable (ERR says why). */
static int managed(const struct rootfs *root, struct darwin_firewall *fw, char *err, size_t err_len)
{
	struct pl_doc *doc = NULL;
	const struct pl_node *top;
	int on, v, rc;

	rc = darwin_plist_read(root, MANAGED_FW, &doc, err, err_len);
	if (rc != 0)
		return rc;
	top = pl_root(doc);
	if (pl_bool(pl_get(top, "EnableFirewall"), &on) != 0) {
		pl_free(doc);
		return -ENOENT;
	}
	fw->global = on;
	fw->block_all = pl_bool(pl_get(top, "BlockAllIncoming"), &v) == 0 ? v : -1;
	fw->stealth = pl_bool(pl_get(top, "EnableStealthMode"), &v) == 0 ? v : -1;
	if (on && fw->block_all == 1)
		fw->global = 2;
	pl_free(doc);
	return 0;
}

int darwin_probe_firewall(const struct rootfs *root, struct firewall_state *out, char *err,
                          size_t err_len)
{
	struct darwin_firewall fw = { -1, -1, -1 };
	struct pl_doc *doc = NULL;
	const struct pl_node *top;
	long long global = -1, stealth = -1;
	char *text = NULL, why[256];
	size_t len = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = darwin_command_answer(root, DARWIN_SOCKETFILTERFW, 64u << 10, &text, &len, why,
	                           sizeof(why));
	if (rc == 0) {
		rc = darwin_parse_socketfilterfw(text, &fw, why, sizeof(why));
		free(text);
		if (rc != 0) {
			snprintf(err, err_len, "%s: %s", darwin_command_line(DARWIN_SOCKETFILTERFW),
			         why);
			return rc;
		}
		fill(out, &fw, "socketfilterfw");
		return 0;
	}
	if (rc != -ENODATA) {
		snprintf(err, err_len, "%s", why);
		return rc;
	}
	rc = managed(root, &fw, err, err_len);
	if (rc == 0) {
		fill(out, &fw, "configuration profile (com.apple.security.firewall)");
		return 0;
	}
	if (rc != -ENOENT)
		return rc;
	rc = darwin_plist_read(root, ALF, &doc, err, err_len);
	if (rc == -ENOENT && darwin_os_major(root) >= 15) {
		if (darwin_captured() != NULL)
			snprintf(err, err_len,
			         "macOS 15 and later keep no com.apple.alf.plist and no profile "
			         "sets the "
			         "firewall: %s",
			         why);
		else
			snprintf(
			    err, err_len,
			    "macOS 15 and later keep the firewall's state where only the running "
			    "Mac reads it (%s), and no profile sets it; its answer captured on "
			    "that Mac can be given with --captured DIR",
			    darwin_command_line(DARWIN_SOCKETFILTERFW));
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
	pl_free(doc);
	fw.global = (int)global;
	fw.block_all = global == 2;
	fw.stealth = stealth == 1 ? 1 : stealth == 0 ? 0 : -1;
	fill(out, &fw, "com.apple.alf.plist");
	return 0;
}
