/* SPDX-License-Identifier: Apache-2.0 */
/*
 * system_integrity: the judge (see lib/checks/system_integrity.c for the
 * keys). Each protection the policy requires must be on; one that is off
 * fails, one that could not be read is an error saying why, never a pass.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "judges.h"
#include "engine.h"

static json_t *observed(const struct protection *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "on", p->on < 0 ? json_null() : json_boolean(p->on));
	if (p->source[0])
		json_object_set_new(o, "source", json_string(p->source));
	if (p->said[0])
		json_object_set_new(o, "said", json_string(p->said));
	if (p->on < 0 && p->why[0])
		json_object_set_new(o, "reason", json_string(p->why));
	return o;
}

/* Appends NAME's state to the sentence lists OFF and UNKNOWN. */
static void note(const char *name, const struct protection *p, char *off, size_t off_len,
                 char *unknown, size_t unknown_len)
{
	if (p->on == 0) {
		size_t n = strlen(off);

		snprintf(off + n, off_len - n, "%s%s is off (%s: \"%s\")", n ? "; " : "", name,
		         p->source, p->said);
	} else if (p->on < 0) {
		size_t n = strlen(unknown);

		snprintf(unknown + n, unknown_len - n, "%s%s %s is on is not known: %s",
		         n ? "; " : "", n ? "whether" : "Whether", name,
		         p->why[0] ? p->why : "nothing said");
	}
}

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	struct integrity_state s;
	char err[256], off[512] = "", unknown[1024] = "";
	int want_sip = (int)check_value(c, "require_sip")->num;
	int want_gk = (int)check_value(c, "require_gatekeeper")->num;
	int rc = probe_system_integrity(ctx->root, &s, err, sizeof(err));

	if (result_unsupported(r, rc, err))
		return;
	if (rc != 0) {
		result_set(r, STATUS_ERROR, "The system's protections could not be read: %s.", err);
		return;
	}
	json_object_set_new(r->observed, "sip", observed(&s.sip));
	json_object_set_new(r->observed, "gatekeeper", observed(&s.gatekeeper));
	if (want_sip) {
		json_object_set_new(r->expected, "sip", json_true());
		note("System Integrity Protection", &s.sip, off, sizeof(off), unknown,
		     sizeof(unknown));
	}
	if (want_gk) {
		json_object_set_new(r->expected, "gatekeeper", json_true());
		note("Gatekeeper", &s.gatekeeper, off, sizeof(off), unknown, sizeof(unknown));
	}
	if (off[0]) {
		result_set(r, STATUS_FAIL, "%s.", off);
		result_fix(r, "system_integrity", NULL);
	} else if (unknown[0])
		result_set(r, STATUS_ERROR, "%s.", unknown);
	else if (!want_sip && !want_gk)
		result_set(r, STATUS_PASS, "No protection is required by this check.");
	else
		result_set(r, STATUS_PASS, "%s%s%s on.",
		           want_sip ? "System Integrity Protection" : "",
		           want_sip && want_gk ? " and Gatekeeper are"
		           : want_sip          ? " is"
		                               : "",
		           want_gk && !want_sip ? "Gatekeeper is" : "");
}

const struct check_judge check_judge_system_integrity = {
	.evaluate = evaluate,
};
