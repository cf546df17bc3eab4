/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Two collectors on one PostgreSQL (docs/COLLECTOR.md, "Two collectors,
 * one PostgreSQL"): a data directory made once with --store, copied to a
 * second collector; both serve at once. Devices enroll at the first and
 * report to the second; both list them alike; an API token made on the
 * command line works at both, and revoked works at neither; a dashboard
 * session begun at one is good at the other; the audit chain both append
 * to verifies.
 */
#include <jansson.h>
#include <signal.h>
#include <sys/wait.h>

#include "testutil.h"

static char cluster[256], admin_spec[1024];

static int sh(const char *cmd, char *out, size_t out_len)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0;

	if (p == NULL)
		return -1;
	if (out) {
		n = fread(out, 1, out_len - 1, p);
		out[n] = '\0';
		out[strcspn(out, "\n")] = '\0';
	}
	return pclose(p) == 0 ? 0 : -1;
}

static pid_t serve(const char *data, const char *store, int port, const char *log)
{
	char *extra[] = { "--store", (char *)store, NULL };

	return tu_serve_start(tu_bin("posture-collector"), data, port, extra, log);
}

static int api(int port, const char *ca, const char *header, const char *path, char **body,
               const char *out_file)
{
	char url[256];

	snprintf(url, sizeof(url), "https://localhost:%d%s", port, path);
	return tu_curl(url, ca, NULL, NULL, "GET", NULL, header, 0, out_file, body);
}

