/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The collector's store and fleet queries, run twice: on SQLite, and on a
 * real PostgreSQL server (POSTURE_TEST_PG names a database to create test
 * databases from; without it a throwaway cluster is started with
 * scripts/pg-cluster.sh). The same reports go into both and the same
 * figures must come out: per-check counts, non-compliant and stale
 * devices, compliance per day, the export (CSV read back by Python's csv
 * module, the oracle no one here wrote), revocation, duplicates within one
 * group commit, reports arriving out of order, and SQL metacharacters and
 * markup in every field the store keeps.
 */
#include "testutil.h"
#include "webhooks.h"

#include <jansson.h>
#include <time.h>

#include "db.h"
#include "fleet.h"
#include "reportin.h"
#include "store.h"

struct backend {
	const char *name;
	char spec[512];
	char *dir;
	struct store *st;
};

static char pg_admin_spec[512];  /* a database to create the test's from */
static char pg_cluster_dir[256]; /* when this test started the cluster */
static char pg_db_name[64];

/* hostile strings: SQL, markup, CSV and formula metacharacters */
static const char *const hostile_host = "x'); DROP TABLE devices;--<script>alert(1)</script>";
static const char *const hostile_check = "chk\"; DELETE FROM latest; --,=1+1<b>";

/* A report of N results; result I observed OBSERVED[I] (a reference is
 * taken), or {"n": I} when OBSERVED is NULL. */
static char *make_report_with(const char *report_id, const char *generated_at, const char *host,
                              const char *const *ids, const char *const *statuses,
                              json_t *const *observed, int n)
{
	json_t *results = json_array(), *doc;
	int counts[4] = { 0 }, failed = 0;
	static const char *const names[4] = { "pass", "fail", "error", "skip" };
	char *text;

	for (int i = 0; i < n; i++) {
		json_array_append_new(results, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:i}}",
		                                         "id", ids[i], "type", "file_content",
		                                         "status", statuses[i], "severity", "high",
		                                         "title", ids[i], "remediation",
		                                         "fix it, \"now\"", "observed", "n", i));
		if (observed)
			json_object_set(json_array_get(results, json_array_size(results) - 1),
			                "observed", observed[i]);
		for (int k = 0; k < 4; k++)
			counts[k] += strcmp(statuses[i], names[k]) == 0;
		failed |= strcmp(statuses[i], "fail") == 0;
	}
	doc = json_pack("{s:s, s:s, s:s, s:{s:s, s:{s:s, s:s}}, s:{s:s}, s:{s:s}, s:b, "
	                "s:{s:i, s:i, s:i, s:i}, s:o}",
	                "schema", "posture.report/1", "report_id", report_id, "generated_at",
	                generated_at, "device", "hostname", host, "os", "name", "Debian GNU/Linux",
	                "version", "12", "agent", "version", "0.1.0", "policy", "name", "baseline",
	                "compliant", !failed, "summary", "pass", counts[0], "fail", counts[1],
	                "error", counts[2], "skip", counts[3], "results", results);
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return text;
}

static char *make_report(const char *report_id, const char *generated_at, const char *host,
                         const char *const *ids, const char *const *statuses, int n)
{
	return make_report_with(report_id, generated_at, host, ids, statuses, NULL, n);
}

struct sent {
	char *body;
	struct report_in r;
};

/* Stores N bodies for DEVICES in one group commit; OUTCOMES receives each. */
static void add_batch(struct store *st, const char *const *devices, char **bodies, size_t n,
                      enum store_outcome *outcomes)
{
	struct store_item items[16];
	struct sent sent[16];
	char err[512];

	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(bodies[i]);

		sent[i].body = malloc(len); /* not NUL-terminated, as served */
		memcpy(sent[i].body, bodies[i], len);
		if (reportin_parse(sent[i].body, len, &sent[i].r, err, sizeof(err)) != 0)
			fail_msg("expected the report to parse; came: %s", err);
		items[i] = (struct store_item){ .device_id = devices[i],
			                        .report = &sent[i].r,
			                        .body = sent[i].body,
			                        .body_len = len };
	}
	assert_int_equal(store_add_reports(st, items, n, err, sizeof(err)), 0);
	for (size_t i = 0; i < n; i++) {
		outcomes[i] = items[i].outcome;
		reportin_free(&sent[i].r);
		free(sent[i].body);
	}
}

#define DEV_A "11111111-1111-4111-8111-111111111111"
#define DEV_B "22222222-2222-4222-8222-222222222222"
#define DEV_C "33333333-3333-4333-8333-333333333333"
#define DEV_D "44444444-4444-4444-8444-444444444444"

static int open_backend(struct backend *b)
{
	char err[512];

	if (store_open(b->spec, 1, &b->st, err, sizeof(err)) != 0) {
		fprintf(stderr, "store_open(%s): %s\n", b->name, err);
		return -1;
	}
	return 0;
}

static int setup_sqlite(void **state)
{
	struct backend *b = calloc(1, sizeof(*b));

	b->name = "sqlite";
	b->dir = tu_mkdtemp();
	snprintf(b->spec, sizeof(b->spec), "%s/collector.db", b->dir);
	*state = b;
	return open_backend(b);
}

static int run_quiet(const char *cmd, char *out, size_t out_len)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0;

	if (p == NULL)
		return -1;
	if (out)
		n = fread(out, 1, out_len - 1, p);
	if (out) {
		out[n] = '\0';
		out[strcspn(out, "\n")] = '\0';
	}
	return pclose(p) == 0 ? 0 : -1;
}

