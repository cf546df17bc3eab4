/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feed: release feeds as their publishers write them, read into one list of
 * releases (product, version, first publication). The format is told by
 * the content:
 *   - Apple's gdmf.apple.com/v2/pmv: PublicAssetSets/AssetSets -> macOS ->
 *     ProductVersion and PostingDate;
 *   - Mozilla's product-details: firefox_versions.json (the current
 *     LATEST_FIREFOX_VERSION and FIREFOX_ESR, no dates), and the
 *     *_history_*_releases.json lists (version -> date), whose product only
 *     their file name says (PRODUCT);
 *   - posture.feed/1, for everything else: {"format": "posture.feed/1",
 *     "product": "brave", "releases": [{"version": "1.61.109",
 *     "released_at": "2023-12-13", "security": true, "exploited": false}]}.
 *   - Google's VersionHistory releases (versionhistory.googleapis.com/v1/
 *     chrome/platforms/P/channels/stable/versions/all/releases): each
 *     release counts from the first time it was served to every user, as
 *     "chrome-win", "chrome-mac", "chrome-linux";
 *   - Microsoft's edgeupdates.microsoft.com/api/products: the Stable
 *     product's releases per platform, as "edge-win", "edge-mac",
 *     "edge-linux".
 * Bounded: at most FEED_MAX_BYTES of input and FEED_MAX_RELEASES releases.
 */
#ifndef POSTURE_FEED_H
#define POSTURE_FEED_H

#include <stddef.h>

#define FEED_MAX_BYTES (8u << 20)
#define FEED_MAX_RELEASES 20000

enum feed_format {
	FEED_APPLE_PMV,
	FEED_MOZILLA_VERSIONS,
	FEED_MOZILLA_HISTORY,
	FEED_POSTURE,
	FEED_CHROME_HISTORY,
	FEED_EDGE_PRODUCTS,
};

struct feed_release {
	char product[32]; /* "macos", "firefox", "firefox-esr", a posture.feed product */
	char version[64];
	long long published; /* Unix time of its first publication; -1 not said */
	int security;        /* 1, 0, or -1 not said */
	int exploited;       /* 1, 0, or -1 not said */
};

struct feed {
	enum feed_format format;
	struct feed_release *r; /* sorted by product, then first publication */
	size_t n;
	long long newest; /* the newest publication in it; -1 none */
};

/* Reads TEXT (LEN bytes). PRODUCT names the product of a feed whose content
 * does not (Mozilla's history lists: "firefox"); NULL otherwise. 0 and *OUT
 * (feed_free), or -1 with ERR naming what is wrong. */
int feed_parse(const char *text, size_t len, const char *product, struct feed *out, char *err,
               size_t err_len);

void feed_free(struct feed *f);

/* The product a Mozilla history list's FILE name gives ("firefox" of
 * "firefox_history_major_releases.json") into BUF, or NULL when the name
 * is not of that shape: feed_parse's PRODUCT for a feed read from a file. */
const char *feed_product_hint(const char *file, char *buf, size_t len);

/* "apple-pmv", "mozilla-versions", "mozilla-history", "posture.feed/1",
 * "chrome-versionhistory", "edge-products". */
const char *feed_format_name(enum feed_format f);

/* A date or time as feeds write them, "2024-08-07" (that day's start in
 * UTC) or RFC 3339 ("2023-12-20T20:08:55.113056Z", time_parse_rfc3339):
 * 0 and *T, or -1. */
int feed_time(const char *s, long long *t);

#endif
