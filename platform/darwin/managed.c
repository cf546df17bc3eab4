/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/managed: the agent's own managed settings on a Mac (os.h's
 * os_managed_setting): the keys of a configuration profile for the domain
 * com.posture.agent, which macOS keeps in
 * /Library/Managed Preferences/com.posture.agent.plist (installer/macos/
 * managed-preferences.mobileconfig is the example profile). The same names
 * as Windows' policy values: CollectorUrl, CollectorCa, CollectorPin,
 * EnrollSecret. Read through a root, so it is tested on any OS.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "darwin.h"

int darwin_managed_setting(const struct rootfs *root, const char *name, char *out, size_t out_len,
                           char *err, size_t err_len)
{
	struct pl_doc *doc = NULL;
	const struct pl_node *v;
	char why[256];
	int rc;

	if (out_len == 0)
		return 0;
	out[0] = '\0';
	rc = darwin_plist_read(root, DARWIN_AGENT_PREFS, &doc, why, sizeof(why));
	if (rc == -ENOENT)
		return 0;
	if (rc != 0) {
		/* a profile that is there but unreadable: said, not ignored */
		snprintf(err, err_len, "%s", why);
		return -1;
	}
	v = pl_get(pl_root(doc), name);
	if (v == NULL) {
		pl_free(doc);
		return 0;
	}
	if (v->type != PL_STRING || strlen(pl_str(v)) >= out_len) {
		snprintf(err, err_len, "%s: %s is %s", DARWIN_AGENT_PREFS, name,
		         v->type != PL_STRING ? "not a string" : "longer than a setting may be");
		pl_free(doc);
		return -1;
	}
	snprintf(out, out_len, "%s", pl_str(v));
	pl_free(doc);
	return out[0] ? 1 : 0;
}