static int setup_pg(void **state)
{
	struct backend *b = calloc(1, sizeof(*b));
	struct db *admin;
	char err[512], sql[128];
	const char *env = getenv("POSTURE_TEST_PG");

	b->name = "postgresql";
	*state = b;
	if (env != NULL && *env != '\0') {
		snprintf(pg_admin_spec, sizeof(pg_admin_spec), "%s", env);
	} else {
		char cmd[512];
		int port = 20000 + (int)(getpid() % 20000);

		/* a directory the postgres user can own when this runs as root */
		snprintf(pg_cluster_dir, sizeof(pg_cluster_dir), "/tmp/posture-pg.XXXXXX");
		assert_non_null(mkdtemp(pg_cluster_dir));
		snprintf(cmd, sizeof(cmd), "sh scripts/pg-cluster.sh start %s %d", pg_cluster_dir,
		         port);
		if (run_quiet(cmd, pg_admin_spec, sizeof(pg_admin_spec)) != 0) {
			fprintf(stderr,
			        "cannot start PostgreSQL (apt-get install postgresql, or set "
			        "POSTURE_TEST_PG)\n");
			return -1;
		}
	}
	/* a database of this run's own */
	snprintf(pg_db_name, sizeof(pg_db_name), "posture_test_%d_%ld", (int)getpid(),
	         (long)time(NULL));
	if (db_open(pg_admin_spec, 0, &admin, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", pg_db_name);
	assert_int_equal(db_script(admin, sql, err, sizeof(err)), 0);
	db_close(admin);
	{
		const char *slash = strrchr(pg_admin_spec, '/');
		const char *q = strchr(slash, '?');

		snprintf(b->spec, sizeof(b->spec), "%.*s/%s%s", (int)(slash - pg_admin_spec),
		         pg_admin_spec, pg_db_name, q ? q : "");
	}
	return open_backend(b);
}

static int teardown(void **state)
{
	struct backend *b = *state;

	store_close(b->st);
	if (b->dir) {
		tu_rm_rf(b->dir);
		free(b->dir);
	}
	if (strcmp(b->name, "postgresql") == 0 && pg_admin_spec[0]) {
		struct db *admin;
		char err[512], sql[128];

		if (db_open(pg_admin_spec, 0, &admin, err, sizeof(err)) == 0) {
			snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", pg_db_name);
			db_script(admin, sql, err, sizeof(err));
			db_close(admin);
		}
		if (pg_cluster_dir[0]) {
			char cmd[512];

			snprintf(cmd, sizeof(cmd), "sh scripts/pg-cluster.sh stop %s",
			         pg_cluster_dir);
			run_quiet(cmd, NULL, 0);
			tu_rm_rf(pg_cluster_dir);
			snprintf(cmd, sizeof(cmd), "%s.initdb.log", pg_cluster_dir);
			unlink(cmd);
		}
	}
	free(b);
	return 0;
}

/* The counts kept by triggers equal counting latest afresh. */
static void counts_agree(struct backend *b)
{
	struct db *db = store_db(b->st);
	struct db_rows *r;
	char err[512], kept[4096] = "", counted[4096] = "";
	size_t n;

	assert_int_equal(db_query(db,
	                          "SELECT check_id, status, n FROM check_counts WHERE n > 0 "
	                          "ORDER BY check_id, status",
	                          NULL, 0, &r, err, sizeof(err)),
	                 0);
	while (db_next(r, err, sizeof(err)) == 1) {
		n = strlen(kept);
		snprintf(kept + n, sizeof(kept) - n, "%s/%s=%lld;", db_text(r, 0), db_text(r, 1),
		         db_int(r, 2));
	}
	db_rows_free(r);
	assert_int_equal(db_query(db,
	                          "SELECT check_id, status, count(*) FROM latest "
	                          "GROUP BY check_id, status ORDER BY check_id, status",
	                          NULL, 0, &r, err, sizeof(err)),
	                 0);
	while (db_next(r, err, sizeof(err)) == 1) {
		n = strlen(counted);
		snprintf(counted + n, sizeof(counted) - n, "%s/%s=%lld;", db_text(r, 0),
		         db_text(r, 1), db_int(r, 2));
	}
	db_rows_free(r);
	assert_true(strlen(kept) > 0);
	assert_string_equal(kept, counted);
}

static json_t *check_named(json_t *summary, const char *id)
{
	json_t *c;
	size_t i;

	json_array_foreach (json_object_get(summary, "checks"), i, c)
		if (strcmp(json_string_value(json_object_get(c, "id")), id) == 0)
			return c;
	fail_msg("no check %s in the summary", id);
	return NULL;
}

static long long count(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* The fleet: A fails disk (and errs screen), B passes all, C's newest
 * report passes but an older one arrives after it, D is revoked. Figures
 * are for a fixed time; staleness counts from when reports were received. */
static void fleet_figures(void **state)
{
	struct backend *b = *state;
	const char *ids[3] = { "disk", "screen", hostile_check };
	const char *fail_a[3] = { "fail", "error", "pass" };
	const char *pass_all[3] = { "pass", "pass", "pass" };
	const char *old_fail[3] = { "fail", "fail", "fail" };
	char *bodies[6];
	const char *devs[6] = { DEV_A, DEV_B, DEV_C, DEV_A, DEV_D, DEV_C };
	enum store_outcome out[6];
	struct fleet_options o = { .stale_seconds = 3 * 86400, .limit = 10, .days = 30 };
	json_t *sum = NULL, *d, *c;
	char err[512], now_text[24];
	long long now_epoch;

	assert_int_equal(reportin_utc("2026-11-20T12:00:00Z", now_text, &now_epoch), 0);
	o.now = now_epoch;
	bodies[0] = make_report("aaaaaaaa-0000-4000-8000-000000000001", "2026-11-20T09:00:00+01:00",
	                        hostile_host, ids, fail_a, 3);
	bodies[1] = make_report("bbbbbbbb-0000-4000-8000-000000000001", "2026-11-19T10:00:00Z",
	                        "b.example", ids, pass_all, 3);
	bodies[2] = make_report("cccccccc-0000-4000-8000-000000000002", "2026-11-20T10:00:00Z",
	                        "c.example", ids, pass_all, 3);
	bodies[3] = strdup(bodies[0]); /* the same report twice in one commit */
	bodies[4] = make_report("dddddddd-0000-4000-8000-000000000001", "2026-11-20T10:00:00Z",
	                        "d.example", ids, old_fail, 3);
	bodies[5] = make_report("cccccccc-0000-4000-8000-000000000001", "2026-11-18T10:00:00Z",
	                        "c.example", ids, old_fail, 3);
	add_batch(b->st, devs, bodies, 6, out);
	assert_int_equal(out[0], STORE_STORED);
	assert_int_equal(out[1], STORE_STORED);
	assert_int_equal(out[2], STORE_STORED);
	assert_int_equal(out[3], STORE_DUPLICATE);
	assert_int_equal(out[4], STORE_STORED);
	assert_int_equal(out[5], STORE_STORED); /* stored, but older than C's newest */
	assert_int_equal(store_revoke_device(b->st, DEV_D, err, sizeof(err)), 1);
	{
		/* a revoked device's next report is refused inside the commit */
		const char *dd[1] = { DEV_D };
		char *again[1] = { make_report("dddddddd-0000-4000-8000-000000000002",
			                       "2026-11-20T11:00:00Z", "d.example", ids, pass_all,
			                       3) };

		add_batch(b->st, dd, again, 1, out);
		assert_int_equal(out[0], STORE_REVOKED);
		free(again[0]);
	}

	counts_agree(b);
	assert_int_equal(fleet_summary(b->st, &o, &sum, err, sizeof(err)), 0);
	d = json_object_get(sum, "devices");
	assert_int_equal(count(d, "active"), 3);
	assert_int_equal(count(d, "compliant"), 2);    /* B, and C by its newest */
	assert_int_equal(count(d, "noncompliant"), 1); /* A */
	assert_int_equal(count(d, "revoked"), 1);
	assert_int_equal(count(d, "stale"), 0);
	assert_true(json_real_value(json_object_get(d, "compliance_percent")) > 66.6 &&
	            json_real_value(json_object_get(d, "compliance_percent")) < 66.8);
	c = check_named(sum, "disk");
	assert_int_equal(count(c, "pass"), 2);
	assert_int_equal(count(c, "fail"), 1);
	c = check_named(sum, "screen");
	assert_int_equal(count(c, "pass"), 2);
	assert_int_equal(count(c, "error"), 1);
	c = check_named(sum, hostile_check);
	assert_int_equal(count(c, "pass"), 3);
	assert_true(json_real_value(json_object_get(c, "compliance_percent")) == 100.0);
	/* least compliant first */
	assert_true(
	    json_real_value(json_object_get(json_array_get(json_object_get(sum, "checks"), 0),
	                                    "compliance_percent")) < 70);
	{
		json_t *nc = json_object_get(sum, "noncompliant_devices"), *f;

		assert_int_equal(json_array_size(nc), 1);
		assert_string_equal(json_string_value(json_object_get(json_array_get(nc, 0), "id")),
		                    DEV_A);
		assert_string_equal(
		    json_string_value(json_object_get(json_array_get(nc, 0), "hostname")),
		    hostile_host);
		f = json_object_get(json_array_get(nc, 0), "failing");
		assert_int_equal(json_array_size(f), 2);
		assert_string_equal(
		    json_string_value(json_object_get(json_array_get(f, 0), "check")), "disk");
		assert_string_equal(
		    json_string_value(json_object_get(json_array_get(f, 0), "remediation")),
		    "fix it, \"now\"");
	}
	{
		/* per day, each device's newest verdict of that (UTC) day */
		json_t *h = json_object_get(sum, "history");

		assert_int_equal(json_array_size(h), 3);
		assert_string_equal(json_string_value(json_object_get(json_array_get(h, 0), "day")),
		                    "2026-11-18");
		assert_int_equal(count(json_array_get(h, 0), "compliant"), 0);
		assert_int_equal(count(json_array_get(h, 1), "devices"), 1);
		assert_int_equal(count(json_array_get(h, 2), "devices"), 3); /* A, C, D */
		assert_int_equal(count(json_array_get(h, 2), "compliant"), 1);
	}
	json_decref(sum);

	/* five days after they were received, everyone is stale */
	o.now = (long long)time(NULL) + 5 * 86400;
	assert_int_equal(fleet_summary(b->st, &o, &sum, err, sizeof(err)), 0);
	assert_int_equal(count(json_object_get(sum, "devices"), "stale"), 3);
	assert_int_equal(json_array_size(json_object_get(sum, "stale_devices")), 3);
	json_decref(sum);

	/* one device's page */
	assert_int_equal(fleet_device(b->st, DEV_C, 10, &sum, err, sizeof(err)), 1);
	assert_int_equal(json_array_size(json_object_get(sum, "reports")), 2);
	assert_true(json_is_true(json_object_get(sum, "compliant")));
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(json_object_get(sum, "reports"), 0),
	                                      "generated_at")),
	    "2026-11-20T10:00:00Z");
	json_decref(sum);
	assert_int_equal(fleet_device(b->st, "nope", 10, &sum, err, sizeof(err)), 0);

	/* the export, read back by Python's csv module */
	{
		char path[4300], cmd[9000], answer[256];
		FILE *f;
		long long rows = 0;
		char *tmp = tu_mkdtemp();

		snprintf(path, sizeof(path), "%s/export.csv", tmp);
		f = fopen(path, "w");
		assert_int_equal(fleet_export(b->st, FLEET_CSV, NULL, f, &rows, err, sizeof(err)),
		                 0);
		fclose(f);
		assert_int_equal(rows, 15); /* 5 reports x 3 checks */
		setenv("HOSTILE_CHECK", hostile_check, 1);
		snprintf(cmd, sizeof(cmd),
		         "python3 -c 'import csv,os,sys; r=list(csv.DictReader(open(sys.argv[1], "
		         "newline=\"\"))); h=[x for x in r if x[\"hostname\"].startswith(\"x\")]; "
		         "print(len(r), len(h), sum(1 for x in r if x[\"check_id\"]=="
		         "os.environ[\"HOSTILE_CHECK\"]), r[0][\"generated_at\"])' %s",
		         path);
		assert_int_equal(run_quiet(cmd, answer, sizeof(answer)), 0);
		assert_string_equal(answer, "15 3 5 2026-11-18T10:00:00Z");
		/* --since keeps the later reports only; JSON parses whole */
		snprintf(path, sizeof(path), "%s/export.json", tmp);
		f = fopen(path, "w");
		assert_int_equal(fleet_export(b->st, FLEET_JSON, "2026-11-20T00:00:00Z", f, &rows,
		                              err, sizeof(err)),
		                 0);
		fclose(f);
		assert_int_equal(rows, 9);
		{
			json_t *doc = json_load_file(path, 0, NULL);

			assert_non_null(doc);
			assert_int_equal(json_array_size(doc), 9);
			/* observed is embedded as JSON, not as a string of it */
			assert_true(json_is_integer(json_object_get(
			    json_object_get(json_array_get(doc, 0), "observed"), "n")));
			json_decref(doc);
		}
		tu_rm_rf(tmp);
		free(tmp);
	}
	{
		/* A fixes its disk: the counts move from fail to pass, and an
		 * older report of B's changes nothing */
		const char *fixed[3] = { "pass", "pass", "pass" };
		const char *dd[2] = { DEV_A, DEV_B };
		char *later[2] = { make_report("aaaaaaaa-0000-4000-8000-000000000002",
			                       "2026-11-20T11:00:00Z", "a.example", ids, fixed, 3),
			           make_report("bbbbbbbb-0000-4000-8000-000000000000",
			                       "2026-11-01T10:00:00Z", "b.example", ids, old_fail,
			                       3) };

		add_batch(b->st, dd, later, 2, out);
		assert_int_equal(out[0], STORE_STORED);
		assert_int_equal(out[1], STORE_STORED);
		counts_agree(b);
		o.now = now_epoch;
		assert_int_equal(fleet_summary(b->st, &o, &sum, err, sizeof(err)), 0);
		assert_int_equal(count(check_named(sum, "disk"), "pass"), 3);
		assert_int_equal(count(check_named(sum, "disk"), "fail"), 0);
		assert_int_equal(count(check_named(sum, "screen"), "error"), 0);
		assert_int_equal(count(json_object_get(sum, "devices"), "noncompliant"), 0);
		json_decref(sum);
		free(later[0]);
		free(later[1]);
	}
	for (int i = 0; i < 6; i++)
		free(bodies[i]);
}

