/* SPDX-License-Identifier: Apache-2.0 */
/*
 * firewall: the judge (see lib/checks/firewall.c for the keys).
 */
#include <stdio.h>

#include "checks.h"
#include "judges.h"
#include "engine.h"

/* A firewall with profiles (Windows): each must be on and block unsolicited
 * input by default. */
static void judge_profiles(const struct firewall_state *f, struct result *r)
{
	json_t *list = json_array();
	char bad[256] = "";
	size_t used = 0;
	int unknown = 0;

	for (size_t i = 0; i < f->n_profiles; i++) {
		const struct firewall_profile *p = &f->profiles[i];
		json_t *o = json_object();
		const char *why = NULL;

		json_object_set_new(o, "profile", json_string(p->name));
		json_object_set_new(o, "enabled",
		                    p->enabled < 0 ? json_null() : json_boolean(p->enabled));
		json_object_set_new(o, "default_inbound",
		                    p->blocks_inbound < 0
		                        ? json_null()
		                        : json_string(p->blocks_inbound ? "block" : "allow"));
		json_object_set_new(o, "source", json_string(p->source));
		json_array_append_new(list, o);
		if (p->enabled == 0)
			why = "is off";
		else if (p->blocks_inbound == 0)
			why = "allows unsolicited input";
		else if (p->enabled < 0 || p->blocks_inbound < 0)
			unknown = 1;
		if (why != NULL && used < sizeof(bad))
			used +=
			    (size_t)snprintf(bad + used, sizeof(bad) - used, "%sthe %s profile %s",
			                     used ? ", " : "", p->name, why);
	}
	json_object_set_new(r->observed, "profiles", list);
	if (f->detail[0]) /* macOS: block-all and stealth mode */
		json_object_set_new(r->observed, "detail", json_string(f->detail));
	json_object_set_new(r->expected, "every_profile",
	                    json_string("on, blocking unsolicited input"));
	if (bad[0])
		result_set(r, STATUS_FAIL, "The firewall does not protect every network: %s.", bad);
	else if (unknown)
		result_set(r, STATUS_ERROR,
		           "The firewall's settings could not be read for every profile.");
	else if (f->n_profiles == 1 && f->detail[0])
		result_set(r, STATUS_PASS, "The firewall is on and blocks unsolicited input (%s).",
		           f->detail);
	else
		result_set(r, STATUS_PASS,
		           "The firewall is on and blocks unsolicited input in every profile.");
}

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
	if (f.n_profiles > 0) {
		judge_profiles(&f, r);
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
