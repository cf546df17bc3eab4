/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: how to fix a failing check, in the distributions' own commands.
 * See probe_fix_text in probe.h; the check types' specs keep only words
 * that hold on every OS.
 */
#include <string.h>

#include "../probe.h"

static const struct {
	const char *type;
	const char *text;
} fixes[] = {
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
};

const char *probe_fix_text(const char *check_type)
{
	size_t i;

	for (i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++)
		if (strcmp(fixes[i].type, check_type) == 0)
			return fixes[i].text;
	return NULL;
}
