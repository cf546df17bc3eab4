/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bar a `latest` minimum sets (lib/feedset.c), judged on the
 * publishers' real documents (tests/fixtures/feeds/README.md) with a fake
 * clock set relative to their dates: exactly at the bar, one release
 * behind within grace, outside it; an exploited release's short grace; a
 * stale feed and a missing one; Firefox ESR judged within its line; Chrome
 * on Linux, Windows and macOS alike; latest-N.
 */
#include "feedset.h"
#include "testutil.h"

#define FEEDS "tests/fixtures/feeds/"
#define DAY 86400LL

static long long at(const char *when)
{
	long long t;

	if (feed_time(when, &t) != 0)
		fail_msg("bad time in the test: %s", when);
	return t;
}

/* Adds the fixture REL to FS as fetched AS_OF; TWEAK_FROM/TO, when set,
 * replace one string of it first (said where used). */
static void add_fixture(struct feedset *fs, const char *rel, long long as_of,
                        const char *tweak_from, const char *tweak_to)
{
	char path[256], *text, *hit;
	const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;

	snprintf(path, sizeof(path), FEEDS "%s", rel);
	text = tu_slurp(path);
	if (text == NULL)
		fail_msg("cannot read %s", path);
	if (tweak_from != NULL) {
		hit = strstr(text, tweak_from);
		if (hit == NULL || strlen(tweak_to) != strlen(tweak_from))
			fail_msg("the test's tweak of %s does not apply", rel);
		memcpy(hit, tweak_to, strlen(tweak_to));
	}
	assert_int_equal(feedset_add(fs, name, as_of, text, strlen(text)), 0);
	if (fs->s[fs->n - 1].refused[0] && tweak_from == NULL && strstr(rel, "rollout") == NULL)
		fail_msg("%s refused: %s", rel, fs->s[fs->n - 1].refused);
	free(text);
}

static struct feed_rule rule(int grace, int behind)
{
	struct feed_rule r = { .behind = behind,
		               .grace_days = grace,
		               .grace_exploited = 2,
		               .max_age_days = 10,
		               .esr_major = 0 };
	return r;
}

static void expect_bar(const struct feedset *fs, const char *product, const char *installed,
                       struct feed_rule r, long long now, int ok, const char *bar_version)
{
	struct feed_bar bar;
	char err[512] = "";

	if (feedset_judge(fs, product, installed, &r, now, &bar, err, sizeof(err)) != 0)
		fail_msg("%s %s: expected a bar %s, came the error '%s'", product, installed,
		         bar_version, err);
	if (bar.ok != ok || strcmp(bar.version, bar_version) != 0)
		fail_msg("%s %s: expected %s against %s, came %s against %s", product, installed,
		         ok ? "meets" : "older", bar_version, bar.ok ? "meets" : "older",
		         bar.version);
}

static void expect_error(const struct feedset *fs, const char *product, const char *installed,
                         struct feed_rule r, long long now, const char *why)
{
	struct feed_bar bar;
	char err[512] = "";

	if (feedset_judge(fs, product, installed, &r, now, &bar, err, sizeof(err)) == 0 ||
	    strstr(err, why) == NULL)
		fail_msg("%s %s: expected no bar because '%s', came '%s' (bar %s)", product,
		         installed, why, err, bar.version);
}