static void one_store_two_collectors(void **state)
{
	char *dir = tu_mkdtemp(), a[4300], b[4300], store[1200], cmd[9000], ca[4400], out[4400];
	char log_a[4400], log_b[4400], token[160], header[256], *body = NULL, *text = NULL;
	int pg_port = 21000 + (int)(getpid() % 9000), port_a = pg_port + 100,
	    port_b = pg_port + 200;
	pid_t sa, sb;
	json_t *la, *lb;

	(void)state;
	snprintf(cluster, sizeof(cluster), "/tmp/posture-pg2.XXXXXX");
	assert_non_null(mkdtemp(cluster));
	snprintf(cmd, sizeof(cmd), "sh scripts/pg-cluster.sh start %s %d", cluster, pg_port);
	if (sh(cmd, admin_spec, sizeof(admin_spec)) != 0) {
		fprintf(stderr, "SKIP: cannot start PostgreSQL (apt-get install postgresql)\n");
		skip();
	}
	snprintf(cmd, sizeof(cmd), "psql '%s' -q -c 'CREATE DATABASE posture_two' >/dev/null",
	         admin_spec);
	assert_int_equal(sh(cmd, NULL, 0), 0);
	{
		const char *slash = strrchr(admin_spec, '/'), *q = strchr(slash, '?');

		snprintf(store, sizeof(store), "%.*s/posture_two%s", (int)(slash - admin_spec),
		         admin_spec, q ? q : "");
	}
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	{
		char *argv[] = { (char *)tu_bin("posture-collector"),
			         "init",
			         "--dir",
			         a,
			         "--store",
			         store,
			         NULL };

		assert_int_equal(tu_run(argv, NULL, NULL), 0);
	}
	/* no release feeds from the internet; the same directory for the second */
	snprintf(cmd, sizeof(cmd), "rm -f %s/collector.ini && cp -a %s %s", a, a, b);
	assert_int_equal(sh(cmd, NULL, 0), 0);
	snprintf(log_a, sizeof(log_a), "%s/a.log", dir);
	snprintf(log_b, sizeof(log_b), "%s/b.log", dir);
	snprintf(ca, sizeof(ca), "%s/ca.pem", a);
	snprintf(out, sizeof(out), "%s/answer", dir);
	sa = serve(a, store, port_a, log_a);
	sb = serve(b, store, port_b, log_b);

	/* three devices enroll at a, report to b */
	tu_write_report(dir, "report.json", "two.example", 1,
	                "\"pass\":1,\"fail\":0,\"error\":0,\"skip\":0",
	                "[{\"id\":\"disk\",\"type\":\"disk_encryption\",\"status\":\"pass\","
	                "\"title\":\"disk\"}]");
	{
		char report[4400];

		snprintf(report, sizeof(report), "%s/report.json", dir);
		if (tu_loadgen(a, port_a, port_b, report, "3", "0.3", &text) != 0)
			fail_msg(
			    "expected 3 devices enrolled at one collector to report to the other; "
			    "came '%s'",
			    text);
		free(text);
	}
	/* an API token from the command line, good at both */
	{
		char *argv[] = { (char *)tu_bin("posture-collector"),
			         "token",
			         "add",
			         "--dir",
			         a,
			         "--store",
			         store,
			         "shared",
			         "--role",
			         "viewer",
			         NULL };
		char *t;

		assert_int_equal(tu_run(argv, &text, NULL), 0);
		t = strstr(text, ": posture_");
		assert_non_null(t);
		snprintf(token, sizeof(token), "%.*s", (int)strcspn(t + 2, "\n"), t + 2);
		free(text);
	}
	snprintf(header, sizeof(header), "Authorization: Bearer %s", token);
	assert_int_equal(api(port_a, ca, header, "/v1/fleet/devices", &body, out), 200);
	la = json_loads(body, 0, NULL);
	free(body);
	assert_int_equal(api(port_b, ca, header, "/v1/fleet/devices", &body, out), 200);
	lb = json_loads(body, 0, NULL);
	free(body);
	if (json_array_size(la) != 3 || !json_equal(la, lb))
		fail_msg("expected both collectors to list the same 3 devices");
	json_decref(la);
	json_decref(lb);
	{
		char *argv[] = { (char *)tu_bin("posture-collector"),
			         "token",
			         "revoke",
			         "--dir",
			         a,
			         "--store",
			         store,
			         "1",
			         NULL };

		assert_int_equal(tu_run(argv, NULL, NULL), 0);
	}
	assert_int_equal(api(port_a, ca, header, "/v1/fleet/summary", &body, out), 401);
	free(body);
	assert_int_equal(api(port_b, ca, header, "/v1/fleet/summary", &body, out), 401);
	free(body);

	/* a session begun at a, used at b */
	{
		char admin_token[200], form[300], cookie[128] = "";
		char *t;

		snprintf(cmd, sizeof(cmd), "%s/admin-token", a);
		t = tu_slurp(cmd);
		snprintf(admin_token, sizeof(admin_token), "%.*s", (int)strcspn(t, "\r\n"), t);
		free(t);
		snprintf(form, sizeof(form), "token=%s", admin_token);
		snprintf(cmd, sizeof(cmd),
		         "curl -s -o /dev/null -D - --cacert %s --data-binary '%s' "
		         "https://localhost:%d/login | sed -n "
		         "'s/.*posture_session=\\([0-9a-f]*\\).*/\\1/p'",
		         ca, form, port_a);
		assert_int_equal(sh(cmd, cookie, sizeof(cookie)), 0);
		assert_int_equal((int)strlen(cookie), 64);
		snprintf(header, sizeof(header), "Cookie: posture_session=%s", cookie);
		assert_int_equal(api(port_b, ca, header, "/v1/fleet/summary", &body, out), 200);
		free(body);
	}
	kill(sa, SIGTERM);
	kill(sb, SIGTERM);
	waitpid(sa, NULL, 0);
	waitpid(sb, NULL, 0);
	/* one chain, appended to by both and the command line */
	{
		char *argv[] = { (char *)tu_bin("posture-collector"),
			         "audit",
			         "--dir",
			         b,
			         "--store",
			         store,
			         "--verify",
			         NULL };

		if (tu_run(argv, &text, NULL) != 0 || strstr(text, "signin") == NULL ||
		    strstr(text, "token.revoke") == NULL)
			fail_msg(
			    "expected one audit chain holding both collectors' entries, verified; "
			    "came %s",
			    text);
		free(text);
	}
	snprintf(cmd, sizeof(cmd), "sh scripts/pg-cluster.sh stop %s >/dev/null 2>&1", cluster);
	sh(cmd, NULL, 0);
	tu_rm_rf(cluster);
	tu_rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_store_two_collectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