/* One report the store refuses (a trigger made for the test raises an
 * error on its check) fails alone: the others of its group commit are
 * stored. */
static void one_bad_report_fails_alone(void **state)
{
	struct backend *b = *state;
	struct db *db = store_db(b->st);
	const char *ids_ok[1] = { "fine" }, *ids_bad[1] = { "boom" }, *pass[1] = { "pass" };
	const char *devs[3] = { DEV_A, DEV_B, DEV_C };
	char *bodies[3], err[512];
	enum store_outcome out[3];
	int pg = db_kind(db) == DB_POSTGRESQL;

	assert_int_equal(
	    db_script(db,
	              pg ? "CREATE FUNCTION posture_test_boom() RETURNS trigger LANGUAGE plpgsql "
	                   "AS $f$ BEGIN RAISE EXCEPTION 'boom'; END $f$;"
	                   "CREATE TRIGGER test_boom BEFORE INSERT ON results FOR EACH ROW "
	                   "WHEN (NEW.check_id = 'boom') EXECUTE FUNCTION posture_test_boom();"
	                 : "CREATE TRIGGER test_boom BEFORE INSERT ON results "
	                   "WHEN new.check_id = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END;",
	              err, sizeof(err)),
	    0);
	bodies[0] = make_report("eeeeeeee-0000-4000-8000-000000000001", "2026-11-21T10:00:00Z", "a",
	                        ids_ok, pass, 1);
	bodies[1] = make_report("eeeeeeee-0000-4000-8000-000000000002", "2026-11-21T10:00:00Z", "b",
	                        ids_bad, pass, 1);
	bodies[2] = make_report("eeeeeeee-0000-4000-8000-000000000003", "2026-11-21T10:00:00Z", "c",
	                        ids_ok, pass, 1);
	add_batch(b->st, devs, bodies, 3, out);
	assert_int_equal(out[0], STORE_STORED);
	assert_int_equal(out[1], STORE_FAILED);
	assert_int_equal(out[2], STORE_STORED);
	assert_int_equal(db_query_int(db,
	                              "SELECT count(*) FROM reports WHERE report_id LIKE "
	                              "'eeeeeeee-%'",
	                              NULL, 0, err, sizeof(err)),
	                 2);
	assert_int_equal(db_script(db, "DROP TRIGGER test_boom", err, sizeof(err)) == 0 ||
	                     db_script(db, "DROP TRIGGER test_boom ON results", err, sizeof(err)) ==
	                         0,
	                 1);
	for (int i = 0; i < 3; i++)
		free(bodies[i]);
}

/* PostgreSQL only: the server ends our connection (as a restart would);
 * the statement then fails, and the next one runs on a new connection. */
static void reconnects(void **state)
{
	struct backend *b = *state;
	struct db *db = store_db(b->st), *admin;
	char err[512], sql[160];
	long long pid = db_query_int(db, "SELECT pg_backend_pid()", NULL, 0, err, sizeof(err));

	assert_true(pid > 0);
	assert_int_equal(db_open(pg_admin_spec, 0, &admin, err, sizeof(err)), 0);
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%lld)", pid);
	assert_int_equal(db_script(admin, sql, err, sizeof(err)), 0);
	db_close(admin);
	usleep(200000);
	assert_int_equal(store_policy_version(b->st), -1); /* this one fails */
	assert_int_equal(store_policy_version(b->st), 0);  /* then it is back */
	assert_true(db_query_int(db, "SELECT pg_backend_pid()", NULL, 0, err, sizeof(err)) != pid);
}

/* latest row of DEVICE's CHECK: "status since-report-id at" */
static void latest_of(struct backend *b, const char *device, const char *check, char *out,
                      size_t out_len)
{
	const char *a[2] = { device, check };
	struct db_rows *r;
	char err[512];

	assert_int_equal(db_query(store_db(b->st),
	                          "SELECT status, report_id, at FROM latest "
	                          "WHERE device_id = ?1 AND check_id = ?2",
	                          a, 2, &r, err, sizeof(err)),
	                 0);
	assert_int_equal(db_next(r, err, sizeof(err)), 1);
	snprintf(out, out_len, "%s %.8s %s", db_text(r, 0), db_text(r, 1), db_text(r, 2));
	while (db_next(r, err, sizeof(err)) == 1)
		;
	db_rows_free(r);
}

/* A check's latest row moves only when its state changes: it says since
 * when (and since which report) the check has been as it is; a late,
 * older report moves nothing, even when the rows did not move for the
 * reports after it. */
static void latest_moves_on_change(void **state)
{
	struct backend *b = *state;
	const char *ids[2] = { "since-a", "since-b" };
	const char *failing[2] = { "fail", "pass" }, *fixed[2] = { "pass", "pass" };
	const char *dev[1] = { "66666666-6666-4666-8666-666666666666" };
	char *body, got[128];
	enum store_outcome out[1];
	struct {
		const char *rid, *at;
		const char *const *statuses;
		const char *want_a; /* since-a's row after it */
	} steps[] = {
		{ "a1a1a1a1-0000-4000-8000-000000000001", "2026-11-22T10:00:00Z", failing,
		  "fail a1a1a1a1 2026-11-22T10:00:00Z" },
		/* the same again: nothing moves */
		{ "a2a2a2a2-0000-4000-8000-000000000002", "2026-11-22T12:00:00Z", failing,
		  "fail a1a1a1a1 2026-11-22T10:00:00Z" },
		/* late, older than the newest, and passing: nothing moves */
		{ "a3a3a3a3-0000-4000-8000-000000000003", "2026-11-22T11:00:00Z", fixed,
		  "fail a1a1a1a1 2026-11-22T10:00:00Z" },
		/* fixed */
		{ "a4a4a4a4-0000-4000-8000-000000000004", "2026-11-22T13:00:00Z", fixed,
		  "pass a4a4a4a4 2026-11-22T13:00:00Z" },
	};

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		body = make_report(steps[i].rid, steps[i].at, "since.example", ids,
		                   steps[i].statuses, 2);
		add_batch(b->st, dev, &body, 1, out);
		free(body);
		assert_int_equal(out[0], STORE_STORED);
		latest_of(b, dev[0], "since-a", got, sizeof(got));
		assert_string_equal(got, steps[i].want_a);
		latest_of(b, dev[0], "since-b", got, sizeof(got));
		assert_string_equal(got, "pass a1a1a1a1 2026-11-22T10:00:00Z");
		counts_agree(b);
	}
}

/* Sends DEVICE's report RID of time AT with STATUSES for checks m-a and
 * m-b, alone, and checks m-a's latest row is then WANT. */
static void send_memo_report(struct backend *b, const char *device, const char *rid, const char *at,
                             const char *const *statuses, const char *want)
{
	const char *ids[2] = { "m-a", "m-b" };
	char *body = make_report(rid, at, "memo.example", ids, statuses, 2), got[128];
	enum store_outcome out[1];

	add_batch(b->st, &device, &body, 1, out);
	free(body);
	assert_int_equal(out[0], STORE_STORED);
	latest_of(b, device, "m-a", got, sizeof(got));
	assert_string_equal(got, want);
}

/* Moves DEVICE's m-a row behind the writer's back, through ST. */
static void spoil_latest(struct store *st, const char *device)
{
	const char *a[1] = { device };
	char err[512];

	assert_int_equal(db_exec(store_db(st),
	                         "UPDATE latest SET status = 'error' "
	                         "WHERE device_id = ?1 AND check_id = 'm-a'",
	                         a, 1, NULL, err, sizeof(err)),
	                 0);
}

/* The writer knows what state each device's latest rows are in, and moves
 * them only for a report that changes it; it must not trust that knowledge
 * past what it did itself: two reports of one device in one batch, a change
 * made through its own connection, a change made by another. */
