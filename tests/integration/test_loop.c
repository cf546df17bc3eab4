/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The whole loop with the real collector: posture-collector init, policy
 * publish and serve; posture enroll with the printed secret; posture run
 * delivers its reports and takes the signed policy. Then curl, a client
 * nobody here wrote, checks the collector's edges: a report sent twice is
 * stored once (201, then 200), no client certificate is 401, bad JSON is a
 * 400 that says why, a body over 1 MiB is 413, and If-None-Match gives 304.
 */
#include "testutil.h"

#include <netinet/in.h>
#include <signal.h>
#include <jansson.h>
#include <time.h>
#include <sqlite3.h>
#include <sys/socket.h>

static char *dir, data[4200], secret[128];
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

static int setup(void **state)
{
	(void)state;
	dir = tu_mkdtemp();
	port_no = 26000 + (int)(getpid() % 3000) * 2;
	/* the killed agent sends faster than the default limit allows; the
	 * limit has its own test (admin_and_metrics) */
	{
		char *extra[] = { "--rate-limit", "0", NULL };

		server =
		    tu_collector_start(bin("posture-collector"), dir, port_no, extra, data, secret);
	}
	return 0;
}

static int teardown(void **state)
{
	int status = 0;

	(void)state;
	kill(server, SIGTERM);
	waitpid(server, &status, 0);
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		char serve_log[4300], *sl;

		snprintf(serve_log, sizeof(serve_log), "%s/serve.log", dir);
		sl = tu_slurp(serve_log);
		fprintf(stderr, "collector's log:\n%.20000s\n", sl);
		free(sl);
	}
	tu_rm_rf(dir);
	free(dir);
	/* a clean stop, not a crash */
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return 0;
}

