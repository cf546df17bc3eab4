/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feedset: see feedset.h.
 */
#define _GNU_SOURCE
#include "feedset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timefmt.h"
#include "vercmp.h"

#define DAY 86400LL

int feedset_major(const char *version)
{
	long v = 0;
	int digits = 0;

	if (version == NULL)
		return -1;
	for (; *version >= '0' && *version <= '9' && digits < 6; version++, digits++)
		v = v * 10 + (*version - '0');
	return digits == 0 || digits == 6 ? -1 : (int)v;
}

int feedset_rule_parse(const char *text, int *behind)
{
	char *end;
	long n;

	if (text == NULL || strncmp(text, "latest", 6) != 0)
		return 0;
	if (text[6] == '\0') {
		*behind = 0;
		return 1;
	}
	if (text[6] != '-' || text[7] < '1' || text[7] > '9')
		return 0;
	n = strtol(text + 7, &end, 10);
	if (*end != '\0' || n < 1 || n > 99)
		return 0;
	*behind = (int)n;
	return 1;
}

int feedset_minimum_check(const char *text, char *err, size_t err_len)
{
	int behind;

	if (feedset_rule_parse(text, &behind))
		return 0;
	if (strncmp(text, "latest", 6) == 0) {
		snprintf(err, err_len, "'%s': latest, or latest-N with N from 1 to 99", text);
		return -1;
	}
	return dotted_version_check(text, err, err_len);
}

int feedset_add(struct feedset *fs, const char *file, long long as_of, const char *text, size_t len)
{
	struct feed_source *src;
	char hint[32];

	if (fs->n >= FEEDSET_MAX_FILES)
		return -1;
	if (fs->s == NULL) {
		fs->s = calloc(FEEDSET_MAX_FILES, sizeof(*fs->s));
		if (fs->s == NULL)
			return -1;
	}
	src = &fs->s[fs->n++];
	memset(src, 0, sizeof(*src));
	snprintf(src->file, sizeof(src->file), "%s", file);
	src->as_of = as_of;
	if (text == NULL)
		return 0;
	if (feed_parse(text, len, feed_product_hint(file, hint, sizeof(hint)), &src->feed,
	               src->refused, sizeof(src->refused)) != 0 &&
	    src->refused[0] == '\0')
		snprintf(src->refused, sizeof(src->refused), "is not a feed");
	return 0;
}

void feedset_refuse(struct feedset *fs, const char *file, const char *why)
{
	if (feedset_add(fs, file, 0, NULL, 0) == 0)
		snprintf(fs->s[fs->n - 1].refused, sizeof(fs->s[0].refused), "%s", why);
}

void feedset_free(struct feedset *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		feed_free(&fs->s[i].feed);
	free(fs->s);
	fs->s = NULL;
	fs->n = 0;
}

static int source_carries(const struct feed_source *s, const char *product)
{
	for (size_t k = 0; k < s->feed.n; k++)
		if (strcmp(s->feed.r[k].product, product) == 0)
			return 1;
	return 0;
}

int feedset_carries(const struct feedset *fs, const char *product)
{
	for (size_t i = 0; fs != NULL && i < fs->n; i++)
		if (source_carries(&fs->s[i], product))
			return 1;
	return 0;
}

int feedset_esr_supported(const struct feedset *fs, int major)
{
	int said = 0;

	for (size_t i = 0; i < fs->n; i++)
		for (size_t k = 0; k < fs->s[i].feed.n; k++)
			if (strcmp(fs->s[i].feed.r[k].product, "firefox-esr") == 0) {
				said = 1;
				if (feedset_major(fs->s[i].feed.r[k].version) == major)
					return 1;
			}
	return said ? 0 : -1;
}

/* Is R within the line asked: the major LINE, or any when LINE < 0. */
static int in_line(const struct feed_release *r, int line)
{
	return line < 0 || feedset_major(r->version) == line;
}

/* The highest version of PRODUCT in LINE first published by its grace
 * before NOW (ELIGIBLE) or at all (!ELIGIBLE). NULL when none; *SRC its
 * feed. */
static const struct feed_release *highest(const struct feedset *fs, const char *product, int line,
                                          const struct feed_rule *rule, long long now, int eligible,
                                          const struct feed_source **src)
{
	const struct feed_release *best = NULL;

	for (size_t i = 0; i < fs->n; i++)
		for (size_t k = 0; k < fs->s[i].feed.n; k++) {
			const struct feed_release *r = &fs->s[i].feed.r[k];
			long long g = r->exploited == 1 ? rule->grace_exploited : rule->grace_days;

			if (strcmp(r->product, product) != 0 || r->published < 0 ||
			    !in_line(r, line))
				continue;
			if (eligible && r->published + g * DAY > now)
				continue;
			if (best == NULL ||
			    browser_version_compare(r->version, best->version) > 0 ||
			    (browser_version_compare(r->version, best->version) == 0 &&
			     r->published < best->published)) {
				best = r;
				*src = &fs->s[i];
			}
		}
	return best;
}