static void latest_trusts_only_itself(void **state)
{
	struct backend *b = *state;
	const char *ids[2] = { "m-a", "m-b" };
	const char *failing[2] = { "fail", "pass" }, *fixed[2] = { "pass", "pass" };
	const char *dev[2] = { "77777777-7777-4777-8777-777777777777",
		               "77777777-7777-4777-8777-777777777777" };
	char *bodies[2], got[128], err[512];
	enum store_outcome out[2];
	struct store *other;

	send_memo_report(b, dev[0], "b1b1b1b1-0000-4000-8000-000000000001", "2026-11-23T10:00:00Z",
	                 failing, "fail b1b1b1b1 2026-11-23T10:00:00Z");

	/* fixed, then failing again, in one batch */
	bodies[0] = make_report("b2b2b2b2-0000-4000-8000-000000000002", "2026-11-23T11:00:00Z",
	                        "memo.example", ids, fixed, 2);
	bodies[1] = make_report("b3b3b3b3-0000-4000-8000-000000000003", "2026-11-23T12:00:00Z",
	                        "memo.example", ids, failing, 2);
	add_batch(b->st, dev, bodies, 2, out);
	free(bodies[0]);
	free(bodies[1]);
	assert_int_equal(out[0], STORE_STORED);
	assert_int_equal(out[1], STORE_STORED);
	latest_of(b, dev[0], "m-a", got, sizeof(got));
	assert_string_equal(got, "fail b3b3b3b3 2026-11-23T12:00:00Z");
	counts_agree(b);

	/* moved by SQL on the writer's own connection: the next report with
	 * the same states puts it back */
	spoil_latest(b->st, dev[0]);
	send_memo_report(b, dev[0], "b4b4b4b4-0000-4000-8000-000000000004", "2026-11-23T13:00:00Z",
	                 failing, "fail b4b4b4b4 2026-11-23T13:00:00Z");
	counts_agree(b);

	/* moved by another connection */
	assert_int_equal(store_open(b->spec, 0, &other, err, sizeof(err)), 0);
	spoil_latest(other, dev[0]);
	store_close(other);
	send_memo_report(b, dev[0], "b5b5b5b5-0000-4000-8000-000000000005", "2026-11-23T14:00:00Z",
	                 failing, "fail b5b5b5b5 2026-11-23T14:00:00Z");
	/* and the same states once more: nothing moves */
	send_memo_report(b, dev[0], "b6b6b6b6-0000-4000-8000-000000000006", "2026-11-23T15:00:00Z",
	                 failing, "fail b5b5b5b5 2026-11-23T14:00:00Z");
	counts_agree(b);
}

/* The rows of report REPORT_ID in an export from SINCE, in JSON. */
static json_t *exported(struct store *st, const char *since, const char *report_id)
{
	char *text = NULL, err[512];
	size_t len = 0;
	long long rows = 0;
	FILE *f = open_memstream(&text, &len);
	json_t *doc, *mine = json_array(), *row;
	size_t i;

	assert_non_null(f);
	assert_int_equal(fleet_export(st, FLEET_JSON, since, f, &rows, err, sizeof(err)), 0);
	fclose(f);
	doc = json_loads(text, 0, NULL);
	assert_non_null(doc);
	json_array_foreach (doc, i, row)
		if (strcmp(json_string_value(json_object_get(row, "report_id")), report_id) == 0)
			json_array_append(mine, row);
	json_decref(doc);
	free(text);
	return mine;
}

/* Another empty store beside B's: a file, or a database of its own. */
static void other_spec(struct backend *b, char *out, size_t out_len)
{
	if (strcmp(b->name, "sqlite") == 0) {
		snprintf(out, out_len, "%s/older.db", b->dir);
	} else {
		struct db *admin;
		char err[512], sql[160];
		const char *slash = strrchr(b->spec, '/');
		const char *q = strchr(slash, '?');

		assert_int_equal(db_open(pg_admin_spec, 0, &admin, err, sizeof(err)), 0);
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s_older", pg_db_name);
		assert_int_equal(db_script(admin, sql, err, sizeof(err)), 0);
		db_close(admin);
		snprintf(out, out_len, "%.*s/%s_older%s", (int)(slash - b->spec), b->spec,
		         pg_db_name, q ? q : "");
	}
}

/* A report's body comes back byte for byte as its device sent it (it is
 * stored compressed); a long observed value, kept only in the body, is in
 * the export whole; and reports stored before bodies were compressed (an
 * older schema, migrated) read the same. */