static long long count(const char *sql)
{
	char path[4300];
	sqlite3 *db;
	sqlite3_stmt *q;
	long long n = -1;

	snprintf(path, sizeof(path), "%s/collector.db", data);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

static void enroll_then_report(void **state)
{
	char server_url[64], ca[4300], state_dir[4300], conf[4300], text[2048], log[4300];
	char *err = NULL;
	pid_t agent;
	int ok = 0;

	(void)state;
	snprintf(server_url, sizeof(server_url), "https://localhost:%d", port_no);
	snprintf(ca, sizeof(ca), "%s/ca.pem", data);
	snprintf(state_dir, sizeof(state_dir), "%s/agent", dir);
	{
		char *argv[] = {
			(char *)tu_posture(), "enroll",         "--config", "/dev/null",
			"--server",           server_url,       "--ca",     ca,
			"--state-dir",        state_dir,        "--owner",  "alice@example.com",
			"--secret",           "not-the-secret", NULL
		};

		assert_int_equal(tu_run(argv, NULL, &err), 1);
		assert_true(tu_matches("enrollment failed: the collector refused the enrollment "
		                       "secret \\(HTTP 401: invalid enrollment secret\\)",
		                       err));
		free(err);
		argv[13] = secret;
		assert_int_equal(tu_run(argv, NULL, &err), 0);
		assert_true(
		    tu_matches("^posture: enrolled with https://localhost:[0-9]+ as device", err));
		free(err);
	}
	snprintf(
	    text, sizeof(text),
	    "[collector]\nurl = %s\nca = %s\n[agent]\nstate_dir = %s\nstatus_socket = %s/s.sock\n"
	    "policy = %s/local-policy.ini\n",
	    server_url, ca, state_dir, dir, dir);
	tu_write(dir, "posture.ini", text);
	tu_write(dir, "local-policy.ini",
	         "[policy]\nname = local\n[check.os]\ntype = os_version\ndebian = 12\n");
	snprintf(conf, sizeof(conf), "%s/posture.ini", dir);
	snprintf(log, sizeof(log), "%s/agent.log", dir);
	agent = fork();
	if (agent == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		dup2(fd, 2);
		execl(tu_posture(), tu_posture(), "run", "--config", conf, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 1000 && !ok; i++) {
		char *t = tu_slurp(log);

		const char *after = strstr(t, "evaluated baseline");

		/* the collector's policy took over, and its first report arrived */
		ok = strstr(t, "policy version 1 from the collector (baseline) is in force") &&
		     after != NULL && strstr(after, "delivered (HTTP 201)") != NULL;
		free(t);
		if (!ok)
			usleep(10000);
	}
	kill(agent, SIGTERM);
	waitpid(agent, NULL, 0);
	if (!ok) {
		char *t = tu_slurp(log);

		fprintf(stderr, "%s", t);
		free(t);
	}
	assert_true(ok);
	/* stored under the certificate's device id: the one enrollment recorded,
	 * with the owner the enrollment named */
	assert_int_equal(count("SELECT count(*) FROM devices"), 1);
	assert_int_equal(count("SELECT count(*) FROM devices WHERE owner = 'alice@example.com' "
	                       "AND owner_source = 'enrollment'"),
	                 1);
	assert_true(count("SELECT count(*) FROM reports r JOIN devices d ON d.id = r.device_id") >=
	            2);
	assert_true(count("SELECT count(*) FROM latest") >= 10);
}

/* curl with the device's certificate (or without); returns the HTTP status
 * and leaves the body in *BODY. */
static int curl(const char *method, const char *path, const char *data_file, int with_cert,
                const char *header, int http1, char **body)
{
	char url[256], cert[4300], key[4300], ca[4300], out[4300];

	snprintf(url, sizeof(url), "https://localhost:%d%s", port_no, path);
	snprintf(cert, sizeof(cert), "%s/agent/device.crt", dir);
	snprintf(key, sizeof(key), "%s/agent/device.key", dir);
	snprintf(ca, sizeof(ca), "%s/ca.pem", data);
	snprintf(out, sizeof(out), "%s/curl.out", dir);
	return tu_curl(url, ca, with_cert ? cert : NULL, key, method, data_file, header, http1, out,
	               body);
}

static void collector_edges(void **state)
{
	char *argv[] = { (char *)tu_posture(),    "check", "--format", "json", "--policy",
		         "policies/baseline.ini", NULL };
	char *report = NULL, *body, file[4400], big[4400];
	long long before;

	(void)state;
	tu_run(argv, &report, NULL);
	tu_write(dir, "report.json", report);
	free(report);
	snprintf(file, sizeof(file), "@%s/report.json", dir);
	before = count("SELECT count(*) FROM reports");
	assert_int_equal(curl("POST", "/v1/reports", file, 1, NULL, 0, &body), 201);
	free(body);
	assert_int_equal(curl("POST", "/v1/reports", file, 1, NULL, 0, &body), 200);
	assert_string_equal(body, "{\"stored\":\"already\"}");
	free(body);
	assert_int_equal(count("SELECT count(*) FROM reports"), before + 1);
	tu_write(dir, "bad.json", "{\"schema\": \"posture.report/1\", \"report_id\": 7}");
	snprintf(file, sizeof(file), "@%s/bad.json", dir);
	/* no certificate: 401 (a connection without one may send bodies of
	 * 32 KiB at most; this one is small) */
	assert_int_equal(curl("POST", "/v1/reports", file, 0, NULL, 0, &body), 401);
	free(body);
	assert_int_equal(curl("POST", "/v1/reports", file, 1, NULL, 0, &body), 400);
	assert_string_equal(body, "{\"error\":\"report_id must be a UUID\"}");
	free(body);
	{
		char *huge = malloc(2u << 20);

		memset(huge, ' ', 2u << 20);
		huge[(2u << 20) - 1] = '\0';
		tu_write(dir, "big.json", huge);
		free(huge);
	}
	snprintf(big, sizeof(big), "@%s/big.json", dir);
	/* over HTTP/2 h2o resets the stream instead; HTTP/1.1 shows the 413 */
	assert_int_equal(curl("POST", "/v1/reports", big, 1, NULL, 1, &body), 413);
	free(body);
	assert_int_equal(curl("GET", "/v1/policy", NULL, 1, NULL, 0, &body), 200);
	assert_true(tu_matches("\"version\":1", body));
	free(body);
	assert_int_equal(curl("GET", "/v1/policy", NULL, 1, "If-None-Match: \"v1\"", 0, &body),
	                 304);
	free(body);
}

/*
 * Exactly once, against the real collector: the agent SIGKILLed at random
 * points 200 times (each start evaluates, spools and delivers), then one
 * --once drains what is left. Every report the agent logged as spooled is
 * in the store exactly once, however many times it was sent; the spool is
 * empty.
 */
static void killed_agent_exactly_once(void **state)
{
	char conf[4300], log[4300], spool[4400], *t, *line, *save = NULL;
	char *argv[] = { (char *)tu_posture(), "run", "--once", "--config", conf, NULL };
	unsigned seed = (unsigned)getpid();
	size_t spooled = 0;

	(void)state;
	snprintf(conf, sizeof(conf), "%s/posture.ini", dir); /* written by enroll_then_report */
	snprintf(log, sizeof(log), "%s/killed.log", dir);
	snprintf(spool, sizeof(spool), "%s/agent/spool", dir);
	for (int i = 0; i < 200; i++) {
		size_t before = tu_count_in_file(log, " spooled (");
		pid_t pid = fork();

		if (pid == 0) {
			int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);

			dup2(fd, 2);
			execl(tu_posture(), tu_posture(), "run", "--config", conf, (char *)NULL);
			_exit(127);
		}
		/* odd runs are killed only once they spooled a report (an
		 * event, however slow the machine), somewhere in its delivery;
		 * even runs anywhere before */
		if (i % 2 && !tu_wait_in_file(log, " spooled (", before, 6000))
			fail_msg("run %d: expected the agent to log a spooled report within 60 s; "
			         "it did not",
			         i);
		usleep((useconds_t)(rand_r(&seed) % 80000));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	{
		char *err = NULL;

		assert_int_equal(tu_run(argv, NULL, &err), 0);
		free(err);
	}
	if (tu_count_reports(spool) != 0) {
		char serve_log[4300], *sl;

		snprintf(serve_log, sizeof(serve_log), "%s/serve.log", dir);
		sl = tu_slurp(serve_log);
		t = tu_slurp(log);
		fprintf(stderr, "collector:\n%s\nagent (last 3000 bytes):\n%s\n", sl,
		        strlen(t) > 3000 ? t + strlen(t) - 3000 : t);
		free(sl);
		free(t);
	}
	assert_int_equal(tu_count_reports(spool), 0);
	t = tu_slurp(log);
	for (line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char id[64], sql[256];
		const char *r = strstr(line, "; report ");

		if (r == NULL || sscanf(r, "; report %63[0-9a-f-] spooled", id) != 1)
			continue;
		spooled++;
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM reports WHERE report_id = '%s'",
		         id);
		if (count(sql) != 1)
			fprintf(stderr, "report %s: %lld rows\n", id, count(sql));
		assert_int_equal(count(sql), 1);
	}
	free(t);
	fprintf(stderr,
	        "killed 200 times: %zu reports logged as spooled, each stored exactly "
	        "once\n",
	        spooled);
	if (spooled < 100)
		fail_msg("expected at least 100 reports logged as spooled (one per odd run), got "
		         "%zu",
		         spooled);
}

/* devices lists the enrolled device; device revoke makes the collector
 * refuse its certificate (403) from the next request on. */
static char *admin_header(void)
{
	char path[4300], *token, *h;

	snprintf(path, sizeof(path), "%s/admin-token", data);
	token = tu_slurp(path);
	token[strcspn(token, "\n")] = '\0';
	h = malloc(strlen(token) + 32);
	snprintf(h, strlen(token) + 32, "Authorization: Bearer %s", token);
	free(token);
	return h;
}

/*
 * The admin's side: the fleet summary needs the admin token (and agrees
 * with `posture-collector fleet` and with the store), a device's page,
 * /metrics in the Prometheus format agreeing with the store, and a second
 * collector with a low per-device rate limit answering 429 + Retry-After.
 */
static void admin_and_metrics(void **state)
{
	char *body = NULL, *h = admin_header(), *out = NULL, id[64] = "", *rec;
	json_t *doc, *cli;
	long long devices = count("SELECT count(*) FROM devices WHERE revoked = 0");

	(void)state;
	assert_int_equal(curl("GET", "/v1/fleet/summary", NULL, 1, NULL, 0, &body), 401);
	free(body);
	assert_int_equal(curl("GET", "/v1/fleet/summary", NULL, 0,
	                      "Authorization: Bearer wrong-token-of-forty-three-characters-xxx", 0,
	                      &body),
	                 401);
	free(body);
	assert_int_equal(curl("GET", "/v1/fleet/summary?stale=1x", NULL, 0, h, 0, &body), 400);
	free(body);
	assert_int_equal(curl("GET", "/v1/fleet/summary", NULL, 0, h, 0, &body), 200);
	doc = json_loads(body, 0, NULL);
	free(body);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "schema")), "posture.fleet/1");
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(doc, "devices"), "active")),
	    devices);
	{
		char *argv[] = { (char *)bin("posture-collector"),
			         "fleet",
			         "--dir",
			         data,
			         "--format",
			         "json",
			         NULL };

		assert_int_equal(tu_run(argv, &out, NULL), 0);
		cli = json_loads(out, 0, NULL);
		free(out);
		assert_non_null(cli);
		assert_true(
		    json_equal(json_object_get(cli, "checks"), json_object_get(doc, "checks")));
		assert_true(
		    json_equal(json_object_get(cli, "devices"), json_object_get(doc, "devices")));
		json_decref(cli);
	}
	json_decref(doc);
	{
		char path[4300], url[200];

		snprintf(path, sizeof(path), "%s/agent/enrollment.json", dir);
		rec = tu_slurp(path);
		sscanf(strstr(rec, "\"device_id\"") + strlen("\"device_id\""), " : \"%63[0-9a-f-]",
		       id);
		free(rec);
		snprintf(url, sizeof(url), "/v1/fleet/devices/%s", id);
		assert_int_equal(curl("GET", url, NULL, 0, h, 0, &body), 200);
		doc = json_loads(body, 0, NULL);
		free(body);
		assert_int_equal((long long)json_array_size(json_object_get(doc, "reports")),
		                 count("SELECT count(*) FROM reports") < 200
		                     ? count("SELECT count(*) FROM reports")
		                     : 200);
		json_decref(doc);
		assert_int_equal(curl("GET", "/v1/fleet/devices/nope", NULL, 0, h, 0, &body), 404);
		free(body);
	}
	/* /metrics needs the admin token (or --metrics-listen's address) */
	assert_int_equal(curl("GET", "/metrics", NULL, 0, NULL, 0, &body), 401);
	free(body);
	assert_int_equal(curl("GET", "/metrics", NULL, 0, h, 0, &body), 200);
	assert_true(tu_matches("# TYPE posture_store_commit_seconds histogram", body));
	assert_true(tu_prom_sample(body, "posture_devices{state=\"active\"}") == (double)devices);
	assert_true(
	    tu_prom_sample(body, "posture_reports_rejected_total{reason=\"no_certificate\"}") >= 1);
	assert_true(tu_prom_sample(body, "posture_store_commit_seconds_count") >= 1);
	assert_true(tu_prom_sample(body, "posture_store_commit_seconds_bucket{le=\"+Inf\"}") ==
	            tu_prom_sample(body, "posture_store_commit_seconds_count"));
	free(body);

	/* a second collector on the same store, 1 report a second, bursts of 10 */
	{
		char listen_addr[64], file[4400];
		int saved = port_no, codes[14], limited = 0;
		pid_t second = fork();

		snprintf(listen_addr, sizeof(listen_addr), "127.0.0.1:%d", port_no + 1);
		if (second == 0) {
			int fd = open("/dev/null", O_WRONLY);

			dup2(fd, 2);
			execl(bin("posture-collector"), bin("posture-collector"), "serve", "--dir",
			      data, "--listen", listen_addr, "--rate-limit", "1", (char *)NULL);
			_exit(127);
		}
		port_no = saved + 1;
		for (int i = 0; i < 500 && !tu_can_connect(port_no); i++)
			usleep(10000);
		snprintf(file, sizeof(file), "@%s/report.json", dir);
		for (int i = 0; i < 14; i++) {
			codes[i] = curl("POST", "/v1/reports", file, 1, NULL, 0, &body);
			if (codes[i] == 429) {
				limited++;
				assert_true(tu_matches("faster than the collector's limit", body));
			}
			free(body);
		}
		for (int i = 0; i < 10; i++)
			assert_true(codes[i] == 200 || codes[i] == 201);
		assert_true(limited >= 3);
		kill(second, SIGTERM);
		waitpid(second, NULL, 0);
		port_no = saved;
	}
	free(h);
}

