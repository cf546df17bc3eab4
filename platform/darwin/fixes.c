/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/fixes: how to fix a check on a Mac, in macOS's own settings
 * (System Settings of macOS 13 and later) and commands (probe_fix,
 * probe.h). A topic without words here keeps its type's remediation.
 */
#include <stdio.h>
#include <string.h>

#include "../probe.h"
#include "../probeset.h"

int darwin_probe_fix(const char *topic, const struct fix_args *args, char *out, size_t out_len)
{
	static const struct {
		const char *topic, *text;
	} fixes[] = {
		{ "os_version", "Upgrade macOS: System Settings, General, Software Update." },
		{ "os_patch",
		  "Install the pending updates: System Settings, General, Software Update "
		  "(or sudo softwareupdate --install --all --restart)." },
		{ "firewall",
		  "Turn on the firewall: System Settings, Network, Firewall (or sudo "
		  "/usr/libexec/ApplicationFirewall/socketfilterfw --setglobalstate on)." },
		{ "disk_encryption",
		  "Turn on FileVault: System Settings, Privacy & Security, FileVault (or sudo "
		  "fdesetup enable)." },
		{ "package_version", "Update the app: with its own updater, the App Store, or its "
		                     "vendor's installer." },
		{ "antivirus",
		  "Let Software Update install XProtect's data: System Settings, General, Software "
		  "Update, Automatic updates, \"Install Security Responses and system files\", and "
		  "let it "
		  "check now." },
		{ "system_integrity",
		  "Gatekeeper: sudo spctl --global-enable. System Integrity Protection: start up "
		  "in Recovery, open Terminal, run csrutil enable, and restart." },
		{ "auto_updates",
		  "Turn on automatic updates: System Settings, General, Software Update, "
		  "Automatic updates: check, download, and install macOS updates and security "
		  "responses." },
	};

	(void)args;
	for (size_t i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++)
		if (strcmp(topic, fixes[i].topic) == 0) {
			snprintf(out, out_len, "%s", fixes[i].text);
			return 0;
		}
	return -1;
}