static void bodies_kept_whole(void **state)
{
	struct backend *b = *state;
	const char *ids[2] = { "big", "small" }, *statuses[2] = { "fail", "pass" };
	const char *dev[1] = { "55555555-5555-4555-8555-555555555555" };
	const char *rid = "f0f0f0f0-0000-4000-8000-000000000001";
	json_t *obs[2], *list = json_array(), *rows;
	char *body, *back = NULL, err[512];
	size_t back_len = 0;
	enum store_outcome out[1];

	/* pending updates, as os_patch observes them: escapes, non-ASCII */
	for (int i = 0; i < 60; i++)
		json_array_append_new(list, json_pack("{s:s, s:i, s:s}", "package",
		                                      "lib\u00e9xample-\u65e5\u672c", "n", i,
		                                      "note", "a \"quoted\" \\ value"));
	obs[0] = json_pack("{s:o}", "updates", list);
	obs[1] = json_pack("{s:i}", "n", 1);
	body = make_report_with(rid, "2026-11-21T10:00:00Z", "w.example", ids, statuses, obs, 2);
	assert_true(strlen(body) > 4000);
	add_batch(b->st, dev, &body, 1, out);
	assert_int_equal(out[0], STORE_STORED);

	assert_int_equal(store_report_body(b->st, rid, &back, &back_len, err, sizeof(err)), 1);
	assert_int_equal(back_len, strlen(body));
	assert_memory_equal(back, body, back_len);
	free(back);
	assert_int_equal(
	    store_report_body(b->st, "no-such-report", &back, &back_len, err, sizeof(err)), 0);
	{
		/* stored compressed; the long value is not repeated in results */
		char sent_len[24];
		const char *a[2] = { rid, sent_len };

		snprintf(sent_len, sizeof(sent_len), "%zu", strlen(body));
		assert_int_equal(db_query_int(store_db(b->st),
		                              "SELECT count(*) FROM reports WHERE report_id = ?1 "
		                              "AND body_encoding = 'zstd' "
		                              "AND length(body) * 2 < CAST(?2 AS INTEGER)",
		                              a, 2, err, sizeof(err)),
		                 1);
		assert_int_equal(db_query_int(store_db(b->st),
		                              "SELECT count(*) FROM results WHERE report_id = ?1 "
		                              "AND check_id = 'big' AND observed IS NULL "
		                              "AND observed_len > 1024",
		                              a, 1, err, sizeof(err)),
		                 1);
	}
	rows = exported(b->st, "2026-11-21T00:00:00Z", rid);
	assert_int_equal(json_array_size(rows), 2);
	assert_true(json_equal(json_object_get(json_array_get(rows, 0), "observed"), obs[0]));
	assert_true(json_equal(json_object_get(json_array_get(rows, 1), "observed"), obs[1]));
	json_decref(rows);
	{
		/* an observed value that is not JSON (written by hand): the
		 * export stops and names the report, rather than leave the
		 * value out of its row */
		const char *a[1] = { rid };
		char *text = NULL;
		size_t len = 0;
		long long n = 0;
		FILE *f = open_memstream(&text, &len);

		assert_int_equal(db_exec(store_db(b->st),
		                         "UPDATE results SET observed = '{\"n\":\f1}' "
		                         "WHERE report_id = ?1 AND check_id = 'small'",
		                         a, 1, NULL, err, sizeof(err)),
		                 0);
		assert_int_equal(fleet_export(b->st, FLEET_JSON, "2026-11-21T00:00:00Z", f, &n, err,
		                              sizeof(err)),
		                 -1);
		fclose(f);
		free(text);
		assert_non_null(strstr(err, rid));
		assert_non_null(strstr(err, "not JSON"));
		assert_int_equal(db_exec(store_db(b->st),
		                         "UPDATE results SET observed = '{\"n\":1}' "
		                         "WHERE report_id = ?1 AND check_id = 'small'",
		                         a, 1, NULL, err, sizeof(err)),
		                 0);
	}

	{
		/* a store of schema 3, as the collector before compression left
		 * it, migrated: its text bodies and observed values read as
		 * before */
		char spec[700];
		struct store *older;
		const char *old_rid = "f0f0f0f0-0000-4000-8000-000000000002";
		const char *d[6] = { dev[0],
			             "w.example",
			             "Debian",
			             "0.1.0",
			             "2026-11-01T00:00:00Z",
			             "2026-11-01T00:00:00Z" };
		char *old_body = make_report_with(old_rid, "2026-11-01T10:00:00Z", "w.example", ids,
		                                  statuses, obs, 2);
		char *big = json_dumps(obs[0], JSON_COMPACT);
		const char *r[7] = {
			old_rid, dev[0],  "2026-11-01T10:00:00Z", "2026-11-01T10:00:01Z", "0123",
			"0",     old_body
		};
		const char *x[4] = { old_rid, "big", "fail", big };

		other_spec(b, spec, sizeof(spec));
		assert_int_equal(store_open_version(spec, 1, 3, &older, err, sizeof(err)), 0);
		assert_int_equal(db_exec(store_db(older),
		                         "INSERT INTO devices (id, hostname, os, agent_version, "
		                         "first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		                         d, 6, NULL, err, sizeof(err)),
		                 0);
		assert_int_equal(db_exec(store_db(older),
		                         "INSERT INTO reports (report_id, device_id, generated_at, "
		                         "received_at, policy_sha256, compliant, body) VALUES (?1, "
		                         "?2, ?3, ?4, ?5, CAST(?6 AS INTEGER), ?7)",
		                         r, 7, NULL, err, sizeof(err)),
		                 0);
		assert_int_equal(db_exec(store_db(older),
		                         "INSERT INTO results (report_id, check_id, type, status, "
		                         "observed) VALUES (?1, ?2, 'os_patch', ?3, ?4)",
		                         x, 4, NULL, err, sizeof(err)),
		                 0);
		store_close(older);
		assert_int_equal(store_open(spec, 0, &older, err, sizeof(err)), 0);
		assert_int_equal(
		    store_report_body(older, old_rid, &back, &back_len, err, sizeof(err)), 1);
		assert_string_equal(back, old_body);
		free(back);
		rows = exported(older, NULL, old_rid);
		assert_int_equal(json_array_size(rows), 1);
		assert_true(
		    json_equal(json_object_get(json_array_get(rows, 0), "observed"), obs[0]));
		json_decref(rows);
		{
			/* migration 5 numbered the older report; a newer one comes
			 * after it, and each report's results follow its number */
			const char *new_rid = "f0f0f0f0-0000-4000-8000-000000000003";
			char *new_body = make_report(new_rid, "2026-11-02T10:00:00Z", "w.example",
			                             ids, statuses, 2);
			const char *pair[2] = { old_rid, new_rid };
			json_t *doc = NULL, *history;

			add_batch(older, dev, &new_body, 1, out);
			assert_int_equal(out[0], STORE_STORED);
			assert_int_equal(db_query_int(store_db(older),
			                              "SELECT count(*) FROM reports o, reports n "
			                              "WHERE o.report_id = ?1 AND n.report_id = ?2 "
			                              "AND n.seq > o.seq",
			                              pair, 2, err, sizeof(err)),
			                 1);
			for (int k = 0; k < 2; k++)
				assert_int_equal(
				    db_query_int(store_db(older),
				                 "SELECT count(*) FROM results x JOIN reports p "
				                 "ON p.seq = x.report_seq "
				                 "WHERE p.report_id = ?1",
				                 pair + k, 1, err, sizeof(err)),
				    k == 0 ? 1 : 2);
			assert_int_equal(
			    db_query_int(store_db(older),
			                 "SELECT count(*) FROM results x JOIN reports p "
			                 "ON p.seq = x.report_seq "
			                 "WHERE x.report_id <> p.report_id",
			                 NULL, 0, err, sizeof(err)),
			    0);
			/* the device's history counts each report's own results */
			assert_int_equal(fleet_device(older, dev[0], 10, &doc, err, sizeof(err)),
			                 1);
			history = json_object_get(doc, "reports");
			assert_int_equal(json_array_size(history), 2);
			assert_string_equal(json_string_value(json_object_get(
			                        json_array_get(history, 0), "report_id")),
			                    new_rid);
			assert_int_equal(count(json_array_get(history, 0), "pass"), 1);
			assert_int_equal(count(json_array_get(history, 0), "fail"), 1);
			assert_int_equal(count(json_array_get(history, 1), "pass"), 0);
			assert_int_equal(count(json_array_get(history, 1), "fail"), 1);
			json_decref(doc);
			free(new_body);
		}
		store_close(older);
		if (strcmp(b->name, "postgresql") == 0) {
			struct db *admin;
			char sql[160];

			assert_int_equal(db_open(pg_admin_spec, 0, &admin, err, sizeof(err)), 0);
			snprintf(sql, sizeof(sql), "DROP DATABASE %s_older", pg_db_name);
			assert_int_equal(db_script(admin, sql, err, sizeof(err)), 0);
			db_close(admin);
		}
		free(big);
		free(old_body);
	}
	json_decref(obs[0]);
	json_decref(obs[1]);
	free(body);
}

/* A newer collector's schema is refused; opening twice at once migrates
 * once (PostgreSQL's advisory lock, SQLite's write lock). */
/* Report RID of DEVICE with a long observed value made of N entries named
 * NAME, alone in its batch; its body comes back whole. */
static void send_long_report(struct backend *b, const char *device, const char *rid, const char *at,
                             const char *name, int n)
{
	const char *ids[2] = { "big", "small" }, *statuses[2] = { "fail", "pass" };
	json_t *obs[2], *list = json_array();
	char *body, *back = NULL, err[512];
	size_t back_len = 0;
	enum store_outcome out[1];

	for (int i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:i}", "package", name, "n", i));
	obs[0] = json_pack("{s:o}", "updates", list);
	obs[1] = json_pack("{s:i}", "n", 1);
	body = make_report_with(rid, at, "w.example", ids, statuses, obs, 2);
	add_batch(b->st, &device, &body, 1, out);
	assert_int_equal(out[0], STORE_STORED);
	assert_int_equal(store_report_body(b->st, rid, &back, &back_len, err, sizeof(err)), 1);
	assert_int_equal(back_len, strlen(body));
	assert_memory_equal(back, body, back_len);
	free(back);
	free(body);
	json_decref(obs[0]);
	json_decref(obs[1]);
}

/* How report RID's body is stored: its encoding into ENCODING, its base's
 * report id ("" for none) into BASE; returns its stored length. */
static long long stored_as(struct backend *b, const char *rid, char *encoding, char *base)
{
	const char *a[1] = { rid };
	struct db_rows *r;
	char err[512];
	long long len;

	assert_int_equal(
	    db_query(store_db(b->st),
	             "SELECT r.body_encoding, coalesce(p.report_id, ''), "
	             "length(r.body) FROM reports r "
	             "LEFT JOIN reports p ON p.seq = r.body_base WHERE r.report_id = ?1",
	             a, 1, &r, err, sizeof(err)),
	    0);
	assert_int_equal(db_next(r, err, sizeof(err)), 1);
	strcpy(encoding, db_text(r, 0));
	strcpy(base, db_text(r, 1));
	len = db_int(r, 2);
	assert_int_equal(db_next(r, err, sizeof(err)), 0);
	db_rows_free(r);
	return len;
}

/* A device's reports are stored against its base (its first report, kept
 * whole): a few dozen bytes each instead of kilobytes, every one read back
 * byte for byte and exported whole; a report that has moved on from the
 * base is kept whole and is the base from then on; and a writer that
 * starts afresh reads the base from the store. */
static void bodies_against_bases(void **state)
{
	struct backend *b = *state;
	const char *dev = "66666666-6666-4666-8666-666666666666";
	char enc[32], base[64], err[512];
	long long whole_len, len;
	json_t *rows;

	send_long_report(b, dev, "a0000000-0000-4000-8000-000000000001", "2026-11-22T10:00:00Z",
	                 "libfirst", 80);
	whole_len = stored_as(b, "a0000000-0000-4000-8000-000000000001", enc, base);
	assert_string_equal(enc, "zstd");
	assert_string_equal(base, "");
	send_long_report(b, dev, "a0000000-0000-4000-8000-000000000002", "2026-11-22T11:00:00Z",
	                 "libfirst", 80);
	len = stored_as(b, "a0000000-0000-4000-8000-000000000002", enc, base);
	assert_string_equal(enc, "zstd-base");
	assert_string_equal(base, "a0000000-0000-4000-8000-000000000001");
	assert_true(len * 4 < whole_len);
	rows = exported(b->st, "2026-11-22T00:00:00Z", "a0000000-0000-4000-8000-000000000002");
	assert_int_equal(json_array_size(rows), 2);
	assert_int_equal(json_array_size(json_object_get(
	                     json_object_get(json_array_get(rows, 0), "observed"), "updates")),
	                 80);
	json_decref(rows);

	/* moved on: whole, and the base of what follows */
	send_long_report(b, dev, "a0000000-0000-4000-8000-000000000003", "2026-11-22T12:00:00Z",
	                 "libsecond-entirely-other", 40);
	stored_as(b, "a0000000-0000-4000-8000-000000000003", enc, base);
	assert_string_equal(enc, "zstd");
	send_long_report(b, dev, "a0000000-0000-4000-8000-000000000004", "2026-11-22T13:00:00Z",
	                 "libsecond-entirely-other", 40);
	stored_as(b, "a0000000-0000-4000-8000-000000000004", enc, base);
	assert_string_equal(enc, "zstd-base");
	assert_string_equal(base, "a0000000-0000-4000-8000-000000000003");

	/* a writer that knows no bases */
	store_close(b->st);
	assert_int_equal(open_backend(b), 0);
	send_long_report(b, dev, "a0000000-0000-4000-8000-000000000005", "2026-11-22T14:00:00Z",
	                 "libsecond-entirely-other", 40);
	stored_as(b, "a0000000-0000-4000-8000-000000000005", enc, base);
	assert_string_equal(enc, "zstd-base");
	assert_string_equal(base, "a0000000-0000-4000-8000-000000000003");

	/* the device's row names its base; every base is stored whole */
	assert_int_equal(db_query_int(store_db(b->st),
	                              "SELECT count(*) FROM devices d JOIN reports r "
	                              "ON r.seq = d.body_base WHERE d.id = "
	                              "'66666666-6666-4666-8666-666666666666' "
	                              "AND r.report_id = 'a0000000-0000-4000-8000-000000000003'",
	                              NULL, 0, err, sizeof(err)),
	                 1);
	assert_int_equal(db_query_int(store_db(b->st),
	                              "SELECT count(*) FROM reports r JOIN reports p "
	                              "ON p.seq = r.body_base WHERE p.body_base IS NOT NULL "
	                              "OR p.device_id <> r.device_id",
	                              NULL, 0, err, sizeof(err)),
	                 0);
}

static long long daily_check(struct backend *b, const char *day, const char *check,
                             const char *status)
{
	const char *a[3] = { day, check, status };
	char err[512];
	long long n = db_query_int(store_db(b->st),
	                           "SELECT coalesce(sum(n), 0) FROM daily_checks WHERE day = ?1 "
	                           "AND check_id = ?2 AND status = ?3",
	                           a, 3, err, sizeof(err));

	assert_true(n >= 0);
	return n;
}

/*
 * The data lifecycle: the days are rolled up per check from each device's
 * last report of the day, once (and the settling days again); pruning
 * takes the reports older than the cutoff with their results, but keeps
 * each device's newest report and the whole body kept reports are
 * compressed against, so every kept body still reads back byte for byte;
 * state changes go but each device's last one for a check.
 */
static void lifecycle_prunes_and_rolls_up(void **state)
{
	struct backend *b = *state;
	const char *p = "99999999-7777-4777-8777-777777777777";
	const char *q = "99999999-8888-4888-8888-888888888888";
	const char *ids[1] = { "a" }, *pass[1] = { "pass" }, *fail[1] = { "fail" };
	char err[512], enc[32], base[64], *body, *back = NULL;
	size_t back_len = 0;
	enum store_outcome out[1];
	struct store_pruned done;
	struct store_prune_opts o = { .reports_before = "2025-01-06T00:00:00Z",
		                      .changes_before = "2025-01-06T00:00:00Z",
		                      .batch = 2 };
	int rolled = -1;

	send_long_report(b, p, "b0000000-0000-4000-8000-000000000001", "2025-01-01T10:00:00Z",
	                 "libfirst", 80);
	send_long_report(b, p, "b0000000-0000-4000-8000-000000000002", "2025-01-01T11:00:00Z",
	                 "libfirst", 80);
	send_long_report(b, p, "b0000000-0000-4000-8000-000000000003", "2025-01-02T10:00:00Z",
	                 "libsecond-entirely-other", 40);
	send_long_report(b, p, "b0000000-0000-4000-8000-000000000004", "2025-01-05T10:00:00Z",
	                 "libsecond-entirely-other", 40);
	send_long_report(b, p, "b0000000-0000-4000-8000-000000000005", "2025-01-10T10:00:00Z",
	                 "libsecond-entirely-other", 40);
	stored_as(b, "b0000000-0000-4000-8000-000000000005", enc, base);
	assert_string_equal(base, "b0000000-0000-4000-8000-000000000003");
	body = make_report("c0000000-0000-4000-8000-000000000001", "2025-01-01T09:00:00Z",
	                   "q.example", ids, pass, 1);
	add_batch(b->st, &q, &body, 1, out);
	free(body);
	body = make_report("c0000000-0000-4000-8000-000000000002", "2025-01-01T12:00:00Z",
	                   "q.example", ids, fail, 1);
	add_batch(b->st, &q, &body, 1, out);
	free(body);
	stored_as(b, "c0000000-0000-4000-8000-000000000002", enc, base);
	assert_string_equal(base, "c0000000-0000-4000-8000-000000000001");

	/* 2025-01-01: p's 11:00 report, q's 12:00 one; 2025-01-02: p alone */
	assert_int_equal(store_rollup(b->st, "2025-01-03", "2025-01-03", &rolled, err, sizeof(err)),
	                 0);
	assert_int_equal(rolled, 2);
	assert_int_equal(daily_check(b, "2025-01-01", "big", "fail"), 1);
	assert_int_equal(daily_check(b, "2025-01-01", "small", "pass"), 1);
	assert_int_equal(daily_check(b, "2025-01-01", "a", "fail"), 1);
	assert_int_equal(daily_check(b, "2025-01-01", "a", "pass"), 0);
	assert_int_equal(daily_check(b, "2025-01-02", "big", "fail"), 1);
	assert_int_equal(daily_check(b, "2025-01-02", "a", "fail"), 0);
	/* once; the settling days again */
	assert_int_equal(store_rollup(b->st, "2025-01-03", "2025-01-03", &rolled, err, sizeof(err)),
	                 0);
	assert_int_equal(rolled, 0);
	assert_int_equal(store_rollup(b->st, "2025-01-03", "2025-01-02", &rolled, err, sizeof(err)),
	                 0);
	assert_int_equal(rolled, 1);
	assert_int_equal(daily_check(b, "2025-01-02", "big", "fail"), 1);

	/* p loses its 1st, 2nd and 4th reports, keeps the 3rd (the base of its
	 * newest) and the 5th; q keeps both (its first is its newest's base) */
	assert_int_equal(store_prune(b->st, &o, &done, err, sizeof(err)), 0);
	if (done.reports != 3)
		fail_msg("expected 3 reports pruned, came %lld (%lld batches)", done.reports,
		         done.batches);
	assert_int_equal(done.batches, 2);
	assert_int_equal(store_report_body(b->st, "b0000000-0000-4000-8000-000000000001", &back,
	                                   &back_len, err, sizeof(err)),
	                 0);
	assert_int_equal(store_report_body(b->st, "b0000000-0000-4000-8000-000000000004", &back,
	                                   &back_len, err, sizeof(err)),
	                 0);
	assert_int_equal(store_report_body(b->st, "c0000000-0000-4000-8000-000000000001", &back,
	                                   &back_len, err, sizeof(err)),
	                 1);
	free(back);
	back = NULL;
	assert_int_equal(store_report_body(b->st, "b0000000-0000-4000-8000-000000000005", &back,
	                                   &back_len, err, sizeof(err)),
	                 1);
	assert_non_null(strstr(back, "libsecond-entirely-other"));
	assert_non_null(strstr(back, "b0000000-0000-4000-8000-000000000005"));
	free(back);
	back = NULL;
	assert_int_equal(store_report_body(b->st, "c0000000-0000-4000-8000-000000000002", &back,
	                                   &back_len, err, sizeof(err)),
	                 1);
	free(back);
	back = NULL;
	/* no result outlives its report */
	assert_int_equal(db_query_int(store_db(b->st),
	                              "SELECT count(*) FROM results x WHERE NOT EXISTS "
	                              "(SELECT 1 FROM reports r WHERE r.seq = x.report_seq)",
	                              NULL, 0, err, sizeof(err)),
	                 0);
	/* q's change to pass went, its change to fail (its state since) stays;
	 * p's first states stay */
	assert_int_equal(db_query_int(store_db(b->st),
	                              "SELECT count(*) FROM changes WHERE device_id = "
	                              "'99999999-8888-4888-8888-888888888888'",
	                              NULL, 0, err, sizeof(err)),
	                 1);
	assert_int_equal(
	    db_query_int(store_db(b->st),
	                 "SELECT count(*) FROM changes WHERE device_id = "
	                 "'99999999-8888-4888-8888-888888888888' AND to_status = 'fail'",
	                 NULL, 0, err, sizeof(err)),
	    1);
	assert_int_equal(db_query_int(store_db(b->st),
	                              "SELECT count(*) FROM changes WHERE device_id = "
	                              "'99999999-7777-4777-8777-777777777777'",
	                              NULL, 0, err, sizeof(err)),
	                 2);
	/* the rolled-up days outlive the reports they came from */
	assert_int_equal(daily_check(b, "2025-01-01", "a", "fail"), 1);
	/* a second pass finds nothing more of these devices */
	assert_int_equal(store_prune(b->st, &o, &done, err, sizeof(err)), 0);
	assert_int_equal(done.reports, 0);
	assert_int_equal(done.changes, 0);
}

/* `printf '1.what do ya want for nothing?' | openssl dgst -sha256 -hmac Jefe`
 * (OpenSSL 3.0's command line; the key and data of RFC 4231's test case 2
 * behind the "TIMESTAMP." framing) */
#define HMAC_JEFE "a9049465ce89cfb8e9aac62333abda66f80e3403f51f57f6bae3c3a4485eca38"

/* a report whose one check, "grace", fails within its grace period
 * (OVERDUE 0: kept as due) or past it */
static char *grace_report(const char *rid, const char *at, int overdue)
{
	const char *ids[1] = { "grace" }, *fail[1] = { "fail" };
	char *text = make_report(rid, at, "hook.example", ids, fail, 1);
	json_t *doc = json_loads(text, 0, NULL),
	       *r = json_array_get(json_object_get(doc, "results"), 0);

	free(text);
	json_object_set_new(r, "due_at", json_string("2026-12-10T00:00:00Z"));
	json_object_set_new(r, "overdue", json_boolean(overdue));
	json_object_set_new(doc, "compliant", json_boolean(!overdue));
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return text;
}

static long long events_of(struct backend *b, const char *device, const char *type)
{
	const char *a[2] = { device, type };
	char err[512];
	long long n = db_query_int(store_db(b->st),
	                           "SELECT count(*) FROM events e JOIN deliveries d ON "
	                           "d.event_id = e.id WHERE e.device_id = ?1 AND e.type = ?2",
	                           a, 2, err, sizeof(err));

	assert_true(n >= 0);
	return n;
}

/*
 * The events webhooks are sent, recorded by the store's triggers with the
 * change that made them (each queued for the webhook): a new device, its
 * first verdict non-compliant, compliant again, a failure past its grace
 * (due, then fail), stale once until it reports again, revoked. Nothing is
 * recorded for a report that changes nothing.
 */
static void webhook_events_recorded(void **state)
{
	struct backend *b = *state;
	const char *dev = "aaaaaaaa-5555-4555-8555-555555555555";
	const char *ids[1] = { "grace" }, *pass[1] = { "pass" };
	char secret[100], err[512], *body;
	enum store_outcome out[1];
	int refused = 0;

	assert_true(webhooks_add(b->st, "https://hooks.example.com/posture", "*", secret,
	                         sizeof(secret), &refused, err, sizeof(err)) > 0);
	body = grace_report("d0000000-0000-4000-8000-000000000001", "2026-12-01T10:00:00Z", 0);
	add_batch(b->st, &dev, &body, 1, out);
	free(body);
	assert_int_equal(events_of(b, dev, "device.new"), 1);
	/* due is not failing: the report is compliant */
	assert_int_equal(events_of(b, dev, "device.noncompliant"), 0);
	body = grace_report("d0000000-0000-4000-8000-000000000002", "2026-12-02T10:00:00Z", 1);
	add_batch(b->st, &dev, &body, 1, out);
	free(body);
	assert_int_equal(events_of(b, dev, "device.noncompliant"), 1);
	assert_int_equal(events_of(b, dev, "check.overdue"), 1);
	/* the same again: nothing new */
	body = grace_report("d0000000-0000-4000-8000-000000000003", "2026-12-02T11:00:00Z", 1);
	add_batch(b->st, &dev, &body, 1, out);
	free(body);
	assert_int_equal(events_of(b, dev, "device.noncompliant"), 1);
	assert_int_equal(events_of(b, dev, "check.overdue"), 1);
	body = make_report("d0000000-0000-4000-8000-000000000004", "2026-12-02T12:00:00Z",
	                   "hook.example", ids, pass, 1);
	add_batch(b->st, &dev, &body, 1, out);
	free(body);
	assert_int_equal(events_of(b, dev, "device.compliant"), 1);
	/* stale once (a year from now), not twice; again after it reported */
	assert_true(webhooks_scan_stale(b->st, 7 * 86400, (long long)time(NULL) + 365LL * 86400,
	                                err, sizeof(err)) >= 1);
	assert_int_equal(webhooks_scan_stale(b->st, 7 * 86400,
	                                     (long long)time(NULL) + 365LL * 86400, err,
	                                     sizeof(err)),
	                 0);
	assert_int_equal(events_of(b, dev, "device.stale"), 1);
	body = make_report("d0000000-0000-4000-8000-000000000005", "2026-12-02T13:00:00Z",
	                   "hook.example", ids, pass, 1);
	add_batch(b->st, &dev, &body, 1, out);
	free(body);
	assert_true(webhooks_scan_stale(b->st, 7 * 86400, (long long)time(NULL) + 365LL * 86400,
	                                err, sizeof(err)) >= 1);
	assert_int_equal(events_of(b, dev, "device.stale"), 2);
	assert_int_equal(store_revoke_device(b->st, dev, err, sizeof(err)), 1);
	assert_int_equal(events_of(b, dev, "device.revoked"), 1);
	/* the body a delivery sends, built from the event alone */
	{
		char *text = webhooks_body(42, "check.overdue", dev, "hook.example", "grace",
		                           "d0000000-0000-4000-8000-000000000002",
		                           "2026-12-02T10:00:00Z", "2026-12-02T10:00:01Z");
		char sig[70];

		assert_string_equal(
		    text, "{\"at\":\"2026-12-02T10:00:00Z\",\"check\":\"grace\","
		          "\"created_at\":\"2026-12-02T10:00:01Z\",\"device\":{\"hostname\":"
		          "\"hook.example\",\"id\":\"aaaaaaaa-5555-4555-8555-555555555555\"},"
		          "\"id\":42,\"report_id\":\"d0000000-0000-4000-8000-000000000002\","
		          "\"schema\":\"posture.event/1\",\"type\":\"check.overdue\"}");
		/* RFC 4231 test case 2's key and data, through the v1 framing:
		 * HMAC-SHA256("Jefe", "1.what do ya want for nothing?") as
		 * `openssl dgst -sha256 -hmac Jefe` computes it */
		webhooks_sign("Jefe", 1, "what do ya want for nothing?", sig);
		assert_string_equal(sig, "v1=" HMAC_JEFE);
		free(text);
	}
}

/*
 * What agents see of the hardware and its user: the serial number finds
 * the same machine enrolled twice (the review's duplicate_serials); the
 * user at the console on the most days becomes the owner of a device no
 * one named one for, never over an admin's or the enrollment's.
 */
static void serials_and_console_owners(void **state)
{
	struct backend *b = *state;
	const char *devs[3] = { "cccccccc-0001-4000-8000-000000000001",
		                "cccccccc-0002-4000-8000-000000000002",
		                "cccccccc-0003-4000-8000-000000000003" };
	const char *ids[1] = { "disk" }, *pass[1] = { "pass" };
	const char *users[4] = { "alice", "bob", "alice", "alice" };
	char err[512];
	json_t *review = NULL, *g;
	enum store_outcome out[1];

	for (int d = 0; d < 3; d++)
		for (int day = 0; day < 4; day++) {
			char rid[40], at[32], *body;
			json_t *doc;

			snprintf(rid, sizeof(rid), "e%07d-0000-4000-8000-00000000000%d", d, day);
			snprintf(at, sizeof(at), "2026-12-0%dT09:00:00Z", day + 1);
			body = make_report(rid, at, "twin.example", ids, pass, 1);
			doc = json_loads(body, 0, NULL);
			free(body);
			/* the first two are one machine */
			json_object_set_new(json_object_get(doc, "device"), "serial",
			                    json_string(d < 2 ? "PF3ABCDE" : "C02XK0ZZJGH5"));
			json_object_set_new(json_object_get(doc, "device"), "console_user",
			                    json_string(users[day]));
			body = json_dumps(doc, JSON_COMPACT);
			json_decref(doc);
			add_batch(b->st, &devs[d], &body, 1, out);
			assert_int_equal(out[0], STORE_STORED);
			free(body);
		}
	assert_int_equal(fleet_review(b->st, 3650LL * 86400, 0, &review, err, sizeof(err)), 0);
	g = json_array_get(json_object_get(review, "duplicate_serials"), 0);
	if (json_array_size(json_object_get(review, "duplicate_serials")) != 1 ||
	    strcmp(json_string_value(json_object_get(g, "serial")), "PF3ABCDE") != 0 ||
	    json_array_size(json_object_get(g, "devices")) != 2)
		fail_msg("expected one serial enrolled twice (PF3ABCDE, 2 devices)");
	json_decref(review);
	/* an admin named the third's owner: it stays */
	assert_int_equal(store_set_owner(b->st, devs[2], "carol@example.com", err, sizeof(err)), 1);
	assert_true(store_owners_from_console(b->st, "2026-12-01", err, sizeof(err)) >= 2);
	{
		const char *a[1] = { devs[0] };
		struct db_rows *r;

		assert_int_equal(db_query(store_db(b->st),
		                          "SELECT owner, owner_source FROM devices WHERE id = ?1",
		                          a, 1, &r, err, sizeof(err)),
		                 0);
		assert_int_equal(db_next(r, err, sizeof(err)), 1);
		assert_string_equal(db_text(r, 0), "alice");
		assert_string_equal(db_text(r, 1), "console");
		db_rows_free(r);
		a[0] = devs[2];
		assert_int_equal(db_query(store_db(b->st),
		                          "SELECT owner, owner_source FROM devices WHERE id = ?1",
		                          a, 1, &r, err, sizeof(err)),
		                 0);
		assert_int_equal(db_next(r, err, sizeof(err)), 1);
		assert_string_equal(db_text(r, 0), "carol@example.com");
		assert_string_equal(db_text(r, 1), "admin");
		db_rows_free(r);
	}
	/* nothing more to change a second time */
	assert_int_equal(store_owners_from_console(b->st, "2026-12-01", err, sizeof(err)), 0);
}

static void reopen_is_idempotent(void **state)
{
	struct backend *b = *state;
	struct store *again = NULL;
	char err[512];

	assert_int_equal(store_open(b->spec, 0, &again, err, sizeof(err)), 0);
	assert_int_equal(store_policy_version(again), 0);
	store_close(again);
}

/* The ids fleet_inventory lists for Q, in order, joined by spaces (the
 * first letter of each: A, B, C, D), and its total; -2 when it refused Q. */
static long long listed(struct store *st, const struct fleet_inventory_query *q, char *out,
                        size_t out_len)
{
	json_t *doc = NULL, *d;
	char err[512];
	size_t i, n = 0;
	long long total;
	int rc = fleet_inventory(st, q, &doc, err, sizeof(err));

	out[0] = '\0';
	if (rc != 0)
		return rc;
	json_array_foreach (json_object_get(doc, "devices"), i, d) {
		const char *id = json_string_value(json_object_get(d, "id"));

		n += (size_t)snprintf(out + n, out_len - n, "%s%c", n ? " " : "",
		                      id[0] == '1'   ? 'A'
		                      : id[0] == '2' ? 'B'
		                      : id[0] == '3' ? 'C'
		                                     : 'D');
	}
	total = json_integer_value(json_object_get(doc, "total"));
	json_decref(doc);
	return total;
}

/* The inventory over fleet_figures' devices (A, B and C compliant, A's
 * disk fixed in its newest report; D revoked): every active device, hostname first; words
 * searched as text (SQL's and LIKE's metacharacters are data); states; a
 * check's status; sorting both ways; pages. And one device's checks carry
 * their evidence from its newest report. */
static void inventory_and_evidence(void **state)
{
	struct backend *b = *state;
	struct fleet_inventory_query q = { .stale_seconds = 3 * 86400 };
	char ids[64];
	json_t *dev = NULL, *c;
	char err[512];

	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 3);
	assert_string_equal(ids, "A B C"); /* a.example, b.example, c.example */
	q.descending = 1;
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 3);
	assert_string_equal(ids, "C B A");
	q.descending = 0;
	q.per_page = 1;
	q.page = 2;
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 3);
	assert_string_equal(ids, "B");
	q.per_page = q.page = 0;
	q.q = "example";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 3);
	q.q = "EXAMPLE  C.EX"; /* words, any case, each found */
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 1);
	assert_string_equal(ids, "C");
	q.q = "_";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 0);
	q.q = "%";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 0);
	q.q = "'); DROP TABLE devices;--";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 0);
	q.q = "44444444"; /* D's id: revoked, so not among the active */
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 0);
	q.state = "revoked";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 1);
	assert_string_equal(ids, "D");
	q.q = NULL;
	q.state = "compliant";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 3);
	q.state = "noncompliant";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 0);
	q.state = "never";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 0);
	q.state = "bogus";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), -2);
	q.state = NULL;
	q.check = "disk";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 0); /* A fixed it */
	q.status = "pass";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 3);
	q.check = "screen";
	q.status = "failing";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 0);
	q.check = "no-such-check";
	q.status = "pass";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 0);
	q.status = "passing";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), -2);
	q.check = q.status = NULL;
	q.sort = "last_report";
	q.descending = 1;
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), 3);
	assert_true(ids[0] == 'A'); /* A reported last */
	q.descending = 0;
	q.sort = "name; DROP TABLE devices";
	assert_int_equal(listed(b->st, &q, ids, sizeof(ids)), -2);
	/* evidence: A's checks as its newest report says them */
	assert_int_equal(fleet_device(b->st, DEV_A, 10, &dev, err, sizeof(err)), 1);
	assert_string_equal(json_string_value(json_object_get(dev, "evidence_report")),
	                    "aaaaaaaa-0000-4000-8000-000000000002");
	c = json_array_get(json_object_get(dev, "checks"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "check")),
	                    "chk\"; DELETE FROM latest; --,=1+1<b>");
	assert_string_equal(json_string_value(json_object_get(c, "title")), hostile_check);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "observed"), "n")),
	                 2);
	/* its state changes: three first states, then disk fail -> pass and
	 * screen error -> pass; the reports that changed nothing added none */
	{
		json_t *ch = json_object_get(dev, "changes"), *x;
		size_t i;
		int firsts = 0, disk = 0, screen = 0;

		json_array_foreach (ch, i, x) {
			const char *check = json_string_value(json_object_get(x, "check"));
			const char *from = json_string_value(json_object_get(x, "from"));
			const char *to = json_string_value(json_object_get(x, "to"));

			firsts += from == NULL;
			disk += from && strcmp(check, "disk") == 0 && strcmp(from, "fail") == 0 &&
			        strcmp(to, "pass") == 0;
			screen += from && strcmp(check, "screen") == 0 &&
			          strcmp(from, "error") == 0 && strcmp(to, "pass") == 0;
		}
		if (json_array_size(ch) != 5 || firsts != 3 || disk != 1 || screen != 1)
			fail_msg("expected A's changes: 3 first states, disk fail->pass, screen "
			         "error->pass; came %zu",
			         json_array_size(ch));
	}
	json_decref(dev);
}

