/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fleet: see fleet.h. The summary reads the tables kept current for it
 * (latest per device and check, the device's newest verdict, daily), never
 * the report history, so its cost grows with the fleet, not with time.
 */
#include "fleet.h"
#include "timefmt.h"

#include "keys.h"

#include "db.h"
#include "reportin.h"
#include "store.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static void time_text(long long t, char out[24])
{
	char buf[32];

	time_rfc3339((time_t)t, buf);
	snprintf(out, 24, "%s", buf);
}

static json_t *text_or_null(const char *t)
{
	return t ? json_string(t) : json_null();
}

/* A percentage with one decimal, or null when there is nothing to count. */
static json_t *percent(long long part, long long whole)
{
	if (whole <= 0)
		return json_null();
	return json_real((double)((part * 1000 + whole / 2) / whole) / 10.0);
}

static int device_counts(struct db *db, const char *cutoff, json_t *doc, char *err, size_t err_len)
{
	const char *a[1] = { cutoff };
	struct db_rows *r;
	long long active = 0, compliant = 0, noncompliant = 0, never = 0, stale = 0, revoked;
	int rc;

	if (db_query(db,
	             "SELECT count(*), "
	             "coalesce(sum(CASE WHEN compliant = 1 THEN 1 ELSE 0 END), 0), "
	             "coalesce(sum(CASE WHEN compliant = 0 THEN 1 ELSE 0 END), 0), "
	             "coalesce(sum(CASE WHEN compliant IS NULL THEN 1 ELSE 0 END), 0), "
	             "coalesce(sum(CASE WHEN coalesce(last_report_at, first_seen) < ?1 "
	             "THEN 1 ELSE 0 END), 0) "
	             "FROM devices WHERE revoked = 0",
	             a, 1, &r, err, err_len) != 0)
		return -1;
	rc = db_next(r, err, err_len);
	if (rc == 1) {
		active = db_int(r, 0);
		compliant = db_int(r, 1);
		noncompliant = db_int(r, 2);
		never = db_int(r, 3);
		stale = db_int(r, 4);
		rc = db_next(r, err, err_len);
	}
	db_rows_free(r);
	if (rc < 0)
		return -1;
	revoked = db_query_int(
	    db, "SELECT count(*) FROM devices WHERE revoked = 1 AND retired_at IS NULL", NULL, 0,
	    err, err_len);
	if (revoked < 0)
		return -1;
	json_object_set_new(doc, "devices",
	                    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "active",
	                              (json_int_t)active, "compliant", (json_int_t)compliant,
	                              "noncompliant", (json_int_t)noncompliant, "never_reported",
	                              (json_int_t)never, "stale", (json_int_t)stale, "revoked",
	                              (json_int_t)revoked, "compliance_percent",
	                              percent(compliant, compliant + noncompliant)));
	return 0;
}

static int compare_checks(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_t *px = json_object_get(x, "compliance_percent");
	json_t *py = json_object_get(y, "compliance_percent");
	double dx = json_is_number(px) ? json_number_value(px) : 101;
	double dy = json_is_number(py) ? json_number_value(py) : 101;

	if (dx != dy)
		return dx < dy ? -1 : 1;
	return strcmp(json_string_value(json_object_get(x, "id")),
	              json_string_value(json_object_get(y, "id")));
}

static void finish_check(json_t *c)
{
	long long pass = json_integer_value(json_object_get(c, "pass"));
	long long judged = pass + json_integer_value(json_object_get(c, "fail")) +
	                   json_integer_value(json_object_get(c, "due")) +
	                   json_integer_value(json_object_get(c, "error"));

	/* an error is not a pass: a check that could not look is not met */
	json_object_set_new(c, "compliance_percent", percent(pass, judged));
}

static int check_counts(struct db *db, json_t *doc, char *err, size_t err_len)
{
	struct db_rows *r;
	json_t *list = json_array(), *cur = NULL;
	size_t n, i;
	json_t **sorted;
	int rc;

	if (db_query(db,
	             "SELECT check_id, status, n FROM check_counts WHERE n > 0 "
	             "ORDER BY check_id",
	             NULL, 0, &r, err, err_len) != 0) {
		json_decref(list);
		return -1;
	}
	while ((rc = db_next(r, err, err_len)) == 1) {
		const char *id = db_text(r, 0), *status = db_text(r, 1);

		if (id == NULL || status == NULL)
			continue;
		if (cur == NULL || strcmp(json_string_value(json_object_get(cur, "id")), id) != 0) {
			cur = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i}", "id", id, "pass", 0,
			                "fail", 0, "due", 0, "error", 0, "skip", 0);
			json_array_append_new(list, cur);
		}
		if (strcmp(status, "pass") == 0 || strcmp(status, "fail") == 0 ||
		    strcmp(status, "due") == 0 || strcmp(status, "error") == 0 ||
		    strcmp(status, "skip") == 0)
			json_object_set_new(cur, status, json_integer(db_int(r, 2)));
	}
	db_rows_free(r);
	if (rc < 0) {
		json_decref(list);
		return -1;
	}
	n = json_array_size(list);
	sorted = calloc(n ? n : 1, sizeof(*sorted));
	if (sorted == NULL) {
		json_decref(list);
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		sorted[i] = json_incref(json_array_get(list, i));
		finish_check(sorted[i]);
	}
	qsort(sorted, n, sizeof(*sorted), compare_checks);
	json_array_clear(list);
	for (i = 0; i < n; i++)
		json_array_append_new(list, sorted[i]);
	free(sorted);
	json_object_set_new(doc, "checks", list);
	return 0;
}

/* The failing (and erring) checks, with what to do, of the devices in
 * LIST (the non-compliant ones, selected again by the same limit): one
 * query for them all, not one per device. */
