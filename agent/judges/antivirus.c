/* SPDX-License-Identifier: Apache-2.0 */
/*
 * antivirus: the judge (see lib/checks/antivirus.c for the keys).
 *
 * A product that Security Center reports on, with signatures it reports
 * current, passes, unless it is Defender: Defender's own status is then
 * the evidence (real-time protection, signature age in days), as it is on
 * a Windows without Security Center (Server). A product that is off,
 * snoozed or expired, or on with old signatures, is no protection.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "judges.h"
#include "engine.h"
#include "judges/antivirus.h"

static const char *state_name(int state)
{
	switch (state) {
	case AV_ON:
		return "on";
	case AV_OFF:
		return "off";
	case AV_SNOOZED:
		return "snoozed";
	case AV_EXPIRED:
		return "expired";
	default:
		return NULL;
	}
}

static json_t *tristate(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

static void observe(struct result *r, const struct av_state *st)
{
	json_t *list;
	size_t i;

	if (r->observed == NULL)
		return;
	json_object_set_new(r->observed, "security_center", json_boolean(st->have_center));
	list = json_array();
	for (i = 0; i < st->n_products; i++) {
		const struct av_product *p = &st->products[i];
		json_t *item = json_object();
		const char *state = state_name(p->state);

		json_object_set_new(item, "name", json_string(p->name));
		json_object_set_new(item, "state", state ? json_string(state) : json_null());
		json_object_set_new(item, "up_to_date", tristate(p->up_to_date));
		if (p->signature_age >= 0)
			json_object_set_new(item, "signature_age_days",
			                    json_integer(p->signature_age));
		json_array_append_new(list, item);
	}
	json_object_set_new(r->observed, "products", list);
	if (st->defender) {
		json_t *d = json_object();

		json_object_set_new(d, "service", tristate(st->defender_service));
		json_object_set_new(d, "antivirus", tristate(st->defender_av));
		json_object_set_new(d, "realtime_protection", tristate(st->defender_realtime));
		json_object_set_new(d, "signature_age_days",
		                    st->signature_age < 0 ? json_null()
		                                          : json_integer(st->signature_age));
		if (st->defender_mode[0])
			json_object_set_new(d, "mode", json_string(st->defender_mode));
		json_object_set_new(r->observed, "defender", d);
	} else {
		json_object_set_new(r->observed, "defender", json_null());
	}
	json_object_set_new(r->observed, "source", json_string(st->source));
}

/* Defender's own status against the policy. */
static void judge_defender(const struct av_state *st, long long max_age, int want_rt,
                           struct result *r)
{
	if (st->defender_service == 0 || st->defender_av == 0) {
		result_set(r, STATUS_FAIL, "Microsoft Defender Antivirus is off%s%s%s.",
		           st->defender_mode[0] ? " (" : "", st->defender_mode,
		           st->defender_mode[0] ? ")" : "");
		result_fix(r, "antivirus", NULL);
	} else if (want_rt && st->defender_realtime == 0) {
		result_set(r, STATUS_FAIL, "Microsoft Defender's real-time protection is off.");
		result_fix(r, "antivirus", NULL);
	} else if (st->signature_age > max_age) {
		result_set(r, STATUS_FAIL,
		           "Microsoft Defender's signatures are %lld days old, more than %lld.",
		           st->signature_age, max_age);
		result_fix(r, "antivirus", NULL);
	} else if ((want_rt && st->defender_realtime < 0) || st->signature_age < 0 ||
	           st->defender_av < 0) {
		result_set(r, STATUS_ERROR, "Microsoft Defender's status lacks %s.",
		           st->defender_av < 0                      ? "whether its antivirus is on"
		           : (want_rt && st->defender_realtime < 0) ? "real-time protection"
		                                                    : "its signature age");
	} else {
		result_set(r, STATUS_PASS,
		           "Microsoft Defender Antivirus is on%s, its signatures %lld day%s old.",
		           want_rt ? " with real-time protection" : "", st->signature_age,
		           st->signature_age == 1 ? "" : "s");
	}
}