/* The audit chain on this store: appended entries verify; an entry
 * changed in the database breaks the chain there. */
static void audit_chain_holds(void **state)
{
	struct backend *b = *state;
	json_t *doc = NULL, *brk;
	char err[512];
	const char *a[1] = { NULL };

	assert_int_equal(store_audit_append(b->st, "test", "policy.publish", "baseline",
	                                    "{\"version\":1}", err, sizeof(err)),
	                 1);
	assert_int_equal(
	    store_audit_append(b->st, "test", "device.revoke", DEV_D, NULL, err, sizeof(err)), 2);
	assert_int_equal(
	    store_audit_append(b->st, "test", "export", "stdout", "{\"rows\":3}", err, sizeof(err)),
	    3);
	assert_int_equal(store_audit(b->st, NULL, 1, &doc, err, sizeof(err)), 0);
	assert_int_equal(json_array_size(json_object_get(doc, "entries")), 3);
	assert_true(json_is_true(json_object_get(doc, "verified")));
	json_decref(doc);
	assert_int_equal(db_exec(store_db(b->st),
	                         "UPDATE audit SET actor = 'someone' WHERE seq = 2", a, 0, NULL,
	                         err, sizeof(err)),
	                 0);
	assert_int_equal(store_audit(b->st, NULL, 1, &doc, err, sizeof(err)), 0);
	assert_true(json_is_false(json_object_get(doc, "verified")));
	brk = json_object_get(doc, "break");
	assert_int_equal(json_integer_value(json_object_get(brk, "seq")), 2);
	json_decref(doc);
}

