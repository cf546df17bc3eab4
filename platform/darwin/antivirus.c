/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/antivirus: XProtect, the antivirus built into macOS. It is on on
 * every Mac (nothing in Settings turns it off); what varies is how old its
 * signatures are. Software Update installs them as "XProtectPlistConfigData"
 * and "XProtectPayloads", and /Library/Receipts/InstallHistory.plist keeps
 * each install's date: the newest of them is the signatures' age. The
 * version is the bundle's (CFBundleShortVersionString of
 * /Library/Apple/System/Library/CoreServices/XProtect.bundle, macOS 10.15
 * and later; /System/Library/CoreServices/XProtect.bundle before), else
 * the install's displayVersion.
 *
 * Other products (Defender for Endpoint, CrowdStrike, ...) keep no register
 * on macOS that a file says; process_running checks that one runs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../probe.h"
#include "../probeset.h"
#include "darwin.h"

static const char *const bundles[] = {
	"/Library/Apple/System/Library/CoreServices/XProtect.bundle/Contents/Info.plist",
	"/System/Library/CoreServices/XProtect.bundle/Contents/Info.plist",
};

int darwin_probe_antivirus(const struct rootfs *root, struct av_state *out, char *err,
                           size_t err_len)
{
	struct av_product *p = &out->products[0];
	char version[32] = "", installed[32] = "";
	const char *bundle = NULL;
	long long when;

	memset(out, 0, sizeof(*out));
	out->signature_age = -1;
	out->defender_service = out->defender_av = out->defender_realtime = -1;
	for (size_t i = 0; i < sizeof(bundles) / sizeof(bundles[0]) && bundle == NULL; i++) {
		struct pl_doc *doc = NULL;
		char why[256];

		if (darwin_plist_read(root, bundles[i], &doc, why, sizeof(why)) != 0)
			continue;
		const char *v = pl_str(pl_get(pl_root(doc), "CFBundleShortVersionString"));

		if (v != NULL) {
			snprintf(version, sizeof(version), "%s", v);
			bundle = bundles[i];
		}
		pl_free(doc);
	}
	when = darwin_newest_install(root, "XProtect", installed, sizeof(installed));
	if (bundle == NULL && when < 0) {
		snprintf(err, err_len,
		         "no XProtect: neither its bundle (%s) nor an XProtect install in %s",
		         bundles[0], DARWIN_INSTALL_HISTORY);
		return -ENOENT;
	}
	out->have_center = 1;
	out->n_products = 1;
	snprintf(p->name, sizeof(p->name), "XProtect%s%s", version[0] || installed[0] ? " " : "",
	         version[0] ? version : installed);
	p->state = AV_ON;
	p->up_to_date = -1;
	p->signature_age = -1;
	if (when >= 0) {
		long long now = (long long)time(NULL);

		p->signature_age = now > when ? (now - when) / 86400 : 0;
	}
	snprintf(out->source, sizeof(out->source), "%s%s%s", bundle ? "XProtect.bundle" : "",
	         bundle && when >= 0 ? " and " : "", when >= 0 ? "InstallHistory.plist" : "");
	return 0;
}
