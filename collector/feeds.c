/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feeds: see feeds.h.
 */
#define _GNU_SOURCE
#include "feeds.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "admin.h"
#include "contract.h"
#include "feed.h"
#include "inifile.h"
#include "store.h"
#include "timefmt.h"

#ifndef POSTURE_VERSION
#define POSTURE_VERSION "dev"
#endif

/* The collector names feeds of at most 60 bytes. */
static int name_ok(const char *name)
{
	return contract_feed_name_ok(name, 60);
}

struct sealing {
	const char *dir, *name, *text, *feed_format, *when, *sha;
	size_t len;
	const char *b64;
};

/* store_seal_fn: the envelope, signed, once the store gave the serial */
static int seal(void *arg, long long serial, char **envelope, char *err, size_t err_len)
{
	struct sealing *s = arg;
	char head[512], sig_b64[100];
	json_t *env;

	snprintf(head, sizeof(head), "%s%s\n%s\n%lld\n", CONTRACT_FEED_SIGNATURE, s->name, s->when,
	         serial);
	if (admin_policy_key_sign(s->dir, head, s->text, s->len, sig_b64, err, err_len) != 0)
		return -1;
	env = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "format",
	                CONTRACT_SIGNED_FEED_FORMAT, "name", s->name, "feed_format", s->feed_format,
	                "fetched_at", s->when, "serial", (json_int_t)serial, "sha256", s->sha,
	                "body", s->b64, "signature", sig_b64);
	*envelope = env ? json_dumps(env, JSON_COMPACT) : NULL;
	json_decref(env);
	if (*envelope == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	return 0;
}

long long feeds_store(const char *dir, struct store *st, const char *name, const char *text,
                      size_t len, long long fetched_at, const char *source, int *refused, char *err,
                      size_t err_len)
{
	char when[32], sha[65], why[200], hint[32];
	struct sealing s;
	struct store_feed f;
	struct feed feed;
	char *b64 = NULL;
	long long serial = -1;

	*refused = 0;
	memset(&feed, 0, sizeof(feed));
	if (!name_ok(name)) {
		snprintf(err, err_len,
		         "%s: a feed's name is a file name of lower-case letters, digits, '.', '_' "
		         "and '-' ending in .json, at most 60 characters (it names the feed to "
		         "agents)",
		         name);
		*refused = 1;
		return -1;
	}
	if (len > FEED_MAX_BYTES) {
		snprintf(err, err_len, "%s is larger than %u bytes; nothing was stored", name,
		         FEED_MAX_BYTES);
		*refused = 1;
		return -1;
	}
	/* the agent's own parser: a feed it would refuse is never signed */
	if (feed_parse(text, len, feed_product_hint(name, hint, sizeof(hint)), &feed, why,
	               sizeof(why)) != 0) {
		snprintf(err, err_len, "%s is not a release feed: %s; nothing was stored", name,
		         why);
		*refused = 1;
		return -1;
	}
	time_rfc3339((time_t)fetched_at, when);
	admin_sha256_hex(text, len, sha);
	b64 = malloc(4 * ((len + 2) / 3) + 1);
	if (b64 == NULL) {
		snprintf(err, err_len, "out of memory");
		goto out;
	}
	EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)text, (int)len);
	s = (struct sealing){ .dir = dir,
		              .name = name,
		              .text = text,
		              .len = len,
		              .feed_format = feed_format_name(feed.format),
		              .when = when,
		              .sha = sha,
		              .b64 = b64 };
	f = (struct store_feed){ .name = name,
		                 .feed_format = s.feed_format,
		                 .fetched_at = when,
		                 .sha256 = sha,
		                 .source = source };
	serial = store_add_feed(st, &f, seal, &s, err, err_len);
out:
	free(b64);
	feed_free(&feed);
	return serial;
}

long long feeds_import(const char *dir, struct store *st, const char *file, int *refused, char *err,
                       size_t err_len)
{
	const char *name = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	char source[4200], *text;
	struct stat sb;
	size_t len = 0;
	long long serial;

	*refused = 0;
	if (!name_ok(name)) /* said before the file is read */
		return feeds_store(dir, st, name, "", 0, 0, "", refused, err, err_len);
	text = admin_read_file(file, FEED_MAX_BYTES, &len, err, err_len);
	if (text == NULL)
		return -1;
	snprintf(source, sizeof(source), "import %s", file);
	serial = feeds_store(dir, st, name, text, len,
	                     stat(file, &sb) == 0 ? (long long)sb.st_mtime : (long long)time(NULL),
	                     source, refused, err, err_len);
	free(text);
	return serial;
}

