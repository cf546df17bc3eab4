/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `latest` minimums end to end: `posture check --feeds DIR` on a fixture
 * root with browsers at known versions (tests/fixtures/roots/ubuntu-
 * browsers: Chrome 131.0.6778.85, Firefox 133.0.3, 132.0.2 and
 * 128.5.1esr), against feeds written here with dates relative to today
 * (posture.feed/1, and Mozilla's firefox_versions.json shape for the ESR
 * lines), their fetch times set with utimes(): at the bar, one release
 * behind within grace, outside it, exploited, stale, missing, ESR.
 */
#include <jansson.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

#include "testutil.h"

#define ROOT "tests/fixtures/roots/ubuntu-browsers"
#define DAY 86400LL

static char *dir;

static void day_of(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

/* A posture.feed/1 file NAME for PRODUCT: VERSIONS[i] released AGO[i] days
 * ago, exploited where EXPLOITED[i]; fetched FETCHED_AGO days ago. */
static void feed(const char *name, const char *product, int n, const char *const *versions,
                 const int *ago, const int *exploited, int fetched_ago)
{
	char text[4096], rel[16], path[512];
	size_t used;
	long long now = (long long)time(NULL);
	struct timeval tv[2];

	used = (size_t)snprintf(text, sizeof(text),
	                        "{\"format\": \"posture.feed/1\", \"product\": \"%s\", "
	                        "\"releases\": [",
	                        product);
	for (int i = 0; i < n; i++) {
		day_of(now - ago[i] * DAY, rel, sizeof(rel));
		used += (size_t)snprintf(text + used, sizeof(text) - used,
		                         "%s{\"version\": \"%s\", \"released_at\": \"%s\"%s}",
		                         i ? ", " : "", versions[i], rel,
		                         exploited && exploited[i] ? ", \"exploited\": true" : "");
	}
	snprintf(text + used, sizeof(text) - used, "]}\n");
	tu_write(dir, name, text);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	tv[0].tv_sec = tv[1].tv_sec = (time_t)(now - fetched_ago * DAY);
	tv[0].tv_usec = tv[1].tv_usec = 0;
	assert_int_equal(utimes(path, tv), 0);
}

static const char *root = ROOT; /* the system judged */

/* A policy of one check of TYPE (browser_version unless said) with KEYS. */
static void policy_of(const char *type, const char *keys)
{
	char text[1024];

	snprintf(text, sizeof(text),
	         "[policy]\nname = latest\nversion = 1\n\n[check.latest]\n"
	         "type = %s\ngrace_days = 14\n%s\n",
	         type, keys);
	tu_write(dir, "policy.ini", text);
}

static void policy(const char *keys)
{
	policy_of("browser_version", keys);
}

/* Runs the check; the browsers result's status and message. */
static void judge(char *status, size_t status_len, char *message, size_t message_len)
{
	char pol[512], feeds[512], *out = NULL, *err = NULL;
	char *argv[] = { (char *)tu_posture(), "check", "--root",  (char *)root,
		         "--policy",           pol,     "--feeds", feeds,
		         "--format",           "json",  NULL };
	json_t *doc, *r;
	json_error_t je;

	snprintf(pol, sizeof(pol), "%s/policy.ini", dir);
	snprintf(feeds, sizeof(feeds), "%s/feeds", dir);
	tu_run(argv, &out, &err);
	doc = out ? json_loads(out, 0, &je) : NULL;
	if (doc == NULL)
		fail_msg("expected a JSON report, came '%s' (stderr '%s')", out ? out : "",
		         err ? err : "");
	r = json_array_get(json_object_get(doc, "results"), 0);
	snprintf(status, status_len, "%s", json_string_value(json_object_get(r, "status")));
	snprintf(message, message_len, "%s", json_string_value(json_object_get(r, "message")));
	json_decref(doc);
	free(out);
	free(err);
}

static void expect(const char *want_status, const char *want_in_message)
{
	char status[16], message[2048];

	judge(status, sizeof(status), message, sizeof(message));
	if (strcmp(status, want_status) != 0 || strstr(message, want_in_message) == NULL)
		fail_msg("expected %s with '%s', came %s: %s", want_status, want_in_message, status,
		         message);
}

static int setup(void **state)
{
	char feeds[512];

	(void)state;
	dir = tu_mkdtemp();
	snprintf(feeds, sizeof(feeds), "%s/feeds", dir);
	assert_int_equal(mkdir(feeds, 0700), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rm_rf(dir);
	free(dir);
	return 0;
}

static const char *const chrome_versions[] = { "131.0.6778.85", "131.0.6778.108" };

static void chrome_grace(void **state)
{
	char due[16];

	(void)state;
	policy("chrome = latest");
	/* exactly at the bar; the newer release five days old, within grace */
	feed("feeds/chrome.json", "chrome-linux", 2, chrome_versions, (const int[]){ 20, 5 }, NULL,
	     1);
	day_of((long long)time(NULL) + 9 * DAY, due, sizeof(due));
	expect("pass", "chrome 131.0.6778.108 is due by ");
	expect("pass", due);
	/* the newer release twenty days old: outside its grace */
	feed("feeds/chrome.json", "chrome-linux", 2, chrome_versions, (const int[]){ 40, 20 }, NULL,
	     1);
	expect("fail", "Chrome 131.0.6778.85 (deb) is older than 131.0.6778.108, the chrome-linux "
	               "release that is due");
	/* three days old but exploited: two days of grace */
	feed("feeds/chrome.json", "chrome-linux", 2, chrome_versions, (const int[]){ 20, 3 },
	     (const int[]){ 0, 1 }, 1);
	expect("fail", "exploited");
	/* the same feed fetched eleven days ago: stale */
	feed("feeds/chrome.json", "chrome-linux", 2, chrome_versions, (const int[]){ 20, 5 }, NULL,
	     11);
	expect("error", "older than max_feed_age_days = 10");
	/* no feed of Chrome at all */
	tu_write(dir, "feeds/chrome.json", "{\"format\": \"posture.feed/1\"}\n");
	expect("error", "no feed in ");
	expect("error", "gives chrome-linux releases (refused: chrome.json");
}

static void firefox_esr(void **state)
{
	static const char *const fx[] = { "134.0", "128.5.1", "128.5.2" };
	char versions[256];

	(void)state;
	policy("firefox = latest");
	tu_write(dir, "feeds/chrome.json", "{}\n");
	feed("feeds/firefox.json", "firefox", 3, fx, (const int[]){ 30, 30, 5 }, NULL, 1);
	/* Mozilla's current versions, as product-details writes them */
	snprintf(versions, sizeof(versions),
	         "{\"LATEST_FIREFOX_VERSION\": \"134.0\", \"FIREFOX_ESR\": \"128.5.2esr\", "
	         "\"FIREFOX_ESR_NEXT\": \"\"}\n");
	tu_write(dir, "feeds/firefox_versions.json", versions);
	/* the rapid-release installs are behind 134.0; the ESR one is judged
	 * within 128, where 128.5.1 is the bar (128.5.2 within its grace) */
	expect("fail", "Firefox 133.0.3 (snap) is older than 134.0");
	{
		char status[16], message[2048];

		judge(status, sizeof(status), message, sizeof(message));
		if (strstr(message, "128.5.1esr") != NULL)
			fail_msg(
			    "expected Firefox ESR 128.5.1 judged within its line (met), came: %s",
			    message);
	}
	/* a line Mozilla no longer supports */
	tu_write(dir, "feeds/firefox_versions.json",
	         "{\"LATEST_FIREFOX_VERSION\": \"134.0\", \"FIREFOX_ESR\": \"140.1.0esr\"}\n");
	expect("fail", "128.5.1esr (tarball) is on ESR line 128, which Mozilla no longer "
	               "supports");
}

/* Fills the feed folder with COUNT posture.feed/1 files of another
 * product, named before "chrome.json" sorts. */
static void crowd(int count)
{
	static const char *const v[] = { "1.0" };
	char name[64];

	for (int i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "feeds/a%03d.json", i);
		feed(name, "other-app", 1, v, (const int[]){ 30 }, NULL, 1);
	}
}

static void too_many_files(void **state)
{
	(void)state;
	policy("chrome = latest");
	feed("feeds/chrome.json", "chrome-linux", 2, chrome_versions, (const int[]){ 20, 5 }, NULL,
	     1);
	crowd(63);
	expect("pass", "chrome 131.0.6778.108 is due by ");
	/* the 65th by name is not read, and the error says so */
	crowd(64);
	expect("error", "1 files past the first 64 by name were not read");
}

/* os_version's `macos = latest` on Mac disks, by Apple's real pmv answer
 * of August 2024 (14.6.1, 13.6.9, 12.7.6, 11.7.10, all 2024-08-07) */
static void macos_latest(void **state)
{
	char path[600], *text;
	struct timeval tv[2];

	(void)state;
	text = tu_slurp("tests/fixtures/feeds/apple/gdmf-pmv-2024-08.json");
	assert_non_null(text);
	tu_write(dir, "feeds/gdmf-pmv.json", text);
	free(text);
	snprintf(path, sizeof(path), "%s/feeds/gdmf-pmv.json", dir);
	tv[0].tv_sec = tv[1].tv_sec = time(NULL) - 3600;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	assert_int_equal(utimes(path, tv), 0);
	policy_of("os_version", "macos = latest");
	root = "tests/fixtures/macos/roots/macos-14.7.4";
	expect("pass", "macos 14.7.4 is at least 14.6.1");
	root = "tests/fixtures/macos/roots/macos-13.3.1";
	expect("fail", "macos 13.3.1 is older than 14.6.1");
	/* one major behind allowed: 13's own newest, 13.6.9, is the bar */
	policy_of("os_version", "macos = latest-1");
	expect("fail", "macos 13.3.1 is older than 13.6.9");
	root = "tests/fixtures/macos/roots/macos-14.7.4";
	expect("pass", "macos 14.7.4 is at least 14.6.1");
	root = ROOT;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(chrome_grace, setup, teardown),
		cmocka_unit_test_setup_teardown(firefox_esr, setup, teardown),
		cmocka_unit_test_setup_teardown(too_many_files, setup, teardown),
		cmocka_unit_test_setup_teardown(macos_latest, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