static int add_failing(struct db *db, const char *const *args, int n_args, json_t *list, char *err,
                       size_t err_len)
{
	struct db_rows *r;
	json_t *by_id = json_object(), *d;
	size_t i;
	int rc;

	json_array_foreach (list, i, d) {
		json_object_set_new(d, "failing", json_array());
		json_object_set(by_id, json_string_value(json_object_get(d, "id")), d);
	}
	if (db_query(db,
	             "SELECT device_id, check_id, status, severity, remediation FROM latest "
	             "WHERE status IN ('fail', 'due', 'error') AND device_id IN "
	             "(SELECT id FROM devices WHERE revoked = 0 AND compliant = 0 "
	             "ORDER BY last_report_at DESC, id LIMIT ?1) "
	             "ORDER BY device_id, check_id",
	             args, n_args, &r, err, err_len) != 0) {
		json_decref(by_id);
		return -1;
	}
	while ((rc = db_next(r, err, err_len)) == 1) {
		const char *id = db_text(r, 0);

		d = id ? json_object_get(by_id, id) : NULL;
		if (d == NULL)
			continue;
		json_array_append_new(json_object_get(d, "failing"),
		                      json_pack("{s:o, s:o, s:o, s:o}", "check",
		                                text_or_null(db_text(r, 1)), "status",
		                                text_or_null(db_text(r, 2)), "severity",
		                                text_or_null(db_text(r, 3)), "remediation",
		                                text_or_null(db_text(r, 4))));
	}
	db_rows_free(r);
	json_decref(by_id);
	return rc < 0 ? -1 : 0;
}

/* Devices by SQL (id, hostname, last report) into a list under KEY. */
static int device_list(struct db *db, const char *sql, const char *const *args, int n_args,
                       int with_failing, json_t *doc, const char *key, char *err, size_t err_len)
{
	struct db_rows *r;
	json_t *list = json_array();
	int rc;

	if (db_query(db, sql, args, n_args, &r, err, err_len) != 0) {
		json_decref(list);
		return -1;
	}
	while ((rc = db_next(r, err, err_len)) == 1)
		json_array_append_new(list, json_pack("{s:o, s:o, s:o, s:o}", "id",
		                                      text_or_null(db_text(r, 0)), "hostname",
		                                      text_or_null(db_text(r, 1)), "os",
		                                      text_or_null(db_text(r, 2)), "last_report",
		                                      text_or_null(db_text(r, 3))));
	db_rows_free(r);
	if (rc < 0) {
		json_decref(list);
		return -1;
	}
	if (with_failing && json_array_size(list) > 0 &&
	    add_failing(db, args, n_args, list, err, err_len) != 0) {
		json_decref(list);
		return -1;
	}
	json_object_set_new(doc, key, list);
	return 0;
}

static int history(struct db *db, const char *first_day, json_t *doc, char *err, size_t err_len)
{
	const char *a[1] = { first_day };
	struct db_rows *r;
	json_t *list = json_array();
	int rc;

	if (db_query(db,
	             "SELECT day, count(*), coalesce(sum(compliant), 0) FROM daily "
	             "WHERE day >= ?1 GROUP BY day ORDER BY day",
	             a, 1, &r, err, err_len) != 0) {
		json_decref(list);
		return -1;
	}
	while ((rc = db_next(r, err, err_len)) == 1)
		json_array_append_new(
		    list,
		    json_pack("{s:o, s:I, s:I, s:o}", "day", text_or_null(db_text(r, 0)), "devices",
		              (json_int_t)db_int(r, 1), "compliant", (json_int_t)db_int(r, 2),
		              "compliance_percent", percent(db_int(r, 2), db_int(r, 1))));
	db_rows_free(r);
	if (rc < 0) {
		json_decref(list);
		return -1;
	}
	json_object_set_new(doc, "history", list);
	return 0;
}

/* Compliance per day and check: the days rolled up (daily_checks: each
 * device that reported that day, at its last report of the day), then
 * today as it stands (check_counts, already in DOC's checks). DOC's
 * history_by_check: [{id, days: [{day, pass, fail, due, error, skip,
 * compliance_percent}]}], by check id; today's entry says "today": true. */
static int history_by_check(struct db *db, const char *first_day, const char *today, json_t *doc,
                            char *err, size_t err_len)
{
	const char *a[1] = { first_day };
	struct db_rows *r;
	json_t *list = json_array(), *cur = NULL, *day = NULL, *c;
	size_t i;
	int rc;

	if (db_query(db,
	             "SELECT check_id, day, status, n FROM daily_checks WHERE day >= ?1 "
	             "ORDER BY check_id, day",
	             a, 1, &r, err, err_len) != 0) {
		json_decref(list);
		return -1;
	}
	while ((rc = db_next(r, err, err_len)) == 1) {
		const char *id = db_text(r, 0), *d = db_text(r, 1), *status = db_text(r, 2);

		if (id == NULL || d == NULL || status == NULL)
			continue;
		if (cur == NULL || strcmp(json_string_value(json_object_get(cur, "id")), id) != 0) {
			cur = json_pack("{s:s, s:[]}", "id", id, "days");
			json_array_append_new(list, cur);
			day = NULL;
		}
		if (day == NULL || strcmp(json_string_value(json_object_get(day, "day")), d) != 0) {
			day = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i}", "day", d, "pass", 0,
			                "fail", 0, "due", 0, "error", 0, "skip", 0);
			json_array_append_new(json_object_get(cur, "days"), day);
		}
		if (strcmp(status, "pass") == 0 || strcmp(status, "fail") == 0 ||
		    strcmp(status, "due") == 0 || strcmp(status, "error") == 0 ||
		    strcmp(status, "skip") == 0)
			json_object_set_new(day, status, json_integer(db_int(r, 3)));
	}
	db_rows_free(r);
	if (rc < 0) {
		json_decref(list);
		return -1;
	}
	json_array_foreach (list, i, c) {
		size_t k;
		json_t *x;

		json_array_foreach (json_object_get(c, "days"), k, x) {
			finish_check(x);
		}
	}
	/* today, as it stands */
	json_array_foreach (json_object_get(doc, "checks"), i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));
		json_t *t =
		    json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:O, s:b}", "day", today, "pass",
		              json_object_get(c, "pass"), "fail", json_object_get(c, "fail"), "due",
		              json_object_get(c, "due"), "error", json_object_get(c, "error"),
		              "skip", json_object_get(c, "skip"), "compliance_percent",
		              json_object_get(c, "compliance_percent"), "today", 1);
		json_t *x;
		size_t k;

		cur = NULL;
		json_array_foreach (list, k, x) {
			if (strcmp(json_string_value(json_object_get(x, "id")), id) == 0) {
				cur = x;
				break;
			}
		}
		if (cur == NULL) {
			cur = json_pack("{s:s, s:[]}", "id", id, "days");
			/* kept in id order */
			for (k = 0; k < json_array_size(list); k++)
				if (strcmp(json_string_value(
				               json_object_get(json_array_get(list, k), "id")),
				           id) > 0)
					break;
			json_array_insert_new(list, k, cur);
		}
		json_array_append_new(json_object_get(cur, "days"), t);
	}
	json_object_set_new(doc, "history_by_check", list);
	return 0;
}