void antivirus_verdict(const struct av_state *st, long long max_age, int want_rt, struct result *r)
{
	const struct av_product *on_defender = NULL, *stale = NULL, *unknown = NULL;
	char seen[512] = "";
	size_t i;

	observe(r, st);
	for (i = 0; i < st->n_products; i++) {
		const struct av_product *p = &st->products[i];
		size_t used = strlen(seen);

		snprintf(seen + used, sizeof(seen) - used, "%s%s (%s)", used ? ", " : "", p->name,
		         state_name(p->state) ? state_name(p->state) : "state unknown");
		if (p->state < 0)
			unknown = p;
		if (p->state != AV_ON)
			continue;
		if (p->defender) {
			on_defender = p;
		} else if (p->up_to_date == 1) {
			result_set(r, STATUS_PASS, "%s is on with current signatures (%s).",
			           p->name, st->source);
			return;
		} else if (p->up_to_date < 0 && p->signature_age >= 0 &&
		           p->signature_age <= max_age) {
			/* the OS says the signatures' age, not whether they are current */
			result_set(r, STATUS_PASS, "%s is on, its signatures %lld day%s old (%s).",
			           p->name, p->signature_age, p->signature_age == 1 ? "" : "s",
			           st->source);
			return;
		} else {
			stale = p;
		}
	}
	if (on_defender != NULL || !st->have_center) {
		if (st->defender) {
			judge_defender(st, max_age, want_rt, r);
		} else if (on_defender != NULL && on_defender->up_to_date == 1) {
			result_set(
			    r, STATUS_PASS,
			    "%s is on with current signatures (Security Center; Defender's own "
			    "status did not answer).",
			    on_defender->name);
		} else {
			result_set(r, STATUS_ERROR,
			           "Neither Security Center nor Defender gave a "
			           "usable antivirus state.");
		}
		return;
	}
	if (stale != NULL && stale->up_to_date < 0 && stale->signature_age > max_age) {
		result_set(r, STATUS_FAIL,
		           "%s is on, but its signatures are %lld days old, more than %lld (%s).",
		           stale->name, stale->signature_age, max_age, st->source);
	} else if (stale != NULL && stale->up_to_date < 0 && stale->signature_age < 0) {
		/* nothing says how old: not a failure, not a pass */
		result_set(r, STATUS_ERROR,
		           "%s is on, but nothing says how old its signatures are.", stale->name);
		return;
	} else if (stale != NULL) {
		result_set(r, STATUS_FAIL, "%s is on, but its signatures are %s.", stale->name,
		           stale->up_to_date == 0 ? "out of date" : "of unknown age");
	} else if (unknown != NULL) {
		/* a product whose state cannot be read may be the one that is on */
		result_set(r, STATUS_ERROR,
		           "No antivirus is on as far as can be read, and the state "
		           "of %s is unknown.",
		           unknown->name);
		return;
	} else if (st->n_products == 0) {
		result_set(r, STATUS_FAIL, "Security Center knows of no antivirus product.");
	} else {
		result_set(r, STATUS_FAIL, "No antivirus is on: %s.", seen);
	}
	result_fix(r, "antivirus", NULL);
}

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	long long max_age = check_value(c, "max_signature_age_days")->num;
	int want_rt = (int)check_value(c, "require_realtime")->num;
	struct av_state st;
	char err[512];
	int rc;

	if (r->expected != NULL) {
		json_object_set_new(r->expected, "max_signature_age_days", json_integer(max_age));
		json_object_set_new(r->expected, "require_realtime", json_boolean(want_rt));
	}
	rc = probe_antivirus(ctx->root, &st, err, sizeof(err));
	if (result_unsupported(r, rc, err))
		return;
	if (rc != 0) {
		result_set(r, STATUS_ERROR, "The antivirus state could not be read: %s.", err);
		return;
	}
	antivirus_verdict(&st, max_age, want_rt, r);
}

const struct check_judge check_judge_antivirus = {
	.evaluate = evaluate,
};
