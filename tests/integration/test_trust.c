/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Attacks on the collector's trust, each against the real collector with
 * clients nobody here wrote (curl, openssl s_client, openssl req):
 * enrollment taking over an enrolled device, a report dated in the future,
 * report_id squatting across devices, revocation holes, field bounds, TLS
 * session resumption, and failed attempts that leave no trace.
 */
#include "testutil.h"

#include <jansson.h>
#include <signal.h>
#include <sqlite3.h>
#include <time.h>

static char *dir, data[4200], secret[128], ca[4300], id_a[64], id_b[64];
static int port_no;
static pid_t server;

static const char *bin(const char *name)
{
	static char path[2][4200];
	static int n;
	const char *b = getenv("BUILD");
	char *p = path[n++ % 2];

	snprintf(p, 4200, "%s/%s", b && *b ? b : "build", name);
	return p;
}

/* The device id an agent state directory was enrolled as. */
static void device_id_of(const char *state, char out[64])
{
	char path[4300], *rec;

	snprintf(path, sizeof(path), "%s/%s/enrollment.json", dir, state);
	rec = tu_slurp(path);
	assert_non_null(rec);
	assert_int_equal(sscanf(strstr(rec, "\"device_id\"") + strlen("\"device_id\""),
	                        " : \"%63[0-9a-f-]", out),
	                 1);
	free(rec);
}

/* posture enroll into DIR/STATE; the exit code, stderr in *ERR (may be
 * NULL). */
static int enroll(const char *state, const char *with_secret, char **err)
{
	char url[64], state_dir[4300];
	char *argv[] = { (char *)tu_posture(),
		         "enroll",
		         "--config",
		         "/dev/null",
		         "--server",
		         url,
		         "--ca",
		         ca,
		         "--state-dir",
		         state_dir,
		         "--secret",
		         (char *)with_secret,
		         NULL };

	snprintf(url, sizeof(url), "https://localhost:%d", port_no);
	snprintf(state_dir, sizeof(state_dir), "%s/%s", dir, state);
	return tu_run(argv, NULL, err);
}

/* A body for POST /v1/enroll: SECRET (or none), a new P-256 key's CSR made
 * by openssl req, DEVICE_ID; written to DIR/NAME, "@path" into AT. */
static void enroll_body(const char *name, const char *with_secret, const char *device_id,
                        char at[4400])
{
	char cmd[9000], csr_path[4300], *csr;
	char *sh[] = { "sh", "-c", cmd, NULL };
	json_t *doc;
	char *text;

	snprintf(csr_path, sizeof(csr_path), "%s/%s.csr", dir, name);
	snprintf(cmd, sizeof(cmd),
	         "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
	         "-keyout %s/%s.key -subj /CN=anything -out %s",
	         dir, name, csr_path);
	assert_int_equal(tu_run(sh, NULL, NULL), 0);
	csr = tu_slurp(csr_path);
	doc = json_pack("{s:s, s:s, s:s}", "csr", csr, "hostname", "attacker", "device_id",
	                device_id);
	if (with_secret)
		json_object_set_new(doc, "secret", json_string(with_secret));
	text = json_dumps(doc, JSON_COMPACT);
	tu_write(dir, name, text);
	snprintf(at, 4400, "@%s/%s", dir, name);
	free(text);
	free(csr);
	json_decref(doc);
}

/* Enrolls DEVICE_ID with the secret over curl, its key and certificate
 * into DIR/STATE/device.{key,crt}, as posture enroll would leave them. */
static void enroll_by_hand(const char *state, const char *device_id)
{
	char at[4400], url[128], out[4300], name[64], path[4300], cmd[9000], *body;
	char *sh[] = { "sh", "-c", cmd, NULL };
	json_t *doc;

	snprintf(name, sizeof(name), "%s-enroll.json", state);
	enroll_body(name, secret, device_id, at);
	snprintf(url, sizeof(url), "https://localhost:%d/v1/enroll", port_no);
	snprintf(out, sizeof(out), "%s/curl.out", dir);
	assert_int_equal(tu_curl(url, ca, NULL, NULL, "POST", at, NULL, 0, out, &body), 200);
	doc = json_loads(body, 0, NULL);
	free(body);
	assert_non_null(doc);
	snprintf(path, sizeof(path), "%s/%s", dir, state);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/device.crt", state);
	tu_write(dir, path, json_string_value(json_object_get(doc, "certificate")));
	json_decref(doc);
	snprintf(cmd, sizeof(cmd), "cp %s/%s.key %s/%s/device.key", dir, name, dir, state);
	assert_int_equal(tu_run(sh, NULL, NULL), 0);
}

static int setup(void **state)
{
	(void)state;
	dir = tu_mkdtemp();
	snprintf(ca, sizeof(ca), "%s/data/ca.pem", dir);
	port_no = 23000 + (int)(getpid() % 1500) * 2;
	{
		char metrics_addr[64];
		char *extra[] = { "--rate-limit", "0", "--metrics-listen", metrics_addr, NULL };

		snprintf(metrics_addr, sizeof(metrics_addr), "127.0.0.1:%d", port_no + 1);
		server =
		    tu_collector_start(bin("posture-collector"), dir, port_no, extra, data, secret);
	}
	assert_int_equal(enroll("a", secret, NULL), 0);
	device_id_of("a", id_a);
	/* this machine has one device id (from its machine-id): the second
	 * device enrolls by hand, as another machine would */
	snprintf(id_b, sizeof(id_b), "0b0b0b0b-1c1c-4d4d-8e8e-%012x", (unsigned)getpid());
	enroll_by_hand("b", id_b);
	return 0;
}