/* store_seal_fn for the test: an envelope naming its serial, or a failure
 * when ARG says so */
static int test_seal(void *arg, long long serial, char **envelope, char *err, size_t err_len)
{
	char text[64];

	if (arg != NULL) {
		snprintf(err, err_len, "the key is gone");
		return -1;
	}
	snprintf(text, sizeof(text), "{\"serial\":%lld}", serial);
	*envelope = strdup(text);
	return 0;
}

/* Release feeds in the store: serials grow across names, a name's newer
 * feed replaces its older one, a seal that fails stores nothing and uses
 * no serial, and the mark moves with every feed stored. */
static void feeds_serials_grow(void **state)
{
	struct backend *b = *state;
	struct store_feed f = { .name = "chrome-mac.json",
		                .feed_format = "chrome-versionhistory",
		                .fetched_at = "2026-12-01T00:00:00Z",
		                .sha256 = "00",
		                .source = "import chrome-mac.json" };
	json_t *list = NULL;
	char err[512];

	assert_int_equal(store_feeds_mark(b->st), 0);
	assert_int_equal(store_add_feed(b->st, &f, test_seal, NULL, err, sizeof(err)), 1);
	f.name = "edge.json";
	assert_int_equal(store_add_feed(b->st, &f, test_seal, NULL, err, sizeof(err)), 2);
	f.name = "chrome-mac.json";
	f.fetched_at = "2026-12-02T00:00:00Z";
	assert_int_equal(store_add_feed(b->st, &f, test_seal, NULL, err, sizeof(err)), 3);
	assert_int_equal(store_add_feed(b->st, &f, test_seal, (void *)1, err, sizeof(err)), -1);
	assert_string_equal(err, "the key is gone");
	assert_int_equal(store_feeds_mark(b->st), 3);
	assert_int_equal(store_feeds(b->st, 1, &list, err, sizeof(err)), 0);
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "name")),
	                    "chrome-mac.json");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "serial")), 3);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(list, 0), "fetched_at")),
	    "2026-12-02T00:00:00Z");
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "envelope")),
	                    "{\"serial\":3}");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 1), "serial")), 2);
	json_decref(list);
	/* the next serial follows the highest ever issued */
	f.name = "firefox_versions.json";
	assert_int_equal(store_add_feed(b->st, &f, test_seal, NULL, err, sizeof(err)), 4);
}

