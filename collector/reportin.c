/*
 * reportin: see reportin.h.
 */
#include "reportin.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int is_uuid(const char *s)
{
	return s != NULL && strlen(s) == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' &&
	       s[23] == '-' && is_hex(s, 8) && is_hex(s + 9, 4) && is_hex(s + 14, 4) &&
	       is_hex(s + 19, 4) && is_hex(s + 24, 12);
}

/* RFC 3339: 2026-11-25T19:10:43Z, with optional fraction and offset. */
static int is_rfc3339(const char *s)
{
	size_t i = 19;

	if (s == NULL || strlen(s) < 20)
		return 0;
	for (size_t k = 0; k < 19; k++) {
		char want = "dddd-dd-ddTdd:dd:dd"[k];

		if (want == 'd' ? !isdigit((unsigned char)s[k]) : s[k] != want)
			return 0;
	}
	if (s[i] == '.') {
		i++;
		if (!isdigit((unsigned char)s[i]))
			return 0;
		while (isdigit((unsigned char)s[i]))
			i++;
	}
	if (s[i] == 'Z' || s[i] == 'z')
		return s[i + 1] == '\0';
	if ((s[i] == '+' || s[i] == '-') && isdigit((unsigned char)s[i + 1]) &&
	    isdigit((unsigned char)s[i + 2]) && s[i + 3] == ':' &&
	    isdigit((unsigned char)s[i + 4]) && isdigit((unsigned char)s[i + 5]))
		return s[i + 6] == '\0';
	return 0;
}

/* The number the N digits at S (checked by is_rfc3339) write. */
static int digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

