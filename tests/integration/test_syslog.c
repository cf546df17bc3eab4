/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The audit trail and state changes to syslog, received by Debian's
 * rsyslogd (an oracle this project did not write) over TCP with RFC 6587
 * octet counting: rsyslog parses each as RFC 5424 (protocol version 1,
 * PRI from [syslog] facility and the event's severity, APP-NAME, MSGID
 * audit or change, the posture@32473 structured data) and its message is
 * the event's JSON line. A collector restarted sends nothing twice.
 */
#include <jansson.h>
#include <signal.h>
#include <sys/wait.h>

#include "testutil.h"

static int wait_lines(const char *path, int want)
{
	for (int i = 0; i < 600; i++) {
		char *text = tu_slurp(path);
		int n = 0;

		for (const char *p = text; p && *p; p++)
			n += *p == '\n';
		free(text);
		if (n >= want)
			return n;
		usleep(100000);
	}
	return -1;
}

/* the line of OUT whose MSGID field is MSGID and that holds NEEDLE */
static char *line_with(const char *text, const char *msgid, const char *needle)
{
	const char *p = text;

	while (p && *p) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *line = strndup(p, n), *f[7], *save = NULL, *copy = strdup(line);
		int k = 0;

		for (char *t = strtok_r(copy, "|", &save); t && k < 7;
		     t = strtok_r(NULL, "|", &save))
			f[k++] = t;
		if (k >= 5 && strcmp(f[4], msgid) == 0 && strstr(line, needle) != NULL) {
			free(copy);
			return line;
		}
		free(copy);
		free(line);
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

static void audit_and_changes_reach_rsyslog(void **state)
{
	char *dir = tu_mkdtemp(), conf[4300], out[4300], text[8192], data[4200], secret[128],
	     log[4300];
	int port = 22000 + (int)(getpid() % 4000), sport = port + 5000;
	pid_t rsyslog, serve;
	char *lines, *l;

	(void)state;
	if (access("/usr/sbin/rsyslogd", X_OK) != 0) {
		fprintf(stderr, "SKIP: rsyslogd is missing (apt-get install rsyslog)\n");
		skip();
	}
	snprintf(out, sizeof(out), "%s/received", dir);
	snprintf(text, sizeof(text),
	         "global(workDirectory=\"%s\")\n"
	         "module(load=\"imtcp\")\n"
	         "input(type=\"imtcp\" port=\"%d\" address=\"127.0.0.1\" ruleset=\"r\")\n"
	         "template(name=\"t\" type=\"string\" string=\"%%pri%%|%%protocol-version%%|"
	         "%%app-name%%|%%procid%%|%%msgid%%|%%structured-data%%|%%msg%%\\n\")\n"
	         "ruleset(name=\"r\") { action(type=\"omfile\" file=\"%s\" template=\"t\") }\n",
	         dir, sport, out);
	tu_write(dir, "rsyslog.conf", text);
	snprintf(conf, sizeof(conf), "%s/rsyslog.conf", dir);
	rsyslog = fork();
	assert_true(rsyslog >= 0);
	if (rsyslog == 0) {
		char pid[4400];

		snprintf(pid, sizeof(pid), "%s/rsyslog.pid", dir);
		execl("/usr/sbin/rsyslogd", "rsyslogd", "-n", "-f", conf, "-i", pid, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && !tu_can_connect(sport); i++)
		usleep(10000);
	assert_true(tu_can_connect(sport));

	/* the collector, its configuration naming the receiver */
	serve = tu_collector_start(tu_bin("posture-collector"), dir, port, NULL, data, secret);
	snprintf(log, sizeof(log), "%s/serve.log", dir);
	kill(serve, SIGTERM);
	waitpid(serve, NULL, 0);
	snprintf(
	    text, sizeof(text),
	    "[syslog]\ntarget = tcp://127.0.0.1:%d\nfacility = local3\napp_name = posture-test\n",
	    sport);
	tu_write(data, "collector.ini", text);
	serve = tu_serve_start(tu_bin("posture-collector"), data, port, NULL, log);
	/* init and publish are in the trail already: sent from its start */
	if (wait_lines(out, 2) < 0)
		fail_msg("expected the audit trail's first two entries at rsyslog");
	{
		char *argv[] = { (char *)tu_bin("posture-collector"),
			         "token",
			         "add",
			         "--dir",
			         data,
			         "siem \"reader\"]",
			         "--role",
			         "viewer",
			         NULL };

		assert_int_equal(tu_run(argv, NULL, NULL), 0);
	}
	if (wait_lines(out, 3) < 0)
		fail_msg("expected token.add at rsyslog");
	/* a device's first report: its checks' states are changes */
	tu_write_report(dir, "report.json", "syslog.example", 0,
	                "\"pass\":1,\"fail\":1,\"error\":0,\"skip\":0",
	                "[{\"id\":\"disk\",\"type\":\"disk_encryption\",\"status\":\"fail\","
	                "\"severity\":\"high\",\"title\":\"disk\"},{\"id\":\"firewall\","
	                "\"type\":\"firewall\",\"status\":\"pass\",\"title\":\"firewall\"}]");
	{
		char report[4300];

		snprintf(report, sizeof(report), "%s/report.json", dir);
		assert_int_equal(tu_loadgen(data, port, port, report, "1", "0.2", NULL), 0);
	}
	if (wait_lines(out, 5) < 0)
		fail_msg("expected the device's two state changes at rsyslog");
	lines = tu_slurp(out);

	/* what rsyslog parsed: local3 (19) * 8 + notice (5) = 157 */
	l = line_with(lines, "audit", "token.add");
	if (l == NULL || strncmp(l, "157|1|posture-test|", 19) != 0 ||
	    strstr(l, "[posture@32473 seq=\"3\" action=\"token.add\" actor=\"cli uid") == NULL ||
	    strstr(l, "\"action\":\"token.add\"") == NULL)
		fail_msg("expected rsyslog to parse token.add as PRI 157, version 1, APP-NAME "
		         "posture-test, its structured data and JSON; came '%s'\nall:\n%s",
		         l ? l : "(none)", lines);
	free(l);
	l = line_with(lines, "audit", "collector.init");
	assert_non_null(l);
	free(l);
	/* a failure: warning (4), 156; a pass: information (6), 158 */
	l = line_with(lines, "change", "check=\"disk\"");
	if (l == NULL || strncmp(l, "156|1|", 6) != 0 || strstr(l, "to=\"fail\"") == NULL ||
	    strstr(l, "\"hostname\":\"syslog.example\"") == NULL)
		fail_msg(
		    "expected disk's change to fail as a warning (156) with its JSON; came '%s'",
		    l ? l : "(none)");
	free(l);
	l = line_with(lines, "change", "check=\"firewall\"");
	if (l == NULL || strncmp(l, "158|1|", 6) != 0)
		fail_msg("expected firewall's change to pass as information (158); came '%s'",
		         l ? l : "(none)");
	free(l);
	free(lines);

	/* restarted: nothing is sent twice */
	kill(serve, SIGTERM);
	waitpid(serve, NULL, 0);
	serve = tu_serve_start(tu_bin("posture-collector"), data, port, NULL, log);
	{
		char *argv[] = { (char *)tu_bin("posture-collector"),
			         "device",
			         "revoke",
			         "--dir",
			         data,
			         "no-such-device",
			         NULL };

		tu_run(argv, NULL, NULL); /* not a device: no entry */
	}
	{
		char *argv[] = {
			(char *)tu_bin("posture-collector"), "secret", "add", "--dir", data, NULL
		};

		assert_int_equal(tu_run(argv, NULL, NULL), 0);
	}
	if (wait_lines(out, 6) < 0)
		fail_msg("expected secret.add at rsyslog after the restart");
	/* a second pass of the sender (each second) would send a duplicate now */
	usleep(1500000);
	lines = tu_slurp(out);
	{
		int n = 0;

		for (const char *p = lines; *p; p++)
			n += *p == '\n';
		if (n != 6)
			fail_msg("expected 6 messages in all (none twice); came %d:\n%s", n, lines);
	}
	free(lines);
	/* and the JSON lines export of the same changes */
	{
		char *argv[] = { (char *)tu_bin("posture-collector"), "changes", "--dir", data,
			         NULL };
		char *json = NULL;

		assert_int_equal(tu_run(argv, &json, NULL), 0);
		if (strstr(json, "\"check\":\"disk\"") == NULL ||
		    strstr(json, "\"to\":\"fail\"") == NULL || strstr(json, "\"seq\"") != NULL)
			fail_msg("expected the changes as JSON lines; came %s", json);
		free(json);
	}
	kill(serve, SIGTERM);
	waitpid(serve, NULL, 0);
	kill(rsyslog, SIGTERM);
	waitpid(rsyslog, NULL, 0);
	tu_rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(audit_and_changes_reach_rsyslog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
