/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report: JSON and text renderings of an evaluation. See report.h.
 */
#include "report.h"

#include "contract.h"
#include "crypto.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks.h"
#include "device.h"
#include "osdefs.h"
#include "timefmt.h"

void report_meta_init(struct report_meta *meta, const struct evaluation *ev,
                      const struct rootfs *root, const char *version)
{
	unsigned char machine_id[16];

	memset(meta, 0, sizeof(*meta));
	meta->agent_version = version;
	if (device_uuid4(meta->report_id) != 0)
		snprintf(meta->report_id, sizeof(meta->report_id),
		         "00000000-0000-4000-8000-000000000000");
	time_now_rfc3339(meta->generated_at);
	if (probe_machine_id(root, machine_id) == 0)
		device_id_from_machine_id(machine_id, meta->device_id);
	meta->os = ev->os;
}

static json_t *str_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

json_t *report_json(const struct evaluation *ev, const struct report_meta *meta)
{
	const struct policy *p = ev->policy;
	json_t *doc, *results, *os;
	char sha256[65];
	size_t i;

	crypto_sha256_hex(p->text, p->text_len, sha256);
	os = json_pack("{s:s, s:o, s:o, s:o, s:o}", "family",
	               meta->os.family[0] ? meta->os.family : OS_FAMILY, "id",
	               str_or_null(meta->os.id), "name", str_or_null(meta->os.name), "version",
	               str_or_null(meta->os.version_id), "kernel", str_or_null(meta->os.kernel));
	if (meta->os.point_version[0])
		json_object_set_new(os, "point_version", json_string(meta->os.point_version));
	results = json_array();
	for (i = 0; i < ev->n_results; i++) {
		const struct result *r = &ev->results[i];
		json_t *item =
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:O, s:s, s:s}", "id", r->check->id,
		              "type", r->check->type->name, "status", status_name(r->status),
		              "severity", severity_name(r->check->severity), "title",
		              r->title ? r->title : "", "observed", r->observed, "expected",
		              r->expected, "message", r->message ? r->message : "", "remediation",
		              r->remediation ? r->remediation : "");

		if (item != NULL && r->due_at > 0) {
			char first[32], due[32];

			time_rfc3339((time_t)r->first_failed, first);
			time_rfc3339((time_t)r->due_at, due);
			json_object_set_new(item, "first_failed_at", json_string(first));
			json_object_set_new(item, "due_at", json_string(due));
			json_object_set_new(
			    item, "overdue",
			    json_boolean(r->status == STATUS_FAIL && !r->within_grace));
		}
		json_array_append_new(results, item);
	}
	doc = json_pack(
	    "{s:s, s:s, s:s, s:{s:s}, s:{s:o, s:o, s:o}, s:{s:s, s:o, s:s}, s:b, "
	    "s:{s:I, s:I, s:I, s:I, s:I}, s:o}",
	    "schema", CONTRACT_REPORT_SCHEMA, "report_id", meta->report_id, "generated_at",
	    meta->generated_at, "agent", "version", meta->agent_version, "device", "id",
	    str_or_null(meta->device_id), "hostname", str_or_null(meta->os.hostname), "os", os,
	    "policy", "name", p->name, "version", str_or_null(p->version), "sha256", sha256,
	    "compliant", ev->compliant, "summary", "pass", (json_int_t)ev->summary.pass, "fail",
	    (json_int_t)ev->summary.fail, "error", (json_int_t)ev->summary.error, "skip",
	    (json_int_t)ev->summary.skip, "due", (json_int_t)ev->summary.due, "results", results);
	/* what the agent saw of the hardware and its user, when it saw it */
	if (doc != NULL && meta->os.serial[0] != '\0')
		json_object_set_new(json_object_get(doc, "device"), "serial",
		                    json_string(meta->os.serial));
	if (doc != NULL && meta->os.console_user[0] != '\0')
		json_object_set_new(json_object_get(doc, "device"), "console_user",
		                    json_string(meta->os.console_user));
	return doc;
}

int report_want_color(FILE *out)
{
	const char *no_color = getenv("NO_COLOR");

	if (no_color != NULL && no_color[0] != '\0')
		return 0;
	return isatty(fileno(out));
}

static const char *const labels[] = { "PASS ", "FAIL ", "ERROR", "SKIP " };
static const char *const colours[] = { "\033[32m", "\033[1;31m", "\033[33m", "\033[2m" };

/* A failure's grace, for its line: " (fix by 2026-12-21 10:00 UTC)" or
 * " (overdue since ...)"; "" without one. DUE is RFC 3339 (timefmt.h). */
