/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: how to fix a failing check, in the distributions' own commands
 * (probe_fix, probe.h). The check types' specs and the judges keep only
 * words that hold on every OS.
 */
#include <stdio.h>
#include <string.h>

#include "../probe.h"
#include "../probeset.h"

static const struct {
	const char *topic;
	const char *text;
} fixed[] = {
	{ "firewall", "Turn on the distribution's firewall: sudo ufw enable (Debian, Ubuntu) or "
	              "sudo systemctl enable --now firewalld (Fedora)." },
	{ "auto_updates",
	  "Debian/Ubuntu: sudo apt-get install unattended-upgrades && sudo dpkg-reconfigure "
	  "-plow unattended-upgrades. Fedora: sudo dnf install dnf-automatic, set apply_updates "
	  "= yes in /etc/dnf/automatic.conf, sudo systemctl enable --now dnf-automatic.timer." },
	{ "password_policy",
	  "Require longer passwords: Debian/Ubuntu: sudo apt-get install libpam-pwquality, "
	  "Fedora has it; then set minlen in /etc/security/pwquality.conf. Give every account "
	  "with an empty password one (sudo passwd NAME) or lock it (sudo passwd -l NAME)." },
	{ "os_patch.reboot",
	  "Reboot to run the updated kernel and libraries: sudo systemctl reboot" },
	{ "disk_encryption",
	  "Encrypt the disk: reinstall with full-disk encryption (LUKS) or migrate "
	  "the data to an encrypted volume; put swap on an encrypted volume too." },
	{ "secure_boot", "Turn on Secure Boot in the firmware settings (UEFI mode, with the "
	                 "distribution's shim), and leave Setup Mode by enrolling the platform "
	                 "key." },
	{ "sysctl",
	  "Set the kernel parameter in /etc/sysctl.d/ and apply it with sysctl --system." },
};

static int is_dnf(const struct fix_args *a)
{
	return a != NULL && a->system != NULL &&
	       (strcmp(a->system, "dnf") == 0 || strcmp(a->system, "rpm") == 0);
}

int native_probe_fix(const char *topic, const struct fix_args *a, char *out, size_t out_len)
{
	size_t i;
	int n = -1;

	if (strcmp(topic, "os_patch.no_lists") == 0) {
		n = snprintf(out, out_len, "%s",
		             is_dnf(a)
		                 ? "Enable the distribution's repositories and run: sudo dnf "
		                   "makecache"
		                 : "Configure the distribution's sources and run: sudo apt-get "
		                   "update");
	} else if (strcmp(topic, "os_patch.install") == 0) {
		n = snprintf(out, out_len, "Install the pending updates: %s%s",
		             is_dnf(a) ? "sudo dnf upgrade --refresh"
		                       : "sudo apt-get update && sudo apt-get upgrade",
		             a != NULL && a->flag ? ", then reboot" : "");
	} else if (strcmp(topic, "package_version") == 0 && a != NULL && a->name != NULL &&
	           a->value != NULL) {
		const char *colon = strchr(a->name, ':');
		int base = colon ? (int)(colon - a->name) : (int)strlen(a->name);

		if (is_dnf(a))
			n = snprintf(out, out_len,
			             "Update %.*s to %s or later: sudo dnf upgrade %.*s", base,
			             a->name, a->value, base, a->name);
		else
			n = snprintf(
			    out, out_len,
			    "Update %.*s to %s or later: sudo apt-get update && sudo apt-get "
			    "install --only-upgrade %s",
			    base, a->name, a->value, a->name);
	} else if (strcmp(topic, "screen_lock") == 0 && a != NULL) {
		n = snprintf(
		    out, out_len,
		    "Turn on automatic screen locking with a delay of at most %lld seconds "
		    "(GNOME: Settings, Privacy, Screen Lock; KDE: System Settings, Screen "
		    "Locking), or set it for everyone in /etc/dconf/db/local.d with a lock.",
		    a->number);
	} else if (strcmp(topic, "sysctl") == 0 && a != NULL && a->name != NULL &&
	           a->value != NULL) {
		n = snprintf(out, out_len,
		             "Set it now with: sudo sysctl -w %s='%s', and keep it with a file in "
		             "/etc/sysctl.d/.",
		             a->name, a->value);
	}
	/* the topics whose words need no arguments */
	for (i = 0; n < 0 && i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(fixed[i].topic, topic) == 0)
			n = snprintf(out, out_len, "%s", fixed[i].text);
	return n >= 0 ? 0 : -1;
}
