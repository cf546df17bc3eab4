/*
 * report: JSON and text renderings of an evaluation. See report.h.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks.h"
#include "device.h"

void report_meta_init(struct report_meta *meta, const struct evaluation *ev,
                      const struct rootfs *root, const char *version)
{
	unsigned char machine_id[16];

	memset(meta, 0, sizeof(*meta));
	meta->agent_version = version;
	if (device_uuid4(meta->report_id) != 0)
		snprintf(meta->report_id, sizeof(meta->report_id),
		         "00000000-0000-4000-8000-000000000000");
	device_now_rfc3339(meta->generated_at);
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

	policy_sha256_hex(p, sha256);
	os = json_pack("{s:s, s:o, s:o, s:o, s:o}", "family",
	               meta->os.family[0] ? meta->os.family : "linux", "id",
	               str_or_null(meta->os.id), "name", str_or_null(meta->os.name), "version",
	               str_or_null(meta->os.version_id), "kernel", str_or_null(meta->os.kernel));
	if (meta->os.point_version[0])
		json_object_set_new(os, "point_version", json_string(meta->os.point_version));
	results = json_array();
	for (i = 0; i < ev->n_results; i++) {
		const struct result *r = &ev->results[i];

		json_array_append_new(
		    results,
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:O, s:s, s:s}", "id", r->check->id,
		              "type", r->check->type->name, "status", status_name(r->status),
		              "severity", severity_name(r->check->severity), "title",
		              r->title ? r->title : "", "observed", r->observed, "expected",
		              r->expected, "message", r->message ? r->message : "", "remediation",
		              r->remediation ? r->remediation : ""));
	}
	doc = json_pack("{s:s, s:s, s:s, s:{s:s}, s:{s:o, s:o, s:o}, s:{s:s, s:o, s:s}, s:b, "
	                "s:{s:I, s:I, s:I, s:I}, s:o}",
	                "schema", "posture.report/1", "report_id", meta->report_id, "generated_at",
	                meta->generated_at, "agent", "version", meta->agent_version, "device", "id",
	                str_or_null(meta->device_id), "hostname", str_or_null(meta->os.hostname),
	                "os", os, "policy", "name", p->name, "version", str_or_null(p->version),
	                "sha256", sha256, "compliant", ev->compliant, "summary", "pass",
	                (json_int_t)ev->summary.pass, "fail", (json_int_t)ev->summary.fail, "error",
	                (json_int_t)ev->summary.error, "skip", (json_int_t)ev->summary.skip,
	                "results", results);
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

		fprintf(out, "%s%s%s  %-*s  %s: %s\n", color ? colours[r->status] : "",
		        labels[r->status], color ? "\033[0m" : "", (int)id_width, r->check->id,
		        r->title, r->message ? r->message : "");
		if (r->remediation != NULL && r->remediation[0] != '\0')
			fprintf(out, "       %*s  fix: %s\n", (int)id_width, "", r->remediation);
	}
	fprintf(out, "%s%s%s: %zu pass, %zu fail, %zu error, %zu skip; policy %s%s%s on %s\n",
	        color ? (ev->compliant ? "\033[1;32m" : "\033[1;31m") : "",
	        ev->compliant ? "COMPLIANT" : "NOT COMPLIANT", color ? "\033[0m" : "",
	        ev->summary.pass, ev->summary.fail, ev->summary.error, ev->summary.skip,
	        ev->policy->name, ev->policy->version ? " " : "",
	        ev->policy->version ? ev->policy->version : "",
	        ev->os.hostname[0] ? ev->os.hostname : "this device");
}