/* The release feeds agents get (GET /v1/feeds), each with its age: the
 * agent's checks say error once a feed is older than their
 * max_feed_age_days (10 by default), so an admin sees it coming here. */
static int feeds(struct store *s, long long now, json_t *doc, char *err, size_t err_len)
{
	json_t *list = NULL, *f;
	size_t i;

	if (store_feeds(s, 0, &list, err, err_len) != 0)
		return -1;
	json_array_foreach (list, i, f) {
		long long at = 0;
		const char *when = json_string_value(json_object_get(f, "fetched_at"));

		json_object_del(f, "sha256");
		if (when != NULL && time_parse_rfc3339(when, &at) == 0)
			json_object_set_new(f, "age_seconds", json_integer(now - at));
	}
	json_object_set_new(doc, "feeds", list);
	json_object_set_new(doc, "feed_max_age_days_default", json_integer(10));
	return 0;
}

int fleet_summary(struct store *s, const struct fleet_options *o, json_t **out, char *err,
                  size_t err_len)
{
	struct db *db = store_db(s);
	long long now = o->now ? o->now : (long long)time(NULL);
	char now_text[24], cutoff[24], first_day[24], limit[16], today[24];
	const char *cut[2] = { cutoff, limit };
	const char *lim[1] = { limit };
	json_t *doc = json_object();

	time_text(now, now_text);
	time_text(now - o->stale_seconds, cutoff);
	time_text(now - (long long)(o->days > 0 ? o->days - 1 : 0) * 86400, first_day);
	first_day[10] = '\0';
	snprintf(today, sizeof(today), "%s", now_text);
	today[10] = '\0';
	snprintf(limit, sizeof(limit), "%d", o->limit);
	if (doc == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	json_object_set_new(doc, "schema", json_string("posture.fleet/1"));
	json_object_set_new(doc, "generated_at", json_string(now_text));
	json_object_set_new(doc, "store", json_string(store_kind(s)));
	json_object_set_new(doc, "stale_after_seconds", json_integer(o->stale_seconds));
	if (device_counts(db, cutoff, doc, err, err_len) != 0 ||
	    check_counts(db, doc, err, err_len) != 0 ||
	    device_list(db,
	                "SELECT id, hostname, os, last_report_at FROM devices "
	                "WHERE revoked = 0 AND compliant = 0 "
	                "ORDER BY last_report_at DESC, id LIMIT ?1",
	                lim, 1, 1, doc, "noncompliant_devices", err, err_len) != 0 ||
	    device_list(db,
	                "SELECT id, hostname, os, last_report_at FROM devices "
	                "WHERE revoked = 0 AND coalesce(last_report_at, first_seen) < ?1 "
	                "ORDER BY coalesce(last_report_at, first_seen), id LIMIT ?2",
	                cut, 2, 0, doc, "stale_devices", err, err_len) != 0 ||
	    history(db, first_day, doc, err, err_len) != 0 ||
	    history_by_check(db, first_day, today, doc, err, err_len) != 0 ||
	    feeds(s, now, doc, err, err_len) != 0) {
		json_decref(doc);
		return -1;
	}
	*out = doc;
	return 0;
}

static long long member_int(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static void print_percent(FILE *out, const json_t *v)
{
	if (json_is_number(v))
		fprintf(out, "%5.1f%%", json_number_value(v));
	else
		fputs("     -", out);
}

void fleet_print(const json_t *doc, FILE *out)
{
	const json_t *dev = json_object_get(doc, "devices"), *c, *d, *f;
	size_t i, k;

	fprintf(out, "fleet at %s: %lld active devices, %lld compliant, %lld non-compliant, ",
	        json_string_value(json_object_get(doc, "generated_at")), member_int(dev, "active"),
	        member_int(dev, "compliant"), member_int(dev, "noncompliant"));
	fprintf(out, "%lld never reported, %lld stale, %lld revoked; compliance ",
	        member_int(dev, "never_reported"), member_int(dev, "stale"),
	        member_int(dev, "revoked"));
	print_percent(out, json_object_get(dev, "compliance_percent"));
	fputs("\n\nchecks (least compliant first)\n", out);
	fprintf(out, "  %-32s %6s %6s %6s %6s %6s %7s\n", "check", "pass", "fail", "due", "error",
	        "skip", "comply");
	json_array_foreach (json_object_get(doc, "checks"), i, c) {
		fprintf(out, "  %-32s %6lld %6lld %6lld %6lld %6lld ",
		        json_string_value(json_object_get(c, "id")), member_int(c, "pass"),
		        member_int(c, "fail"), member_int(c, "due"), member_int(c, "error"),
		        member_int(c, "skip"));
		print_percent(out, json_object_get(c, "compliance_percent"));
		fputc('\n', out);
	}
	fputs("\nnon-compliant devices\n", out);
	if (json_array_size(json_object_get(doc, "noncompliant_devices")) == 0)
		fputs("  none\n", out);
	json_array_foreach (json_object_get(doc, "noncompliant_devices"), i, d) {
		const char *host = json_string_value(json_object_get(d, "hostname"));

		fprintf(out, "  %s (%s), last report %s\n",
		        json_string_value(json_object_get(d, "id")), host ? host : "-",
		        json_string_value(json_object_get(d, "last_report")));
		json_array_foreach (json_object_get(d, "failing"), k, f) {
			const char *sev = json_string_value(json_object_get(f, "severity"));
			const char *fix = json_string_value(json_object_get(f, "remediation"));

			fprintf(out, "    %s %s [%s]%s%s\n",
			        json_string_value(json_object_get(f, "status")),
			        json_string_value(json_object_get(f, "check")), sev ? sev : "-",
			        fix ? ": " : "", fix ? fix : "");
		}
	}
	fprintf(out, "\nstale devices (no report for %lld days)\n",
	        member_int(doc, "stale_after_seconds") / 86400);
	if (json_array_size(json_object_get(doc, "stale_devices")) == 0)
		fputs("  none\n", out);
	json_array_foreach (json_object_get(doc, "stale_devices"), i, d) {
		const char *host = json_string_value(json_object_get(d, "hostname"));
		const char *last = json_string_value(json_object_get(d, "last_report"));

		fprintf(out, "  %s (%s), last report %s\n",
		        json_string_value(json_object_get(d, "id")), host ? host : "-",
		        last ? last : "never");
	}
	fputs("\ncompliance per day\n", out);
	if (json_array_size(json_object_get(doc, "history")) == 0)
		fputs("  no reports yet\n", out);
	json_array_foreach (json_object_get(doc, "history"), i, d) {
		fprintf(out, "  %s %5lld devices ", json_string_value(json_object_get(d, "day")),
		        member_int(d, "devices"));
		print_percent(out, json_object_get(d, "compliance_percent"));
		fputc('\n', out);
	}
}

/* Each check's evidence from the device's newest report, in the agent's
 * own words (the body is kept byte for byte): its title, message, what it
 * observed and expected, and its remediation where the latest state has
 * none. The report's id goes in DOC's evidence_report. A body that cannot
 * be read leaves the checks as they are (their state still stands). */
static int add_evidence(struct store *s, const char *device_id, json_t *doc, json_t *checks,
                        char *err, size_t err_len)
{
	const char *a[1] = { device_id };
	struct db_rows *r;
	char *id = NULL, *body = NULL;
	size_t len = 0, i, k;
	json_t *report, *results, *c, *x;
	int rc;

	if (db_query(store_db(s),
	             "SELECT report_id FROM reports WHERE device_id = ?1 "
	             "ORDER BY generated_at DESC, seq DESC LIMIT 1",
	             a, 1, &r, err, err_len) != 0)
		return -1;
	while ((rc = db_next(r, err, err_len)) == 1)
		if (id == NULL && db_text(r, 0) != NULL)
			id = strdup(db_text(r, 0));
	db_rows_free(r);
	if (rc < 0 || id == NULL) {
		free(id);
		return rc < 0 ? -1 : 0;
	}
	rc = store_device_report_body(s, device_id, id, &body, &len, err, err_len);
	if (rc != 1) {
		free(id);
		return rc;
	}
	report = json_loadb(body, len, 0, NULL);
	free(body);
	results = json_object_get(report, "results");
	json_object_set_new(doc, "evidence_report", json_string(id));
	free(id);
	json_array_foreach (checks, i, c) {
		const char *check = json_string_value(json_object_get(c, "check"));

		json_array_foreach (results, k, x) {
			const char *rid = json_string_value(json_object_get(x, "id"));
			static const char *const keys[] = { "type", "title", "message", "observed",
				                            "expected" };

			if (check == NULL || rid == NULL || strcmp(check, rid) != 0)
				continue;
			for (size_t j = 0; j < sizeof(keys) / sizeof(keys[0]); j++) {
				json_t *v = json_object_get(x, keys[j]);

				if (v != NULL)
					json_object_set(c, keys[j], v);
			}
			if (json_is_null(json_object_get(c, "remediation")) &&
			    json_is_string(json_object_get(x, "remediation")))
				json_object_set(c, "remediation",
				                json_object_get(x, "remediation"));
			break;
		}
	}
	json_decref(report);
	return 0;
}

int fleet_device(struct store *s, const char *device_id, int limit, json_t **out, char *err,
                 size_t err_len)
{
	struct db *db = store_db(s);
	char lim[16];
	const char *a[1] = { device_id };
	const char *al[2] = { device_id, lim };
	struct db_rows *r;
	json_t *doc = NULL, *checks, *reports;
	int rc;

	snprintf(lim, sizeof(lim), "%d", limit);
	if (db_query(db,
	             "SELECT id, hostname, os, agent_version, first_seen, last_seen, "
	             "last_report_at, compliant, revoked, owner, owner_source, retired_at "
	             "FROM devices WHERE id = ?1",
	             a, 1, &r, err, err_len) != 0)
		return -1;
	rc = db_next(r, err, err_len);
	if (rc == 1)
		doc = json_pack(
		    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "id",
		    text_or_null(db_text(r, 0)), "hostname", text_or_null(db_text(r, 1)), "os",
		    text_or_null(db_text(r, 2)), "agent_version", text_or_null(db_text(r, 3)),
		    "first_seen", text_or_null(db_text(r, 4)), "last_seen",
		    text_or_null(db_text(r, 5)), "last_report", text_or_null(db_text(r, 6)),
		    "compliant", db_text(r, 7) ? json_boolean(db_int(r, 7)) : json_null(),
		    "revoked", (int)db_int(r, 8));
	if (doc != NULL) {
		json_object_set_new(doc, "owner", text_or_null(db_text(r, 9)));
		json_object_set_new(doc, "owner_source", text_or_null(db_text(r, 10)));
		json_object_set_new(doc, "retired_at", text_or_null(db_text(r, 11)));
	}
	while (rc == 1)
		rc = db_next(r, err, err_len);
	db_rows_free(r);
	if (rc < 0 || doc == NULL) {
		json_decref(doc);
		return rc < 0 ? -1 : 0;
	}
	checks = json_array();
	json_object_set_new(doc, "checks", checks);
	if (db_query(db,
	             "SELECT check_id, status, severity, remediation, at FROM latest "
	             "WHERE device_id = ?1 ORDER BY check_id",
	             a, 1, &r, err, err_len) != 0)
		goto fail;
	while ((rc = db_next(r, err, err_len)) == 1)
		json_array_append_new(checks, json_pack("{s:o, s:o, s:o, s:o, s:o}", "check",
		                                        text_or_null(db_text(r, 0)), "status",
		                                        text_or_null(db_text(r, 1)), "severity",
		                                        text_or_null(db_text(r, 2)), "remediation",
		                                        text_or_null(db_text(r, 3)), "at",
		                                        text_or_null(db_text(r, 4))));
	db_rows_free(r);
	if (rc < 0 || add_evidence(s, device_id, doc, checks, err, err_len) < 0)
		goto fail;
	/* its state changes, newest first: which check, when, from what */
	{
		json_t *changes = json_array();

		json_object_set_new(doc, "changes", changes);
		if (db_query(db,
		             "SELECT check_id, from_status, to_status, at, report_id FROM changes "
		             "WHERE device_id = ?1 ORDER BY at DESC, check_id LIMIT ?2",
		             al, 2, &r, err, err_len) != 0)
			goto fail;
		while ((rc = db_next(r, err, err_len)) == 1)
			json_array_append_new(changes,
			                      json_pack("{s:o, s:o, s:o, s:o, s:o}", "check",
			                                text_or_null(db_text(r, 0)), "from",
			                                text_or_null(db_text(r, 1)), "to",
			                                text_or_null(db_text(r, 2)), "at",
			                                text_or_null(db_text(r, 3)), "report_id",
			                                text_or_null(db_text(r, 4))));
		db_rows_free(r);
		if (rc < 0)
			goto fail;
	}
	reports = json_array();
	json_object_set_new(doc, "reports", reports);
	if (db_query(db,
	             "SELECT r.report_id, r.generated_at, r.compliant, "
	             "coalesce(sum(CASE WHEN x.status = 'pass' THEN 1 ELSE 0 END), 0), "
	             "coalesce(sum(CASE WHEN x.status = 'fail' THEN 1 ELSE 0 END), 0), "
	             "coalesce(sum(CASE WHEN x.status = 'error' THEN 1 ELSE 0 END), 0), "
	             "coalesce(sum(CASE WHEN x.status = 'skip' THEN 1 ELSE 0 END), 0), "
	             "coalesce(sum(CASE WHEN x.status = 'due' THEN 1 ELSE 0 END), 0) "
	             "FROM reports r LEFT JOIN results x ON x.report_seq = r.seq "
	             "WHERE r.device_id = ?1 "
	             "GROUP BY r.report_id, r.generated_at, r.compliant "
	             "ORDER BY r.generated_at DESC, r.report_id LIMIT ?2",
	             al, 2, &r, err, err_len) != 0)
		goto fail;
	while ((rc = db_next(r, err, err_len)) == 1)
		json_array_append_new(
		    reports,
		    json_pack("{s:o, s:o, s:b, s:I, s:I, s:I, s:I, s:I}", "report_id",
		              text_or_null(db_text(r, 0)), "generated_at",
		              text_or_null(db_text(r, 1)), "compliant", (int)db_int(r, 2), "pass",
		              (json_int_t)db_int(r, 3), "fail", (json_int_t)db_int(r, 4), "error",
		              (json_int_t)db_int(r, 5), "skip", (json_int_t)db_int(r, 6), "due",
		              (json_int_t)db_int(r, 7)));
	db_rows_free(r);
	if (rc < 0)
		goto fail;
	*out = doc;
	return 1;
fail:
	json_decref(doc);
	return -1;
}

/* Appends " AND <cond>" with the text ARG bound as the next parameter
 * (?N): the WHERE clause grows as filters are asked for. */
struct where {
	char sql[2048];
	const char *args[16];
	char owned[16][300];
	int n;
};

static int where_add(struct where *w, const char *fmt, const char *arg)
{
	char cond[512];
	size_t len = strlen(w->sql);

	if (w->n >= 15)
		return -1;
	snprintf(w->owned[w->n], sizeof(w->owned[0]), "%s", arg);
	w->args[w->n] = w->owned[w->n];
	w->n++;
	/* FMT names the parameter as %1$d, as often as it needs */
	snprintf(cond, sizeof(cond), fmt, w->n);
	snprintf(w->sql + len, sizeof(w->sql) - len, " AND %s", cond);
	return 0;
}

/* Appends " AND COND" (no parameter). */
static void where_raw(struct where *w, const char *cond)
{
	size_t len = strlen(w->sql);

	snprintf(w->sql + len, sizeof(w->sql) - len, " AND %s", cond);
}

/* PATTERN for LIKE: WORD lower-cased between %, its % _ and \ escaped. */
static void like_pattern(const char *word, size_t word_len, char *out, size_t out_len)
{
	size_t n = 0;

	if (out_len < 4)
		return;
	out[n++] = '%';
	for (size_t i = 0; i < word_len && n + 3 < out_len; i++) {
		char c = word[i];

		if (c == '%' || c == '_' || c == '\\')
			out[n++] = '\\';
		out[n++] = (char)tolower((unsigned char)c);
	}
	out[n++] = '%';
	out[n] = '\0';
}

int fleet_inventory(struct store *s, const struct fleet_inventory_query *q, json_t **out, char *err,
                    size_t err_len)
{
	static const struct {
		const char *name, *sql;
	} sorts[] = {
		{ "hostname", "lower(coalesce(d.hostname, d.id))" },
		{ "os", "lower(coalesce(d.os, '~'))" },
		{ "agent", "coalesce(d.agent_version, '~')" },
		{ "last_report", "coalesce(d.last_report_at, '')" },
		{ "first_seen", "d.first_seen" },
		{ "owner", "lower(coalesce(d.owner, '~'))" },
		{ "state", "CASE WHEN d.revoked = 1 THEN 4 WHEN d.compliant IS NULL THEN 3 "
		           "WHEN d.compliant = 0 THEN 0 ELSE 2 END" },
	};
	struct db *db = store_db(s);
	struct where w;
	struct db_rows *r;
	const char *sort_sql = NULL, *sort = q->sort && *q->sort ? q->sort : "hostname";
	long long now = q->now ? q->now : (long long)time(NULL), total;
	int per_page = q->all ? 1000000 : q->per_page > 0 ? q->per_page : 50;
	int page = q->all ? 1 : q->page > 0 ? q->page : 1;
	char cutoff[24], sql[4096], lim[16], off[24], pat[300];
	json_t *doc, *list;
	int rc;

	for (size_t i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
		if (strcmp(sort, sorts[i].name) == 0)
			sort_sql = sorts[i].sql;
	if (sort_sql == NULL || (per_page > 1000 && !q->all) || page > 1000000) {
		snprintf(
		    err, err_len,
		    sort_sql == NULL
		        ? "sort is hostname, owner, os, agent, last_report, first_seen or state"
		        : "per_page is 1 to 1000 and page at most 1000000");
		return -2;
	}
	time_text(now - q->stale_seconds, cutoff);
	memset(&w, 0, sizeof(w));
	snprintf(w.sql, sizeof(w.sql), "FROM devices d WHERE 1 = 1");
	/* each word of the search, anywhere in the fields an admin knows a
	 * device by */
	for (const char *p = q->q ? q->q : ""; *p;) {
		size_t len;

		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (len == 0)
			break;
		like_pattern(p, len, pat, sizeof(pat));
		if (where_add(&w,
		              "(lower(coalesce(d.hostname, '')) LIKE ?%1$d ESCAPE '\\' OR "
		              "lower(d.id) LIKE ?%1$d ESCAPE '\\' OR "
		              "lower(coalesce(d.owner, '')) LIKE ?%1$d ESCAPE '\\' OR "
		              "lower(coalesce(d.os, '')) LIKE ?%1$d ESCAPE '\\' OR "
		              "lower(coalesce(d.agent_version, '')) LIKE ?%1$d ESCAPE '\\')",
		              pat) != 0) {
			snprintf(err, err_len, "at most 8 words to search for");
			return -2;
		}
		p += len;
	}
	if (q->owner && *q->owner)
		where_add(&w, "lower(coalesce(d.owner, '')) = lower(?%1$d)", q->owner);
	if (q->os && *q->os) {
		like_pattern(q->os, strlen(q->os), pat, sizeof(pat));
		where_add(&w, "lower(coalesce(d.os, '')) LIKE ?%1$d ESCAPE '\\'", pat);
	}
	if (q->state == NULL || *q->state == '\0' || strcmp(q->state, "active") == 0) {
		where_raw(&w, "d.revoked = 0");
	} else if (strcmp(q->state, "revoked") == 0) {
		where_raw(&w, "d.revoked = 1 AND d.retired_at IS NULL");
	} else if (strcmp(q->state, "retired") == 0) {
		where_raw(&w, "d.retired_at IS NOT NULL");
	} else if (strcmp(q->state, "compliant") == 0) {
		where_raw(&w, "d.revoked = 0 AND d.compliant = 1");
	} else if (strcmp(q->state, "noncompliant") == 0) {
		where_raw(&w, "d.revoked = 0 AND d.compliant = 0");
	} else if (strcmp(q->state, "never") == 0) {
		where_raw(&w, "d.revoked = 0 AND d.compliant IS NULL");
	} else if (strcmp(q->state, "stale") == 0) {
		where_add(&w, "d.revoked = 0 AND coalesce(d.last_report_at, d.first_seen) < ?%1$d",
		          cutoff);
	} else {
		snprintf(err, err_len,
		         "state is active, compliant, noncompliant, never, stale, revoked or "
		         "retired");
		return -2;
	}
	if (q->check && *q->check) {
		const char *status = q->status && *q->status ? q->status : "fail";
		static const char *const one[] = { "fail", "error", "due", "pass", "skip" };
		int known = strcmp(status, "failing") == 0;

		for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++)
			known |= strcmp(status, one[i]) == 0;
		if (!known) {
			snprintf(err, err_len, "status is fail, error, due, pass, skip or failing");
			return -2;
		}
		/* the subquery's parenthesis closes after its status condition */
		where_add(&w,
		          "EXISTS (SELECT 1 FROM latest l WHERE l.device_id = d.id AND "
		          "l.check_id = ?%1$d",
		          q->check);
		if (strcmp(status, "failing") == 0)
			where_raw(&w, "l.status IN ('fail', 'error', 'due'))");
		else
			where_add(&w, "l.status = ?%1$d)", status);
	}
	snprintf(sql, sizeof(sql), "SELECT count(*) %s", w.sql);
	total = db_query_int(db, sql, w.args, w.n, err, err_len);
	if (total < 0)
		return -1;
	snprintf(lim, sizeof(lim), "%d", per_page);
	snprintf(off, sizeof(off), "%lld", (long long)(page - 1) * per_page);
	w.args[w.n] = cutoff;
	w.args[w.n + 1] = lim;
	w.args[w.n + 2] = off;
	snprintf(sql, sizeof(sql),
	         "SELECT d.id, d.hostname, d.os, d.agent_version, d.first_seen, d.last_report_at, "
	         "d.compliant, d.revoked, d.owner, d.retired_at, "
	         "CASE WHEN coalesce(d.last_report_at, d.first_seen) < ?%d THEN 1 ELSE 0 END "
	         "%s ORDER BY %s %s, d.id LIMIT ?%d OFFSET ?%d",
	         w.n + 1, w.sql, sort_sql, q->descending ? "DESC" : "ASC", w.n + 2, w.n + 3);
	if (db_query(db, sql, w.args, w.n + 3, &r, err, err_len) != 0)
		return -1;
	doc = json_pack("{s:s, s:I, s:i, s:i, s:[]}", "schema", "posture.inventory/1", "total",
	                (json_int_t)total, "page", page, "per_page", per_page, "devices");
	list = json_object_get(doc, "devices");
	while ((rc = db_next(r, err, err_len)) == 1) {
		const char *state = db_text(r, 9) != NULL   ? "retired"
		                    : db_int(r, 7)          ? "revoked"
		                    : db_text(r, 6) == NULL ? "never"
		                    : db_int(r, 6)          ? "compliant"
		                                            : "noncompliant";

		json_array_append_new(
		    list, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:b, s:b}", "id",
		                    text_or_null(db_text(r, 0)), "hostname",
		                    text_or_null(db_text(r, 1)), "owner",
		                    text_or_null(db_text(r, 8)), "os", text_or_null(db_text(r, 2)),
		                    "agent_version", text_or_null(db_text(r, 3)), "first_seen",
		                    text_or_null(db_text(r, 4)), "last_report",
		                    text_or_null(db_text(r, 5)), "state", state, "stale",
		                    (int)db_int(r, 10), "revoked", (int)db_int(r, 7)));
	}
	db_rows_free(r);
	if (rc < 0) {
		json_decref(doc);
		return -1;
	}
	*out = doc;
	return 0;
}

