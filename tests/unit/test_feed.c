/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Release feeds (lib/feed.c) read from their publishers' real documents
 * (tests/fixtures/feeds/README.md): the format told by the content, every
 * release with its first publication, and a document that is not a feed
 * refused with what is wrong.
 */
#include "feed.h"
#include "testutil.h"

#define FEEDS "tests/fixtures/feeds/"

static int read_feed(const char *rel, const char *product, struct feed *f, char *err,
                     size_t err_len)
{
	char path[256], *text;
	int rc;

	snprintf(path, sizeof(path), FEEDS "%s", rel);
	text = tu_slurp(path);
	if (text == NULL)
		fail_msg("cannot read %s", path);
	rc = feed_parse(text, strlen(text), product, f, err, err_len);
	free(text);
	return rc;
}

static const struct feed_release *find(const struct feed *f, const char *product,
                                       const char *version)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->r[i].product, product) == 0 && strcmp(f->r[i].version, version) == 0)
			return &f->r[i];
	return NULL;
}

static void apple_pmv(void **state)
{
	struct feed f;
	char err[256] = "";
	const struct feed_release *r;
	long long aug7;

	(void)state;
	if (read_feed("apple/gdmf-pmv-2024-08.json", NULL, &f, err, sizeof(err)) != 0)
		fail_msg("expected Apple's pmv read, came '%s'", err);
	assert_int_equal(f.format, FEED_APPLE_PMV);
	assert_int_equal(f.n, 4);
	assert_int_equal(feed_time("2024-08-07", &aug7), 0);
	r = find(&f, "macos", "14.6.1");
	if (r == NULL || r->published != aug7 || f.newest != aug7)
		fail_msg("expected macOS 14.6.1 posted 2024-08-07 (%lld), came %lld", aug7,
		         r ? r->published : -9);
	assert_non_null(find(&f, "macos", "11.7.10"));
	feed_free(&f);
	/* a version in both asset sets counts once, from its first posting */
	{
		static const char two[] =
		    "{\"PublicAssetSets\":{\"macOS\":[{\"ProductVersion\":\"14.6.1\","
		    "\"PostingDate\":\"2024-08-07\"}]},\"AssetSets\":{\"macOS\":[{"
		    "\"ProductVersion\":\"14.6.1\",\"PostingDate\":\"2024-08-01\"},{"
		    "\"ProductVersion\":\"14.6\",\"PostingDate\":\"2024-07-29\"}]}}";
		long long aug1;

		assert_int_equal(feed_parse(two, strlen(two), NULL, &f, err, sizeof(err)), 0);
		assert_int_equal(feed_time("2024-08-01", &aug1), 0);
		r = find(&f, "macos", "14.6.1");
		if (f.n != 2 || r == NULL || r->published != aug1)
			fail_msg("expected 14.6.1 once, posted 2024-08-01, came %zu releases, %lld",
			         f.n, r ? r->published : -9);
		feed_free(&f);
	}
}

static void mozilla(void **state)
{
	struct feed f;
	char err[256] = "";
	const struct feed_release *r;
	long long t;

	(void)state;
	if (read_feed("mozilla/firefox_versions.json", NULL, &f, err, sizeof(err)) != 0)
		fail_msg("expected firefox_versions.json read, came '%s'", err);
	assert_int_equal(f.format, FEED_MOZILLA_VERSIONS);
	if (find(&f, "firefox", "46.0") == NULL || find(&f, "firefox-esr", "38.8.0") == NULL)
		fail_msg("expected Firefox 46.0 and ESR 38.8.0");
	assert_int_equal(f.newest, -1); /* the current versions carry no dates */
	feed_free(&f);
	/* the history names no product: its file name does */
	if (read_feed("mozilla/firefox_history_major_releases.json", NULL, &f, err, sizeof(err)) ==
	        0 ||
	    strstr(err, "names no product") == NULL)
		fail_msg("expected a history without its product refused, came '%s'", err);
	if (read_feed("mozilla/firefox_history_major_releases.json", "firefox", &f, err,
	              sizeof(err)) != 0)
		fail_msg("expected the history read, came '%s'", err);
	assert_int_equal(f.format, FEED_MOZILLA_HISTORY);
	assert_int_equal(f.n, 50);
	r = find(&f, "firefox", "14.0.1");
	assert_int_equal(feed_time("2012-07-17", &t), 0);
	assert_non_null(r);
	assert_int_equal(r->published, t);
	/* sorted by first publication: 1.0 first, 46.0 last */
	assert_string_equal(f.r[0].version, "1.0");
	assert_string_equal(f.r[f.n - 1].version, "46.0");
	feed_free(&f);
}