/* build/loadgen against the collector on PORT: DEVICES enrolled devices
 * sending REPORT for SECONDS, each answer logged to LOG. Its pid. */
static pid_t start_load(int port, const char *report, const char *devices, const char *seconds,
                        const char *log)
{
	char url[128], enroll_url[128], ca[4300], secret_file[4300];
	pid_t load;

	snprintf(url, sizeof(url), "https://localhost:%d/v1/reports", port);
	snprintf(enroll_url, sizeof(enroll_url), "https://localhost:%d/v1/enroll", port);
	snprintf(ca, sizeof(ca), "%s/ca.pem", data);
	snprintf(secret_file, sizeof(secret_file), "%s/enroll-secret", data);
	load = fork();
	if (load == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execl(bin("loadgen"), bin("loadgen"), "--url", url, "--ca", ca, "--report", report,
		      "--enroll", enroll_url, "--secret-file", secret_file, "--devices", devices,
		      "--duration", seconds, "--log", log, (char *)NULL);
		_exit(127);
	}
	return load;
}

/*
 * SIGKILL of the collector in the middle of a load: 8 enrolled devices post
 * as fast as answers come (bench/loadgen), the collector is killed, and
 * every report that got a 2xx before it died is in the store afterwards;
 * the store opens cleanly (WAL recovery) and the next collector serves it.
 */
