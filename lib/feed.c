/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feed: see feed.h. Every value is checked for its kind and length; a
 * release that says no version, or a date that is no date, refuses the
 * feed whole, naming the entry: a feed sets the bar a device is judged
 * by, so a half-read one is never taken.
 */
#include "feed.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"

#define POSTURE_FEED_FORMAT "posture.feed/1"

const char *feed_format_name(enum feed_format f)
{
	switch (f) {
	case FEED_APPLE_PMV:
		return "apple-pmv";
	case FEED_MOZILLA_VERSIONS:
		return "mozilla-versions";
	case FEED_MOZILLA_HISTORY:
		return "mozilla-history";
	case FEED_POSTURE:
		return POSTURE_FEED_FORMAT;
	case FEED_CHROME_HISTORY:
		return "chrome-versionhistory";
	case FEED_EDGE_PRODUCTS:
		return "edge-products";
	}
	return "?";
}

int feed_time(const char *s, long long *t)
{
	char full[32];

	/* a date alone is that day's start, in UTC; a time without a zone
	 * (Edge's "2024-05-11T06:47:00") is UTC too */
	if (s != NULL && strlen(s) == 10) {
		snprintf(full, sizeof(full), "%sT00:00:00Z", s);
		s = full;
	} else if (s != NULL && strlen(s) == 19 && s[10] == 'T') {
		snprintf(full, sizeof(full), "%sZ", s);
		s = full;
	}
	return time_parse_rfc3339(s, t);
}

/* A version as feeds write them: digits and dots, with at most a short
 * suffix ("115.6.0esr", "46.0b11" is not a release and is refused). */
static int is_version(const char *v)
{
	size_t n = v ? strlen(v) : 0;

	if (n == 0 || n >= sizeof(((struct feed_release *)0)->version) ||
	    !isdigit((unsigned char)v[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)v[i]) && v[i] != '.')
			return strcmp(v + i, "esr") == 0;
	return 1;
}

