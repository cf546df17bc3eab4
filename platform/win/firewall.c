/* SPDX-License-Identifier: Apache-2.0 */
/*
 * firewall (Windows): Windows Defender Firewall's three profiles, from the
 * registry that holds them:
 *   HKLM\SOFTWARE\Policies\Microsoft\WindowsFirewall\{Domain,Private,
 *     Public}Profile  (group policy and MDM; WindowsFirewall.admx), which
 *     wins where it sets a value;
 *   HKLM\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\
 *     FirewallPolicy\{Domain,Standard,Public}Profile  (the local settings;
 *     "Standard" is the private profile)
 * with EnableFirewall (1 on) and DefaultInboundAction (1 block, 0 allow;
 * where no layer sets it, Windows blocks, as its default policy does).
 * INetFwPolicy2, the live COM interface, reads the same store; Wine has no
 * firewall, so this registry reading is what runs under it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "probe.h"
#include "probeset.h"
#include "registry.h"

#define POLICY "SOFTWARE\\Policies\\Microsoft\\WindowsFirewall\\"
#define LOCAL "SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\"

static const struct {
	const char *name, *policy_key, *local_key;
} profiles[] = {
	{ "domain", POLICY "DomainProfile", LOCAL "DomainProfile" },
	{ "private", POLICY "PrivateProfile", LOCAL "StandardProfile" },
	{ "public", POLICY "PublicProfile", LOCAL "PublicProfile" },
};

/* VALUE from the policy if it sets it, else the local settings; -1 when
 * neither does. *FROM names the layer. */
static int layered(int i, const char *value, const char **from)
{
	unsigned long v;

	if (reg_dword(HKEY_LOCAL_MACHINE, profiles[i].policy_key, value, 0, &v) == 0) {
		*from = "group policy";
		return v != 0;
	}
	if (reg_dword(HKEY_LOCAL_MACHINE, profiles[i].local_key, value, 0, &v) == 0) {
		*from = "local settings";
		return v != 0;
	}
	return -1;
}

int native_probe_firewall(const struct rootfs *root, struct firewall_state *out, char *err,
                          size_t err_len)
{
	memset(out, 0, sizeof(*out));
	if (!rootfs_is_host(root)) {
		snprintf(err, err_len,
		         "the Windows registry of another root cannot be read (--root)");
		return -ENOTSUP;
	}
	for (int i = 0; i < 3; i++) {
		struct firewall_profile *p = &out->profiles[i];
		const char *on_from = NULL, *in_from = NULL;

		snprintf(p->name, sizeof(p->name), "%s", profiles[i].name);
		p->enabled = layered(i, "EnableFirewall", &on_from);
		p->blocks_inbound = layered(i, "DefaultInboundAction", &in_from);
		if (p->blocks_inbound < 0 && p->enabled >= 0) {
			p->blocks_inbound = 1; /* Windows' default inbound action */
			in_from = "the Windows default";
		}
		if (on_from != NULL && in_from != NULL && strcmp(on_from, in_from) != 0)
			snprintf(p->source, sizeof(p->source), "%s (on/off), %s (inbound)", on_from,
			         in_from);
		else
			snprintf(p->source, sizeof(p->source), "%s",
			         on_from ? on_from : "no setting found");
	}
	out->n_profiles = 3;
	snprintf(out->source, sizeof(out->source), "registry");
	return 0;
}