int reportin_utc(const char *s, char out[24], long long *epoch)
{
	struct tm tm = { 0 };
	const char *z = s ? s + 19 : NULL;
	long offset = 0;
	time_t t;

	if (!is_rfc3339(s))
		return -1;
	tm.tm_year = digits(s, 4) - 1900;
	tm.tm_mon = digits(s + 5, 2) - 1;
	tm.tm_mday = digits(s + 8, 2);
	tm.tm_hour = digits(s + 11, 2);
	tm.tm_min = digits(s + 14, 2);
	tm.tm_sec = digits(s + 17, 2);
	if (tm.tm_year < 70 || tm.tm_year > 8000 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	while (*z == '.' || isdigit((unsigned char)*z))
		z++;
	if (*z == '+' || *z == '-') {
		int h = digits(z + 1, 2), m = digits(z + 4, 2);

		if (h > 23 || m > 59)
			return -1;
		offset = (h * 3600L + m * 60L) * (*z == '-' ? -1 : 1);
	}
	t = timegm(&tm) - offset;
	*epoch = (long long)t;
	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

static const char *str_or_null(json_t *o, const char *key, int *bad)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

static int one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

int reportin_parse(const char *body, size_t len, struct report_in *r, char *err, size_t err_len)
{
	static const char *const statuses[] = { "pass", "fail", "error", "skip", NULL };
	static const char *const severities[] = { "low", "medium", "high", "critical", NULL };
	static const char *const counts[] = { "pass", "fail", "error", "skip" };
	json_error_t jerr;
	json_t *dev, *os, *pol, *summary, *res, *ids = NULL;
	long long seen[4] = { 0, 0, 0, 0 };
	int bad = 0;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (r->doc == NULL) {
		snprintf(err, err_len, "the body is not JSON: %s (line %d, column %d)", jerr.text,
		         jerr.line, jerr.column);
		return -1;
	}
	if (!json_is_object(r->doc)) {
		snprintf(err, err_len, "the report is not a JSON object");
		goto fail;
	}
	if (!json_is_string(json_object_get(r->doc, "schema")) ||
	    strcmp(json_string_value(json_object_get(r->doc, "schema")), "posture.report/1") != 0) {
		snprintf(err, err_len, "schema must be \"posture.report/1\"");
		goto fail;
	}
	r->report_id = json_string_value(json_object_get(r->doc, "report_id"));
	if (!is_uuid(r->report_id)) {
		snprintf(err, err_len, "report_id must be a UUID");
		goto fail;
	}
	r->generated_at = json_string_value(json_object_get(r->doc, "generated_at"));
	if (reportin_utc(r->generated_at, r->generated_utc, &r->generated_epoch) != 0) {
		snprintf(err, err_len, "generated_at must be an RFC 3339 time");
		goto fail;
	}
	dev = json_object_get(r->doc, "device");
	if (!json_is_object(dev)) {
		snprintf(err, err_len, "device must be an object");
		goto fail;
	}
	r->hostname = str_or_null(dev, "hostname", &bad);
	os = json_object_get(dev, "os");
	if (os != NULL && !json_is_null(os) && !json_is_object(os))
		bad = 1;
	r->os_name = str_or_null(os, "name", &bad);
	r->os_version = str_or_null(os, "version", &bad);
	r->agent_version = str_or_null(json_object_get(r->doc, "agent"), "version", &bad);
	if (bad) {
		snprintf(err, err_len,
		         "device.hostname, device.os and agent.version must be strings");
		goto fail;
	}
	pol = json_object_get(r->doc, "policy");
	r->policy_name = json_string_value(json_object_get(pol, "name"));
	r->policy_sha256 = str_or_null(pol, "sha256", &bad);
	if (!json_is_object(pol) || r->policy_name == NULL || bad ||
	    (r->policy_sha256 &&
	     (strlen(r->policy_sha256) != 64 || !is_hex(r->policy_sha256, 64)))) {
		snprintf(err, err_len,
		         "policy must be an object with a name and a 64-digit sha256");
		goto fail;
	}
	if (!json_is_boolean(json_object_get(r->doc, "compliant"))) {
		snprintf(err, err_len, "compliant must be true or false");
		goto fail;
	}
	r->compliant = json_is_true(json_object_get(r->doc, "compliant"));
	r->results = json_object_get(r->doc, "results");
	if (!json_is_array(r->results) || json_array_size(r->results) > REPORTIN_MAX_RESULTS) {
		snprintf(err, err_len, "results must be an array of at most %d checks",
		         REPORTIN_MAX_RESULTS);
		goto fail;
	}
	ids = json_object(); /* the check ids seen, for duplicates in O(1) */
	json_array_foreach (r->results, i, res) {
		const char *id = json_string_value(json_object_get(res, "id"));
		const char *type = json_string_value(json_object_get(res, "type"));
		const char *status = json_string_value(json_object_get(res, "status"));
		const char *severity = str_or_null(res, "severity", &bad);

		if (!json_is_object(res) || id == NULL || id[0] == '\0' || strlen(id) > 200 ||
		    type == NULL || status == NULL || !one_of(status, statuses) || bad ||
		    (severity && !one_of(severity, severities))) {
			snprintf(err, err_len,
			         "results[%zu] needs an id (1-200 characters), a type, a status "
			         "(pass, fail, error or skip) and no severity other than low, "
			         "medium, high or critical",
			         i);
			goto fail;
		}
		if (json_object_get(ids, id) != NULL) {
			snprintf(err, err_len, "results[%zu]: check id '%.200s' appears twice", i,
			         id);
			goto fail;
		}
		json_object_set_new(ids, id, json_true());
		for (int k = 0; k < 4; k++)
			seen[k] += strcmp(status, counts[k]) == 0;
	}
	summary = json_object_get(r->doc, "summary");
	for (int k = 0; k < 4; k++) {
		json_t *v = json_object_get(summary, counts[k]);

		if (!json_is_integer(v) || json_integer_value(v) != seen[k]) {
			snprintf(err, err_len,
			         "summary.%s must be %lld, the number of results with "
			         "that status",
			         counts[k], seen[k]);
			goto fail;
		}
	}
	if (r->compliant && seen[1] > 0) {
		snprintf(err, err_len, "compliant is true but %lld check(s) failed", seen[1]);
		goto fail;
	}
	json_decref(ids);
	return 0;
fail:
	json_decref(ids);
	reportin_free(r);
	return -1;
}

void reportin_free(struct report_in *r)
{
	json_decref(r->doc);
	memset(r, 0, sizeof(*r));
}