static int add(struct feed *f, const char *product, const char *version, long long published,
               int security, int exploited, char *err, size_t err_len)
{
	struct feed_release *grown, *r;

	if (f->n >= FEED_MAX_RELEASES) {
		snprintf(err, err_len, "more than %d releases", FEED_MAX_RELEASES);
		return -1;
	}
	if (!is_version(version)) {
		snprintf(err, err_len, "\"%.64s\" is not a release version", version);
		return -1;
	}
	grown = realloc(f->r, (f->n + 1) * sizeof(*f->r));
	if (grown == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	f->r = grown;
	r = &f->r[f->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->product, sizeof(r->product), "%s", product);
	snprintf(r->version, sizeof(r->version), "%s", version);
	r->published = published;
	r->security = security;
	r->exploited = exploited;
	return 0;
}

static int apple(const json_t *doc, struct feed *f, char *err, size_t err_len)
{
	static const char *const sets[] = { "PublicAssetSets", "AssetSets" };

	for (size_t s = 0; s < 2; s++) {
		const json_t *list = json_object_get(json_object_get(doc, sets[s]), "macOS"), *e;
		size_t i;

		if (list != NULL && !json_is_array(list)) {
			snprintf(err, err_len, "%s.macOS is not a list", sets[s]);
			return -1;
		}
		json_array_foreach (list, i, e) {
			const char *v = json_string_value(json_object_get(e, "ProductVersion"));
			const char *d = json_string_value(json_object_get(e, "PostingDate"));
			long long t;
			char why[128];

			if (v == NULL || feed_time(d, &t) != 0) {
				snprintf(
				    err, err_len,
				    "%s.macOS[%zu] has no ProductVersion or no PostingDate date",
				    sets[s], i);
				return -1;
			}
			if (add(f, "macos", v, t, -1, -1, why, sizeof(why)) != 0) {
				snprintf(err, err_len, "%s.macOS[%zu]: %s", sets[s], i, why);
				return -1;
			}
		}
	}
	return 0;
}

static int mozilla_versions(const json_t *doc, struct feed *f, char *err, size_t err_len)
{
	const char *latest = json_string_value(json_object_get(doc, "LATEST_FIREFOX_VERSION"));
	const char *k;
	const json_t *val;
	char why[128];

	if (latest == NULL || add(f, "firefox", latest, -1, -1, -1, why, sizeof(why)) != 0) {
		snprintf(err, err_len, "LATEST_FIREFOX_VERSION is no release version");
		return -1;
	}
	/* the ESR lines supported now: FIREFOX_ESR, FIREFOX_ESR_NEXT while
	 * two overlap, FIREFOX_ESR115 and the like for one kept longer; an
	 * empty one ("FIREFOX_ESR_NEXT": "") says there is none */
	json_object_foreach ((json_t *)doc, k, val) {
		const char *esr = json_string_value(val);
		char v[64];

		if (strncmp(k, "FIREFOX_ESR", 11) != 0 || esr == NULL || esr[0] == '\0')
			continue;
		snprintf(v, sizeof(v), "%s", esr);
		if (strlen(v) > 3 && strcmp(v + strlen(v) - 3, "esr") == 0)
			v[strlen(v) - 3] = '\0';
		if (add(f, "firefox-esr", v, -1, -1, -1, why, sizeof(why)) != 0) {
			snprintf(err, err_len, "%s: %s", k, why);
			return -1;
		}
	}
	return 0;
}

static int mozilla_history(const json_t *doc, const char *product, struct feed *f, char *err,
                           size_t err_len)
{
	const char *k;
	const json_t *v;
	char why[128];

	json_object_foreach ((json_t *)doc, k, v) {
		long long t;

		if (feed_time(json_string_value(v), &t) != 0) {
			snprintf(err, err_len, "\"%.64s\": not a date", k);
			return -1;
		}
		if (add(f, product, k, t, -1, -1, why, sizeof(why)) != 0) {
			snprintf(err, err_len, "%s", why);
			return -1;
		}
	}
	return 0;
}

/* The platform of a VersionHistory name, "chrome/platforms/mac_arm64/
 * channels/stable/versions/...", as this project names platforms: "win",
 * "mac", "linux" (Google's win64, win_arm64 and mac_arm64 ship the same
 * versions as win and mac); its channel into CHANNEL. 0; 1 for a platform
 * judged nowhere here (android, ios); -1 when the name is not of that
 * shape. */
static int chrome_platform(const char *name, const char **plat, char *channel, size_t channel_len)
{
	static const struct {
		const char *google, *ours;
	} map[] = { { "win", "win" }, { "win64", "win" },     { "win_arm64", "win" },
		    { "mac", "mac" }, { "mac_arm64", "mac" }, { "linux", "linux" } };
	const char *p, *slash;
	size_t n;

	if (name == NULL || strncmp(name, "chrome/platforms/", 17) != 0)
		return -1;
	p = name + 17;
	slash = strchr(p, '/');
	if (slash == NULL || strncmp(slash, "/channels/", 10) != 0)
		return -1;
	n = (size_t)(slash - p);
	*plat = NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].google) == n && strncmp(p, map[i].google, n) == 0)
			*plat = map[i].ours;
	p = slash + 10;
	slash = strchr(p, '/');
	n = slash ? (size_t)(slash - p) : strlen(p);
	if (n == 0 || n >= channel_len)
		return -1;
	memcpy(channel, p, n);
	channel[n] = '\0';
	return *plat == NULL ? 1 : 0;
}

/* Google's VersionHistory releases: {"releases": [{"name": "chrome/
 * platforms/P/channels/C/versions/V/releases/N", "version": V, "serving":
 * {"startTime": T}, "fraction": F}]}. A release counts from the first time
 * it was served to every user (fraction 1; Google's staged rollouts serve a
 * version to a few first, and those do not make it the bar yet). The
 * product is "chrome-P" on the stable channel, "chrome-P-C" on others. */
static int chrome_history(const json_t *doc, struct feed *f, char *err, size_t err_len)
{
	const json_t *list = json_object_get(doc, "releases"), *e;
	size_t i, partial = 0;
	int rc;

	if (!json_is_array(list)) {
		snprintf(err, err_len, "releases is not a list");
		return -1;
	}
	json_array_foreach (list, i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		const char *v = json_string_value(json_object_get(e, "version"));
		const char *at =
		    json_string_value(json_object_get(json_object_get(e, "serving"), "startTime"));
		const json_t *fr = json_object_get(e, "fraction");
		const char *plat;
		char channel[24], product[32], why[128];
		long long t;

		rc = chrome_platform(name, &plat, channel, sizeof(channel));
		if (rc == 1) /* a platform this project does not judge */
			continue;
		if (rc != 0) {
			snprintf(err, err_len,
			         "releases[%zu] has no chrome/platforms/P/channels/C/... name", i);
			return -1;
		}
		if (v == NULL || feed_time(at, &t) != 0 || (fr != NULL && !json_is_number(fr))) {
			snprintf(err, err_len,
			         "releases[%zu] needs a version, a serving.startTime time and a "
			         "numeric fraction",
			         i);
			return -1;
		}
		if (fr != NULL && json_number_value(fr) < 1.0) {
			partial++;
			continue;
		}
		if (strcmp(channel, "stable") == 0)
			snprintf(product, sizeof(product), "chrome-%s", plat);
		else
			snprintf(product, sizeof(product), "chrome-%s-%.16s", plat, channel);
		if (add(f, product, v, t, -1, -1, why, sizeof(why)) != 0) {
			snprintf(err, err_len, "releases[%zu]: %s", i, why);
			return -1;
		}
	}
	if (f->n == 0 && partial > 0) {
		snprintf(err, err_len,
		         "no release served to every user in it (%zu still rolling out)", partial);
		return -1;
	}
	return 0;
}

