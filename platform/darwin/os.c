/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/os: the OS of a Mac's disk, from
 * /System/Library/CoreServices/SystemVersion.plist (what sw_vers prints):
 * ProductName, ProductVersion, ProductUserVisibleVersion and
 * ProductBuildVersion. The package system is "pkg" (vercmp.h: installer
 * receipts and app bundles' versions). A Mac's disk holds no machine id a
 * reader can use (the hardware UUID is the firmware's), so there is none.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../plist.h"
#include "../probe.h"
#include "../probeset.h"
#include "darwin.h"

#define SYSTEM_VERSION "/System/Library/CoreServices/SystemVersion.plist"

int darwin_probe_os_info(const struct rootfs *root, struct os_info *out, char *err, size_t err_len)
{
	struct pl_doc *doc = NULL;
	const struct pl_node *top;
	const char *name, *version, *visible, *build;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(out->family, sizeof(out->family), "macos");
	snprintf(out->id, sizeof(out->id), "macos");
	rc = darwin_plist_read(root, SYSTEM_VERSION, &doc, err, err_len);
	if (rc != 0)
		return rc;
	top = pl_root(doc);
	name = pl_str(pl_get(top, "ProductName"));
	version = pl_str(pl_get(top, "ProductVersion"));
	visible = pl_str(pl_get(top, "ProductUserVisibleVersion"));
	build = pl_str(pl_get(top, "ProductBuildVersion"));
	if (version == NULL || version[0] == '\0') {
		snprintf(err, err_len, "%s has no ProductVersion", SYSTEM_VERSION);
		pl_free(doc);
		return -EINVAL;
	}
	snprintf(out->name, sizeof(out->name), "%s", name ? name : "macOS");
	snprintf(out->version_id, sizeof(out->version_id), "%s", version);
	snprintf(out->point_version, sizeof(out->point_version), "%s", version);
	snprintf(out->pretty_name, sizeof(out->pretty_name), "%s %s%s%s%s", out->name,
	         visible ? visible : version, build ? " (" : "", build ? build : "",
	         build ? ")" : "");
	pl_free(doc);
	return 0;
}

int darwin_probe_machine_id(const struct rootfs *root, unsigned char id[16])
{
	(void)root;
	(void)id;
	return -ENOENT;
}

const char *darwin_probe_pkg_system(const struct rootfs *root)
{
	(void)root;
	return "pkg";
}
