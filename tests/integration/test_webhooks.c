/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Webhooks against a real receiver (tests/integration/webhook_receiver.py,
 * Python's http.server, checking each signature with Python's hmac): three
 * devices enroll and report non-compliant and one is revoked while the
 * receiver answers 503; the collector is stopped with those events queued,
 * started again, and the receiver comes up. Every event arrives, each
 * acknowledged once, every attempt of one event carrying the same id and
 * the same bytes, each signature valid; nothing is lost across the restart.
 */
#include <jansson.h>
#include <signal.h>
#include <sys/wait.h>

#include "testutil.h"

#define EVENTS_WANTED 7 /* 3 device.new, 3 device.noncompliant, 1 device.revoked */

static pid_t serve_start(const char *data, const char *log, int port)
{
	return tu_serve_start(tu_bin("posture-collector"), data, port, NULL, log);
}

static void serve_stop(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* what the receiver logged, one JSON document a line */
static json_t *received(const char *dir)
{
	char path[4300], *text, *line, *save = NULL;
	json_t *list = json_array();

	snprintf(path, sizeof(path), "%s/received.jsonl", dir);
	text = tu_slurp(path);
	if (text == NULL)
		return list;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *doc = json_loads(line, 0, NULL);

		if (doc != NULL)
			json_array_append_new(list, doc);
	}
	free(text);
	return list;
}

/* how many distinct event ids the receiver saw answered with STATUS (0: any) */
static size_t distinct(json_t *list, long status)
{
	json_t *seen = json_object(), *x;
	size_t i, n;

	json_array_foreach (list, i, x) {
		if (status == 0 || json_integer_value(json_object_get(x, "status")) == status) {
			const char *id = json_string_value(json_object_get(x, "event_id"));

			json_object_set_new(seen, id ? id : "", json_true());
		}
	}
	n = json_object_size(seen);
	json_decref(seen);
	return n;
}

/* waits (counting what arrived, a tenth of a second at a time, at most a
 * minute and a half) until WANT distinct events were answered STATUS */
static json_t *wait_for(const char *dir, size_t want, long status)
{
	json_t *list = NULL;

	for (int i = 0; i < 900; i++) {
		json_decref(list);
		list = received(dir);
		if (distinct(list, status) >= want)
			return list;
		usleep(100000);
	}
	fail_msg("expected %zu events answered %ld; the receiver saw %zu (%zu requests)", want,
	         status, distinct(list, status), json_array_size(list));
	return list;
}