static void grace_note(const char *due, int overdue, char *out, size_t out_len)
{
	out[0] = '\0';
	if (due == NULL || strlen(due) < 16)
		return;
	snprintf(out, out_len, " (%s %.10s %.5s UTC)", overdue ? "overdue since" : "fix by", due,
	         due + 11);
}

static void print_line(FILE *out, int color, int st, size_t id_width, const char *id,
                       const char *title, const char *message, const char *note, const char *fix)
{
	fprintf(out, "%s%s%s  %-*s  %s: %s%s\n", color ? colours[st] : "", labels[st],
	        color ? "\033[0m" : "", (int)id_width, id, title, message, note);
	if (fix != NULL && fix[0] != '\0')
		fprintf(out, "       %*s  fix: %s\n", (int)id_width, "", fix);
}

static void print_summary(FILE *out, int color, int compliant, long long pass, long long fail,
                          long long due, long long error, long long skip, const char *policy,
                          const char *version, const char *host)
{
	char within[48] = "";

	if (due > 0)
		snprintf(within, sizeof(within), " (%lld within grace)", due);
	fprintf(out, "%s%s%s: %lld pass, %lld fail%s, %lld error, %lld skip; policy %s%s%s on %s\n",
	        color ? (compliant ? "\033[1;32m" : "\033[1;31m") : "",
	        compliant ? "COMPLIANT" : "NOT COMPLIANT", color ? "\033[0m" : "", pass, fail,
	        within, error, skip, policy, version && version[0] ? " " : "",
	        version ? version : "", host && host[0] ? host : "this device");
}

void report_text(const struct evaluation *ev, FILE *out, int color)
{
	size_t i, id_width = 0;

	for (i = 0; i < ev->n_results; i++) {
		size_t n = strlen(ev->results[i].check->id);

		if (n > id_width)
			id_width = n;
	}
	for (i = 0; i < ev->n_results; i++) {
		const struct result *r = &ev->results[i];
		char due[32], note[64] = "";

		if (r->status == STATUS_FAIL && r->due_at > 0) {
			time_rfc3339((time_t)r->due_at, due);
			grace_note(due, !r->within_grace, note, sizeof(note));
		}
		print_line(out, color, (int)r->status, id_width, r->check->id, r->title,
		           r->message ? r->message : "", note, r->remediation);
	}
	print_summary(out, color, ev->compliant, (long long)ev->summary.pass,
	              (long long)ev->summary.fail, (long long)ev->summary.due,
	              (long long)ev->summary.error, (long long)ev->summary.skip, ev->policy->name,
	              ev->policy->version, ev->os.hostname);
}

static const char *get_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

int report_json_exit_code(const json_t *doc)
{
	const json_t *summary = json_object_get(doc, "summary");

	if (!json_is_boolean(json_object_get(doc, "compliant")) || !json_is_object(summary) ||
	    !json_is_array(json_object_get(doc, "results")))
		return -1;
	if (!json_is_true(json_object_get(doc, "compliant")))
		return 1;
	return json_integer_value(json_object_get(summary, "error")) > 0 ? 3 : 0;
}

int report_text_json(const json_t *doc, FILE *out, int color)
{
	const json_t *results = json_object_get(doc, "results");
	const json_t *summary = json_object_get(doc, "summary");
	const json_t *policy = json_object_get(doc, "policy");
	const json_t *r;
	size_t i, id_width = 0;

	if (report_json_exit_code(doc) < 0)
		return -1;
	json_array_foreach (results, i, r) {
		size_t n = strlen(get_str(r, "id"));

		if (status_from_name(get_str(r, "status")) < 0)
			return -1;
		if (n > id_width)
			id_width = n;
	}
	json_array_foreach (results, i, r) {
		char note[64] = "";

		if (status_from_name(get_str(r, "status")) == STATUS_FAIL)
			grace_note(json_string_value(json_object_get(r, "due_at")),
			           json_is_true(json_object_get(r, "overdue")), note, sizeof(note));
		print_line(out, color, status_from_name(get_str(r, "status")), id_width,
		           get_str(r, "id"), get_str(r, "title"), get_str(r, "message"), note,
		           get_str(r, "remediation"));
	}
	print_summary(out, color, json_is_true(json_object_get(doc, "compliant")),
	              (long long)json_integer_value(json_object_get(summary, "pass")),
	              (long long)json_integer_value(json_object_get(summary, "fail")),
	              (long long)json_integer_value(json_object_get(summary, "due")),
	              (long long)json_integer_value(json_object_get(summary, "error")),
	              (long long)json_integer_value(json_object_get(summary, "skip")),
	              get_str(policy, "name"), get_str(policy, "version"),
	              get_str(json_object_get(doc, "device"), "hostname"));
	return report_json_exit_code(doc);
}
