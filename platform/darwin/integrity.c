/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/integrity: System Integrity Protection and Gatekeeper.
 *
 * - SIP lives in the Mac's NVRAM, not on its disk: csrutil status says it
 *   (darwin.h: on the running Mac, or captured there). A custom
 *   configuration (some of its protections turned off) counts as off.
 * - Gatekeeper: spctl --status says whether assessments are on; without
 *   its answer, a configuration profile's com.apple.systempolicy.control
 *   payload (EnableAssessment), as macOS keeps it in /Library/Managed
 *   Preferences, says what the Mac is made to do.
 * Either without a source is unknown, saying which command would tell.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../probe.h"
#include "../probeset.h"
#include "darwin.h"

#define MANAGED_POLICY "/Library/Managed Preferences/com.apple.systempolicy.control.plist"

/* Runs PARSE over command C's answer into P. */
static void from_command(const struct rootfs *root, enum darwin_command c,
                         int (*parse)(const char *, int *, char *, size_t), struct protection *p)
{
	char *text = NULL;
	size_t len = 0;

	p->on = -1;
	if (darwin_command_answer(root, c, 64u << 10, &text, &len, p->why, sizeof(p->why)) != 0)
		return;
	snprintf(p->source, sizeof(p->source), "%s", darwin_command_line(c));
	if (parse(text, &p->on, p->said, sizeof(p->said)) != 0) {
		p->on = -1;
		snprintf(p->why, sizeof(p->why), "%s said what is not known here: \"%s\"",
		         darwin_command_line(c), p->said);
	}
	free(text);
}

int darwin_probe_system_integrity(const struct rootfs *root, struct integrity_state *out, char *err,
                                  size_t err_len)
{
	struct protection *gk = &out->gatekeeper;

	(void)err;
	(void)err_len;
	memset(out, 0, sizeof(*out));
	from_command(root, DARWIN_CSRUTIL_STATUS, darwin_parse_csrutil, &out->sip);
	from_command(root, DARWIN_SPCTL_STATUS, darwin_parse_spctl, gk);
	if (gk->on < 0 && gk->source[0] == '\0') {
		struct pl_doc *doc = NULL;
		char why[256];
		int on;
		int rc = darwin_plist_read(root, MANAGED_POLICY, &doc, why, sizeof(why));

		if (rc == 0 && pl_bool(pl_get(pl_root(doc), "EnableAssessment"), &on) == 0) {
			gk->on = on;
			snprintf(gk->source, sizeof(gk->source),
			         "configuration profile (com.apple.systempolicy.control)");
			snprintf(gk->said, sizeof(gk->said), "EnableAssessment %s",
			         on ? "true" : "false");
		} else if (rc != 0 && rc != -ENOENT) {
			snprintf(gk->why, sizeof(gk->why), "%s", why);
		}
		pl_free(doc);
	}
	return 0;
}
