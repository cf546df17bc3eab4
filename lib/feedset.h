/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feedset: the release feeds in one folder, and the bar a `latest` key sets
 * from them (docs/POLICY.md, "Minimums that keep themselves current").
 *
 * A folder holds feed files as their publishers write them (lib/feed.h),
 * one per file, named *.json; Mozilla's history lists are told their
 * product by their file name (firefox_history_major_releases.json is
 * Firefox's). Each file's date, the time it was fetched, is its
 * modification time: whatever downloads a feed into the folder keeps the
 * time it downloaded it there. A file that is
 * not a feed is kept as a refusal, named when a check needs the product
 * it may have carried; it costs no other feed.
 *
 * The bar: for a product and a grace of G days (E for a release marked
 * exploited), the highest version among the releases first published at
 * least G (or E) days before NOW. `latest-N` lets a device stay N major
 * versions behind: a device on one of the allowed majors must have the bar
 * within its own major (older majors get fixes too: macOS, Firefox ESR),
 * one below them the newest of the oldest allowed major; an allowed major
 * the feeds know no release of sets no bar (an error). Firefox ESR is
 * judged within its own major against the releases of that line.
 */
#ifndef POSTURE_FEEDSET_H
#define POSTURE_FEEDSET_H

#include <stddef.h>

#include "feed.h"

#define FEEDSET_MAX_FILES 64

struct feed_source {
	char file[64];     /* its name in the folder */
	long long as_of;   /* when it was fetched (its modification time) */
	struct feed feed;  /* empty when refused */
	char refused[160]; /* why it is not a feed; "" when it is */
};

struct feedset {
	char dir[256];
	struct feed_source *s;
	size_t n;
	size_t unread; /* *.json files past the first FEEDSET_MAX_FILES by name */
};

/* Adds the feed FILE, fetched AS_OF, of TEXT (LEN bytes) to FS (set its dir
 * first, zeroed otherwise): read, or kept as a refusal that says why. -1
 * only when FS holds FEEDSET_MAX_FILES already or memory ran out. The
 * folder itself is read by agent/feeddir.c. */
int feedset_add(struct feedset *fs, const char *file, long long as_of, const char *text,
                size_t len);
/* Keeps FILE as a refusal for WHY (a file that could not be read). */
void feedset_refuse(struct feedset *fs, const char *file, const char *why);

void feedset_free(struct feedset *fs);

/* What a `latest` or `latest-N` key asks (feedset_rule_parse). */
struct feed_rule {
	int behind;          /* N of latest-N; 0 for latest */
	int grace_days;      /* days a release is given before it sets the bar */
	int grace_exploited; /* the same for a release marked exploited */
	int max_age_days;    /* a feed older than this is not used */
	int esr_major;       /* > 0: judge within this major's releases only (ESR) */
};

/* 1 and *BEHIND when TEXT is "latest" or "latest-N" (N 1 to 99), 0 when it
 * is something else. */
int feedset_rule_parse(const char *text, int *behind);

/* A policy's minimum: a dotted version, or `latest`/`latest-N`. 0, or -1
 * with the reason in ERR (a key_spec validate function). */
int feedset_minimum_check(const char *text, char *err, size_t err_len);

struct feed_bar {
	char version[64];    /* the release that sets the bar */
	long long published; /* its first publication */
	int exploited;       /* it was marked exploited (the short grace) */
	char newest[64];     /* the newest release of the same line, "" none */
	long long newest_published;
	long long newest_due; /* when the newest one sets the bar; 0 when it already does */
	const struct feed_source *src; /* the feed the bar release came from */
	int ok;                        /* the installed version is at least the bar */
};

/* Judges INSTALLED (a dotted version) of PRODUCT against RULE at NOW. 0
 * with *BAR (and BAR->ok); -1 with ERR naming why no bar can be set: no
 * feed carries the product (and which files were refused), a feed that
 * does is older than RULE->max_age_days, or none of its releases is old
 * enough yet. */
int feedset_judge(const struct feedset *fs, const char *product, const char *installed,
                  const struct feed_rule *rule, long long now, struct feed_bar *bar, char *err,
                  size_t err_len);

/* The ESR lines Mozilla supports now (firefox_versions.json's FIREFOX_ESR
 * and the like, product "firefox-esr"): 1 when MAJOR is one of them, 0 when
 * it is not, -1 when no feed says. */
int feedset_esr_supported(const struct feedset *fs, int major);

/* Whether a feed of FS (NULL: none) carries PRODUCT. */
int feedset_carries(const struct feedset *fs, const char *product);

/* The leading number of a version ("153" of "153.0.8010.53"), or -1. */
int feedset_major(const char *version);

#endif
