/* SPDX-License-Identifier: Apache-2.0 */
/*
 * firewall: unsolicited input is dropped, for IPv4 and (unless it is turned
 * off) IPv6: a ruleset that drops it, or ufw or firewalld enabled.
 */
#include <stdio.h>

#include "checks.h"
#include "engine.h"

static const struct key_spec keys[] = {
	{ .name = NULL },
};

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	struct firewall_state f;
	char err[256];
	int v6_ok;

	(void)c;
	if (probe_firewall(ctx->root, &f, err, sizeof(err)) != 0) {
		result_set(r, STATUS_ERROR, "The firewall could not be read: %s.", err);
		return;
	}
	v6_ok = f.ipv6_drops || f.ipv6_disabled;
	json_object_set_new(r->observed, "ipv4_unsolicited_dropped", json_boolean(f.ipv4_drops));
	json_object_set_new(r->observed, "ipv6_unsolicited_dropped", json_boolean(f.ipv6_drops));
	json_object_set_new(r->observed, "ipv6_disabled", json_boolean(f.ipv6_disabled));
	json_object_set_new(r->observed, "source", json_string(f.source));
	json_object_set_new(r->observed, "detail", json_string(f.detail));
	json_object_set_new(r->expected, "unsolicited_input", json_string("dropped"));
	if (f.ipv4_drops && v6_ok)
		result_set(r, STATUS_PASS, "Unsolicited input is dropped (%s).", f.detail);
	else if (f.ipv4_drops)
		result_set(r, STATUS_FAIL, "IPv4 input is filtered but IPv6 input is not (%s).",
		           f.detail);
	else
		result_set(r, STATUS_FAIL, "Unsolicited input is accepted (%s).",
		           f.detail[0] ? f.detail : "no input chain in the ruleset");
}

static void default_title(const struct check *c, char *buf, size_t len)
{
	(void)c;
	snprintf(buf, len, "A firewall drops unsolicited input");
}

const struct check_type check_type_firewall = {
	.name = "firewall",
	.keys = keys,
	.evaluate = evaluate,
	.default_title = default_title,
	.remediation = "Turn on the distribution's firewall: sudo ufw enable (Debian, Ubuntu) or "
	               "sudo systemctl enable --now firewalld (Fedora).",
};
