/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config: posture.ini keys, defaults and errors.
 */
#include "config.h"
#include "testutil.h"

static void good_and_bad(void **state)
{
	char *dir = tu_mkdtemp(), path[4200];
	struct config cfg;
	struct diags d;

	(void)state;
	tu_write(dir, "ok.ini",
	         "[collector]\nurl = https://collector.example.com:8443\n"
	         "ca = /etc/posture/collector-ca.pem\npin =\n[agent]\ninterval = 30m\n"
	         "spool_max_mb = 2\nspool_max_age = 2d\nstatus_socket = /tmp/p.sock\n");
	snprintf(path, sizeof(path), "%s/ok.ini", dir);
	diags_init(&d, path);
	assert_int_equal(config_load(path, &cfg, &d), 0);
	assert_string_equal(cfg.collector_url, "https://collector.example.com:8443");
	assert_null(cfg.collector_pin);
	assert_int_equal(cfg.interval_secs, 1800);
	assert_string_equal(cfg.policy_path, CONFIG_DEFAULT_POLICY);
	assert_string_equal(cfg.state_dir, CONFIG_DEFAULT_STATE_DIR);
	assert_int_equal(cfg.spool_max_bytes, 2 * 1024 * 1024);
	assert_int_equal(cfg.spool_max_age, 2 * 86400);
	assert_string_equal(cfg.status_socket, "/tmp/p.sock");
	config_free(&cfg);
	diags_free(&d);

	tu_write(dir, "defaults.ini", "[agent]\n");
	snprintf(path, sizeof(path), "%s/defaults.ini", dir);
	assert_int_equal(config_load(path, &cfg, &d), 0);
	assert_int_equal(cfg.spool_max_bytes, 50LL * 1024 * 1024);
	assert_int_equal(cfg.spool_max_age, 30LL * 86400);
	assert_string_equal(cfg.status_socket, CONFIG_DEFAULT_STATUS_SOCKET);
	config_free(&cfg);

	tu_write(dir, "bad.ini",
	         "[agent]\ninterval = 10s\nintreval = 5m\n[agent]\npolicy = /a\n"
	         "policy = /b\n");
	snprintf(path, sizeof(path), "%s/bad.ini", dir);
	diags_init(&d, path);
	assert_int_equal(config_load(path, &cfg, &d), -1);
	assert_int_equal(d.n_items, 3);
	assert_int_equal(d.items[0].line, 2);
	assert_non_null(strstr(d.items[0].msg, "out of range"));
	assert_int_equal(d.items[1].line, 3);
	assert_non_null(strstr(d.items[1].msg, "unknown key"));
	assert_int_equal(d.items[2].line, 6);
	assert_non_null(strstr(d.items[2].msg, "duplicate key"));
	diags_free(&d);

	snprintf(path, sizeof(path), "%s/missing.ini", dir);
	diags_init(&d, path);
	assert_int_equal(config_load(path, &cfg, &d), -1); /* named, so it must exist */
	diags_free(&d);
	tu_rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_and_bad),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