static int teardown(void **state)
{
	int status = 0;

	(void)state;
	kill(server, SIGTERM);
	waitpid(server, &status, 0);
	tu_rm_rf(dir);
	free(dir);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return 0;
}

/* METHOD PATH as device STATE ("a", "b"; NULL: no certificate), with the
 * body DATA_FILE ("@path") and HEADER, each optional. */
static int curl_as(const char *device, const char *method, const char *path, const char *data_file,
                   const char *header, char **body)
{
	char url[256], cert[4300], key[4300], out[4300];

	snprintf(url, sizeof(url), "https://localhost:%d%s", port_no, path);
	snprintf(cert, sizeof(cert), "%s/%s/device.crt", dir, device ? device : "");
	snprintf(key, sizeof(key), "%s/%s/device.key", dir, device ? device : "");
	snprintf(out, sizeof(out), "%s/curl.out", dir);
	return tu_curl(url, ca, device ? cert : NULL, key, method, data_file, header, 0, out, body);
}

static char *serve_log(void)
{
	char path[4300];

	snprintf(path, sizeof(path), "%s/serve.log", dir);
	return tu_slurp(path);
}

static long long count(const char *sql, const char *arg)
{
	char path[4300];
	sqlite3 *db;
	sqlite3_stmt *q;
	long long n = -1;

	snprintf(path, sizeof(path), "%s/collector.db", data);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	if (arg)
		sqlite3_bind_text(q, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

/*
 * 1. The enrollment secret does not take over an enrolled device id: 409,
 * logged with the address, the device's certificate serial unchanged. An
 * admin's `device reenroll` lets it through once (logged); the device's
 * own certificate renews without approval.
 */
static void enrollment_cannot_take_over(void **state)
{
	char at[4400], *body, *log, *out = NULL;
	char before[128] = "";

	(void)state;
	{
		char path[4300];
		sqlite3 *db;
		sqlite3_stmt *q;

		snprintf(path, sizeof(path), "%s/collector.db", data);
		assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
		sqlite3_prepare_v2(db, "SELECT cert_serial FROM devices WHERE id = ?1", -1, &q,
		                   NULL);
		sqlite3_bind_text(q, 1, id_a, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		snprintf(before, sizeof(before), "%s", sqlite3_column_text(q, 0));
		sqlite3_finalize(q);
		sqlite3_close(db);
	}
	enroll_body("takeover.json", secret, id_a, at);
	assert_int_equal(curl_as(NULL, "POST", "/v1/enroll", at, NULL, &body), 409);
	assert_true(
	    tu_matches("is already enrolled: the enrollment secret cannot take over", body));
	free(body);
	{
		char sql[256];

		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM devices WHERE id = ?1 AND cert_serial = '%s'",
		         before);
		assert_int_equal(count(sql, id_a), 1);
	}
	log = serve_log();
	assert_true(tu_matches("enrollment from 127\\.0\\.0\\.1: refused \\(HTTP 409\\)", log));
	assert_true(tu_matches("enrollment from 127\\.0\\.0\\.1: issued certificate [0-9A-F]+ to "
	                       "device [0-9a-f-]+ \\(new device\\)",
	                       log));
	free(log);

	/* the device itself renews with its current certificate, secret or not */
	enroll_body("renew.json", secret, id_a, at);
	assert_int_equal(curl_as("a", "POST", "/v1/enroll", at, NULL, &body), 200);
	free(body);

	/* an admin approves one re-enrollment */
	{
		char *argv[] = { (char *)bin("posture-collector"),
			         "device",
			         "reenroll",
			         "--dir",
			         data,
			         id_b,
			         NULL };

		assert_int_equal(tu_run(argv, &out, NULL), 0);
		assert_true(tu_matches("may enroll again with the enrollment secret, once", out));
		free(out);
	}
	enroll_body("approved.json", secret, id_b, at);
	assert_int_equal(curl_as(NULL, "POST", "/v1/enroll", at, NULL, &body), 200);
	free(body);
	enroll_body("again.json", secret, id_b, at);
	assert_int_equal(curl_as(NULL, "POST", "/v1/enroll", at, NULL, &body), 409);
	free(body);
	log = serve_log();
	assert_true(tu_matches("re-enrollment an admin approved", log));
	free(log);
	/* b's first certificate is still valid (renewed or re-enrolled
	 * devices' older certificates expire; only revoked ones are refused):
	 * the tests below speak as b with it */
}

/* The agent's own report for this machine, as a JSON document. */
static json_t *a_report(void)
{
	char *argv[] = { (char *)tu_posture(),    "check", "--format", "json", "--policy",
		         "policies/baseline.ini", NULL };
	char *text = NULL;
	json_t *doc;

	tu_run(argv, &text, NULL);
	doc = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(doc);
	return doc;
}

static void utc_in(long seconds, char out[32])
{
	time_t t = time(NULL) + seconds;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* DOC with a new report_id (or ID) and generated_at AT, into DIR/NAME;
 * "@path" into FILE. */
static void write_report(json_t *doc, const char *name, const char *id, const char *at,
                         char file[4400])
{
	char rid[64];
	char *text;

	if (id == NULL) {
		unsigned r[4];
		FILE *f = fopen("/dev/urandom", "r");

		assert_int_equal(fread(r, sizeof(r), 1, f), 1);
		fclose(f);
		snprintf(rid, sizeof(rid), "%08x-%04x-4%03x-8%03x-%04x%08x", r[0], r[1] & 0xffff,
		         r[1] >> 20, r[2] & 0xfff, r[2] >> 16, r[3]);
		id = rid;
	}
	json_object_set_new(doc, "report_id", json_string(id));
	if (at)
		json_object_set_new(doc, "generated_at", json_string(at));
	text = json_dumps(doc, JSON_COMPACT);
	tu_write(dir, name, text);
	free(text);
	snprintf(file, 4400, "@%s/%s", dir, name);
}

/*
 * 2. A report dated in 2099 is refused (400, the reason, counted); one
 * dated five minutes ahead is stored but ranks as received, so the next
 * real report still moves the device's state.
 */
static void reports_from_the_future(void **state)
{
	json_t *doc = a_report();
	char file[4400], at[32], *body;

	(void)state;
	write_report(doc, "future.json", NULL, "2099-01-01T00:00:00Z", file);
	assert_int_equal(curl_as("a", "POST", "/v1/reports", file, NULL, &body), 400);
	assert_true(tu_matches("ahead of the collector's clock", body));
	free(body);
	/* /metrics: 401 without the admin token on the main address; 200
	 * without one on --metrics-listen's */
	assert_int_equal(curl_as(NULL, "GET", "/metrics", NULL, NULL, &body), 401);
	free(body);
	port_no++;
	assert_int_equal(curl_as(NULL, "GET", "/metrics", NULL, NULL, &body), 200);
	port_no--;
	assert_true(tu_prom_sample(body, "posture_reports_rejected_total{reason=\"future\"}") == 1);
	free(body);

	utc_in(300, at);
	write_report(doc, "ahead.json", NULL, at, file);
	assert_int_equal(curl_as("a", "POST", "/v1/reports", file, NULL, &body), 201);
	free(body);
	/* stored as claimed, ranked as received */
	assert_int_equal(count("SELECT count(*) FROM devices WHERE id = ?1 AND "
	                       "last_generated_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
	                       id_a),
	                 1);
	sleep(1); /* the next report must be dated after the last one arrived */
	utc_in(0, at);
	write_report(doc, "now.json", NULL, at, file);
	assert_int_equal(curl_as("a", "POST", "/v1/reports", file, NULL, &body), 201);
	free(body);
	{
		char sql[256];

		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM devices WHERE id = ?1 AND last_generated_at = '%s'",
		         at);
		assert_int_equal(count(sql, id_a), 1);
	}
	json_decref(doc);
}

/* 3. Device b sends a's next report_id first; a's report is still stored
 * (201, not 200 "already"), and each is stored under its own device. */
static void report_ids_are_per_device(void **state)
{
	static const char rid[] = "6d7f3b0a-1c2e-4f5a-9b8c-0d1e2f3a4b5c";
	json_t *doc = a_report();
	char file[4400], *body;

	(void)state;
	write_report(doc, "squat.json", rid, NULL, file);
	assert_int_equal(curl_as("b", "POST", "/v1/reports", file, NULL, &body), 201);
	free(body);
	assert_int_equal(curl_as("a", "POST", "/v1/reports", file, NULL, &body), 201);
	assert_string_equal(body, "{\"stored\":\"now\"}");
	free(body);
	/* a's own retry is still a duplicate */
	assert_int_equal(curl_as("a", "POST", "/v1/reports", file, NULL, &body), 200);
	free(body);
	assert_int_equal(
	    count("SELECT count(DISTINCT device_id) FROM reports WHERE report_id = ?1", rid), 2);
	json_decref(doc);
}

/* 5. Bounds: a 900 KB hostname and 2026-02-31 are refused, each saying
 * which field is wrong. */
static void nonsense_is_refused(void **state)
{
	json_t *doc = a_report();
	char file[4400], *body, *big = malloc(900 * 1024 + 1);

	(void)state;
	memset(big, 'h', 900 * 1024);
	big[900 * 1024] = '\0';
	json_object_set_new(json_object_get(doc, "device"), "hostname", json_string(big));
	free(big);
	write_report(doc, "hostname.json", NULL, NULL, file);
	assert_int_equal(curl_as("a", "POST", "/v1/reports", file, NULL, &body), 400);
	assert_true(tu_matches("device.hostname.*at most 255 bytes", body));
	free(body);
	json_decref(doc);
	doc = a_report();
	write_report(doc, "feb31.json", NULL, "2026-02-31T10:00:00Z", file);
	assert_int_equal(curl_as("a", "POST", "/v1/reports", file, NULL, &body), 400);
	assert_true(tu_matches("generated_at must be an RFC 3339 time", body));
	free(body);
	json_decref(doc);
}

/* 5. A report's checks are the published policy's: one made-up check added
 * to a report of it is refused; a report of a policy the collector did not
 * publish may carry at most 256 checks (8,000 made-up ones are refused). */
static void made_up_checks_are_refused(void **state)
{
	json_t *doc = a_report(), *results, *summary;
	char file[4400], *body;

	(void)state;
	results = json_object_get(doc, "results");
	summary = json_object_get(doc, "summary");
	json_array_append_new(results, json_pack("{s:s, s:s, s:s}", "id", "made-up", "type",
	                                         "file_content", "status", "skip"));
	json_object_set_new(summary, "skip",
	                    json_integer(json_integer_value(json_object_get(summary, "skip")) + 1));
	write_report(doc, "madeup.json", NULL, NULL, file);
	assert_int_equal(curl_as("a", "POST", "/v1/reports", file, NULL, &body), 400);
	if (!tu_matches("check 'made-up' is not in the published policy", body))
		fprintf(stderr, "expected the made-up check refused; got %s\n", body);
	assert_true(tu_matches("check 'made-up' is not in the published policy", body));
	free(body);
	json_decref(doc);

	/* another policy, 8,000 checks */
	doc = a_report();
	results = json_array();
	for (int i = 0; i < 8000; i++) {
		char id[32];

		snprintf(id, sizeof(id), "fake-%d", i);
		json_array_append_new(results, json_pack("{s:s, s:s, s:s}", "id", id, "type",
		                                         "file_content", "status", "pass"));
	}
	json_object_set_new(doc, "results", results);
	json_object_set_new(doc, "compliant", json_true());
	json_object_set_new(
	    doc, "summary",
	    json_pack("{s:i, s:i, s:i, s:i}", "pass", 8000, "fail", 0, "error", 0, "skip", 0));
	json_object_set_new(json_object_get(doc, "policy"), "sha256",
	                    json_string("00000000000000000000000000000000000000000000000000000000"
	                                "00000000"));
	write_report(doc, "fake8000.json", NULL, NULL, file);
	assert_int_equal(curl_as("a", "POST", "/v1/reports", file, NULL, &body), 400);
	assert_true(tu_matches("8000 checks; a report of a policy this collector did not publish "
	                       "may carry at most 256",
	                       body));
	free(body);
	json_decref(doc);
	assert_int_equal(count("SELECT count(*) FROM latest WHERE check_id LIKE 'fake-%'", NULL),
	                 0);
}

/* The serial of the certificate STATE/device.crt, by openssl. */
static char *serial_of(const char *path)
{
	char cmd[9000], *serial = NULL;
	char *sh[] = { "sh", "-c", cmd, NULL };

	snprintf(cmd, sizeof(cmd), "openssl x509 -in %s -noout -serial | cut -d= -f2", path);
	assert_int_equal(tu_run(sh, &serial, NULL), 0);
	serial[strcspn(serial, "\n")] = '\0';
	assert_true(strlen(serial) > 8);
	return serial;
}

/* Whether the CRL the collector serves now names SERIAL (openssl checks
 * its signature). */
static int crl_names(const char *serial)
{
	char cmd[9000], *text = NULL, *body;
	char *sh[] = { "sh", "-c", cmd, NULL };
	int found;

	assert_int_equal(curl_as(NULL, "GET", "/v1/crl", NULL, NULL, &body), 200);
	free(body);
	snprintf(cmd, sizeof(cmd),
	         "openssl crl -inform DER -in %s/curl.out -CAfile %s -noout -text 2>&1", dir, ca);
	assert_int_equal(tu_run(sh, &text, NULL), 0);
	assert_true(tu_matches("verify OK", text));
	found = strstr(text, serial) != NULL;
	free(text);
	return found;
}

/*
 * 4. Revocation: a revoked certificate gets 403 from /v1/policy too; its
 * serial stays on the CRL after the device is re-enrolled.
 */
static void revocation_has_no_holes(void **state)
{
	char path[4300], at[4400], *serial, *body;

	(void)state;
	snprintf(path, sizeof(path), "%s/a/device.crt", dir);
	serial = serial_of(path);
	assert_int_equal(curl_as("a", "GET", "/v1/policy", NULL, NULL, &body), 200);
	free(body);
	{
		char *argv[] = { (char *)bin("posture-collector"),
			         "device",
			         "revoke",
			         "--dir",
			         data,
			         id_a,
			         NULL };

		assert_int_equal(tu_run(argv, NULL, NULL), 0);
	}
	assert_int_equal(curl_as("a", "GET", "/v1/policy", NULL, NULL, &body), 403);
	assert_true(tu_matches("revoked", body));
	free(body);
	assert_true(crl_names(serial));
	/* approved, then enrolled again with the secret: a new certificate;
	 * the revoked one stays on the CRL */
	{
		char *argv[] = { (char *)bin("posture-collector"),
			         "device",
			         "reenroll",
			         "--dir",
			         data,
			         id_a,
			         NULL };

		assert_int_equal(tu_run(argv, NULL, NULL), 0);
	}
	enroll_body("back.json", secret, id_a, at);
	assert_int_equal(curl_as(NULL, "POST", "/v1/enroll", at, NULL, &body), 200);
	free(body);
	assert_int_equal(count("SELECT revoked FROM devices WHERE id = ?1", id_a), 0);
	assert_true(crl_names(serial));
	free(serial);
}

/*
 * 8. TLS session resumption: openssl s_client saves the session of one
 * connection (TLS 1.2 session id, TLS 1.3 ticket) and resumes it on the
 * next, and the resumed connection is still the device (its policy, 200).
 */
static void sessions_resume(void **state)
{
	static const char *const versions[] = { "-tls1_2", "-tls1_3" };

	(void)state;
	for (int v = 0; v < 2; v++) {
		char cmd[9000], *out = NULL;
		char *sh[] = { "sh", "-c", cmd, NULL };

		snprintf(cmd, sizeof(cmd),
		         "cd %s && req='GET /v1/policy HTTP/1.1\\r\\nHost: localhost\\r\\n"
		         "Connection: close\\r\\n\\r\\n'; "
		         "printf \"$req\" | openssl s_client %s -connect 127.0.0.1:%d "
		         "-servername localhost -CAfile %s -cert b/device.crt -key b/device.key "
		         "-sess_out sess -ign_eof >first.out 2>&1; "
		         "printf \"$req\" | openssl s_client %s -connect 127.0.0.1:%d "
		         "-servername localhost -CAfile %s -cert b/device.crt -key b/device.key "
		         "-sess_in sess -ign_eof 2>&1",
		         dir, versions[v], port_no, ca, versions[v], port_no, ca);
		tu_run(sh, &out, NULL);
		if (!tu_matches("Reused, TLSv1\\.[23]", out) || !tu_matches("HTTP/1\\.1 200", out))
			fprintf(stderr,
			        "%s: expected a reused session answered 200; s_client said:\n%s\n",
			        versions[v], out);
		assert_true(tu_matches("Reused, TLSv1\\.[23]", out));
		assert_true(tu_matches("HTTP/1\\.1 200", out));
		free(out);
	}
}

/* 6. --http1-only: a second collector on the same store offers no HTTP/2
 * (curl asking for it gets HTTP/1.1), so no stream can be reset. The first
 * speaks HTTP/2. */
static void http1_only_offers_no_http2(void **state)
{
	char listen_addr[64], cmd[9000], *out = NULL;
	char *sh[] = { "sh", "-c", cmd, NULL };
	int port = port_no + 3;
	pid_t second;

	(void)state;
	snprintf(listen_addr, sizeof(listen_addr), "127.0.0.1:%d", port);
	second = fork();
	if (second == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 2);
		execl(bin("posture-collector"), bin("posture-collector"), "serve", "--dir", data,
		      "--listen", listen_addr, "--http1-only", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && !tu_can_connect(port); i++)
		usleep(10000);
	assert_true(tu_can_connect(port));
	snprintf(cmd, sizeof(cmd),
	         "curl -s -o /dev/null --http2 --cacert %s -w '%%{http_version} ' "
	         "https://localhost:%d/v1/crl; curl -s -o /dev/null --http2 --cacert %s -w "
	         "'%%{http_version}' https://localhost:%d/v1/crl",
	         ca, port_no, ca, port);
	assert_int_equal(tu_run(sh, &out, NULL), 0);
	if (strcmp(out, "2 1.1") != 0)
		fprintf(stderr,
		        "expected HTTP/2 from the first collector and 1.1 from the "
		        "--http1-only one ('2 1.1'); got '%s'\n",
		        out);
	assert_string_equal(out, "2 1.1");
	free(out);
	kill(second, SIGTERM);
	waitpid(second, NULL, 0);
}

/*
 * 7. Slow HTTP/2 bodies from connections without a client certificate:
 * bench/slow_bodies.py (python3-h2) opens 6 of them with 100 POST
 * /v1/enroll streams each, announcing 1 MB and trickling, then 31 KB
 * bodies held one byte short; the collector grows by less than 64 MB
 * (it grew by 280 MB before such connections were held to 32 KiB a body).
 */
static void slow_bodies_are_bounded(void **state)
{
	char cmd[9000], *out = NULL;
	char *sh[] = { "sh", "-c", cmd, NULL };
	int rc;

	(void)state;
	if (system("/usr/bin/python3 -c 'import h2' 2>/dev/null") != 0) {
		fprintf(stderr, "SKIP: python3-h2 is not installed (scripts/install-deps.sh)\n");
		skip();
	}
	snprintf(cmd, sizeof(cmd),
	         "/usr/bin/python3 bench/slow_bodies.py %d %s %d 6 100 8 1000000 && "
	         "/usr/bin/python3 bench/slow_bodies.py %d %s %d 6 100 8 31000",
	         port_no, ca, (int)server, port_no, ca, (int)server);
	rc = tu_run(sh, &out, NULL);
	fprintf(stderr, "%s", out);
	if (rc != 0)
		fprintf(stderr, "expected the collector to grow by less than 64 MB; it did not\n");
	assert_int_equal(rc, 0);
	free(out);
}

/*
 * 19. A damaged store: a copy of this collector's data directory whose
 * middle pages are overwritten. serve refuses to start, naming the file;
 * export fails and leaves no partial file, and an earlier complete export
 * stays as it was.
 */
static void damaged_store_is_refused(void **state)
{
	char copy[4300], cmd[9000], out_file[4400], *err = NULL, *before = NULL, *after;
	char *sh[] = { "sh", "-c", cmd, NULL };

	(void)state;
	snprintf(copy, sizeof(copy), "%s/damaged", dir);
	snprintf(out_file, sizeof(out_file), "%s/export.csv", dir);
	/* a whole export first, from the sound store */
	{
		char *argv[] = { (char *)bin("posture-collector"),
			         "export",
			         "--dir",
			         data,
			         "--format",
			         "csv",
			         "--output",
			         out_file,
			         NULL };

		assert_int_equal(tu_run(argv, NULL, NULL), 0);
		before = tu_slurp(out_file);
		assert_non_null(before);
	}
	/* the copy without its WAL, then its pages from the second to the
	 * middle overwritten (the header page stays: it is still a database) */
	snprintf(cmd, sizeof(cmd),
	         "cp -a %s %s && rm -f %s/collector.db-wal %s/collector.db-shm && "
	         "size=$(stat -c %%s %s/collector.db) && "
	         "python3 -c \"import sys; f=open(sys.argv[1],'r+b'); f.seek(4096); "
	         "f.write(b'\\x55' * max(4096, (int(sys.argv[2]) // 2) - 4096))\" "
	         "%s/collector.db $size",
	         data, copy, copy, copy, copy, copy);
	assert_int_equal(tu_run(sh, NULL, NULL), 0);
	{
		char listen_addr[64];
		char *argv[] = { (char *)bin("posture-collector"),
			         "serve",
			         "--dir",
			         copy,
			         "--listen",
			         listen_addr,
			         NULL };

		snprintf(listen_addr, sizeof(listen_addr), "127.0.0.1:%d", port_no + 2);
		assert_int_equal(tu_run(argv, NULL, &err), 1);
		if (!tu_matches("the store .*damaged/collector.db is damaged", err))
			fprintf(stderr,
			        "expected serve to refuse the damaged store; it said:\n%s\n", err);
		assert_true(tu_matches("the store .*damaged/collector.db is damaged", err));
		free(err);
	}
	{
		char *argv[] = { (char *)bin("posture-collector"),
			         "export",
			         "--dir",
			         copy,
			         "--format",
			         "csv",
			         "--output",
			         out_file,
			         NULL };
		char partial[4500];

		assert_int_equal(tu_run(argv, NULL, &err), 1);
		assert_true(tu_matches("nothing was written", err));
		free(err);
		/* nor the temporary file beside it (lib/atomicfile.h) */
		snprintf(partial, sizeof(partial), "%s", out_file);
		snprintf(strrchr(partial, '/') + 1,
		         sizeof(partial) - (size_t)(strrchr(partial, '/') + 1 - partial), ".tmp-%s",
		         strrchr(out_file, '/') + 1);
		assert_int_not_equal(access(partial, F_OK), 0);
		after = tu_slurp(out_file);
		assert_string_equal(after, before);
		free(after);
	}
	free(before);
}

/* 15. posture enroll --secret-file pointing into the collector's data
 * directory (a walk-through on one machine) leaves the collector's secret
 * where it is. */
static void the_collectors_secret_stays(void **state)
{
	char url[64], state_dir[4300], secret_file[4300], *err = NULL;
	char *argv[] = { (char *)tu_posture(),
		         "enroll",
		         "--config",
		         "/dev/null",
		         "--server",
		         url,
		         "--ca",
		         ca,
		         "--state-dir",
		         state_dir,
		         "--secret-file",
		         secret_file,
		         NULL };

	(void)state;
	{
		char *approve[] = { (char *)bin("posture-collector"),
			            "device",
			            "reenroll",
			            "--dir",
			            data,
			            id_a,
			            NULL };

		assert_int_equal(tu_run(approve, NULL, NULL), 0);
	}
	snprintf(url, sizeof(url), "https://localhost:%d", port_no);
	snprintf(state_dir, sizeof(state_dir), "%s/c", dir);
	snprintf(secret_file, sizeof(secret_file), "%s/enroll-secret", data);
	assert_int_equal(tu_run(argv, NULL, &err), 0);
	assert_true(tu_matches("in a collector's data directory: left in place", err));
	free(err);
	assert_int_equal(access(secret_file, F_OK), 0);
}

/*
 * 13. An enrolled agent with no local policy takes the collector's signed
 * one instead of exiting 2, and posture check (MDM's --format jamf, and
 * text) judges by that policy, the one the service runs.
 */
static void the_signed_policy_is_the_one_judged(void **state)
{
	char conf[4300], text[8192], log[4300], *out = NULL, *err = NULL;
	char *check_jamf[] = { (char *)tu_posture(), "check", "--format", "jamf",
		               "--config",           conf,    NULL };
	char *check_text[] = { (char *)tu_posture(), "check", "--config", conf, NULL };
	pid_t agent;
	int ok = 0;

	(void)state;
	snprintf(text, sizeof(text),
	         "[collector]\nurl = https://localhost:%d\nca = %s\n[agent]\nstate_dir = %s/c\n"
	         "status_socket = %s/c.sock\npolicy = %s/no-such-policy.ini\n",
	         port_no, ca, dir, dir, dir);
	tu_write(dir, "c.ini", text);
	snprintf(conf, sizeof(conf), "%s/c.ini", dir);
	snprintf(log, sizeof(log), "%s/c.log", dir);
	agent = fork();
	if (agent == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		dup2(fd, 2);
		execl(tu_posture(), tu_posture(), "run", "--config", conf, (char *)NULL);
		_exit(127);
	}
	ok = tu_wait_in_file(log, "from the collector (baseline) is in force", 0, 6000) &&
	     tu_wait_in_file(log, "evaluated baseline", 0, 6000);
	kill(agent, SIGTERM);
	waitpid(agent, NULL, 0);
	if (!ok) {
		char *t = tu_slurp(log);

		fprintf(stderr,
		        "expected the agent to take the signed policy and evaluate it; its "
		        "log:\n%s\n",
		        t);
		free(t);
	}
	assert_true(ok);
	/* MDM's view: the signed policy, not the missing local one */
	assert_int_not_equal(tu_run(check_jamf, &out, &err), 2);
	assert_true(tu_matches("^<result>(Compliant|Non-compliant)", out));
	free(out);
	free(err);
	assert_int_not_equal(tu_run(check_text, &out, &err), 2);
	assert_true(tu_matches("judging by the collector's signed policy, version 1", err));
	free(out);
	free(err);
}

/*
 * 9. Failed attempts leave a trace and slow down: wrong enrollment secrets
 * and dashboard sign-ins are logged with the address; after ten failures
 * from one address, it is refused unheard (429) for a while.
 */
static void failures_are_logged_and_throttled(void **state)
{
	char at[4400], *body, *log;
	int heard = 0, code = 0;

	(void)state;
	enroll_body("wrong.json", "not-the-secret", "11111111-2222-4333-8444-555555555555", at);
	/* ten failures are heard (a few more if some were forgiven while
	 * the requests went out: one every 6 s), then 429 */
	for (int i = 0; i < 40 && code != 429; i++) {
		code = curl_as(NULL, "POST", "/v1/enroll", at, NULL, &body);
		heard += code == 401;
		free(body);
	}
	if (code != 429 || heard < 10)
		fprintf(stderr,
		        "expected at least 10 wrong secrets heard (401), then 429; got %d "
		        "401s, last answer %d\n",
		        heard, code);
	assert_int_equal(code, 429);
	assert_true(heard >= 10);
	/* the address stays throttled for the dashboard's sign-in too */
	tu_write(dir, "login.form", "token=wrong");
	{
		char file[4400];

		snprintf(file, sizeof(file), "@%s/login.form", dir);
		code = curl_as(NULL, "POST", "/login", file, NULL, &body);
		free(body);
		assert_int_equal(code, 429);
	}
	log = serve_log();
	assert_true(tu_matches("enrollment from 127\\.0\\.0\\.1: refused \\(HTTP 401\\): invalid "
	                       "enrollment secret",
	                       log));
	assert_true(tu_matches("refused unheard, too many failures", log));
	free(log);
}

/* curl at PORT: METHOD PATH with the header HEADER (or none), the form
 * FORM posted (or none); the answer's status, and in COOKIE (when set) the
 * session the answer sets. */
static int curl_session(int port, const char *method, const char *path, const char *header,
                        const char *form, char cookie[128])
{
	char url[256], hdrs[4300], cmd[9000], *out = NULL, *h;
	char *sh[] = { "sh", "-c", cmd, NULL };
	int code = 0;

	snprintf(url, sizeof(url), "https://localhost:%d%s", port, path);
	snprintf(hdrs, sizeof(hdrs), "%s/answer-headers", dir);
	snprintf(
	    cmd, sizeof(cmd),
	    "curl -s -o /dev/null -D %s -w '%%{http_code}' --cacert %s -X %s %s%s%s %s%s%s '%s'",
	    hdrs, ca, method, header ? "-H '" : "", header ? header : "", header ? "'" : "",
	    form ? "--data-binary '" : "", form ? form : "", form ? "'" : "", url);
	tu_run(sh, &out, NULL);
	code = out ? atoi(out) : 0;
	free(out);
	if (cookie != NULL) {
		cookie[0] = '\0';
		h = tu_slurp(hdrs);
		if (h != NULL && (out = strstr(h, "posture_session=")) != NULL)
			sscanf(out, "posture_session=%100[0-9a-f]", cookie);
		free(h);
	}
	return code;
}

/*
 * Dashboard sessions live in the store: a session signed in at one
 * collector works at another process on the same store (what a restart
 * is), and signing out there ends it at the first at once.
 */
static void dashboard_sessions_outlive_the_process(void **state)
{
	char listen_addr[64], form[256], cookie[128], header[200], token_path[4300], *token;
	int port = port_no + 5;
	pid_t second;

	(void)state;
	snprintf(token_path, sizeof(token_path), "%s/admin-token", data);
	token = tu_slurp(token_path);
	token[strcspn(token, "\n")] = '\0';
	snprintf(form, sizeof(form), "token=%s", token);
	free(token);
	assert_int_equal(curl_session(port_no, "POST", "/login", NULL, form, cookie), 303);
	assert_int_equal((int)strlen(cookie), 64);
	snprintf(header, sizeof(header), "Cookie: posture_session=%s", cookie);
	assert_int_equal(curl_session(port_no, "GET", "/v1/fleet/summary", header, NULL, NULL),
	                 200);
	snprintf(listen_addr, sizeof(listen_addr), "127.0.0.1:%d", port);
	second = fork();
	if (second == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 2);
		execl(bin("posture-collector"), bin("posture-collector"), "serve", "--dir", data,
		      "--listen", listen_addr, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && !tu_can_connect(port); i++)
		usleep(10000);
	assert_true(tu_can_connect(port));
	if (curl_session(port, "GET", "/v1/fleet/summary", header, NULL, NULL) != 200)
		fail_msg("expected the session to work at a second collector process (200)");
	assert_int_equal(
	    curl_session(
	        port, "GET", "/v1/fleet/summary",
	        "Cookie: "
	        "posture_session=0000000000000000000000000000000000000000000000000000000000000000",
	        NULL, NULL),
	    401);
	assert_int_equal(curl_session(port, "POST", "/logout", header, "", NULL), 303);
	if (curl_session(port_no, "GET", "/v1/fleet/summary", header, NULL, NULL) != 401)
		fail_msg("expected signing out at one collector to end the session at the other");
	kill(second, SIGTERM);
	waitpid(second, NULL, 0);
	/* the cookie itself is never stored, only its hash */
	assert_int_equal(count("SELECT count(*) FROM sessions WHERE sha256 = ?1", cookie), 0);
}

/* `posture-collector token add NAME --role ROLE`: the token it prints */
static void token_add(const char *name, const char *role, char out[128])
{
	char *argv[] = { (char *)bin("posture-collector"),
		         "token",
		         "add",
		         "--dir",
		         data,
		         (char *)name,
		         "--role",
		         (char *)role,
		         "--expires",
		         "1d",
		         NULL };
	char *text = NULL, *t;

	assert_int_equal(tu_run(argv, &text, NULL), 0);
	t = strstr(text, ": posture_");
	assert_non_null(t);
	snprintf(out, 128, "%.*s", (int)strcspn(t + 2, "\n"), t + 2);
	free(text);
}

/* METHOD PATH with TOKEN (Authorization: Bearer) and the JSON BODY (or NULL) */
static int as_token(const char *token, const char *method, const char *path, const char *body,
                    char **answer)
{
	char header[256], file[4300];

	snprintf(header, sizeof(header), "Authorization: Bearer %s", token);
	if (body != NULL) {
		tu_write(dir, "body.json", body);
		snprintf(file, sizeof(file), "@%s/body.json", dir);
	}
	return curl_as(NULL, method, path, body ? file : NULL, header, answer);
}

/*
 * Roles over the API: a viewer's token reads the fleet and is refused (403)
 * every change (owner, retire, revoke, publish, webhooks); an admin's token
 * makes them, each in the audit trail under the token's name; a refused
 * policy comes back with its FILE:LINE errors (422); a revoked, an expired
 * and a made-up token are refused (401).
 */
static void roles_are_enforced(void **state)
{
	char viewer[128], admin[128], gone[128], *answer = NULL, path[256];
	json_t *doc;

	(void)state;
	token_add("dashboard wall", "viewer", viewer);
	token_add("ops automation", "admin", admin);
	token_add("old laptop", "admin", gone);

	assert_int_equal(as_token(viewer, "GET", "/v1/fleet/summary", NULL, &answer), 200);
	free(answer);
	assert_int_equal(as_token(viewer, "GET", "/v1/fleet/whoami", NULL, &answer), 200);
	doc = json_loads(answer, 0, NULL);
	if (strcmp(json_string_value(json_object_get(doc, "role")), "viewer") != 0 ||
	    strstr(json_string_value(json_object_get(doc, "actor")), "dashboard wall") == NULL)
		fail_msg("expected whoami to say viewer, token 'dashboard wall'; came %s", answer);
	json_decref(doc);
	free(answer);
	snprintf(path, sizeof(path), "/v1/fleet/devices/%s/retire", id_b);
	{
		static const char *const changes[][2] = {
			{ "/v1/fleet/webhooks", "{\"url\": \"https://hooks.example.com/x\"}" },
			{ "/v1/fleet/policy", "{\"text\": \"[policy]\\nname = x\\n\"}" },
			{ "/v1/fleet/devices/ID/owner", "{\"owner\": \"mallory@example.com\"}" },
			{ "/v1/fleet/devices/ID/retire", "{}" },
			{ "/v1/fleet/devices/ID/revoke", "{}" },
		};

		for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
			char p[256];
			int code;

			snprintf(p, sizeof(p), "%s", changes[i][0]);
			if (strstr(p, "/ID/") != NULL)
				snprintf(p, sizeof(p), "/v1/fleet/devices/%s/%s", id_b,
				         strrchr(changes[i][0], '/') + 1);
			code = as_token(viewer, "POST", p, changes[i][1], &answer);
			if (code != 403)
				fail_msg("expected a viewer's POST %s refused (403); came %d '%s'",
				         p, code, answer);
			free(answer);
		}
	}
	assert_int_equal(as_token(viewer, "GET", "/v1/fleet/webhooks", NULL, &answer), 403);
	free(answer);

	/* the admin's token */
	assert_int_equal(as_token(admin, "POST", "/v1/fleet/webhooks",
	                          "{\"url\": \"https://hooks.example.com/posture\", \"events\": "
	                          "\"device.noncompliant\"}",
	                          &answer),
	                 201);
	doc = json_loads(answer, 0, NULL);
	if (strlen(json_string_value(json_object_get(doc, "secret"))) < 40)
		fail_msg("expected the new webhook's secret in the answer; came %s", answer);
	snprintf(path, sizeof(path), "/v1/fleet/webhooks/%lld/remove",
	         (long long)json_integer_value(json_object_get(doc, "id")));
	json_decref(doc);
	free(answer);
	assert_int_equal(as_token(admin, "POST", path, "{}", &answer), 200);
	free(answer);
	assert_int_equal(as_token(admin, "POST", "/v1/fleet/policy",
	                          "{\"text\": \"[policy]\\nname = x\\n[check.a]\\ntype = "
	                          "no_such_type\\n\"}",
	                          &answer),
	                 422);
	if (strstr(answer, "policy:") == NULL || strstr(answer, "nothing was published") == NULL)
		fail_msg("expected the refused policy's errors in the answer; came %s", answer);
	free(answer);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action = 'webhook.add' AND "
	                       "actor LIKE 'token ops automation (%) from 127.0.0.1'",
	                       NULL),
	                 1);

	/* revoked, expired, made up */
	{
		char *argv[] = { (char *)bin("posture-collector"),
			         "token",
			         "revoke",
			         "--dir",
			         data,
			         "3",
			         NULL };

		assert_int_equal(tu_run(argv, NULL, NULL), 0);
	}
	assert_int_equal(as_token(gone, "GET", "/v1/fleet/summary", NULL, &answer), 401);
	free(answer);
	{
		char db_path[4300];
		sqlite3 *db;

		snprintf(db_path, sizeof(db_path), "%s/collector.db", data);
		assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
		sqlite3_busy_timeout(db, 10000);
		assert_int_equal(sqlite3_exec(db,
		                              "UPDATE api_tokens SET expires_at = "
		                              "'2020-01-01T00:00:00Z' WHERE id = 1",
		                              NULL, NULL, NULL),
		                 SQLITE_OK);
		sqlite3_close(db);
	}
	assert_int_equal(as_token(viewer, "GET", "/v1/fleet/summary", NULL, &answer), 401);
	free(answer);
	assert_int_equal(as_token("posture_0000000000000000000000000000000000000000000", "GET",
	                          "/v1/fleet/summary", NULL, &answer),
	                 401);
	free(answer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roles_are_enforced),
		cmocka_unit_test(dashboard_sessions_outlive_the_process),
		cmocka_unit_test(enrollment_cannot_take_over),
		cmocka_unit_test(reports_from_the_future),
		cmocka_unit_test(report_ids_are_per_device),
		cmocka_unit_test(nonsense_is_refused),
		cmocka_unit_test(made_up_checks_are_refused),
		cmocka_unit_test(revocation_has_no_holes),
		cmocka_unit_test(sessions_resume),
		cmocka_unit_test(http1_only_offers_no_http2),
		cmocka_unit_test(slow_bodies_are_bounded),
		cmocka_unit_test(damaged_store_is_refused),
		cmocka_unit_test(the_collectors_secret_stays),
		cmocka_unit_test(the_signed_policy_is_the_one_judged),
		cmocka_unit_test(failures_are_logged_and_throttled),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