static void killed_collector_keeps_every_2xx(void **state)
{
	char listen_addr[64], report[4300], log[4300];
	char *text, *line, *save = NULL;
	char *argv[] = { (char *)tu_posture(),    "check", "--format", "json", "--policy",
		         "policies/baseline.ini", NULL };
	int port = port_no + 2, acked = 0, missing = 0, status;
	pid_t collector, load;

	(void)state;
	tu_run(argv, &text, NULL);
	tu_write(dir, "load-report.json", text);
	free(text);
	snprintf(listen_addr, sizeof(listen_addr), "127.0.0.1:%d", port);
	snprintf(report, sizeof(report), "%s/load-report.json", dir);
	snprintf(log, sizeof(log), "%s/load.log", dir);
	collector = fork();
	if (collector == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 2);
		execl(bin("posture-collector"), bin("posture-collector"), "serve", "--dir", data,
		      "--listen", listen_addr, "--rate-limit", "0", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && !tu_can_connect(port); i++)
		usleep(10000);
	load = start_load(port, report, "8", "3", log);
	/* killed once the load is well under way */
	for (int i = 0; i < 300; i++) {
		struct stat st;

		usleep(10000);
		if (stat(log, &st) == 0 && st.st_size > 4000)
			break;
	}
	usleep(200000);
	kill(collector, SIGKILL);
	waitpid(collector, NULL, 0);
	assert_int_equal(waitpid(load, &status, 0), load);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	text = tu_slurp(log);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char id[40], sql[160];
		int code = 0;

		if (sscanf(line, "%39s %d", id, &code) != 2 || code < 200 || code > 299)
			continue;
		if (acked++ == 0) {
			/* `report` gives back the bytes the device sent: the
			 * template with this report's id (stored compressed) */
			char *want = tu_slurp(report), *got = NULL,
			     *at = strstr(want, "\"report_id\"");
			char *show[] = {
				(char *)bin("posture-collector"), "report", "--dir", data, id, NULL
			};

			at = at ? strchr(at + 11, '"') : NULL;
			assert_non_null(at);
			memcpy(at + 1, id, 36);
			assert_int_equal(tu_run(show, &got, NULL), 0);
			assert_string_equal(got, want);
			free(got);
			free(want);
		}
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM reports WHERE report_id = '%.36s'",
		         id);
		if (count(sql) != 1)
			missing++;
	}
	free(text);
	fprintf(stderr, "collector killed under load: %d reports answered 2xx, %d missing\n", acked,
	        missing);
	assert_true(acked > 20);
	assert_int_equal(missing, 0);
}