static void chrome_grace(void **state)
{
	struct feedset fs = { .dir = "feeds" };
	long long fetched = at("2026-09-18T12:00:00Z"), now = at("2026-09-20T00:00:00Z");
	struct feed_bar bar;
	char err[256];
	struct feed_rule r14 = rule(14, 0);

	(void)state;
	add_fixture(&fs, "chrome/mac-stable-2026-09-18.json", fetched, NULL, NULL);
	/* on 2026-09-20 with 14 days, the newest release out by 2026-09-06 is
	 * 152.0.7977.83 (2026-09-03); 153.0.8010.37 (09-08) and .53 (09-17)
	 * are within their grace */
	expect_bar(&fs, "chrome-mac", "152.0.7977.83", r14, now, 1, "152.0.7977.83");
	expect_bar(&fs, "chrome-mac", "153.0.8010.53", r14, now, 1, "152.0.7977.83");
	expect_bar(&fs, "chrome-mac", "152.0.7977.76", r14, now, 0, "152.0.7977.83");
	assert_int_equal(
	    feedset_judge(&fs, "chrome-mac", "152.0.7977.83", &r14, now, &bar, err, sizeof(err)),
	    0);
	/* the next to set the bar is 153.0.8010.37, 14 days after 09-08 */
	if (strcmp(bar.newest, "153.0.8010.37") != 0 ||
	    bar.newest_due != at("2026-09-08T21:19:25.472140Z") + 14 * DAY)
		fail_msg("expected 153.0.8010.37 due 14 days after 2026-09-08, came %s",
		         bar.newest);
	/* on 09-23, 153.0.8010.37 is the bar; on 10-02, 153.0.8010.53 (the
	 * feed's age allowed) */
	expect_bar(&fs, "chrome-mac", "152.0.7977.83", r14, at("2026-09-23T00:00:00Z"), 0,
	           "153.0.8010.37");
	r14.max_age_days = 30;
	expect_bar(&fs, "chrome-mac", "152.0.7977.83", r14, at("2026-10-02T00:00:00Z"), 0,
	           "153.0.8010.53");
	/* no grace: the newest release is the bar at once */
	expect_bar(&fs, "chrome-mac", "153.0.8010.48", rule(0, 0), now, 0, "153.0.8010.53");
	feedset_free(&fs);
}

static void exploited_stale_missing(void **state)
{
	struct feedset fs = { .dir = "feeds" };
	long long now = at("2026-11-24T00:00:00Z");

	(void)state;
	/* example-app: 2.4.0 of 2026-11-02, 2.4.1 of 2026-11-20 exploited */
	add_fixture(&fs, "posture/example-app.json", now - DAY, NULL, NULL);
	expect_bar(&fs, "example-app", "2.4.0", rule(14, 0), now, 0, "2.4.1");
	expect_bar(&fs, "example-app", "2.4.1", rule(14, 0), now, 1, "2.4.1");
	/* two days before: the exploited release is still within its two */
	expect_bar(&fs, "example-app", "2.4.0", rule(14, 0), at("2026-11-21T00:00:00Z"), 1,
	           "2.4.0");
	/* the same feed eleven days after it was fetched is stale */
	expect_error(&fs, "example-app", "2.4.1", rule(14, 0), now + 10 * DAY,
	             "older than max_feed_age_days = 10");
	/* a product no feed carries; a refused file is named with it */
	assert_int_equal(feedset_add(&fs, "broken.json", now, "{\"format\":1}", 12), 0);
	expect_error(&fs, "brave", "1.61.109", rule(14, 0), now,
	             "no feed in feeds gives brave releases (refused: broken.json");
	/* grace longer than the feed's history (an exploited release too) */
	{
		struct feed_rule r60 = rule(60, 0);

		r60.grace_exploited = 60;
		expect_error(&fs, "example-app", "2.4.1", r60, now,
		             "no example-app release published 60 or more days ago");
	}
	feedset_free(&fs);
}

static void firefox_esr(void **state)
{
	struct feedset fs = { .dir = "feeds" };
	long long now = at("2016-05-20T00:00:00Z");
	struct feed_rule esr = rule(14, 0);

	(void)state;
	add_fixture(&fs, "mozilla/firefox_history_major_releases.json", now - DAY, NULL, NULL);
	add_fixture(&fs, "mozilla/firefox_history_stability_releases.json", now - DAY, NULL, NULL);
	add_fixture(&fs, "mozilla/firefox_versions.json", now - DAY, NULL, NULL);
	/* rapid release: 46.0 of 2016-04-26 is the bar */
	expect_bar(&fs, "firefox", "45.1.0", rule(14, 0), now, 0, "46.0");
	expect_bar(&fs, "firefox", "46.0", rule(14, 0), now, 1, "46.0");
	/* ESR 38 within its line: 38.8.0 of 2016-04-26, not 46.0 */
	esr.esr_major = 38;
	expect_bar(&fs, "firefox", "38.8.0esr", esr, now, 1, "38.8.0");
	expect_bar(&fs, "firefox", "38.7.1esr", esr, now, 0, "38.8.0");
	/* Mozilla's versions file says which ESR lines live: 38, not 31 */
	assert_int_equal(feedset_esr_supported(&fs, 38), 1);
	assert_int_equal(feedset_esr_supported(&fs, 31), 0);
	feedset_free(&fs);
}