/* "90", "90s", "15m", "12h", "1d"; "off" or "0" is 0. -1 when none of them. */
static long long parse_span(const char *v)
{
	char *end;
	long long n;

	if (strcmp(v, "off") == 0)
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (end == v || errno != 0 || n < 0 || n > 366LL * 86400)
		return -1;
	if (*end == '\0' || strcmp(end, "s") == 0)
		return n;
	if (strcmp(end, "m") == 0)
		return n * 60;
	if (strcmp(end, "h") == 0)
		return n * 3600;
	if (strcmp(end, "d") == 0)
		return n * 86400;
	return -1;
}

struct loading {
	struct feeds_config *c;
	char *err;
	size_t err_len;
	int failed;
	int shared; /* collector.ini: the other sections are config.c's */
	int seen;   /* a feed section was read */
};

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct loading *l = user;
	struct feeds_config *c = l->c;

	if (l->failed)
		return 0;
	if (l->shared && strcmp(section, "fetch") != 0 && strcmp(section, "sources") != 0 &&
	    strcmp(section, "ca") != 0)
		return 1;
	if (strcmp(section, "fetch") == 0) {
		l->seen = 1;
		if (strcmp(name, "every") == 0 || strcmp(name, "timeout") == 0) {
			long long v = parse_span(value);

			if (v < 0 || (name[0] == 't' && v == 0)) {
				snprintf(l->err, l->err_len,
				         "%s: [fetch] %s = %s is not a time span such as 90s, 15m, "
				         "12h or 1d%s",
				         c->path, name, value, name[0] == 'e' ? " (or off)" : "");
				l->failed = 1;
				return 0;
			}
			*(name[0] == 'e' ? &c->every_s : &c->timeout_s) = v;
			return 1;
		}
		if (strcmp(name, "ca") == 0 || strcmp(name, "proxy") == 0) {
			snprintf(name[0] == 'c' ? c->ca : c->proxy, sizeof(c->ca), "%s", value);
			return 1;
		}
	} else if (strcmp(section, "sources") == 0 || strcmp(section, "ca") == 0) {
		l->seen = 1;
		size_t i;

		if (!name_ok(name)) {
			snprintf(l->err, l->err_len,
			         "%s: [%s] %s: a feed's name is a file name of lower-case letters, "
			         "digits, '.', '_' and '-' ending in .json",
			         c->path, section, name);
			l->failed = 1;
			return 0;
		}
		for (i = 0; i < c->n; i++)
			if (strcmp(c->src[i].name, name) == 0)
				break;
		if (section[0] == 'c') {
			if (i == c->n) {
				snprintf(
				    l->err, l->err_len,
				    "%s: [ca] %s names no source listed before it in [sources]",
				    c->path, name);
				l->failed = 1;
				return 0;
			}
			snprintf(c->src[i].ca, sizeof(c->src[i].ca), "%s", value);
			return 1;
		}
		if (i < c->n || c->n >= FEEDS_MAX_SOURCES || strncmp(value, "https://", 8) != 0 ||
		    strlen(value) >= sizeof(c->src[0].url)) {
			snprintf(l->err, l->err_len,
			         i < c->n ? "%s: [sources] %s is listed twice"
			         : c->n >= FEEDS_MAX_SOURCES
			             ? "%s: [sources] %s: at most 64 sources"
			             : "%s: [sources] %s: the URL must start with https:// (and be "
			               "shorter than 1024 bytes)",
			         c->path, name);
			l->failed = 1;
			return 0;
		}
		snprintf(c->src[c->n].name, sizeof(c->src[0].name), "%s", name);
		snprintf(c->src[c->n].url, sizeof(c->src[0].url), "%s", value);
		c->n++;
		return 1;
	}
	snprintf(l->err, l->err_len, "%s: unknown setting [%s] %s", c->path, section, name);
	l->failed = 1;
	return 0;
}