/*
 * A 2xx waits for the disk: the collector's commits on SQLite do not fsync
 * (the next batch is stored meanwhile), a thread of their own fsyncs the WAL
 * and only then are they answered. With every fdatasync held 300 ms
 * (strace's fault injection), no report may be answered sooner.
 */
static void answers_wait_for_the_disk(void **state)
{
	char listen_addr[64], report[4300], log[4300];
	char delay[64], *text, *line, *save = NULL;
	int port = port_no + 3, acked = 0, status;
	double fastest = 1e9;
	pid_t collector, load;

	(void)state;
	if (system("strace -V >/dev/null 2>&1") != 0) {
		fprintf(stderr, "strace is missing (apt-get install strace)\n");
		fail();
	}
	snprintf(listen_addr, sizeof(listen_addr), "127.0.0.1:%d", port);
	snprintf(report, sizeof(report), "%s/load-report.json", dir); /* the last test's */
	snprintf(log, sizeof(log), "%s/sync.log", dir);
	snprintf(delay, sizeof(delay), "inject=fdatasync:delay_exit=300000");
	collector = fork();
	if (collector == 0) {
		int fd = open("/dev/null", O_WRONLY);

		setpgid(0, 0); /* strace and the collector go together */
		dup2(fd, 2);
		execlp("strace", "strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=fdatasync",
		       "-e", delay, bin("posture-collector"), "serve", "--dir", data, "--listen",
		       listen_addr, "--rate-limit", "0", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 1000 && !tu_can_connect(port); i++)
		usleep(10000);
	load = start_load(port, report, "4", "2", log);
	assert_int_equal(waitpid(load, &status, 0), load);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	kill(-collector, SIGKILL);
	waitpid(collector, NULL, 0);
	text = tu_slurp(log);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char id[40];
		int code = 0;
		double seconds = 0;

		if (sscanf(line, "%39s %d %lf", id, &code, &seconds) != 3 || code < 200 ||
		    code > 299)
			continue;
		acked++;
		if (seconds < fastest)
			fastest = seconds;
	}
	free(text);
	fprintf(stderr, "fdatasync held 300 ms: %d reports answered 2xx, the fastest in %.0f ms\n",
	        acked, fastest * 1000);
	assert_true(acked >= 4);
	assert_true(fastest >= 0.29);
}

