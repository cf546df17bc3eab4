/* SPDX-License-Identifier: Apache-2.0 */
/*
 * updates (Windows): whether Windows Update installs updates on its own.
 *   HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU (group
 *   policy, "Configure Automatic Updates"; Microsoft's "Configure Windows
 *   Update" documentation):
 *     NoAutoUpdate  1: automatic updates off
 *     AUOptions     2 notify before download, 3 download and notify to
 *                   install, 4 download and install on a schedule, 5 the
 *                   local administrator chooses, 7 download, notify to
 *                   install, notify to restart
 *   HKLM\SYSTEM\CurrentControlSet\Services\wuauserv\Start
 *     4: the Windows Update service is disabled
 * Without a policy, Windows 10 and 11 download and install updates
 * themselves: that is the default, reported as such.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "probe.h"
#include "probeset.h"
#include "registry.h"

#define AU "SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU"

int native_probe_auto_updates(const struct rootfs *root, struct update_automation *out, char *err,
                              size_t err_len)
{
	unsigned long no_auto = 0, options = 0, start = 0;
	int have_no_auto, have_options;

	memset(out, 0, sizeof(*out));
	if (!rootfs_is_host(root)) {
		snprintf(err, err_len,
		         "the Windows registry of another root cannot be read (--root)");
		return -ENOTSUP;
	}
	snprintf(out->mechanism, sizeof(out->mechanism), "Windows Update");
	out->installed = 1;
	have_no_auto = reg_dword(HKEY_LOCAL_MACHINE, AU, "NoAutoUpdate", 0, &no_auto) == 0;
	have_options = reg_dword(HKEY_LOCAL_MACHINE, AU, "AUOptions", 0, &options) == 0;
	out->scheduled =
	    !(reg_dword(HKEY_LOCAL_MACHINE, "SYSTEM\\CurrentControlSet\\Services\\wuauserv",
	                "Start", 0, &start) == 0 &&
	      start == 4);
	if (!out->scheduled)
		snprintf(out->unscheduled, sizeof(out->unscheduled),
		         "the Windows Update service (wuauserv) is disabled");
	if (have_no_auto && no_auto == 1) {
		out->enabled = 0;
		snprintf(out->detail, sizeof(out->detail), "group policy: NoAutoUpdate = 1");
		return 0;
	}
	out->enabled = 1;
	if (!have_options) {
		out->installs = 1;
		snprintf(out->detail, sizeof(out->detail),
		         "no update policy: Windows downloads and installs updates itself");
		return 0;
	}
	out->installs = options == 4;
	snprintf(out->detail, sizeof(out->detail), "group policy: AUOptions = %lu (%s)", options,
	         options == 2   ? "notify before downloading"
	         : options == 3 ? "download, then notify to install"
	         : options == 4 ? "download and install on a schedule"
	         : options == 5 ? "the local administrator chooses"
	         : options == 7 ? "download, notify to install and to restart"
	                        : "not a value Windows defines");
	return 0;
}
