/* SPDX-License-Identifier: Apache-2.0 */
/*
 * device and report: ids, timestamps, and the report document's shape.
 */
#include <jansson.h>
#include <regex.h>

#include "checks.h"
#include "device.h"
#include "timefmt.h"
#include "engine.h"
#include "report.h"
#include "testutil.h"

static void ids_and_time(void **state)
{
	/* systemd-id128 machine-id --app-specific=e104042a... -u for a machine
	 * whose id is 5f1b7c2e9d8a4b6f8e3c0a1d2b4c6e8f, worked out with
	 * `openssl mac -digest SHA256 -macopt hexkey:5f1b... HMAC` over the app id
	 * and the version 4 bits set as systemd sets them. */
	static const unsigned char machine[16] = { 0x5f, 0x1b, 0x7c, 0x2e, 0x9d, 0x8a, 0x4b, 0x6f,
		                                   0x8e, 0x3c, 0x0a, 0x1d, 0x2b, 0x4c, 0x6e, 0x8f };
	char id[37], a[37], b[37], now[32];

	(void)state;
	assert_int_equal(device_id_from_machine_id(machine, id), 0);
	assert_string_equal(id, "5f047f73-844d-4ff9-bbf0-47e9e9df0dc2");
	assert_int_equal(device_uuid4(a), 0);
	assert_int_equal(device_uuid4(b), 0);
	assert_string_not_equal(a, b);
	assert_true(
	    tu_matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", a));
	time_now_rfc3339(now);
	assert_true(
	    tu_matches("^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z$", now));
}

static void report_document(void **state)
{
	const char *text = "[policy]\nname = r\nversion = 1\n"
	                   "[check.ok]\ntype = os_version\ndebian = 12\n"
	                   "[check.bad]\ntype = os_version\nseverity = low\ndebian = 13\n";
	struct rootfs *root;
	struct policy *p = NULL;
	struct evaluation *ev = NULL;
	struct report_meta meta;
	struct diags d;
	char err[256];
	json_t *doc, *r;

	(void)state;
	assert_int_equal(rootfs_open(&root, "tests/fixtures/roots/debian12", err, sizeof(err)), 0);
	diags_init(&d, "r.ini");
	assert_int_equal(policy_parse("r.ini", text, strlen(text), NULL, &p, &d), 0);
	assert_int_equal(engine_evaluate(p, root, ENGINE_DETAILS, &ev), 0);
	assert_int_equal(evaluation_exit_code(ev), 1);
	report_meta_init(&meta, ev, root, "9.9.9");
	doc = report_json(ev, &meta);
	assert_string_equal(json_string_value(json_object_get(doc, "schema")), "posture.report/1");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(doc, "device"), "id")),
	    "5f047f73-844d-4ff9-bbf0-47e9e9df0dc2");
	assert_false(json_is_true(json_object_get(doc, "compliant")));
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(doc, "summary"), "fail")), 1);
	r = json_array_get(json_object_get(doc, "results"), 1);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "fail");
	assert_string_equal(json_string_value(json_object_get(r, "severity")), "low");
	assert_string_equal(json_string_value(json_object_get(r, "remediation")),
	                    "Upgrade the operating system to a supported release.");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r, "expected"), "min_version")),
	    "13");
	r = json_array_get(json_object_get(doc, "results"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "remediation")), "");
	json_decref(doc);
	evaluation_free(ev);
	policy_free(p);
	diags_free(&d);
	rootfs_close(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_and_time),
		cmocka_unit_test(report_document),
	};

	return cmocka_run_group_tests_name("device_report", tests, NULL, NULL);
}