/* Microsoft's edgeupdates.microsoft.com/api/products: [{"Product":
 * "Stable", "Releases": [{"Platform": "Windows", "ProductVersion": V,
 * "PublishedTime": T, "CVEs": [...]}]}]. Stable only, as "edge-win",
 * "edge-mac", "edge-linux"; a release that lists CVEs is a security one.
 * Other products (Beta, Dev, EdgeUpdate, Policy) and platforms (iOS,
 * Android) are not judged here. */
static int edge_products(const json_t *doc, struct feed *f, char *err, size_t err_len)
{
	const json_t *prod, *e;
	size_t i, j;

	json_array_foreach (doc, i, prod) {
		const char *name = json_string_value(json_object_get(prod, "Product"));
		const json_t *list = json_object_get(prod, "Releases");

		if (name == NULL || !json_is_array(list)) {
			snprintf(err, err_len, "[%zu] has no Product name or no Releases list", i);
			return -1;
		}
		if (strcmp(name, "Stable") != 0)
			continue;
		json_array_foreach (list, j, e) {
			const char *plat = json_string_value(json_object_get(e, "Platform"));
			const char *v = json_string_value(json_object_get(e, "ProductVersion"));
			const char *at = json_string_value(json_object_get(e, "PublishedTime"));
			const json_t *cves = json_object_get(e, "CVEs");
			const char *ours = NULL;
			char product[32], why[128];
			long long t;

			if (plat == NULL || v == NULL || feed_time(at, &t) != 0 ||
			    (cves != NULL && !json_is_array(cves))) {
				snprintf(
				    err, err_len,
				    "Stable.Releases[%zu] needs a Platform, a ProductVersion, a "
				    "PublishedTime time and no CVEs other than a list",
				    j);
				return -1;
			}
			if (strcmp(plat, "Windows") == 0)
				ours = "win";
			else if (strcmp(plat, "MacOS") == 0)
				ours = "mac";
			else if (strcmp(plat, "Linux") == 0)
				ours = "linux";
			if (ours == NULL)
				continue;
			snprintf(product, sizeof(product), "edge-%s", ours);
			if (add(f, product, v, t, cves ? json_array_size(cves) > 0 : -1, -1, why,
			        sizeof(why)) != 0) {
				snprintf(err, err_len, "Stable.Releases[%zu]: %s", j, why);
				return -1;
			}
		}
	}
	return 0;
}

/* 1, 0, or -1 when absent; -2 when not a boolean. */
static int flag(const json_t *e, const char *key)
{
	const json_t *v = json_object_get(e, key);

	return v == NULL ? -1 : json_is_boolean(v) ? json_is_true(v) : -2;
}

static int posture_feed(const json_t *doc, struct feed *f, char *err, size_t err_len)
{
	const char *product = json_string_value(json_object_get(doc, "product"));
	const json_t *list = json_object_get(doc, "releases"), *e;
	size_t i;

	if (product == NULL || product[0] == '\0' || strlen(product) >= 32) {
		snprintf(err, err_len, "product must be a name of 1 to 31 characters");
		return -1;
	}
	for (const char *p = product; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-' &&
		    *p != '.') {
			snprintf(err, err_len,
			         "product \"%s\": lower-case letters, digits, - and .", product);
			return -1;
		}
	if (!json_is_array(list)) {
		snprintf(err, err_len, "releases must be a list");
		return -1;
	}
	json_array_foreach (list, i, e) {
		const char *v = json_string_value(json_object_get(e, "version"));
		const char *at = json_string_value(json_object_get(e, "released_at"));
		int sec = flag(e, "security"), exp = flag(e, "exploited");
		long long t;
		char why[128];

		if (v == NULL || feed_time(at, &t) != 0 || sec == -2 || exp == -2) {
			snprintf(
			    err, err_len,
			    "releases[%zu] needs a version, a released_at date and no security "
			    "or exploited other than true or false",
			    i);
			return -1;
		}
		if (add(f, product, v, t, sec, exp, why, sizeof(why)) != 0) {
			snprintf(err, err_len, "releases[%zu]: %s", i, why);
			return -1;
		}
	}
	return 0;
}