static void time_parsing(void **state)
{
	char out[24];

	(void)state;
	assert_int_equal(fleet_parse_time("2026-11-01", out), 0);
	assert_string_equal(out, "2026-11-01T00:00:00Z");
	assert_int_equal(fleet_parse_time("2026-11-01T01:30:00+02:00", out), 0);
	assert_string_equal(out, "2026-10-31T23:30:00Z");
	assert_int_equal(fleet_parse_time("2026-13-01", out), -1);
	assert_int_equal(fleet_parse_time("yesterday", out), -1);
	assert_int_equal(fleet_parse_duration("7d"), 7 * 86400);
	assert_int_equal(fleet_parse_duration("12h"), 12 * 3600);
	assert_int_equal(fleet_parse_duration("90"), 90);
	/* the policy's grammar: weeks and sums too (--stale 2w was refused) */
	assert_int_equal(fleet_parse_duration("2w"), 14 * 86400);
	assert_int_equal(fleet_parse_duration("1d12h"), 36 * 3600);
	assert_int_equal(fleet_parse_duration("7y"), -1);
	assert_int_equal(fleet_parse_duration("-1d"), -1);
	assert_int_equal(fleet_parse_duration(""), -1);
	assert_int_equal(fleet_parse_duration("101000w"), -1);
}

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = {
		cmocka_unit_test(time_parsing),
		cmocka_unit_test(fleet_figures),
		cmocka_unit_test(inventory_and_evidence), /* on fleet_figures' devices */
		cmocka_unit_test(one_bad_report_fails_alone),
		cmocka_unit_test(bodies_kept_whole),
		cmocka_unit_test(latest_moves_on_change),
		cmocka_unit_test(latest_trusts_only_itself),
		cmocka_unit_test(bodies_against_bases),
		cmocka_unit_test(reopen_is_idempotent),
		cmocka_unit_test(feeds_serials_grow),
		cmocka_unit_test(audit_chain_holds),
		cmocka_unit_test(lifecycle_prunes_and_rolls_up),
		cmocka_unit_test(webhook_events_recorded),
		cmocka_unit_test(serials_and_console_owners),
	};
	const struct CMUnitTest pg_tests[] = {
		cmocka_unit_test(fleet_figures),
		cmocka_unit_test(inventory_and_evidence), /* on fleet_figures' devices */
		cmocka_unit_test(one_bad_report_fails_alone),
		cmocka_unit_test(bodies_kept_whole),
		cmocka_unit_test(latest_moves_on_change),
		cmocka_unit_test(latest_trusts_only_itself),
		cmocka_unit_test(bodies_against_bases),
		cmocka_unit_test(reopen_is_idempotent),
		cmocka_unit_test(reconnects),
		cmocka_unit_test(feeds_serials_grow),
		cmocka_unit_test(audit_chain_holds),
		cmocka_unit_test(lifecycle_prunes_and_rolls_up),
		cmocka_unit_test(webhook_events_recorded),
		cmocka_unit_test(serials_and_console_owners),
	};
	int failed = 0;

	failed +=
	    cmocka_run_group_tests_name("fleet on SQLite", sqlite_tests, setup_sqlite, teardown);
	failed += cmocka_run_group_tests_name("fleet on PostgreSQL", pg_tests, setup_pg, teardown);
	return failed;
}
