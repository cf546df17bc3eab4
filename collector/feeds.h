/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feeds: the collector's release feeds (lib/feed.h), signed for agents.
 *
 * A feed comes in by `feed import` (a file) or `feed fetch` (the URLs of
 * DIR/feeds.ini, with libcurl; `serve` runs the fetch on its schedule). Each
 * is read by the agent's own parser first, so no feed an agent would refuse
 * is ever signed. It is kept in the store as a posture.signed-feed/1
 * envelope:
 *
 *   {"format": "posture.signed-feed/1", "name": "chrome-mac.json",
 *    "feed_format": "google-versionhistory", "fetched_at": RFC 3339,
 *    "serial": N, "sha256": hex of the body, "body": base64 of the
 *    publisher's bytes, "signature": base64}
 *
 * where the signature is Ed25519 by the policy key over
 * CONTRACT_FEED_SIGNATURE + name + "\n" + fetched_at + "\n" + serial + "\n"
 * + the body's bytes. Serials only grow across every feed of a store, so an
 * agent keeps the highest it saw per name and refuses a lower one (a replay
 * of an older feed). GET /v1/feeds serves the envelopes in force.
 */
#ifndef POSTURE_COLLECTOR_FEEDS_H
#define POSTURE_COLLECTOR_FEEDS_H

#include <stddef.h>

struct store;

/* Reads TEXT (LEN bytes) as the feed NAME (a file name: lower-case
 * letters, digits, '.', '_', '-', ending in .json), signs it with DIR's
 * policy key and stores it in ST. FETCHED_AT is a Unix time; SOURCE says
 * where it came from (for the store's log). The serial, or -1 with ERR, and
 * *REFUSED set when the bytes are no feed or the name is not allowed. */
long long feeds_store(const char *dir, struct store *st, const char *name, const char *text,
                      size_t len, long long fetched_at, const char *source, int *refused, char *err,
                      size_t err_len);

/* feed import: FILE read and stored under its own file name; its
 * modification time is when it was fetched. */
long long feeds_import(const char *dir, struct store *st, const char *file, int *refused, char *err,
                       size_t err_len);

#define FEEDS_MAX_SOURCES 64

struct feeds_source {
	char name[64];
	char url[1024];
	char ca[1024]; /* a CA file for this source ("": the [fetch] one) */
};

/* The release-feed sections of collector.ini, read by feeds_config_load. */
struct feeds_config {
	struct feeds_source src[FEEDS_MAX_SOURCES];
	size_t n;
	long long every_s;   /* serve's schedule; 0: off (default 1 day) */
	long long timeout_s; /* per download (default 60 s) */
	char ca[1024];       /* a CA file for every source ("": the system's) */
	char proxy[1024];    /* "": libcurl's default (the environment's) */
	char path[4200];     /* the file read, for messages */
	const int *stop;     /* when set and nonzero, a download gives up */
};

/* The [fetch], [sources] and [ca] sections of CONFIG (collector.ini, whose
 * other sections config.c reads), or, when CONFIG is NULL or has none of
 * them, of DIR/feeds.ini (where data directories made before collector.ini
 * keep them). 1 and *C when one of them was read cleanly, 0 when there is
 * none (C then has no sources), -1 with ERR naming the line at fault. */
int feeds_config_load(const char *config, const char *dir, struct feeds_config *c, char *err,
                      size_t err_len);

/* The sections `init` writes into collector.ini: the publishers' public
 * URLs, fetched daily. */
#define FEEDS_CONFIG_SECTIONS                                                                     \
	"; Where release feeds come from (docs/COLLECTOR.md, \"Release feeds\"):\n"               \
	"; `posture-collector feed fetch --dir DIR` downloads each source below,\n"               \
	"; and `serve` does so on the schedule of [fetch] every. Each source is\n"                \
	"; NAME = URL; NAME is the file name agents know the feed by.\n"                          \
	"[fetch]\n"                                                                               \
	"every = 1d        ; how often serve fetches (\"off\": never on its own)\n"               \
	"timeout = 60s     ; per download\n"                                                      \
	"; ca = FILE       ; the CA certificates to check the sources by (default:\n"             \
	";                 ; the system's); [ca] NAME = FILE for one source\n"                    \
	"; proxy = URL     ; default: the environment's https_proxy\n"                            \
	"\n"                                                                                      \
	"[sources]\n"                                                                             \
	"chrome-linux.json = "                                                                    \
	"https://versionhistory.googleapis.com/v1/chrome/platforms/linux/channels/stable/"        \
	"versions/all/releases?filter=fraction%3E%3D1\n"                                          \
	"chrome-mac.json = "                                                                      \
	"https://versionhistory.googleapis.com/v1/chrome/platforms/mac/channels/stable/"          \
	"versions/all/releases?filter=fraction%3E%3D1\n"                                          \
	"chrome-win.json = "                                                                      \
	"https://versionhistory.googleapis.com/v1/chrome/platforms/win/channels/stable/"          \
	"versions/all/releases?filter=fraction%3E%3D1\n"                                          \
	"edge.json = https://edgeupdates.microsoft.com/api/products\n"                            \
	"firefox_versions.json = https://product-details.mozilla.org/1.0/firefox_versions.json\n" \
	"firefox_history_major_releases.json = "                                                  \
	"https://product-details.mozilla.org/1.0/firefox_history_major_releases.json\n"           \
	"firefox_history_stability_releases.json = "                                              \
	"https://product-details.mozilla.org/1.0/firefox_history_stability_releases.json\n"       \
	"macos.json = https://gdmf.apple.com/v2/pmv\n"

/* What became of one source in feeds_fetch. */
typedef void (*feeds_report_fn)(void *arg, const struct feeds_source *src, long long serial,
                                const char *error);

/* Downloads every source of C (HTTPS only, at most FEED_MAX_BYTES each)
 * and stores each through feeds_store; one failing costs no other. REPORT
 * (when set) hears of each. The number that failed. Needs
 * curl_global_init. */
int feeds_fetch(const char *dir, struct store *st, const struct feeds_config *c,
                feeds_report_fn report, void *arg);

#endif