/*
 * The service as the systemd unit runs it: an unprivileged user holding only
 * CAP_DAC_READ_SEARCH and CAP_NET_ADMIN as ambient capabilities
 * (installer/systemd/posture.service). Its evaluation must equal root's,
 * check by check (the firewall ruleset and other users' files need those
 * capabilities), and it must still deliver: posture-net starts with no
 * capability at all (it refuses to run otherwise).
 */
static void unprivileged_with_ambient_capabilities(void **state)
{
	char agent_dir[4300], cmd[9000], *as_root = NULL, *as_user = NULL, *out = NULL;
	char *sh[] = { "sh", "-c", cmd, NULL };
	json_t *a, *b;
	size_t i;

	(void)state;
	if (geteuid() != 0 || access("/usr/bin/setpriv", X_OK) != 0) {
		fprintf(stderr, "unprivileged service: needs root and setpriv; not run\n");
		return;
	}
	snprintf(agent_dir, sizeof(agent_dir), "%s/agent-nobody", dir);
	snprintf(cmd, sizeof(cmd),
	         "cp -a %s/agent %s && rm -rf %s/spool && chown -R nobody:nogroup %s && "
	         "chmod 755 %s",
	         dir, agent_dir, agent_dir, agent_dir, dir);
	assert_int_equal(tu_run(sh, NULL, NULL), 0);
#define AS_SERVICE                                               \
	"setpriv --reuid=nobody --regid=nogroup --clear-groups " \
	"--inh-caps=+dac_read_search,+net_admin --ambient-caps=+dac_read_search,+net_admin "
	snprintf(cmd, sizeof(cmd), "%s check --format json --policy policies/baseline.ini",
	         tu_posture());
	tu_run(sh, &as_root, NULL);
	snprintf(cmd, sizeof(cmd),
	         AS_SERVICE "%s check --format json --policy policies/baseline.ini", tu_posture());
	tu_run(sh, &as_user, NULL);
	a = json_loads(as_root, 0, NULL);
	b = json_loads(as_user, 0, NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(json_array_size(json_object_get(a, "results")),
	                 json_array_size(json_object_get(b, "results")));
	for (i = 0; i < json_array_size(json_object_get(a, "results")); i++) {
		json_t *ra = json_array_get(json_object_get(a, "results"), i);
		json_t *rb = json_array_get(json_object_get(b, "results"), i);

		if (strcmp(json_string_value(json_object_get(ra, "status")),
		           json_string_value(json_object_get(rb, "status"))) != 0)
			fail_msg("%s: %s as root, %s as the service's user",
			         json_string_value(json_object_get(ra, "id")),
			         json_string_value(json_object_get(ra, "status")),
			         json_string_value(json_object_get(rb, "status")));
	}
	json_decref(a);
	json_decref(b);
	free(as_root);
	free(as_user);
	snprintf(cmd, sizeof(cmd),
	         AS_SERVICE "%s run --once --state-dir %s --config /dev/null --policy "
	                    "policies/baseline.ini 2>&1",
	         tu_posture(), agent_dir);
#undef AS_SERVICE
	assert_int_equal(tu_run(sh, &out, NULL), 0);
	if (!tu_matches("delivered \\(HTTP 201\\)", out))
		fail_msg("not delivered as the service's user:\n%s", out);
	free(out);
}

/*
 * Hostile clients: a certificate from another CA ends the handshake; bytes
 * that are not HTTP get a 400 and the connection closed; a client that
 * sends half a request header and stalls is cut off by the header timeout
 * (10 s); the collector serves on afterwards.
 */
static void hostile_clients(void **state)
{
	char cmd[9000], *out = NULL, *body = NULL;
	char *sh[] = { "sh", "-c", cmd, NULL };

	(void)state;
	/* a device certificate from a CA of its own */
	snprintf(cmd, sizeof(cmd),
	         "cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	         "-subj /CN=00000000-0000-4000-8000-000000000001 -days 2 -keyout rogue.key "
	         "-out rogue.pem 2>/dev/null && "
	         "curl -s -o /dev/null -w '%%{http_code}' --cacert %s/ca.pem --cert rogue.pem "
	         "--key rogue.key -X POST --data-binary @report.json "
	         "https://localhost:%d/v1/reports; echo \" exit $?\"",
	         dir, data, port_no);
	assert_int_equal(tu_run(sh, &out, NULL), 0);
	/* no HTTP status: the TLS handshake refused it (TLS 1.3 clients learn
	 * it when they send or read; curl says 35, 55 or 56) */
	assert_true(tu_matches("^000 exit [1-9][0-9]*", out));
	free(out);
	/* not HTTP at all */
	snprintf(cmd, sizeof(cmd),
	         "printf 'GARBAGE \\001\\002 NOT HTTP\\r\\n\\r\\n' | timeout 15 openssl "
	         "s_client -quiet -connect 127.0.0.1:%d -servername localhost -CAfile %s/ca.pem "
	         "-alpn http/1.1 2>/dev/null",
	         port_no, data);
	tu_run(sh, &out, NULL);
	assert_true(tu_matches("^HTTP/1.1 400 ", out));
	free(out);
	/* half a header, then nothing: cut off by the 10 s header timeout */
	snprintf(cmd, sizeof(cmd),
	         "s=$(date +%%s); (printf 'POST /v1/reports HTTP/1.1\\r\\nHost: localhost\\r\\n'; "
	         "sleep 16) | (timeout 30 openssl s_client -quiet -connect 127.0.0.1:%d "
	         "-servername localhost -CAfile %s/ca.pem -alpn http/1.1 >/dev/null 2>&1; "
	         "echo $(( $(date +%%s) - s )) > %s/cut-after)",
	         port_no, data, dir);
	tu_run(sh, NULL, NULL);
	{
		char path[4300], *t;
		long secs;

		snprintf(path, sizeof(path), "%s/cut-after", dir);
		t = tu_slurp(path);
		secs = strtol(t, NULL, 10);
		free(t);
		if (secs < 9 || secs > 13)
			fail_msg("a stalled request header was cut after %ld s, not 10", secs);
	}
	/* and the collector still serves */
	{
		char *h = admin_header();

		assert_int_equal(curl("GET", "/metrics", NULL, 0, h, 0, &body), 200);
		free(body);
		free(h);
	}
}

static void revoked_device_refused(void **state)
{
	char id[64] = "", path[4300], file[4400], *out = NULL, *err = NULL, *body, *rec;

	(void)state;
	snprintf(path, sizeof(path), "%s/agent/enrollment.json", dir);
	rec = tu_slurp(path);
	assert_non_null(strstr(rec, "\"device_id\""));
	sscanf(strstr(rec, "\"device_id\"") + strlen("\"device_id\""), " : \"%63[0-9a-f-]", id);
	free(rec);
	assert_int_equal(strlen(id), 36);
	{
		char *argv[] = { (char *)bin("posture-collector"), "devices", "--dir", data, NULL };

		assert_int_equal(tu_run(argv, &out, NULL), 0);
		assert_non_null(strstr(out, id));
		assert_true(tu_matches(" (compliant|non-compliant)\n", out));
		free(out);
	}
	{
		char *argv[] = {
			(char *)bin("posture-collector"),       "device", "revoke", "--dir", data,
			"00000000-0000-4000-8000-000000000000", NULL
		};

		assert_int_equal(tu_run(argv, NULL, &err), 1);
		assert_true(tu_matches("no device 00000000-0000-4000-8000-000000000000", err));
		free(err);
		argv[5] = id;
		assert_int_equal(tu_run(argv, &out, NULL), 0);
		assert_true(tu_matches("revoked: its certificate is refused from now on", out));
		free(out);
	}
	snprintf(file, sizeof(file), "@%s/report.json", dir);
	assert_int_equal(curl("POST", "/v1/reports", file, 1, NULL, 0, &body), 403);
	assert_string_equal(body, "{\"error\":\"this device's certificate is revoked\"}");
	free(body);
	/* and the CA's CRL names its certificate: openssl verifies the CRL's
	 * signature and finds the serial */
	{
		char cmd[9000], *serial = NULL, *text = NULL;
		char *sh[] = { "sh", "-c", cmd, NULL };

		assert_int_equal(curl("GET", "/v1/crl", NULL, 0, NULL, 0, &body), 200);
		free(body);
		snprintf(cmd, sizeof(cmd),
		         "openssl x509 -in %s/agent/device.crt -noout -serial | cut -d= -f2", dir);
		assert_int_equal(tu_run(sh, &serial, NULL), 0);
		serial[strcspn(serial, "\n")] = '\0';
		assert_true(strlen(serial) > 8);
		snprintf(
		    cmd, sizeof(cmd),
		    "openssl crl -inform DER -in %s/curl.out -CAfile %s/ca.pem -noout -text 2>&1",
		    dir, data);
		assert_int_equal(tu_run(sh, &text, NULL), 0);
		assert_true(tu_matches("verify OK", text));
		assert_non_null(strstr(text, serial));
		free(serial);
		free(text);
	}
	/* the revoked agent stops delivering: it says so, and keeps its
	 * report in the spool (not set aside as rejected) */
	{
		char conf[4300], spool[4400], rejected[4500], *err2 = NULL;
		char *run[] = { (char *)tu_posture(), "run", "--once", "--config", conf, NULL };
		size_t before;

		snprintf(conf, sizeof(conf), "%s/posture.ini", dir);
		snprintf(spool, sizeof(spool), "%s/agent/spool", dir);
		snprintf(rejected, sizeof(rejected), "%s/rejected", spool);
		before = tu_count_reports(rejected);
		assert_int_equal(tu_run(run, NULL, &err2), 4);
		if (!tu_matches(
		        "certificate is revoked; delivery stopped, [0-9]+ report\\(s\\) kept",
		        err2))
			fprintf(stderr, "expected the agent to stop as revoked; it said:\n%s\n",
			        err2);
		assert_true(tu_matches(
		    "certificate is revoked; delivery stopped, [0-9]+ report\\(s\\) kept", err2));
		free(err2);
		assert_true(tu_count_reports(spool) >= 1);
		assert_int_equal(tu_count_reports(rejected), before);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enroll_then_report),
		cmocka_unit_test(collector_edges),
		cmocka_unit_test(killed_agent_exactly_once),
		cmocka_unit_test(admin_and_metrics),
		cmocka_unit_test(killed_collector_keeps_every_2xx),
		cmocka_unit_test(answers_wait_for_the_disk),
		cmocka_unit_test(hostile_clients),
		cmocka_unit_test(unprivileged_with_ambient_capabilities),
		cmocka_unit_test(revoked_device_refused),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