int feedset_judge(const struct feedset *fs, const char *product, const char *installed,
                  const struct feed_rule *rule, long long now, struct feed_bar *bar, char *err,
                  size_t err_len)
{
	const struct feed_release *b, *next = NULL;
	const struct feed_source *src = NULL;
	size_t carrying = 0;
	int line = rule->esr_major > 0 ? rule->esr_major : -1;
	char when[16];

	memset(bar, 0, sizeof(*bar));
	for (size_t i = 0; i < fs->n; i++) {
		const struct feed_source *s = &fs->s[i];

		if (!source_carries(s, product))
			continue;
		carrying++;
		if (now - s->as_of > (long long)rule->max_age_days * DAY) {
			time_day((time_t)s->as_of, when);
			snprintf(err, err_len,
			         "the %s feed %s (fetched %s) is %lld days old, older than "
			         "max_feed_age_days = %d",
			         feed_format_name(s->feed.format), s->file, when,
			         (now - s->as_of) / DAY, rule->max_age_days);
			return -1;
		}
	}
	if (carrying == 0) {
		size_t used, refused = 0;

		used = (size_t)snprintf(err, err_len, "no feed in %s gives %s releases", fs->dir,
		                        product);
		for (size_t i = 0; i < fs->n && used < err_len; i++)
			if (fs->s[i].refused[0]) {
				used += (size_t)snprintf(err + used, err_len - used, "%s%s %s",
				                         refused++ ? "; " : " (refused: ",
				                         fs->s[i].file, fs->s[i].refused);
			}
		if (refused && used < err_len)
			used += (size_t)snprintf(err + used, err_len - used, ")");
		if (fs->unread > 0 && used < err_len)
			snprintf(err + used, err_len - used,
			         "; %zu files past the first %d by name were not read", fs->unread,
			         FEEDSET_MAX_FILES);
		return -1;
	}
	b = highest(fs, product, line, rule, now, 1, &src);
	if (b == NULL) {
		if (line > 0)
			snprintf(err, err_len,
			         "the feeds give no %s %d.x release published %d or more days ago",
			         product, line, rule->grace_days);
		else
			snprintf(err, err_len,
			         "the feeds give no %s release published %d or more days ago",
			         product, rule->grace_days);
		return -1;
	}
	if (rule->behind > 0 && line < 0) {
		int top = feedset_major(b->version), want = top - rule->behind;
		int mine = feedset_major(installed);

		if (mine > top) {
			/* newer than any release old enough: b stands */
		} else if (mine >= want) {
			const struct feed_release *own =
			    highest(fs, product, mine, rule, now, 1, &src);

			/* an allowed major the feeds know no release of: nothing to
			 * judge it by (the top bar would refuse what latest-N allows) */
			if (own == NULL) {
				snprintf(err, err_len,
				         "the feeds give no %s %d.x release published %d or more "
				         "days ago",
				         product, mine, rule->grace_days);
				return -1;
			}
			b = own;
			line = mine;
		} else {
			const struct feed_release *oldest = NULL;

			for (int m = want; m <= top && oldest == NULL; m++)
				oldest = highest(fs, product, m, rule, now, 1, &src);
			if (oldest != NULL)
				b = oldest;
			line = feedset_major(b->version);
		}
	}
	snprintf(bar->version, sizeof(bar->version), "%s", b->version);
	bar->published = b->published;
	bar->exploited = b->exploited == 1;
	bar->src = src;
	/* the next release to set the bar: of those above it, the first
	 * whose grace ends */
	for (size_t i = 0; i < fs->n; i++)
		for (size_t k = 0; k < fs->s[i].feed.n; k++) {
			const struct feed_release *r = &fs->s[i].feed.r[k];
			long long due;

			if (strcmp(r->product, product) != 0 || r->published < 0 ||
			    !in_line(r, line) ||
			    browser_version_compare(r->version, b->version) <= 0)
				continue;
			due = r->published +
			      (r->exploited == 1 ? rule->grace_exploited : rule->grace_days) * DAY;
			if (next == NULL || due < bar->newest_due) {
				next = r;
				bar->newest_due = due;
			}
		}
	if (next != NULL) {
		snprintf(bar->newest, sizeof(bar->newest), "%s", next->version);
		bar->newest_published = next->published;
	}
	bar->ok = browser_version_compare(installed, b->version) >= 0;
	return 0;
}
