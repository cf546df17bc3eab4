/* SPDX-License-Identifier: Apache-2.0 */
/*
 * records: Windows objects as records of named values (winrec.h), built by
 * the live calls or parsed from captured wmic and PowerShell output.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "winrec/winrec.h"
#include "timefmt.h"

void winrec_free(struct winrec_list *l)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		for (j = 0; j < l->recs[i].n; j++) {
			free(l->recs[i].props[j].name);
			free(l->recs[i].props[j].value);
		}
		free(l->recs[i].props);
	}
	free(l->recs);
	l->recs = NULL;
	l->n = 0;
}

int winrec_begin(struct winrec_list *l)
{
	struct winrec *grown;

	if (l->n >= WINREC_MAX_RECORDS)
		return -E2BIG;
	grown = realloc(l->recs, (l->n + 1) * sizeof(*l->recs));
	if (grown == NULL)
		return -ENOMEM;
	l->recs = grown;
	l->recs[l->n].props = NULL;
	l->recs[l->n].n = 0;
	l->n++;
	return 0;
}

const char *winrec_get(const struct winrec *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcasecmp(r->props[i].name, name) == 0)
			return r->props[i].value;
	return NULL;
}

const char *winrec_first(const struct winrec *r, const char *const *names, const char **which)
{
	for (; *names != NULL; names++) {
		const char *v = winrec_get(r, *names);

		if (v != NULL && v[0] != '\0') {
			if (which != NULL)
				*which = *names;
			return v;
		}
	}
	return NULL;
}

int winrec_put(struct winrec_list *l, const char *name, const char *value)
{
	struct winrec *r;
	struct winrec_prop *grown;
	size_t name_len = strlen(name), value_len = strlen(value);

	if (l->n == 0)
		return -EINVAL;
	r = &l->recs[l->n - 1];
	if (r->n >= WINREC_MAX_PROPS || name_len == 0 || name_len > WINREC_MAX_NAME ||
	    value_len > WINREC_MAX_VALUE)
		return -E2BIG;
	if (winrec_get(r, name) != NULL)
		return -EEXIST;
	grown = realloc(r->props, (r->n + 1) * sizeof(*r->props));
	if (grown == NULL)
		return -ENOMEM;
	r->props = grown;
	r->props[r->n].name = strdup(name);
	r->props[r->n].value = strdup(value);
	if (r->props[r->n].name == NULL || r->props[r->n].value == NULL) {
		free(r->props[r->n].name);
		free(r->props[r->n].value);
		return -ENOMEM;
	}
	r->n++;
	return 0;
}

/* UTF-16LE (after its BOM) to UTF-8, unpaired surrogates as U+FFFD. */
static char *from_utf16le(const unsigned char *in, size_t len, size_t *out_len)
{
	char *out = malloc(len / 2 * 3 + 1);
	size_t i = 0, o = 0;

	if (out == NULL)
		return NULL;
	while (i + 1 < len) {
		uint32_t c = in[i] | (uint32_t)in[i + 1] << 8;

		i += 2;
		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < len) {
			uint32_t lo = in[i] | (uint32_t)in[i + 1] << 8;

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			} else {
				c = 0xFFFD;
			}
		} else if (c >= 0xD800 && c <= 0xDFFF) {
			c = 0xFFFD;
		}
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xC0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xE0 | c >> 12);
			out[o++] = (char)(0x80 | (c >> 6 & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else {
			/* 4 bytes for 2 UTF-16 units: within len / 2 * 3 */
			out[o++] = (char)(0xF0 | c >> 18);
			out[o++] = (char)(0x80 | (c >> 12 & 0x3F));
			out[o++] = (char)(0x80 | (c >> 6 & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

static int name_char(int c, int first)
{
	return isalpha(c) || c == '_' || (!first && isdigit(c));
}

/* The length of a property name at the start of S, 0 when there is none. */
static size_t name_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && name_char((unsigned char)s[i], i == 0))
		i++;
	return i;
}

static int add_line(struct winrec_list *l, int *open, const char *name, size_t nlen,
                    const char *value, size_t vlen, size_t line, char *err, size_t err_len)
{
	char nbuf[WINREC_MAX_NAME + 1], *vbuf;
	int rc;

	if (nlen > WINREC_MAX_NAME || vlen > WINREC_MAX_VALUE) {
		snprintf(err, err_len, "line %zu: a name or value longer than %d bytes", line,
		         nlen > WINREC_MAX_NAME ? WINREC_MAX_NAME : WINREC_MAX_VALUE);
		return -EINVAL;
	}
	if (!*open) {
		rc = winrec_begin(l);
		if (rc == -E2BIG)
			snprintf(err, err_len, "line %zu: more than %d objects", line,
			         WINREC_MAX_RECORDS);
		if (rc != 0)
			return rc == -E2BIG ? -EINVAL : rc;
		*open = 1;
	}
	memcpy(nbuf, name, nlen);
	nbuf[nlen] = '\0';
	vbuf = malloc(vlen + 1); /* no strndup on Windows */
	if (vbuf == NULL)
		return -ENOMEM;
	memcpy(vbuf, value, vlen);
	vbuf[vlen] = '\0';
	rc = winrec_put(l, nbuf, vbuf);
	free(vbuf);
	if (rc == -EEXIST)
		snprintf(err, err_len, "line %zu: %s is given twice in one object", line, nbuf);
	else if (rc == -E2BIG)
		snprintf(err, err_len, "line %zu: more than %d properties in one object", line,
		         WINREC_MAX_PROPS);
	return rc == -ENOMEM ? rc : rc != 0 ? -EINVAL : 0;
}

/* Appends a Format-List continuation line to the last value, a space
 * between. */
static int continue_value(struct winrec_list *l, const char *more, size_t n, size_t line, char *err,
                          size_t err_len)
{
	struct winrec *r = &l->recs[l->n - 1];
	struct winrec_prop *p = &r->props[r->n - 1];
	size_t old = strlen(p->value);
	char *grown;

	if (old + 1 + n > WINREC_MAX_VALUE) {
		snprintf(err, err_len, "line %zu: a value longer than %d bytes", line,
		         WINREC_MAX_VALUE);
		return -EINVAL;
	}
	grown = realloc(p->value, old + n + 2);
	if (grown == NULL)
		return -ENOMEM;
	p->value = grown;
	if (old > 0)
		grown[old++] = ' ';
	memcpy(grown + old, more, n);
	grown[old + n] = '\0';
	return 0;
}

int winrec_parse(const char *text, size_t len, struct winrec_list *out, char *err, size_t err_len)
{
	char *conv = NULL;
	const char *p, *end;
	size_t line = 0;
	int open = 0, last_was_list = 0, rc = 0;

	out->recs = NULL;
	out->n = 0;
	if (len > WINREC_MAX_INPUT) {
		snprintf(err, err_len, "the answer is larger than %u bytes", WINREC_MAX_INPUT);
		return -EINVAL;
	}
	if (len >= 2 && (unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE) {
		conv = from_utf16le((const unsigned char *)text + 2, len - 2, &len);
		if (conv == NULL)
			return -ENOMEM;
		text = conv;
	} else if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	p = text;
	end = text + len;
	while (p < end && rc == 0) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *next = eol ? eol + 1 : end;
		size_t n = (size_t)((eol ? eol : end) - p), nl, i;

		line++;
		while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (memchr(p, '\0', n) != NULL) {
			snprintf(err, err_len, "line %zu: a NUL byte", line);
			rc = -EINVAL;
			break;
		}
		if (n == 0) {
			open = 0;
			last_was_list = 0;
			p = next;
			continue;
		}
		if (p[0] == ' ' || p[0] == '\t') {
			/* a Format-List value wrapped onto the next line */
			for (i = 0; i < n && (p[i] == ' ' || p[i] == '\t'); i++)
				;
			if (!open || !last_was_list) {
				snprintf(err, err_len,
				         "line %zu: an indented line that continues no value",
				         line);
				rc = -EINVAL;
				break;
			}
			rc = continue_value(out, p + i, n - i, line, err, err_len);
			p = next;
			continue;
		}
		nl = name_len(p, n);
		if (nl > 0 && nl < n && p[nl] == '=') {
			rc =
			    add_line(out, &open, p, nl, p + nl + 1, n - nl - 1, line, err, err_len);
			last_was_list = 0;
		} else if (nl > 0) {
			for (i = nl; i < n && p[i] == ' '; i++)
				;
			if (i >= n || p[i] != ':') {
				snprintf(err, err_len,
				         "line %zu: neither Name=Value (wmic) nor Name : Value "
				         "(Format-List)",
				         line);
				rc = -EINVAL;
				break;
			}
			i++;
			if (i < n && p[i] == ' ')
				i++;
			rc = add_line(out, &open, p, nl, p + i, n - i, line, err, err_len);
			last_was_list = 1;
		} else {
			snprintf(
			    err, err_len,
			    "line %zu: neither Name=Value (wmic) nor Name : Value (Format-List)",
			    line);
			rc = -EINVAL;
		}
		p = next;
	}
	free(conv);
	return rc;
}

int winrec_number(const char *value, long long *out)
{
	long long v = 0;
	const char *s = value;

	if (*s == '\0')
		return -EINVAL;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s) || v > (INT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return 0;
}

int winrec_bool(const char *value)
{
	if (strcasecmp(value, "TRUE") == 0)
		return 1;
	if (strcasecmp(value, "FALSE") == 0)
		return 0;
	return -EINVAL;
}

int winrec_items(const char *value, char items[][64], int max)
{
	const char *s = value, *e = value + strlen(value);
	int n = 0;

	if (*s == '{') {
		s++;
		if (e > s && e[-1] == '}')
			e--;
	}
	while (s < e) {
		const char *comma = memchr(s, ',', (size_t)(e - s));
		const char *stop = comma ? comma : e;
		size_t len;

		while (s < stop && (*s == ' ' || *s == '"'))
			s++;
		len = (size_t)(stop - s);
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '"'))
			len--;
		if (len > 0) {
			if (n >= max || len >= 64)
				return -E2BIG;
			memcpy(items[n], s, len);
			items[n][len] = '\0';
			n++;
		}
		s = comma ? comma + 1 : e;
	}
	return n;
}

int winrec_cimtime(const char *value, long long *out)
{
	struct tm tm = { 0 };
	int off = 0, i;
	long long t;

	/* yyyymmddHHMMSS.mmmmmmsUUU: 25 characters */
	if (strlen(value) != 25 || value[14] != '.' || (value[21] != '+' && value[21] != '-'))
		return -EINVAL;
	for (i = 0; i < 25; i++)
		if (i != 14 && i != 21 && !isdigit((unsigned char)value[i]))
			return -EINVAL;
	if (strncmp(value, "1601", 4) == 0)
		return -ENOENT;
	tm.tm_year = (value[0] - '0') * 1000 + (value[1] - '0') * 100 + (value[2] - '0') * 10 +
	             (value[3] - '0') - 1900;
	tm.tm_mon = (value[4] - '0') * 10 + (value[5] - '0') - 1;
	tm.tm_mday = (value[6] - '0') * 10 + (value[7] - '0');
	tm.tm_hour = (value[8] - '0') * 10 + (value[9] - '0');
	tm.tm_min = (value[10] - '0') * 10 + (value[11] - '0');
	tm.tm_sec = (value[12] - '0') * 10 + (value[13] - '0');
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -EINVAL;
	off = (value[22] - '0') * 100 + (value[23] - '0') * 10 + (value[24] - '0');
	if (value[21] == '-')
		off = -off;
	t = time_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 86400LL +
	    tm.tm_hour * 3600LL + tm.tm_min * 60LL + tm.tm_sec;
	/* the offset says how far local time is ahead of UTC */
	*out = t - (long long)off * 60;
	return 0;
}