/* FILE's feed sections into C: 1, 0 (no file, or SHARED and none there) or -1 */
static int load_file(const char *file, int shared, struct feeds_config *c, char *err,
                     size_t err_len)
{
	struct loading l = { c, err, err_len, 0, shared, 0 };
	size_t len;
	char *text;
	int line;

	memset(c, 0, sizeof(*c));
	c->every_s = 86400;
	c->timeout_s = 60;
	snprintf(c->path, sizeof(c->path), "%s", file);
	text = admin_read_file(c->path, 1u << 20, &len, err, err_len);
	if (text == NULL) {
		if (errno == ENOENT)
			return 0;
		return -1;
	}
	line = memchr(text, '\0', len) ? 1 : inifile_parse_string(text, on_key, &l);
	free(text);
	if (shared && line == 0 && !l.failed && !l.seen)
		return 0;
	if (line != 0 || l.failed) {
		if (!l.failed)
			snprintf(err, err_len,
			         "%s: line %d is not INI (a [section] or name = value)", c->path,
			         line);
		else if (line > 0) {
			size_t n = strlen(err);

			snprintf(err + n, err_len - n, " (line %d)", line);
		}
		return -1;
	}
	return 1;
}

int feeds_config_load(const char *config, const char *dir, struct feeds_config *c, char *err,
                      size_t err_len)
{
	char legacy[4200];
	int got = config != NULL && *config ? load_file(config, 1, c, err, err_len) : 0;

	if (got != 0)
		return got;
	snprintf(legacy, sizeof(legacy), "%s/feeds.ini", dir);
	return load_file(legacy, 0, c, err, err_len);
}

struct download {
	char *buf;
	size_t len, cap;
	int too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct download *d = arg;
	size_t n = size * nmemb;

	if (d->len + n > FEED_MAX_BYTES) {
		d->too_big = 1;
		return 0; /* libcurl stops: CURLE_WRITE_ERROR */
	}
	if (d->len + n + 1 > d->cap) {
		size_t cap = d->cap ? d->cap : 65536;
		char *grown;

		while (cap < d->len + n + 1)
			cap *= 2;
		grown = realloc(d->buf, cap);
		if (grown == NULL)
			return 0;
		d->buf = grown;
		d->cap = cap;
	}
	memcpy(d->buf + d->len, ptr, n);
	d->len += n;
	d->buf[d->len] = '\0';
	return n;
}

static int on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	const int *stop = arg;

	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return stop != NULL && __atomic_load_n(stop, __ATOMIC_RELAXED) != 0;
}

/* One source downloaded into *D: 0, or -1 with ERR. */
static int download(const struct feeds_config *c, const struct feeds_source *src,
                    struct download *d, char *err, size_t err_len)
{
	char curl_err[CURL_ERROR_SIZE] = "";
	CURL *h = curl_easy_init();
	long status = 0;
	CURLcode rc;

	if (h == NULL) {
		snprintf(err, err_len, "libcurl failed to start a transfer");
		return -1;
	}
	curl_easy_setopt(h, CURLOPT_URL, src->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)FEED_MAX_BYTES);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)c->timeout_s);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)(c->timeout_s < 30 ? c->timeout_s : 30));
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* what libcurl can decode */
	curl_easy_setopt(h, CURLOPT_USERAGENT, "posture-collector/" POSTURE_VERSION);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, d);
	if (src->ca[0] || c->ca[0])
		curl_easy_setopt(h, CURLOPT_CAINFO, src->ca[0] ? src->ca : c->ca);
	if (c->proxy[0])
		curl_easy_setopt(h, CURLOPT_PROXY, c->proxy);
	if (c->stop != NULL) {
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)c->stop);
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	}
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	if (d->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, err_len, "%s sent more than %u bytes; nothing was stored", src->url,
		         FEED_MAX_BYTES);
		return -1;
	}
	if (rc != CURLE_OK) {
		snprintf(err, err_len, "%s: %s", src->url,
		         curl_err[0] ? curl_err : curl_easy_strerror(rc));
		return -1;
	}
	if (status != 200) {
		snprintf(err, err_len, "%s answered HTTP %ld; nothing was stored", src->url,
		         status);
		return -1;
	}
	return 0;
}

int feeds_fetch(const char *dir, struct store *st, const struct feeds_config *c,
                feeds_report_fn report, void *arg)
{
	int failed = 0;

	for (size_t i = 0; i < c->n; i++) {
		struct download d = { 0 };
		char err[1200];
		long long serial = -1;
		int refused;

		if (c->stop != NULL && __atomic_load_n(c->stop, __ATOMIC_RELAXED) != 0)
			break;
		if (download(c, &c->src[i], &d, err, sizeof(err)) == 0)
			serial = feeds_store(dir, st, c->src[i].name, d.buf ? d.buf : "", d.len,
			                     (long long)time(NULL), c->src[i].url, &refused, err,
			                     sizeof(err));
		free(d.buf);
		if (serial < 0)
			failed++;
		if (report != NULL)
			report(arg, &c->src[i], serial, serial < 0 ? err : NULL);
	}
	return failed;
}
