/* SPDX-License-Identifier: Apache-2.0 */
/*
 * firewall: the judge (see lib/checks/firewall.c for the keys).
 */
#include <stdio.h>

#include "checks.h"
#include "judges.h"
#include "engine.h"

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	int probe_rc;
	struct firewall_state f;
	char err[256];
	int v6_ok;

	(void)c;
	probe_rc = probe_firewall(ctx->root, &f, err, sizeof(err));
	if (result_unsupported(r, probe_rc, err))
		return;
	if (probe_rc != 0) {
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

const struct check_judge check_judge_firewall = {
	.evaluate = evaluate,
};
