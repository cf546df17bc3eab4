/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Windows: how to fix a failing check, in Windows' own settings and
 * commands (probe_fix, probe.h).
 */
#include <stdio.h>
#include <string.h>

#include "probe.h"
#include "probeset.h"

static const struct {
	const char *topic;
	const char *text;
} fixed[] = {
	{ "firewall",
	  "Turn Windows Defender Firewall on for the domain, private and public profiles, "
	  "blocking inbound connections by default: Windows Security, Firewall & network "
	  "protection, or as an administrator: netsh advfirewall set allprofiles state on. A "
	  "profile turned off by group policy or MDM must be changed there." },
	{ "auto_updates",
	  "Let Windows Update install updates by itself: remove the NoAutoUpdate policy, set "
	  "\"Configure Automatic Updates\" to 4 (auto download and schedule the install) in "
	  "group policy or MDM, and set the Windows Update service (wuauserv) to Manual or "
	  "Automatic." },
	{ "secure_boot",
	  "Turn on Secure Boot in the firmware's settings (UEFI mode, not legacy BIOS or CSM); "
	  "msinfo32 shows \"Secure Boot State: On\" afterwards." },
	{ "os_version",
	  "Upgrade to a Windows 11 release Microsoft still services: Settings, Windows "
	  "Update." },
	{ "os_patch.install",
	  "Install the pending updates: Settings, Windows Update, Check for updates, then "
	  "restart." },
	{ "os_patch.reboot", "Restart to finish installing updates." },
	{ "os_patch.no_lists",
	  "Let Windows look for updates once: Settings, Windows Update, Check for updates; "
	  "if the Windows Update service is disabled, set it back to Manual." },
	{ "antivirus",
	  "Turn on virus and threat protection: Windows Security, Virus & threat protection, "
	  "Manage settings (real-time protection on), then Protection updates, Check for "
	  "updates; or, with another antivirus, turn it on and update it." },
	{ "disk_encryption",
	  "Turn on BitLocker for the system drive and every fixed data drive: Settings, "
	  "Privacy & security, Device encryption, or manage-bde -on C: as an administrator." },
};

int native_probe_fix(const char *topic, const struct fix_args *a, char *out, size_t out_len)
{
	int n = -1;

	if (strcmp(topic, "package_version") == 0 && a != NULL && a->name != NULL &&
	    a->value != NULL)
		n = snprintf(out, out_len,
		             "Update %s to %s or later with its own updater or installer, or "
		             "through the software center your organization deploys with.",
		             a->name, a->value);
	else if (strcmp(topic, "screen_lock") == 0 && a != NULL)
		n = snprintf(out, out_len,
		             "Lock the screen after at most %lld seconds of inactivity: Settings, "
		             "Accounts, Sign-in options (\"If you've been away\"), or the "
		             "\"Interactive logon: Machine inactivity limit\" policy.",
		             a->number);
	for (size_t i = 0; n < 0 && i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(fixed[i].topic, topic) == 0)
			n = snprintf(out, out_len, "%s", fixed[i].text);
	return n >= 0 ? 0 : -1;
}