static void posture_feed_and_refusals(void **state)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "[]", "no Stable release" },
		{ "7", "not a JSON object" },
		{ "{\"format\":\"posture.feed/2\"}", "is not posture.feed/1" },
		{ "{\"format\":\"posture.feed/1\",\"product\":\"Bad Name\",\"releases\":[]}",
		  "lower-case letters" },
		{ "{\"format\":\"posture.feed/1\",\"product\":\"x\",\"releases\":[{\"version\":"
		  "\"1.0\",\"released_at\":\"yesterday\"}]}",
		  "releases[0] needs" },
		{ "{\"format\":\"posture.feed/1\",\"product\":\"x\",\"releases\":[{\"version\":"
		  "\"1.0\",\"released_at\":\"2026-01-01\",\"exploited\":\"yes\"}]}",
		  "releases[0] needs" },
		{ "{\"format\":\"posture.feed/1\",\"product\":\"x\",\"releases\":[{\"version\":"
		  "\"beta\",\"released_at\":\"2026-01-01\"}]}",
		  "not a release version" },
		{ "{\"format\":\"posture.feed/1\",\"product\":\"x\",\"releases\":[]}",
		  "no release in it" },
		{ "{\"PublicAssetSets\":{\"macOS\":[{\"ProductVersion\":\"15.0\"}]}}",
		  "no ProductVersion or no PostingDate" },
		{ "{\"1.0\":\"2004-02-30\"}", "not a date" },
		{ "{\"1.0\":\"2023-02-29\"}", "not a date" }, /* no leap year */
	};
	struct feed f;
	char err[256] = "";
	const struct feed_release *r;

	(void)state;
	if (read_feed("posture/example-app.json", NULL, &f, err, sizeof(err)) != 0)
		fail_msg("expected the example posture.feed/1 read, came '%s'", err);
	assert_int_equal(f.format, FEED_POSTURE);
	r = find(&f, "example-app", "2.4.1");
	if (r == NULL || r->security != 1 || r->exploited != 1)
		fail_msg("expected 2.4.1 a security release, exploited");
	r = find(&f, "example-app", "2.4.0");
	assert_non_null(r);
	assert_int_equal(r->exploited, -1);
	feed_free(&f);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (feed_parse(bad[i].text, strlen(bad[i].text), "x", &f, err, sizeof(err)) == 0 ||
		    strstr(err, bad[i].why) == NULL)
			fail_msg("'%s': expected refused for '%s', came '%s'", bad[i].text,
			         bad[i].why, err);
	}
}