static void chrome_three_platforms(void **state)
{
	struct feedset fs = { .dir = "feeds" };
	long long now = at("2026-09-20T00:00:00Z");

	(void)state;
	add_fixture(&fs, "chrome/linux-stable-151.json", now - DAY, NULL, NULL);
	add_fixture(&fs, "chrome/mac-stable-2026-09-18.json", now - DAY, NULL, NULL);
	/* Windows: Chromium's own test answer, a staged rollout, is no
	 * release; the same record fully served (fraction 1) is one */
	add_fixture(&fs, "chrome/win-stable-131-rollout.json", now - DAY, NULL, NULL);
	expect_error(&fs, "chrome-win", "131.0.6778.205", rule(14, 0), now,
	             "win-stable-131-rollout.json no release served to every user");
	add_fixture(&fs, "chrome/win-stable-131-rollout.json", now - DAY, "\"fraction\": 0.4975",
	            "\"fraction\": 1.0000");
	expect_bar(&fs, "chrome-win", "131.0.6778.205", rule(14, 0), now, 1, "131.0.6778.205");
	expect_bar(&fs, "chrome-win", "131.0.6778.204", rule(14, 0), now, 0, "131.0.6778.205");
	expect_bar(&fs, "chrome-linux", "150.0.7871.187", rule(14, 0), now, 0, "151.0.7922.108");
	expect_bar(&fs, "chrome-linux", "151.0.7922.108", rule(14, 0), now, 1, "151.0.7922.108");
	/* each platform by its own feed: mac's bar is not Linux's */
	expect_bar(&fs, "chrome-mac", "151.0.7922.108", rule(14, 0), now, 0, "152.0.7977.83");
	feedset_free(&fs);
}

static void latest_n(void **state)
{
	struct feedset fs = { .dir = "feeds" };
	long long now = at("2026-09-20T00:00:00Z");

	(void)state;
	add_fixture(&fs, "chrome/mac-stable-2026-09-18.json", now - DAY, NULL, NULL);
	/* latest-1 when 152 is the bar's major: 151's newest, 151.0.7922.174 */
	expect_bar(&fs, "chrome-mac", "151.0.7922.174", rule(14, 1), now, 1, "151.0.7922.174");
	expect_bar(&fs, "chrome-mac", "151.0.7922.138", rule(14, 1), now, 0, "151.0.7922.174");
	expect_bar(&fs, "chrome-mac", "150.0.7871.187", rule(14, 1), now, 0, "151.0.7922.174");
	expect_bar(&fs, "chrome-mac", "152.0.7977.83", rule(14, 1), now, 1, "152.0.7977.83");
	expect_bar(&fs, "chrome-mac", "150.0.7871.187", rule(14, 2), now, 1, "150.0.7871.187");
	/* latest-5 allows 148, of which the feed (from 149) knows nothing: no
	 * bar, rather than 152's, which would refuse what latest-5 allows */
	expect_error(&fs, "chrome-mac", "148.0.7778.96", rule(14, 5), now,
	             "no chrome-mac 148.x release published 14 or more days ago");
	assert_int_equal(feedset_rule_parse("latest-100", &(int){ 0 }), 0);
	assert_int_equal(feedset_rule_parse("latest-0", &(int){ 0 }), 0);
	assert_int_equal(feedset_rule_parse("latest-3x", &(int){ 0 }), 0);
	feedset_free(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chrome_grace), cmocka_unit_test(exploited_stale_missing),
		cmocka_unit_test(firefox_esr),  cmocka_unit_test(chrome_three_platforms),
		cmocka_unit_test(latest_n),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