static void delivered_across_a_restart(void **state)
{
	char *dir = tu_mkdtemp(), data[4200], secret[128], log[4300], url[128], report[4300];
	char *out = NULL, *hook_secret;
	int port = 21000 + (int)(getpid() % 5000), hook_port = port + 5000;
	pid_t serve, receiver;
	json_t *list, *x, *bodies;
	size_t i;

	(void)state;
	/* the receiver, down */
	tu_write(dir, "mode", "down\n");
	receiver = fork();
	assert_true(receiver >= 0);
	if (receiver == 0) {
		char p[16];

		snprintf(p, sizeof(p), "%d", hook_port);
		execl("/usr/bin/python3", "python3", "tests/integration/webhook_receiver.py", dir,
		      p, (char *)NULL);
		_exit(127);
	}
	for (int k = 0; k < 500 && !tu_can_connect(hook_port); k++)
		usleep(10000);
	assert_true(tu_can_connect(hook_port));

	serve = tu_collector_start(tu_bin("posture-collector"), dir, port, NULL, data, secret);
	snprintf(log, sizeof(log), "%s/serve.log", dir);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", hook_port);
	{
		char *argv[] = { (char *)tu_bin("posture-collector"),
			         "webhook",
			         "add",
			         "--dir",
			         data,
			         url,
			         NULL };

		assert_int_equal(tu_run(argv, &out, NULL), 0);
	}
	hook_secret = strstr(out, "signing secret: ");
	assert_non_null(hook_secret);
	hook_secret += strlen("signing secret: ");
	hook_secret[strcspn(hook_secret, "\n")] = '\0';
	tu_write(dir, "secret", hook_secret);
	free(out);

	/* three devices enroll and report non-compliant */
	tu_write_report(dir, "report.json", "hook.example", 0,
	                "\"pass\":0,\"fail\":1,\"error\":0,\"skip\":0",
	                "[{\"id\":\"disk\",\"type\":\"disk_encryption\",\"status\":\"fail\","
	                "\"severity\":\"high\",\"title\":\"disk\"}]");
	snprintf(report, sizeof(report), "%s/report.json", dir);
	if (tu_loadgen(data, port, port, report, "3", "0.3", &out) != 0)
		fail_msg("expected loadgen to enroll 3 devices and report; came '%s'", out);
	free(out);
	/* each event tried once and refused */
	list = wait_for(dir, 6, 503);
	json_decref(list);
	{
		char *argv[] = { (char *)tu_bin("posture-collector"),
			         "devices",
			         "--dir",
			         data,
			         "--format",
			         "json",
			         NULL };
		json_t *devices;
		char *id;

		assert_int_equal(tu_run(argv, &out, NULL), 0);
		devices = json_loads(out, 0, NULL);
		free(out);
		assert_int_equal(json_array_size(devices), 3);
		id = strdup(json_string_value(json_object_get(json_array_get(devices, 0), "id")));
		json_decref(devices);
		{
			char *rv[] = { (char *)tu_bin("posture-collector"),
				       "device",
				       "revoke",
				       "--dir",
				       data,
				       id,
				       NULL };

			assert_int_equal(tu_run(rv, NULL, NULL), 0);
		}
		free(id);
	}
	list = wait_for(dir, EVENTS_WANTED, 503);
	json_decref(list);

	/* stopped with all seven queued; started again, the receiver up */
	serve_stop(serve);
	tu_write(dir, "mode", "up\n");
	serve = serve_start(data, log, port);
	list = wait_for(dir, EVENTS_WANTED, 200);
	serve_stop(serve);

	/* one acknowledgement per event; every attempt of an event the same
	 * id and bytes; every signature valid; the types as they happened */
	bodies = json_object();
	{
		int types[3] = { 0, 0, 0 };
		json_t *acked = json_object();

		json_array_foreach (list, i, x) {
			const char *id = json_string_value(json_object_get(x, "event_id"));
			const char *body = json_string_value(json_object_get(x, "body"));
			const char *type = json_string_value(json_object_get(x, "event"));
			json_t *doc = json_object_get(x, "doc"), *had = json_object_get(bodies, id);

			if (!json_is_true(json_object_get(x, "sig_ok")))
				fail_msg("expected every signature to verify; event %s's did not",
				         id);
			if (strcmp(json_string_value(json_object_get(x, "content_type")),
			           "application/json") != 0)
				fail_msg("expected application/json");
			if (had != NULL && strcmp(json_string_value(had), body) != 0)
				fail_msg(
				    "expected event %s's attempts to carry the same bytes; came "
				    "'%s' and '%s'",
				    id, json_string_value(had), body);
			json_object_set_new(bodies, id, json_string(body));
			if (json_integer_value(json_object_get(doc, "id")) !=
			        strtoll(id, NULL, 10) ||
			    strcmp(json_string_value(json_object_get(doc, "type")), type) != 0)
				fail_msg(
				    "expected the body's id and type to be the headers'; came %s",
				    body);
			if (json_integer_value(json_object_get(x, "status")) != 200)
				continue;
			if (json_object_get(acked, id) != NULL)
				fail_msg("expected event %s acknowledged once; it came again", id);
			json_object_set_new(acked, id, json_true());
			types[0] += strcmp(type, "device.new") == 0;
			types[1] += strcmp(type, "device.noncompliant") == 0;
			types[2] += strcmp(type, "device.revoked") == 0;
		}
		if (types[0] != 3 || types[1] != 3 || types[2] != 1)
			fail_msg("expected 3 device.new, 3 device.noncompliant, 1 device.revoked "
			         "delivered; came %d, %d, %d",
			         types[0], types[1], types[2]);
		json_decref(acked);
	}
	json_decref(bodies);
	json_decref(list);
	{
		char *argv[] = { (char *)tu_bin("posture-collector"),
			         "webhook",
			         "list",
			         "--dir",
			         data,
			         "--format",
			         "json",
			         NULL };
		json_t *hooks;

		assert_int_equal(tu_run(argv, &out, NULL), 0);
		hooks = json_loads(out, 0, NULL);
		if (json_integer_value(json_object_get(json_array_get(hooks, 0), "delivered")) !=
		        EVENTS_WANTED ||
		    json_integer_value(json_object_get(json_array_get(hooks, 0), "pending")) != 0)
			fail_msg("expected webhook list to say 7 delivered, none pending; came %s",
			         out);
		json_decref(hooks);
		free(out);
	}
	kill(receiver, SIGTERM);
	waitpid(receiver, NULL, 0);
	tu_rm_rf(dir);
	free(dir);
}

/* Bad input says what is wrong: a URL that is neither https:// nor the
 * loopback's http://, an event type that does not exist. */
static void bad_webhooks_refused(void **state)
{
	char *dir = tu_mkdtemp(), data[4300], *err = NULL;

	(void)state;
	snprintf(data, sizeof(data), "%s/data", dir);
	{
		char *argv[] = { (char *)tu_bin("posture-collector"), "init", "--dir", data, NULL };

		assert_int_equal(tu_run(argv, NULL, NULL), 0);
	}
	{
		char *argv[] = {
			(char *)tu_bin("posture-collector"), "webhook", "add", "--dir", data,
			"http://siem.example.com/hook",      NULL
		};

		if (tu_run(argv, NULL, &err) != 2 || strstr(err, "is not a webhook URL") == NULL)
			fail_msg("expected plain http:// to another host refused; came '%s'", err);
		free(err);
	}
	{
		char *argv[] = { (char *)tu_bin("posture-collector"),
			         "webhook",
			         "add",
			         "--dir",
			         data,
			         "https://siem.example.com/hook",
			         "--events",
			         "device.new,device.gone",
			         NULL };

		err = NULL;
		if (tu_run(argv, NULL, &err) != 2 || strstr(err, "--events") == NULL)
			fail_msg("expected an unknown event type refused; came '%s'", err);
		free(err);
	}
	tu_rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_webhooks_refused),
		cmocka_unit_test(delivered_across_a_restart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
