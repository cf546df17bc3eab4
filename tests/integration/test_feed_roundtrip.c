/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Release feeds from end to end: real feeds (tests/fixtures/feeds)
 * imported into a real collector, signed with its policy key, served by
 * GET /v1/feeds, fetched by a real agent's posture-net, verified against
 * the key pinned at enrollment and kept in the agent's state directory
 * with the collector's fetch time. A feed altered in the collector's store
 * is refused (the good copy stays), and a replay of an older signed feed is
 * refused. Each step waits for the agent's own log line (an event), never
 * for a time.
 */
#include <jansson.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "feedstore_test.h"
#include "testutil.h"
#include "timefmt.h"

#define CHROME "mac-stable-2026-09-18.json"
#define CHROME_FIXTURE "tests/fixtures/feeds/chrome/" CHROME

static char *dir, data[4200], secret[128];
static int port_no;
static pid_t server;

static const char *path_in(const char *rel)
{
	static char path[4][4300];
	static int n;
	char *p = path[n++ % 4];

	snprintf(p, 4300, "%s/%s", dir, rel);
	return p;
}

static int setup(void **state)
{
	(void)state;
	dir = tu_mkdtemp();
	port_no = 22000 + (int)(getpid() % 2000) * 2;
	server = tu_collector_start(tu_bin("posture-collector"), dir, port_no, NULL, data, secret);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kill(server, SIGTERM);
	waitpid(server, NULL, 0);
	tu_rm_rf(dir);
	free(dir);
	return 0;
}

static void import(const char *file, const char *want)
{
	char *out = NULL, *err = NULL;
	char *argv[] = { (char *)tu_bin("posture-collector"),
		         "feed",
		         "import",
		         "--dir",
		         data,
		         (char *)file,
		         NULL };
	int rc = tu_run(argv, &out, &err);

	if (rc != 0 || strstr(out, want) == NULL)
		fail_msg("expected feed import of %s to say '%s'; came exit %d, '%s' '%s'", file,
		         want, rc, out, err);
	free(out);
	free(err);
}

/* Runs SQL on the collector's store (as an attacker with the database
 * would); TEXT, when set, is bound as ?1. */
static void store_exec(const char *sql, const char *text)
{
	char path[4300];
	sqlite3 *db;
	sqlite3_stmt *q;

	snprintf(path, sizeof(path), "%s/collector.db", data);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	if (text != NULL)
		sqlite3_bind_text(q, 1, text, -1, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static char *envelope_of(const char *name)
{
	char *text = tu_feed_envelope(data, name);

	assert_non_null(text);
	return text;
}

/* posture run until its log says NEEDLE once more than before; then
 * SIGTERM. Each start delivers a report, which has posture-net fetch the
 * policy and the feeds. */
static void agent_round(const char *needle)
{
	const char *log_path = path_in("agent.log");
	size_t before = tu_count_in_file(log_path, needle);
	pid_t pid = fork();
	int seen;

	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);

		dup2(fd, 2);
		execl(tu_posture(), tu_posture(), "run", "--config", path_in("posture.ini"),
		      "--policy", path_in("policy.ini"), (char *)NULL);
		_exit(127);
	}
	seen = tu_wait_in_file(log_path, needle, before, 6000);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	if (!seen) {
		char *log = tu_slurp(log_path), *slog = tu_slurp(path_in("serve.log"));

		fprintf(stderr, "agent's log:\n%s\ncollector's log:\n%s\n", log ? log : "",
		        slog ? slog : "");
		fail_msg("expected the agent to log '%s' (its log above)", needle);
	}
}

/* The serial the agent keeps for NAME (STATE/feed-serials.json), 0 none. */
static long long kept_serial(const char *name)
{
	json_t *doc = json_load_file(path_in("state/feed-serials.json"), 0, NULL);
	long long v = json_integer_value(json_object_get(doc, name));

	json_decref(doc);
	return v;
}

static void kept_is_the_fixture(void)
{
	char *kept = tu_slurp(path_in("state/feeds/" CHROME)), *want = tu_slurp(CHROME_FIXTURE);

	if (kept == NULL || strcmp(kept, want) != 0)
		fail_msg("expected STATE/feeds/%s to be the publisher's bytes of %s", CHROME,
		         CHROME_FIXTURE);
	free(kept);
	free(want);
}

static void import_serve_fetch_verify(void **state)
{
	char text[2048], *orig, *tampered;
	struct stat st;
	long long fetched_at = 0;
	json_t *env;

	(void)state;
	import(CHROME_FIXTURE, "as feed serial 1");
	import("tests/fixtures/feeds/posture/example-app.json", "as feed serial 2");
	tu_write(dir, "enroll-secret", secret);
	snprintf(text, sizeof(text),
	         "[collector]\nurl = https://localhost:%d\nca = %s/ca.pem\n"
	         "enroll_secret_file = %s/enroll-secret\n[agent]\nstate_dir = %s/state\n"
	         "status_socket = %s/s.sock\n",
	         port_no, data, dir, dir, dir);
	tu_write(dir, "posture.ini", text);
	tu_write(dir, "policy.ini",
	         "[policy]\nname = feeds\n[check.os]\ntype = os_version\ndebian = 12\n"
	         "[check.browsers]\ntype = browser_version\nchrome = latest\n");

	/* 1: both feeds fetched, verified and kept, with the collector's
	 * fetch time as the file's; a policy judging by feeds is judged again
	 * at once with them */
	agent_round("feeds: new release feeds; evaluating again");
	if (tu_count_in_file(path_in("agent.log"), "feeds: 2 feeds, signatures verified") != 1)
		fail_msg("expected the agent to log its two feeds verified once");
	kept_is_the_fixture();
	assert_int_equal(kept_serial(CHROME), 1);
	assert_int_equal(kept_serial("example-app.json"), 2);
	orig = envelope_of(CHROME);
	env = json_loads(orig, 0, NULL);
	assert_int_equal(
	    time_parse_rfc3339(json_string_value(json_object_get(env, "fetched_at")), &fetched_at),
	    0);
	json_decref(env);
	assert_int_equal(stat(path_in("state/feeds/" CHROME), &st), 0);
	if ((long long)st.st_mtime != fetched_at)
		fail_msg(
		    "expected the kept feed's time to be the collector's fetch time %lld, came "
		    "%lld",
		    fetched_at, (long long)st.st_mtime);

	/* 2: one character of the body changed in the store (a higher serial
	 * in the table, so the answer is new): refused, the good copy kept */
	tampered = strdup(orig);
	{
		char *body = strstr(tampered, "\"body\":\"") + 8;

		body[40] = body[40] == 'A' ? 'B' : 'A';
	}
	store_exec("UPDATE feeds SET envelope = ?1, serial = 10 WHERE name = '" CHROME "'",
	           tampered);
	agent_round("refused: feed " CHROME " (serial 1) has a bad signature");
	kept_is_the_fixture();
	assert_int_equal(kept_serial(CHROME), 1);

	/* 3: imported again: serial 3, taken */
	import(CHROME_FIXTURE, "as feed serial 3");
	agent_round("feeds: " CHROME " serial 3 kept");
	assert_int_equal(kept_serial(CHROME), 3);

	/* 4: the older signed envelope served again (a replay): refused */
	store_exec("UPDATE feeds SET envelope = ?1, serial = 11 WHERE name = '" CHROME "'", orig);
	agent_round("feed " CHROME ": serial 1 is older than the 3 kept (a replay); refused");
	assert_int_equal(kept_serial(CHROME), 3);
	kept_is_the_fixture();
	free(orig);
	free(tampered);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(import_serve_fetch_verify, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