/* Product, version, then first publication (unknown, -1, last). */
static int by_version(const void *a, const void *b)
{
	const struct feed_release *x = a, *y = b;
	int c = strcmp(x->product, y->product);

	if (c == 0)
		c = strcmp(x->version, y->version);
	if (c == 0 && x->published != y->published)
		c = x->published < 0              ? 1
		    : y->published < 0            ? -1
		    : x->published < y->published ? -1
		                                  : 1;
	return c;
}

/* A version posted twice (Apple's two asset sets) counts once, from its
 * first publication: sorted, each run of one version keeps its first. */
static void merge_repeats(struct feed *f)
{
	size_t kept = 0;

	qsort(f->r, f->n, sizeof(*f->r), by_version);
	for (size_t i = 0; i < f->n; i++)
		if (kept == 0 || strcmp(f->r[kept - 1].product, f->r[i].product) != 0 ||
		    strcmp(f->r[kept - 1].version, f->r[i].version) != 0)
			f->r[kept++] = f->r[i];
	f->n = kept;
}

static int by_product_then_time(const void *a, const void *b)
{
	const struct feed_release *x = a, *y = b;
	int c = strcmp(x->product, y->product);

	if (c != 0)
		return c;
	return (x->published > y->published) - (x->published < y->published);
}

int feed_parse(const char *text, size_t len, const char *product, struct feed *out, char *err,
               size_t err_len)
{
	json_error_t je;
	json_t *doc;
	int rc;

	memset(out, 0, sizeof(*out));
	out->newest = -1;
	if (len > FEED_MAX_BYTES) {
		snprintf(err, err_len, "larger than %u bytes", FEED_MAX_BYTES);
		return -1;
	}
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (json_is_array(doc)) {
		out->format = FEED_EDGE_PRODUCTS;
		rc = edge_products(doc, out, err, err_len);
		if (rc == 0 && out->n == 0)
			snprintf(err, err_len,
			         "no Stable release for Windows, macOS or Linux in it");
		goto parsed;
	}
	if (doc == NULL || !json_is_object(doc)) {
		snprintf(err, err_len, "not a JSON object%s%s", doc ? "" : ": ",
		         doc ? "" : je.text);
		json_decref(doc);
		return -1;
	}
	if (json_object_get(doc, "PublicAssetSets") || json_object_get(doc, "AssetSets")) {
		out->format = FEED_APPLE_PMV;
		rc = apple(doc, out, err, err_len);
	} else if (json_object_get(doc, "LATEST_FIREFOX_VERSION")) {
		out->format = FEED_MOZILLA_VERSIONS;
		rc = mozilla_versions(doc, out, err, err_len);
	} else if (json_is_string(json_object_get(doc, "format"))) {
		out->format = FEED_POSTURE;
		rc = strcmp(json_string_value(json_object_get(doc, "format")),
		            POSTURE_FEED_FORMAT) == 0
		         ? posture_feed(doc, out, err, err_len)
		         : (snprintf(err, err_len, "format \"%.40s\" is not %s",
		                     json_string_value(json_object_get(doc, "format")),
		                     POSTURE_FEED_FORMAT),
		            -1);
	} else if (json_is_array(json_object_get(doc, "releases"))) {
		out->format = FEED_CHROME_HISTORY;
		rc = chrome_history(doc, out, err, err_len);
	} else if (json_object_size(doc) > 0) {
		out->format = FEED_MOZILLA_HISTORY;
		if (product == NULL) {
			snprintf(
			    err, err_len,
			    "a list of versions and dates (Mozilla's product-details history) "
			    "names no product; give it (its file name says: firefox_history_...)");
			rc = -1;
		} else {
			rc = mozilla_history(doc, product, out, err, err_len);
		}
	} else {
		snprintf(err, err_len, "no feed format known here");
		rc = -1;
	}
parsed:
	json_decref(doc);
	if (rc != 0 || out->n == 0) {
		if (rc == 0 && out->format != FEED_EDGE_PRODUCTS)
			snprintf(err, err_len, "no release in it");
		feed_free(out);
		return -1;
	}
	merge_repeats(out);
	qsort(out->r, out->n, sizeof(*out->r), by_product_then_time);
	for (size_t i = 0; i < out->n; i++)
		if (out->r[i].published > out->newest)
			out->newest = out->r[i].published;
	return 0;
}

const char *feed_product_hint(const char *name, char *buf, size_t len)
{
	const char *u = strstr(name, "_history_");
	size_t n;

	if (u == NULL)
		return NULL;
	n = (size_t)(u - name);
	if (n == 0 || n >= len)
		return NULL;
	memcpy(buf, name, n);
	buf[n] = '\0';
	return buf;
}

void feed_free(struct feed *f)
{
	free(f->r);
	f->r = NULL;
	f->n = 0;
}
