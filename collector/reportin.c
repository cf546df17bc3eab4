/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reportin: see reportin.h.
 */
#include "reportin.h"
#include "timefmt.h"
#include "contract.h"
#include "reportscan.h"

#include <ctype.h>
#include <yajl/yajl_parse.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

static int is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int is_uuid(const char *s)
{
	return s != NULL && strlen(s) == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' &&
	       s[23] == '-' && is_hex(s, 8) && is_hex(s + 9, 4) && is_hex(s + 14, 4) &&
	       is_hex(s + 19, 4) && is_hex(s + 24, 12);
}

int reportin_utc(const char *s, char out[24], long long *epoch)
{
	char utc[32];

	if (time_parse_rfc3339(s, epoch) != 0 || *epoch > 253402300799LL) /* 9999-12-31 */
		return -1;
	time_rfc3339((time_t)*epoch, utc);
	snprintf(out, 24, "%s", utc);
	return 0;
}

/* Whether the optional string S is over MAX bytes. */
static int too_long(const char *s, size_t max)
{
	return s != NULL && strnlen(s, max + 1) > max;
}

int reportin_check_time(const struct report_in *r, long long now, char *err, size_t err_len)
{
	if (r->generated_epoch > now + REPORTIN_MAX_AHEAD) {
		snprintf(err, err_len,
		         "generated_at (%s) is %lld seconds ahead of the collector's clock; at "
		         "most %d are allowed (check the device's clock)",
		         r->generated_utc, r->generated_epoch - now, REPORTIN_MAX_AHEAD);
		return -1;
	}
	return 0;
}