/* One CSV field, RFC 4180, with a leading formula character defused so a
 * hostname like =HYPERLINK(...) stays text in a spreadsheet. */
static void csv_field(FILE *out, const char *v, int last)
{
	int quote;

	if (v == NULL)
		v = "";
	quote = strpbrk(v, ",\"\r\n") != NULL || (*v && strchr("=+-@\t\r", *v) != NULL);
	if (quote)
		fputc('"', out);
	if (*v && strchr("=+-@\t\r", *v) != NULL)
		fputc('\'', out);
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	if (quote)
		fputc('"', out);
	fputs(last ? "\r\n" : ",", out);
}

static int review_list(struct db *db, const char *sql, const char *const *args, int n_args,
                       json_t *list, char *err, size_t err_len)
{
	struct db_rows *r;
	int rc;

	if (db_query(db, sql, args, n_args, &r, err, err_len) != 0)
		return -1;
	while ((rc = db_next(r, err, err_len)) == 1)
		json_array_append_new(
		    list,
		    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o}", "id",
		              text_or_null(db_text(r, 0)), "hostname", text_or_null(db_text(r, 1)),
		              "owner", text_or_null(db_text(r, 2)), "os",
		              text_or_null(db_text(r, 3)), "first_seen",
		              text_or_null(db_text(r, 4)), "last_seen", text_or_null(db_text(r, 5)),
		              "last_report", text_or_null(db_text(r, 6)), "state",
		              db_int(r, 8)            ? "revoked"
		              : db_text(r, 7) == NULL ? "never"
		              : db_int(r, 7)          ? "compliant"
		                                      : "noncompliant",
		              "serial", text_or_null(db_text(r, 9))));
	db_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int fleet_review(struct store *s, long long stale_seconds, long long now, json_t **out, char *err,
                 size_t err_len)
{
	struct db *db = store_db(s);
	char cutoff[24];
	const char *a[1] = { cutoff };
	json_t *doc, *dups, *all, *d, *group = NULL;
	const char *last = NULL;
	size_t i;

	time_text((now ? now : (long long)time(NULL)) - stale_seconds, cutoff);
	doc = json_pack("{s:s, s:I, s:[], s:[], s:[]}", "schema", "posture.review/1",
	                "stale_after_seconds", (json_int_t)stale_seconds, "stale", "duplicates",
	                "duplicate_serials");
	all = json_array();
	if (doc == NULL || all == NULL) {
		json_decref(doc);
		json_decref(all);
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	/* not seen (no report, or no contact at all) for the period */
	if (review_list(db,
	                "SELECT id, hostname, owner, os, first_seen, last_seen, last_report_at, "
	                "compliant, revoked, serial FROM devices WHERE retired_at IS NULL AND "
	                "coalesce(last_report_at, last_seen) < ?1 "
	                "ORDER BY coalesce(last_report_at, last_seen), id LIMIT 10000",
	                a, 1, json_object_get(doc, "stale"), err, err_len) != 0 ||
	    review_list(db,
	                "SELECT id, hostname, owner, os, first_seen, last_seen, last_report_at, "
	                "compliant, revoked, serial FROM devices WHERE retired_at IS NULL AND "
	                "lower(hostname) IN (SELECT lower(hostname) FROM devices WHERE "
	                "retired_at IS NULL AND hostname IS NOT NULL GROUP BY lower(hostname) "
	                "HAVING count(*) > 1) ORDER BY lower(hostname), first_seen, id LIMIT 10000",
	                NULL, 0, all, err, err_len) != 0) {
		json_decref(doc);
		json_decref(all);
		return -1;
	}
	dups = json_object_get(doc, "duplicates");
	json_array_foreach (all, i, d) {
		const char *h = json_string_value(json_object_get(d, "hostname"));

		if (last == NULL || strcasecmp(last, h) != 0) {
			group = json_pack("{s:s, s:[]}", "hostname", h, "devices");
			json_array_append_new(dups, group);
			last = h;
		}
		json_array_append(json_object_get(group, "devices"), d);
	}
	json_decref(all);
	/* the same hardware (its serial number) enrolled more than once, under
	 * whatever hostnames */
	all = json_array();
	if (all == NULL ||
	    review_list(db,
	                "SELECT id, hostname, owner, os, first_seen, last_seen, last_report_at, "
	                "compliant, revoked, serial FROM devices WHERE retired_at IS NULL AND "
	                "serial IN (SELECT serial FROM devices WHERE retired_at IS NULL AND "
	                "serial IS NOT NULL GROUP BY serial HAVING count(*) > 1) "
	                "ORDER BY serial, first_seen, id LIMIT 10000",
	                NULL, 0, all, err, err_len) != 0) {
		json_decref(doc);
		json_decref(all);
		return -1;
	}
	dups = json_object_get(doc, "duplicate_serials");
	last = NULL;
	json_array_foreach (all, i, d) {
		const char *sn = json_string_value(json_object_get(d, "serial"));

		if (last == NULL || strcmp(last, sn) != 0) {
			group = json_pack("{s:s, s:[]}", "serial", sn, "devices");
			json_array_append_new(dups, group);
			last = sn;
		}
		json_array_append(json_object_get(group, "devices"), d);
	}
	json_decref(all);
	*out = doc;
	return 0;
}

int fleet_inventory_csv(const json_t *inventory, char **out, size_t *len)
{
	static const char *const cols[] = { "hostname",      "id",    "owner", "os",
		                            "agent_version", "state", "stale", "last_report",
		                            "first_seen" };
	const size_t n = sizeof(cols) / sizeof(cols[0]);
	FILE *f = open_memstream(out, len);
	size_t i;
	json_t *d;

	if (f == NULL)
		return -1;
	for (size_t c = 0; c < n; c++)
		csv_field(f, cols[c], c == n - 1);
	json_array_foreach (json_object_get(inventory, "devices"), i, d) {
		for (size_t c = 0; c < n; c++) {
			json_t *v = json_object_get(d, cols[c]);

			csv_field(f,
			          json_is_boolean(v) ? (json_is_true(v) ? "true" : "false")
			                             : json_string_value(v),
			          c == n - 1);
		}
	}
	return fclose(f) == 0 ? 0 : -1;
}

int fleet_export(struct store *s, enum fleet_format format, const char *since, FILE *out,
                 long long *rows, char *err, size_t err_len)
{
	static const char *const cols[] = { "device_id",   "hostname", "report_id", "generated_at",
		                            "received_at", "check_id", "type",      "status",
		                            "severity",    "observed" };
	const int n_cols = (int)(sizeof(cols) / sizeof(cols[0]));
	const char *a[1] = { since ? since : "" };
	struct db_rows *r;
	char *body = NULL, *body_of = NULL; /* the last body read, and whose */
	size_t body_len = 0;
	int rc;

	*rows = 0;
	/* a long observed value is read from its report's body (the body
	 * comes only with the rows that need it, once a report in order) */
	if (db_query(store_db(s),
	             "SELECT r.device_id, d.hostname, r.report_id, r.generated_at, r.received_at, "
	             "x.check_id, x.type, x.status, x.severity, x.observed, "
	             "x.observed_at, x.observed_len, r.body_encoding, "
	             "CASE WHEN x.observed IS NULL AND x.observed_len IS NOT NULL "
	             "THEN r.body END, b.body_encoding, "
	             "CASE WHEN x.observed IS NULL AND x.observed_len IS NOT NULL "
	             "THEN b.body END "
	             "FROM reports r JOIN results x ON x.report_seq = r.seq "
	             "JOIN devices d ON d.id = r.device_id "
	             "LEFT JOIN reports b ON b.seq = r.body_base AND b.device_id = r.device_id "
	             "WHERE r.generated_at >= ?1 "
	             "ORDER BY r.generated_at, r.report_id, x.check_id",
	             a, 1, &r, err, err_len) != 0)
		return -1;
	if (format == FLEET_CSV)
		for (int i = 0; i < n_cols; i++)
			csv_field(out, cols[i], i == n_cols - 1);
	else
		fputs("[", out);
	while ((rc = db_next(r, err, err_len)) == 1) {
		const char *observed = db_text(r, n_cols - 1);
		char *sliced = NULL;

		if (observed == NULL && db_text(r, n_cols + 1) != NULL) {
			long long at = db_int(r, n_cols), len = db_int(r, n_cols + 1);

			if (body_of == NULL || strcmp(body_of, db_text(r, 2)) != 0) {
				size_t stored_len, base_len;
				const void *stored = db_blob(r, n_cols + 3, &stored_len);
				const void *base = db_blob(r, n_cols + 5, &base_len);

				free(body);
				free(body_of);
				body = NULL;
				body_of = strdup(db_text(r, 2));
				if (body_of == NULL) {
					snprintf(err, err_len, "out of memory");
					rc = -1;
					break;
				}
				if (stored == NULL) {
					snprintf(err, err_len, "store: report %s has no body",
					         db_text(r, 2));
					rc = -1;
					break;
				}
				if (store_body_decode(stored, stored_len, db_text(r, n_cols + 2),
				                      base, base_len, db_text(r, n_cols + 4), &body,
				                      &body_len, err, err_len) != 0) {
					rc = -1;
					break;
				}
			}
			if (at < 0 || len < 0 ||
			    (unsigned long long)at + (unsigned long long)len >
			        (unsigned long long)body_len) {
				snprintf(err, err_len,
				         "store: report %s has an observed value outside its body",
				         db_text(r, 2));
				rc = -1;
				break;
			}
			sliced = strndup(body + at, (size_t)len);
			if (sliced == NULL) {
				snprintf(err, err_len, "out of memory");
				rc = -1;
				break;
			}
			observed = sliced;
		}
		if (format == FLEET_CSV) {
			for (int i = 0; i < n_cols - 1; i++)
				csv_field(out, db_text(r, i), 0);
			csv_field(out, observed, 1);
		} else {
			json_t *row = json_object(), *value;
			char *text;

			for (int i = 0; i < n_cols - 1; i++)
				json_object_set_new(row, cols[i], text_or_null(db_text(r, i)));
			/* observed is JSON already: embedded as itself; a row is
			 * written whole or the export stops, never with a value
			 * left out */
			value = observed
			            ? json_loads(observed, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL)
			            : json_null();
			if (value == NULL || json_object_set_new(row, "observed", value) != 0 ||
			    (text = json_dumps(row, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL) {
				snprintf(
				    err, err_len,
				    value == NULL && observed != NULL
				        ? "store: report %s has an observed value that is not JSON"
				        : "out of memory (report %s)",
				    db_text(r, 2));
				json_decref(row);
				free(sliced);
				rc = -1;
				break;
			}
			fprintf(out, "%s\n%s", *rows ? "," : "", text);
			free(text);
			json_decref(row);
		}
		free(sliced);
		(*rows)++;
	}
	free(body);
	free(body_of);
	db_rows_free(r);
	if (format == FLEET_JSON)
		fputs("\n]\n", out);
	if (rc < 0)
		return -1;
	if (fflush(out) != 0 || ferror(out)) {
		snprintf(err, err_len, "cannot write the export");
		return -1;
	}
	return 0;
}

int fleet_parse_time(const char *text, char out[24])
{
	char buf[40];
	long long epoch;

	if (text == NULL)
		return -1;
	/* a date alone is its first second, UTC */
	if (strlen(text) == 10) {
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", text);
		text = buf;
	}
	return reportin_utc(text, out, &epoch);
}

long long fleet_parse_duration(const char *text)
{
	char ignored[256];
	long long secs = 0;

	/* the policy's grammar (s, m, h, d, w and their sums: 1d12h), so that
	 * --stale 2w means what "2w" means in a policy */
	if (text == NULL || key_parse_duration(text, &secs, ignored, sizeof(ignored)) != 0 ||
	    secs > 100LL * 365 * 86400)
		return -1;
	return secs;
}
