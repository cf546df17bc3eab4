/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mdm: see mdm.h.
 */
#include "mdm.h"

#include <string.h>

#include "checks.h"
#include "timefmt.h"

#define INTUNE_MAX_RULES 100

int mdm_result_ok(const struct result *r)
{
	/* a failure within its grace does not count yet (grace.h) */
	return (r->status != STATUS_FAIL || r->within_grace) &&
	       !(r->status == STATUS_ERROR && r->check->on_error == ON_ERROR_FAIL);
}

/* TEXT with XML's three special characters escaped. */
static void xml_text(FILE *out, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '&')
			fputs("&amp;", out);
		else if (*p == '<')
			fputs("&lt;", out);
		else if (*p == '>')
			fputs("&gt;", out);
		else
			fputc(*p, out);
	}
}

void mdm_jamf(const struct evaluation *ev, FILE *out)
{
	size_t i, n = 0;
	int errors_only = ev->compliant;

	fputs("<result>", out);
	if (ev->compliant && ev->summary.error == 0 && ev->summary.due == 0) {
		fputs("Compliant</result>\n", out);
		return;
	}
	if (ev->compliant && ev->summary.error == 0) {
		/* compliant for now: which failures are due, and when */
		fputs("Compliant, due: ", out);
		for (i = 0; i < ev->n_results; i++) {
			const struct result *r = &ev->results[i];
			char due[32];

			if (r->status != STATUS_FAIL || !r->within_grace)
				continue;
			time_rfc3339((time_t)r->due_at, due);
			if (n++ > 0)
				fputs(", ", out);
			xml_text(out, r->check->id);
			fprintf(out, " by %.10s", due);
		}
		fputs("</result>\n", out);
		return;
	}
	/* compliant with errors: say which checks could not look */
	fputs(errors_only ? "Unknown: " : "Non-compliant: ", out);
	for (i = 0; i < ev->n_results; i++) {
		const struct result *r = &ev->results[i];

		if (errors_only ? r->status != STATUS_ERROR : mdm_result_ok(r))
			continue;
		if (n++ > 0)
			fputs(", ", out);
		xml_text(out, r->check->id);
	}
	if (errors_only)
		fputs(" could not be evaluated", out);
	fputs("</result>\n", out);
}

json_t *mdm_intune_values(const struct evaluation *ev)
{
	json_t *doc = json_object();
	size_t i, failed = 0;

	for (i = 0; i < ev->n_results; i++)
		failed += !mdm_result_ok(&ev->results[i]);
	json_object_set_new(doc, MDM_INTUNE_COMPLIANT, json_boolean(ev->compliant));
	json_object_set_new(doc, "PostureFailed", json_integer((json_int_t)failed));
	json_object_set_new(doc, "PostureErrors", json_integer((json_int_t)ev->summary.error));
	for (i = 0; i < ev->n_results; i++)
		json_object_set_new(doc, ev->results[i].check->id,
		                    json_boolean(mdm_result_ok(&ev->results[i])));
	return doc;
}

static json_t *rule(const char *setting, const char *title, const char *description,
                    const char *url)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:s, s:[{s:s, s:s, s:s}]}", "SettingName", setting,
	                 "Operator", "IsEquals", "DataType", "Boolean", "Operand", 1, "MoreInfoUrl",
	                 url, "RemediationStrings", "Language", "en_US", "Title", title,
	                 "Description", description);
}

json_t *mdm_intune_rules(const struct policy *policy, const char *more_info_url, char *err,
                         size_t err_len)
{
	json_t *rules = json_array(), *doc;
	char title[600], buf[512];

	if (policy->n_checks + 1 > INTUNE_MAX_RULES) {
		snprintf(err, err_len,
		         "the policy has %zu checks; Intune takes at most %d rules (one per check "
		         "and one for the whole verdict)",
		         policy->n_checks, INTUNE_MAX_RULES);
		json_decref(rules);
		return NULL;
	}
	snprintf(title, sizeof(title), "This device does not meet the %s policy.", policy->name);
	json_array_append_new(rules,
	                      rule(MDM_INTUNE_COMPLIANT, title,
	                           "Run 'posture check' on the device to see which checks fail "
	                           "and how to fix each.",
	                           more_info_url));
	for (size_t i = 0; i < policy->n_checks; i++) {
		const struct check *c = &policy->checks[i];

		if (c->title != NULL)
			snprintf(buf, sizeof(buf), "%s", c->title);
		else
			c->type->default_title(c, buf, sizeof(buf));
		snprintf(title, sizeof(title), "Not met: %s", buf);
		json_array_append_new(rules,
		                      rule(c->id, title,
		                           c->remediation ? c->remediation : c->type->remediation,
		                           more_info_url));
	}
	doc = json_pack("{s:o}", "Rules", rules);
	return doc;
}