static int by_id(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

int reportin_check_ids(const struct report_in *r, const char *sha256, const char *const *ids,
                       size_t n, char *err, size_t err_len)
{
	if (sha256 == NULL || r->policy_sha256 == NULL || strcmp(r->policy_sha256, sha256) != 0) {
		if (r->n_results > REPORTIN_MAX_UNKNOWN_CHECKS) {
			snprintf(err, err_len,
			         "results: %zu checks; a report of a policy this collector did not "
			         "publish may carry at most %d",
			         r->n_results, REPORTIN_MAX_UNKNOWN_CHECKS);
			return -1;
		}
		return 0;
	}
	for (size_t i = 0; i < r->n_results; i++)
		if (bsearch(r->results[i].id, ids, n, sizeof(*ids), by_id) == NULL) {
			snprintf(err, err_len,
			         "results[%zu]: check '%.200s' is not in the published policy the "
			         "report names",
			         i, r->results[i].id);
			return -1;
		}
	/* ids are unique within a report (checked when parsed) */
	if (r->n_results != n) {
		snprintf(err, err_len,
		         "results: %zu checks, but the published policy the report names has %zu",
		         r->n_results, n);
		return -1;
	}
	return 0;
}

static int one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

/* Where the parser is, as far as the collector cares: the known objects
 * by name; inside anything else it only counts depth. */
enum place {
	AT_NONE,    /* before the top-level value */
	AT_TOP,     /* the report object */
	AT_DEVICE,  /* device */
	AT_OS,      /* device.os */
	AT_AGENT,   /* agent */
	AT_POLICY,  /* policy */
	AT_SUMMARY, /* summary */
	AT_RESULTS, /* the results array */
	AT_RESULT,  /* one result */
	AT_OPAQUE,  /* a value nobody reads field by field */
};

#define MAX_TRACKED_DEPTH 64

/* The yajl scanner (see reportscan.h): its scan, and where it is. */
struct parse {
	struct report_scan sc;
	const unsigned char *body;
	size_t len;
	yajl_handle h;
	/* the known places from the top down; deeper than them, a count */
	enum place stack[MAX_TRACKED_DEPTH];
	int depth;        /* of the stack */
	int opaque_depth; /* containers open inside an opaque value */
	int key;          /* the current key's field in its object, or -1 */
	unsigned seen_top, seen_device, seen_os, seen_agent, seen_policy, seen_summary;
	/* the result being read */
	struct rs_field res[N_RES];
	unsigned seen_res;
	size_t observed_from; /* where its observed value starts */
	int observed_open;    /* the observed value is a container still open */
	size_t top_end;       /* where the top-level value ended, or 0 */
	int completing;       /* in yajl_complete_parse: at the end of the body */
};

static enum place here(const struct parse *p)
{
	return p->depth > 0 ? p->stack[p->depth - 1] : AT_NONE;
}

/* The field a scalar or container at this point fills, or NULL. */
static struct rs_field *target(struct parse *p)
{
	static const int sub_of_device[] = { S_HOSTNAME, S_OS, S_SERIAL, S_CONSOLE_USER };
	static const int sub_of_os[] = { S_OS_NAME, S_OS_VERSION };
	static const int sub_of_summary[] = { S_PASS, S_FAIL, S_ERROR, S_SKIP };

	if (p->opaque_depth > 0 || p->key < 0)
		return NULL;
	switch (here(p)) {
	case AT_TOP:
		return &p->sc.top[p->key];
	case AT_DEVICE:
		return &p->sc.sub[sub_of_device[p->key]];
	case AT_OS:
		return &p->sc.sub[sub_of_os[p->key]];
	case AT_AGENT:
		return &p->sc.sub[S_AGENT_VERSION];
	case AT_POLICY:
		return &p->sc.sub[p->key == 0 ? S_POLICY_NAME : S_POLICY_SHA];
	case AT_SUMMARY:
		return &p->sc.sub[sub_of_summary[p->key]];
	case AT_RESULT:
		return &p->res[p->key];
	default:
		return NULL;
	}
}

/* The end of a result's observed value: its text is the body from where
 * it started to here. */
static void observed_done(struct parse *p)
{
	size_t end = yajl_get_bytes_consumed(p->h);

	p->res[R_OBSERVED].kind = K_OTHER;
	p->res[R_OBSERVED].text = (const char *)p->body + p->observed_from;
	p->res[R_OBSERVED].num = (long long)(end - p->observed_from);
	p->observed_open = 0;
}

/* A value that is no container has been read. */
static int scalar(struct parse *p, enum rs_kind kind, const unsigned char *s, size_t len,
                  long long num)
{
	struct rs_field *f;

	if (here(p) == AT_NONE) {
		p->sc.top_kind = 1;
		/* a number ends only at the body's end, which yajl sees
		 * after it was given all of it */
		if (p->opaque_depth == 0)
			p->top_end = p->completing ? p->len : yajl_get_bytes_consumed(p->h);
		return 1;
	}
	if (p->opaque_depth == 0 && here(p) == AT_RESULT && p->key == R_OBSERVED) {
		observed_done(p);
		p->key = -1;
		return 1;
	}
	if (p->opaque_depth == 0 && here(p) == AT_RESULTS) {
		/* an element that is no object: kept, to be refused */
		memset(p->res, 0, sizeof(p->res));
		return reportscan_result(&p->sc, p->res);
	}
	f = target(p);
	if (f != NULL) {
		f->kind = kind;
		f->num = num;
		if (kind == K_STRING)
			f->text = reportscan_keep(&p->sc, (const char *)s, len);
	}
	if (p->opaque_depth == 0)
		p->key = -1;
	return !p->sc.oom;
}

static int on_null(void *ctx)
{
	return scalar(ctx, K_NULL, NULL, 0, 0);
}

static int on_boolean(void *ctx, int v)
{
	return scalar(ctx, K_BOOL, NULL, 0, v != 0);
}

static int on_integer(void *ctx, long long v)
{
	return scalar(ctx, K_INT, NULL, 0, v);
}

static int on_double(void *ctx, double v)
{
	(void)v;
	return scalar(ctx, K_OTHER, NULL, 0, 0);
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
	return scalar(ctx, K_STRING, s, len, 0);
}

/* A container opens: a known place, or one level deeper in an opaque
 * value. IS_MAP tells which. */
static int open_container(struct parse *p, int is_map)
{
	enum place next = AT_OPAQUE;
	struct rs_field *f;

	if (p->opaque_depth > 0) {
		p->opaque_depth++;
		return 1;
	}
	if (here(p) == AT_NONE) {
		p->sc.top_kind = is_map ? 2 : 1;
		if (!is_map) {
			p->opaque_depth = 1;
			return 1;
		}
		p->stack[p->depth++] = AT_TOP;
		p->key = -1;
		return 1;
	}
	if (here(p) == AT_RESULT && p->key == R_OBSERVED) {
		p->observed_open = 1;
		p->opaque_depth = 1;
		return 1;
	}
	f = target(p);
	if (f != NULL)
		f->kind = is_map ? K_OBJECT : K_OTHER;
	if (!is_map && here(p) == AT_RESULTS) {
		/* an element that is no object: kept, to be refused */
		memset(p->res, 0, sizeof(p->res));
		p->opaque_depth = 1;
		return reportscan_result(&p->sc, p->res);
	}
	if (is_map) {
		if (here(p) == AT_TOP && p->key == F_DEVICE)
			next = AT_DEVICE;
		else if (here(p) == AT_DEVICE && p->key == 1)
			next = AT_OS;
		else if (here(p) == AT_TOP && p->key == F_AGENT)
			next = AT_AGENT;
		else if (here(p) == AT_TOP && p->key == F_POLICY)
			next = AT_POLICY;
		else if (here(p) == AT_TOP && p->key == F_SUMMARY)
			next = AT_SUMMARY;
		else if (here(p) == AT_RESULTS)
			next = AT_RESULT;
	} else if (here(p) == AT_TOP && p->key == F_RESULTS) {
		next = AT_RESULTS;
		p->sc.results_array = 1;
	}
	if (next == AT_OPAQUE) {
		p->opaque_depth = 1;
		return 1;
	}
	if (next == AT_RESULT) {
		memset(p->res, 0, sizeof(p->res));
		p->seen_res = 0;
	}
	p->stack[p->depth++] = next;
	p->key = -1;
	return 1;
}

static int close_container(struct parse *p)
{
	if (p->opaque_depth > 0) {
		p->opaque_depth--;
		if (p->opaque_depth == 0 && here(p) == AT_NONE)
			p->top_end = yajl_get_bytes_consumed(p->h);
		if (p->opaque_depth == 0) {
			if (p->observed_open && here(p) == AT_RESULT)
				observed_done(p);
			p->key = -1;
		}
		return 1;
	}
	if (p->depth == 0)
		return 1;
	if (here(p) == AT_RESULT && !reportscan_result(&p->sc, p->res))
		return 0;
	if (--p->depth == 0)
		p->top_end = yajl_get_bytes_consumed(p->h);
	p->key = -1;
	return 1;
}

static int on_start_map(void *ctx)
{
	return open_container(ctx, 1);
}

static int on_end_map(void *ctx)
{
	return close_container(ctx);
}

static int on_start_array(void *ctx)
{
	return open_container(ctx, 0);
}

static int on_end_array(void *ctx)
{
	return close_container(ctx);
}

static int on_map_key(void *ctx, const unsigned char *k, size_t len)
{
	struct parse *p = ctx;
	unsigned *seen = NULL;
	int i = -1;

	if (p->opaque_depth > 0)
		return 1;
	switch (here(p)) {
	case AT_TOP:
		i = reportscan_key((const char *)k, len, reportscan_top_keys, N_TOP);
		seen = &p->seen_top;
		break;
	case AT_DEVICE:
		i = reportscan_key((const char *)k, len, reportscan_device_keys,
		                   REPORTSCAN_DEVICE_KEYS);
		seen = &p->seen_device;
		break;
	case AT_OS:
		i = reportscan_key((const char *)k, len, reportscan_os_keys, 2);
		seen = &p->seen_os;
		break;
	case AT_AGENT:
		i = reportscan_key((const char *)k, len, reportscan_agent_keys, 1);
		seen = &p->seen_agent;
		break;
	case AT_POLICY:
		i = reportscan_key((const char *)k, len, reportscan_policy_keys, 2);
		seen = &p->seen_policy;
		break;
	case AT_SUMMARY:
		i = reportscan_key((const char *)k, len, reportscan_summary_keys, 4);
		seen = &p->seen_summary;
		break;
	case AT_RESULT:
		i = reportscan_key((const char *)k, len, reportscan_result_keys, N_RES);
		seen = &p->seen_res;
		break;
	default:
		break;
	}
	if (i >= 0) {
		if (*seen & (1u << i))
			p->sc.duplicate = 1;
		*seen |= 1u << i;
	}
	p->key = i;
	if (i == R_OBSERVED && here(p) == AT_RESULT) {
		/* the value starts after the key, its colon and any blanks */
		size_t at = yajl_get_bytes_consumed(p->h);

		while (at < p->len &&
		       (p->body[at] == ' ' || p->body[at] == '\t' || p->body[at] == '\n' ||
		        p->body[at] == '\r' || p->body[at] == ':'))
			at++;
		p->observed_from = at;
	}
	return 1;
}

static const yajl_callbacks callbacks = {
	on_null,      on_boolean, on_integer, on_double,      NULL,         on_string,
	on_start_map, on_map_key, on_end_map, on_start_array, on_end_array,
};

/* A set of check ids: open addressing over twice as many slots as ids. */
#define ID_SLOTS(n) ((n)*2 + 1)

/* Adds ID to the set; 0 when it was there already. */
static int id_insert(const char **slots, size_t n_slots, const char *id)
{
	size_t h = 5381;

	for (const char *c = id; *c; c++)
		h = h * 33 + (unsigned char)*c;
	for (size_t i = h % n_slots;; i = (i + 1) % n_slots) {
		if (slots[i] == NULL) {
			slots[i] = id;
			return 1;
		}
		if (strcmp(slots[i], id) == 0)
			return 0;
	}
}

static const char *str_or_null(const struct rs_field *f, int *bad)
{
	if (f->kind == K_ABSENT || f->kind == K_NULL)
		return NULL;
	if (f->kind != K_STRING) {
		*bad = 1;
		return NULL;
	}
	return f->text;
}

/* Line and column of byte AT of BODY, as a reader counts them. */
static void line_column(const unsigned char *body, size_t at, int *line, int *column)
{
	*line = 1;
	*column = 1;
	for (size_t i = 0; i < at; i++) {
		if (body[i] == '\n') {
			(*line)++;
			*column = 1;
		} else {
			(*column)++;
		}
	}
}

/* Where BODY (N bytes) first stops being UTF-8 (RFC 3629: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or N. yajl checks only
 * that continuation bytes follow a lead byte. */
static size_t utf8_end(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t more;
		unsigned char lo = 0x80, hi = 0xbf; /* the second byte's range */

		if (c < 0x80) {
			/* ASCII, most of a report: eight bytes at a time */
			for (i++; n - i >= 8; i += 8) {
				uint64_t w;

				memcpy(&w, s + i, 8);
				if (w & 0x8080808080808080u)
					break;
			}
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			more = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			if (c == 0xe0)
				lo = 0xa0; /* overlong */
			else if (c == 0xed)
				hi = 0x9f; /* a surrogate */
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			if (c == 0xf0)
				lo = 0x90; /* overlong */
			else if (c == 0xf4)
				hi = 0x8f; /* past U+10FFFF */
		} else {
			return i;
		}
		if (n - i <= more || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k <= more; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
		i += more + 1;
	}
	return n;
}

static unsigned hex4(const unsigned char *h)
{
	unsigned v = 0;

	for (int k = 0; k < 4; k++)
		v = v * 16 + (unsigned)(h[k] <= '9' ? h[k] - '0' : (h[k] | 0x20) - 'a' + 10);
	return v;
}

/* Where BODY (N bytes of JSON yajl accepted, so every backslash is in a
 * string and starts a valid escape) first escapes half of a surrogate pair
 * alone, or N: JSON's grammar lets \uD800 stand by itself, but it is no
 * character, and what reads the report later (jansson) refuses it. */
static size_t lone_surrogate(const unsigned char *s, size_t n)
{
	const unsigned char *at = s, *end = s + n;

	while ((at = memchr(at, '\\', (size_t)(end - at))) != NULL) {
		unsigned v;

		if (at[1] != 'u') {
			at += 2; /* \\, \" and the others: one character */
			continue;
		}
		v = hex4(at + 2);
		if (v >= 0xdc00 && v <= 0xdfff)
			return (size_t)(at - s);
		if (v >= 0xd800 && v <= 0xdbff) {
			unsigned low;

			if (end - at < 12 || at[6] != '\\' || at[7] != 'u')
				return (size_t)(at - s);
			low = hex4(at + 8);
			if (low < 0xdc00 || low > 0xdfff)
				return (size_t)(at - s);
			at += 12;
			continue;
		}
		at += 6;
	}
	return n;
}

int reportscan_yajl(const char *body, size_t len, struct report_scan *sc, char *err, size_t err_len)
{
	struct parse *p = calloc(1, sizeof(*p));
	yajl_status st;
	int rc = 1;

	if (p == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	p->sc.r = sc->r;
	p->body = (const unsigned char *)body;
	p->len = len;
	p->key = -1;
	p->h = yajl_alloc(&callbacks, NULL, p);
	if (p->h == NULL) {
		free(p);
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	st = yajl_parse(p->h, (const unsigned char *)body, len);
	p->completing = 1;
	if (st == yajl_status_ok)
		st = yajl_complete_parse(p->h);
	*sc = p->sc;
	if (st != yajl_status_ok || p->sc.oom) {
		unsigned char *why = p->sc.oom ? NULL : yajl_get_error(p->h, 0, NULL, 0);
		size_t at = yajl_get_bytes_consumed(p->h);
		int line, column;
		char *nl;

		line_column((const unsigned char *)body, at < len ? at : len, &line, &column);
		if (why != NULL && (nl = strchr((char *)why, '\n')) != NULL)
			*nl = '\0';
		snprintf(err, err_len, "the body is not JSON: %s (line %d, column %d)",
		         why ? (const char *)why : "out of memory", line, column);
		if (why != NULL)
			yajl_free_error(p->h, why);
		rc = p->sc.oom ? -1 : 0;
	} else {
		/* where yajl is laxer than JSON (RFC 8259): a vertical tab or
		 * a form feed taken for white space (inside a string yajl
		 * refuses them already, so either is an error wherever it is);
		 * bytes that are not UTF-8; half a surrogate pair escaped */
		const unsigned char *b = (const unsigned char *)body;
		const char *vt = memchr(body, '\v', len), *ff = memchr(body, '\f', len);
		const char *first = vt != NULL && (ff == NULL || vt < ff) ? vt : ff;
		size_t at = first != NULL ? (size_t)(first - body) : len, end;
		const char *what = first == NULL    ? NULL
		                   : *first == '\v' ? "a vertical tab between its values"
		                                    : "a form feed between its values";
		int line, column;

		size_t after = p->top_end;

		/* yajl takes a string left open after the value for the end
		 * of its input, and lets it be */
		while (after < len && (b[after] == ' ' || b[after] == '\t' || b[after] == '\n' ||
		                       b[after] == '\r'))
			after++;
		if (after < at) {
			at = after;
			what = "more after the report's value";
		}
		if ((end = utf8_end(b, len)) < at) {
			at = end;
			what = "bytes that are not UTF-8";
		}
		if ((end = lone_surrogate(b, at)) < at) {
			at = end;
			what = "half a surrogate pair escaped alone";
		}
		if (what != NULL) {
			line_column(b, at, &line, &column);
			snprintf(err, err_len, "the body is not JSON: %s (line %d, column %d)",
			         what, line, column);
			rc = 0;
		}
	}
	yajl_free(p->h);
	free(p);
	return rc;
}

/* The checks of posture.report/1 on a scan of a body: 0 and R filled, or
 * -1 with ERR. */
static int check(const struct report_scan *p, struct report_in *r, char *err, size_t err_len)
{
	static const char *const statuses[] = { "pass", "fail", "error", "skip", NULL };
	static const char *const severities[] = { "low", "medium", "high", "critical", NULL };
	static const char *const counts[] = { "pass", "fail", "error", "skip" };
	const char **ids = NULL;
	long long seen[4] = { 0, 0, 0, 0 };
	int bad = 0;
	size_t i;

	if (p->top_kind != 2) {
		snprintf(err, err_len, "the report is not a JSON object");
		goto fail;
	}
	if (p->duplicate || p->nul) {
		snprintf(err, err_len,
		         p->duplicate ? "the report repeats a key in one object"
		                      : "a text field of the report holds a NUL");
		goto fail;
	}
	if (p->top[F_SCHEMA].kind != K_STRING ||
	    strcmp(p->top[F_SCHEMA].text, CONTRACT_REPORT_SCHEMA) != 0) {
		snprintf(err, err_len, "schema must be \"posture.report/1\"");
		goto fail;
	}
	r->report_id = p->top[F_REPORT_ID].kind == K_STRING ? p->top[F_REPORT_ID].text : NULL;
	if (!is_uuid(r->report_id)) {
		snprintf(err, err_len, "report_id must be a UUID");
		goto fail;
	}
	r->generated_at =
	    p->top[F_GENERATED_AT].kind == K_STRING ? p->top[F_GENERATED_AT].text : NULL;
	if (reportin_utc(r->generated_at, r->generated_utc, &r->generated_epoch) != 0) {
		snprintf(err, err_len, "generated_at must be an RFC 3339 time");
		goto fail;
	}
	if (p->top[F_DEVICE].kind != K_OBJECT) {
		snprintf(err, err_len, "device must be an object");
		goto fail;
	}
	r->hostname = str_or_null(&p->sub[S_HOSTNAME], &bad);
	if (p->sub[S_OS].kind != K_ABSENT && p->sub[S_OS].kind != K_NULL &&
	    p->sub[S_OS].kind != K_OBJECT)
		bad = 1;
	r->serial = str_or_null(&p->sub[S_SERIAL], &bad);
	r->console_user = str_or_null(&p->sub[S_CONSOLE_USER], &bad);
	if (bad) {
		snprintf(err, err_len, "device.serial and device.console_user must be strings");
		goto fail;
	}
	r->os_name = str_or_null(&p->sub[S_OS_NAME], &bad);
	r->os_version = str_or_null(&p->sub[S_OS_VERSION], &bad);
	r->agent_version = str_or_null(&p->sub[S_AGENT_VERSION], &bad);
	if (bad) {
		snprintf(err, err_len,
		         "device.hostname, device.os and agent.version must be strings");
		goto fail;
	}
	if (too_long(r->serial, 128) || too_long(r->console_user, 128)) {
		snprintf(err, err_len,
		         "device.serial and device.console_user must each be at most 128 bytes");
		goto fail;
	}
	if (too_long(r->hostname, REPORTIN_MAX_NAME) || too_long(r->os_name, REPORTIN_MAX_NAME) ||
	    too_long(r->os_version, REPORTIN_MAX_NAME) ||
	    too_long(r->agent_version, REPORTIN_MAX_NAME)) {
		snprintf(err, err_len,
		         "device.hostname, device.os.name, device.os.version and agent.version "
		         "must each be at most %d bytes",
		         REPORTIN_MAX_NAME);
		goto fail;
	}
	r->policy_name = p->sub[S_POLICY_NAME].kind == K_STRING ? p->sub[S_POLICY_NAME].text : NULL;
	r->policy_sha256 = str_or_null(&p->sub[S_POLICY_SHA], &bad);
	if (p->top[F_POLICY].kind != K_OBJECT || r->policy_name == NULL || bad ||
	    too_long(r->policy_name, REPORTIN_MAX_NAME) ||
	    (r->policy_sha256 &&
	     (strlen(r->policy_sha256) != 64 || !is_hex(r->policy_sha256, 64)))) {
		snprintf(err, err_len,
		         "policy must be an object with a name and a 64-digit sha256");
		goto fail;
	}
	if (p->top[F_COMPLIANT].kind != K_BOOL) {
		snprintf(err, err_len, "compliant must be true or false");
		goto fail;
	}
	r->compliant = (int)p->top[F_COMPLIANT].num;
	if (!p->results_array || p->too_many) {
		snprintf(err, err_len, "results must be an array of at most %d checks",
		         REPORTIN_MAX_RESULTS);
		goto fail;
	}
	ids = calloc(ID_SLOTS(r->n_results), sizeof(*ids));
	if (ids == NULL) {
		snprintf(err, err_len, "out of memory");
		goto fail;
	}
	for (i = 0; i < r->n_results; i++) {
		const struct result_in *x = &r->results[i];

		if (x->id == NULL || x->id[0] == '\0' || strlen(x->id) > 200 || x->type == NULL ||
		    too_long(x->type, 64) || x->status == NULL || !one_of(x->status, statuses) ||
		    (x->severity && !one_of(x->severity, severities))) {
			snprintf(
			    err, err_len,
			    "results[%zu] needs an id (1-200 characters), a type (at most 64), "
			    "a status (pass, fail, error or skip) and no severity other than "
			    "low, medium, high or critical",
			    i);
			goto fail;
		}
		if (too_long(x->remediation, REPORTIN_MAX_REMEDIATION)) {
			snprintf(err, err_len, "results[%zu].remediation is over %d bytes", i,
			         REPORTIN_MAX_REMEDIATION);
			goto fail;
		}
		if (!id_insert(ids, ID_SLOTS(r->n_results), x->id)) {
			snprintf(err, err_len, "results[%zu]: check id '%.200s' appears twice", i,
			         x->id);
			goto fail;
		}
		for (size_t k = 0; k < 4; k++)
			seen[k] += strcmp(x->status, counts[k]) == 0;
	}
	for (int k = 0; k < 4; k++) {
		const struct rs_field *f = &p->sub[S_PASS + k];

		if (p->top[F_SUMMARY].kind != K_OBJECT || f->kind != K_INT || f->num != seen[k]) {
			snprintf(err, err_len,
			         "summary.%s must be %lld, the number of results with "
			         "that status",
			         counts[k], seen[k]);
			goto fail;
		}
	}
	/* a failure within its grace period (a due_at, overdue false) is kept
	 * as "due"; a compliant device may have those failures only */
	for (i = 0; i < r->n_results; i++) {
		struct result_in *x = &r->results[i];
		char utc[24];
		long long when;

		if (strcmp(x->status, "fail") != 0)
			continue;
		if (x->overdue == 0 && reportin_utc(x->due_at, utc, &when) == 0) {
			x->status = "due";
			continue;
		}
		if (r->compliant) {
			snprintf(
			    err, err_len,
			    "compliant is true but %lld check(s) failed, and results[%zu] (%s) "
			    "is no failure within a grace period (a due_at and overdue false)",
			    seen[1], i, x->id);
			goto fail;
		}
	}
	free(ids);
	return 0;
fail:
	free(ids);
	return -1;
}

int reportin_parse(const char *body, size_t len, struct report_in *r, char *err, size_t err_len)
{
	struct report_scan sc = { .r = r };
	const char *why = NULL;
	int got;

	memset(r, 0, sizeof(*r));
	got = reportscan_simd(body, len, &sc, &why);
	if (got != 1) {
		/* refused by simdjson, or On Demand failed where its validator
		 * did not: yajl reads the body again and says where it stops
		 * being JSON; a body yajl takes (simdjson is stricter only in
		 * nesting deeper than 1024) gets simdjson's reason */
		reportin_free(r);
		memset(&sc, 0, sizeof(sc));
		sc.r = r;
		if (reportscan_yajl(body, len, &sc, err, err_len) != 1)
			goto fail;
		if (got == 0) {
			snprintf(err, err_len, "the body is not JSON: %s", why);
			goto fail;
		}
	}
	if (check(&sc, r, err, err_len) != 0)
		goto fail;
	return 0;
fail:
	reportin_free(r);
	return -1;
}

void reportin_free(struct report_in *r)
{
	reportscan_free_strings(r);
	free(r->results);
	memset(r, 0, sizeof(*r));
}