static void chrome(void **state)
{
	struct feed f;
	char err[256] = "";
	const struct feed_release *r;
	long long t;

	(void)state;
	/* 27 records of 20 versions, some served twice (two fraction groups) */
	if (read_feed("chrome/mac-stable-2026-09-18.json", NULL, &f, err, sizeof(err)) != 0)
		fail_msg("expected Google's VersionHistory read, came '%s'", err);
	assert_int_equal(f.format, FEED_CHROME_HISTORY);
	if (f.n != 20)
		fail_msg("expected 20 versions, came %zu", f.n);
	r = find(&f, "chrome-mac", "150.0.7871.115");
	assert_int_equal(feed_time("2026-07-08T22:28:07.594641Z", &t), 0);
	if (r == NULL || r->published != t)
		fail_msg("expected 150.0.7871.115 from its first serving (%lld), came %lld", t,
		         r ? r->published : -9);
	assert_non_null(find(&f, "chrome-mac", "153.0.8010.53"));
	feed_free(&f);

	/* staged rollouts (fraction < 1) are not releases yet */
	if (read_feed("chrome/mac-stable-serving-2026-09-18.json", NULL, &f, err, sizeof(err)) != 0)
		fail_msg("expected the serving list read, came '%s'", err);
	if (f.n != 1 || find(&f, "chrome-mac", "153.0.8010.53") == NULL)
		fail_msg("expected only 153.0.8010.53 (fully served), came %zu releases", f.n);
	feed_free(&f);

	if (read_feed("chrome/linux-stable-151.json", NULL, &f, err, sizeof(err)) != 0 ||
	    find(&f, "chrome-linux", "151.0.7922.108") == NULL)
		fail_msg("expected chrome-linux 151.0.7922.108, came '%s'", err);
	feed_free(&f);

	assert_int_equal(
	    read_feed("chrome/win-stable-131-rollout.json", NULL, &f, err, sizeof(err)), -1);
	if (strstr(err, "still rolling out") == NULL)
		fail_msg("expected a rollout-only feed refused as such, came '%s'", err);

	{
		static const char bad[] = "{\"releases\":[{\"name\":\"x\",\"version\":\"1.0\"}]}";

		assert_int_equal(feed_parse(bad, strlen(bad), NULL, &f, err, sizeof(err)), -1);
		if (strstr(err, "releases[0]") == NULL)
			fail_msg("expected releases[0] named, came '%s'", err);
	}
	{
		/* a malformed name under chrome/platforms/ is refused, not taken
		 * for a platform judged nowhere here; android is skipped */
		static const char cut[] = "{\"releases\":[{\"name\":\"chrome/platforms/win\","
		                          "\"version\":\"1.0\"}]}";
		static const char android[] =
		    "{\"releases\":[{\"name\":\"chrome/platforms/android/channels/stable/"
		    "versions/1.0/releases/1\",\"version\":\"1.0\"}]}";

		assert_int_equal(feed_parse(cut, strlen(cut), NULL, &f, err, sizeof(err)), -1);
		if (strstr(err, "releases[0] has no chrome/platforms/P/channels/C") == NULL)
			fail_msg("expected the cut name refused, came '%s'", err);
		assert_int_equal(feed_parse(android, strlen(android), NULL, &f, err, sizeof(err)),
		                 -1);
		if (strstr(err, "no release in it") == NULL)
			fail_msg("expected android skipped (no release left), came '%s'", err);
	}
}

static void edge(void **state)
{
	struct feed f;
	char err[256] = "";
	const struct feed_release *r;
	long long t;

	(void)state;
	if (read_feed("edge/products-2024-05.json", NULL, &f, err, sizeof(err)) != 0)
		fail_msg("expected Microsoft's products list read, came '%s'", err);
	assert_int_equal(f.format, FEED_EDGE_PRODUCTS);
	/* iOS and EdgeUpdate are not judged here */
	if (f.n != 2)
		fail_msg("expected 2 releases (Windows, Linux), came %zu", f.n);
	r = find(&f, "edge-win", "124.0.2478.97");
	assert_int_equal(feed_time("2024-05-11T06:47:00Z", &t), 0);
	if (r == NULL || r->published != t || r->security != 1)
		fail_msg("expected edge-win 124.0.2478.97 of 2024-05-11T06:47 with CVEs, came %lld",
		         r ? r->published : -9);
	assert_non_null(find(&f, "edge-linux", "124.0.2478.97"));
	feed_free(&f);
	{
		static const char bad[] = "[{\"Product\":\"Stable\",\"Releases\":[{\"Platform\":"
		                          "\"Windows\",\"ProductVersion\":\"1.2\"}]}]";

		assert_int_equal(feed_parse(bad, strlen(bad), NULL, &f, err, sizeof(err)), -1);
		if (strstr(err, "Stable.Releases[0]") == NULL)
			fail_msg("expected Stable.Releases[0] named, came '%s'", err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(apple_pmv),
		cmocka_unit_test(mozilla),
		cmocka_unit_test(posture_feed_and_refusals),
		cmocka_unit_test(chrome),
		cmocka_unit_test(edge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
