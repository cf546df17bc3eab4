/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vercmp: dpkg's and rpm's version orderings. See vercmp.h.
 *
 * Both algorithms are written from their documented behaviour (deb-version(7),
 * rpm's "version comparison" notes) and then held to the real tools by the
 * differential tests; character classes are ASCII-only on purpose, as both
 * tools use their own locale-independent c_isdigit()/risalpha().
 */
#include "vercmp.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_blank(int c)
{
	return c == ' ' || c == '\t';
}

int deb_version_parse(const char *s, struct deb_version *out, char *err, size_t err_len)
{
	const char *start, *end, *p, *colon, *hyphen = NULL;

	memset(out, 0, sizeof(*out));
	out->revision = "";
	if (*s == '\0') {
		snprintf(err, err_len, "version string is empty");
		return -1;
	}
	start = s;
	while (*start && is_blank((unsigned char)*start))
		start++;
	end = start;
	while (*end && !is_blank((unsigned char)*end))
		end++;
	for (p = end; *p && is_blank((unsigned char)*p); p++)
		;
	if (*p) {
		snprintf(err, err_len, "version string has embedded spaces");
		return -1;
	}
	colon = memchr(start, ':', (size_t)(end - start));
	if (colon != NULL) {
		char *epoch_end;
		long epoch;

		errno = 0;
		epoch = strtol(start, &epoch_end, 10);
		if (epoch_end == start) {
			snprintf(err, err_len, "epoch in version is empty");
			return -1;
		}
		if (epoch_end != colon) {
			snprintf(err, err_len, "epoch in version is not number");
			return -1;
		}
		if (epoch < 0) {
			snprintf(err, err_len, "epoch in version is negative");
			return -1;
		}
		if (epoch > INT_MAX || errno == ERANGE) {
			snprintf(err, err_len, "epoch in version is too big");
			return -1;
		}
		if (colon + 1 == end) {
			snprintf(err, err_len, "nothing after colon in version number");
			return -1;
		}
		out->epoch = (unsigned long)epoch;
		start = colon + 1;
	}
	for (p = start; p < end; p++)
		if (*p == '-')
			hyphen = p;
	out->upstream = start;
	if (hyphen != NULL) {
		out->upstream_len = (size_t)(hyphen - start);
		out->revision = hyphen + 1;
		out->revision_len = (size_t)(end - hyphen - 1);
		if (out->revision_len == 0) {
			snprintf(err, err_len, "revision number is empty");
			return -1;
		}
	} else {
		out->upstream_len = (size_t)(end - start);
	}
	if (out->upstream_len == 0) {
		snprintf(err, err_len, "version number is empty");
		return -1;
	}
	if (!is_digit((unsigned char)out->upstream[0])) {
		snprintf(err, err_len, "version number does not start with digit");
		return 1;
	}
	for (p = out->upstream + 1; p < out->upstream + out->upstream_len; p++) {
		if (!is_digit((unsigned char)*p) && !is_alpha((unsigned char)*p) &&
		    strchr(".-+~:", *p) == NULL) {
			snprintf(err, err_len, "invalid character in version number");
			return 1;
		}
	}
	for (p = out->revision; p < out->revision + out->revision_len; p++) {
		if (!is_digit((unsigned char)*p) && !is_alpha((unsigned char)*p) &&
		    strchr(".+~", *p) == NULL) {
			snprintf(err, err_len, "invalid character in revision number");
			return 1;
		}
	}
	return 0;
}

/* dpkg's weight of a non-digit character: '~' before the end, letters before
 * other punctuation. The end of the string weighs 0. */
static int deb_order(const char *p, const char *end)
{
	/* Plain char, as dpkg reads it, so bytes above 0x7f weigh what they
	 * weigh in dpkg on the same architecture. */
	int c;

	if (p >= end)
		return 0;
	c = *p;
	if (is_digit(c))
		return 0;
	if (is_alpha(c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

static int deb_part_compare(const char *a, size_t a_len, const char *b, size_t b_len)
{
	const char *a_end = a + a_len, *b_end = b + b_len;

	while (a < a_end || b < b_end) {
		int first_diff = 0;

		while ((a < a_end && !is_digit((unsigned char)*a)) ||
		       (b < b_end && !is_digit((unsigned char)*b))) {
			int ac = deb_order(a, a_end);
			int bc = deb_order(b, b_end);

			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (a < a_end && *a == '0')
			a++;
		while (b < b_end && *b == '0')
			b++;
		while (a < a_end && b < b_end && is_digit((unsigned char)*a) &&
		       is_digit((unsigned char)*b)) {
			if (first_diff == 0)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (a < a_end && is_digit((unsigned char)*a))
			return 1;
		if (b < b_end && is_digit((unsigned char)*b))
			return -1;
		if (first_diff != 0)
			return first_diff;
	}
	return 0;
}

int deb_version_compare(const struct deb_version *a, const struct deb_version *b)
{
	int rc;

	if (a->epoch != b->epoch)
		return a->epoch > b->epoch ? 1 : -1;
	rc = deb_part_compare(a->upstream, a->upstream_len, b->upstream, b->upstream_len);
	if (rc != 0)
		return rc;
	return deb_part_compare(a->revision, a->revision_len, b->revision, b->revision_len);
}

int deb_version_cmp_str(const char *a, const char *b)
{
	struct deb_version va, vb;
	char err[128];

	if (deb_version_parse(a, &va, err, sizeof(err)) < 0) {
		memset(&va, 0, sizeof(va));
		va.upstream = va.revision = "";
	}
	if (deb_version_parse(b, &vb, err, sizeof(err)) < 0) {
		memset(&vb, 0, sizeof(vb));
		vb.upstream = vb.revision = "";
	}
	return deb_version_compare(&va, &vb);
}

static int rpm_is_sep(int c)
{
	return !is_digit(c) && !is_alpha(c) && c != '~' && c != '^';
}

/* rpmvercmp() over [a, a_end) and [b, b_end). */
static int rpm_vercmp_n(const char *a, const char *a_end, const char *b, const char *b_end)
{
	if (a_end - a == b_end - b && memcmp(a, b, (size_t)(a_end - a)) == 0)
		return 0;
	while (a < a_end || b < b_end) {
		const char *sa, *sb;
		size_t la, lb;
		int is_num, rc;

		while (a < a_end && rpm_is_sep((unsigned char)*a))
			a++;
		while (b < b_end && rpm_is_sep((unsigned char)*b))
			b++;

		/* A tilde sorts before everything, even the end of the string. */
		if ((a < a_end && *a == '~') || (b < b_end && *b == '~')) {
			if (a >= a_end || *a != '~')
				return 1;
			if (b >= b_end || *b != '~')
				return -1;
			a++;
			b++;
			continue;
		}
		/* A caret sorts after the end of the string but before anything
		 * else. */
		if ((a < a_end && *a == '^') || (b < b_end && *b == '^')) {
			if (a >= a_end)
				return -1;
			if (b >= b_end)
				return 1;
			if (*a != '^')
				return 1;
			if (*b != '^')
				return -1;
			a++;
			b++;
			continue;
		}
		if (a >= a_end || b >= b_end)
			break;

		sa = a;
		sb = b;
		if (is_digit((unsigned char)*a)) {
			while (sa < a_end && is_digit((unsigned char)*sa))
				sa++;
			while (sb < b_end && is_digit((unsigned char)*sb))
				sb++;
			is_num = 1;
		} else {
			while (sa < a_end && is_alpha((unsigned char)*sa))
				sa++;
			while (sb < b_end && is_alpha((unsigned char)*sb))
				sb++;
			is_num = 0;
		}
		if (sb == b)
			return is_num ? 1 : -1; /* numeric beats alpha */
		if (is_num) {
			while (a < sa && *a == '0')
				a++;
			while (b < sb && *b == '0')
				b++;
			la = (size_t)(sa - a);
			lb = (size_t)(sb - b);
			if (la != lb)
				return la > lb ? 1 : -1;
		}
		la = (size_t)(sa - a);
		lb = (size_t)(sb - b);
		rc = memcmp(a, b, la < lb ? la : lb);
		if (rc == 0 && la != lb)
			rc = la < lb ? -1 : 1;
		if (rc != 0)
			return rc < 0 ? -1 : 1;
		a = sa;
		b = sb;
	}
	if (a >= a_end && b >= b_end)
		return 0;
	return a >= a_end ? -1 : 1;
}

int rpm_vercmp(const char *a, const char *b)
{
	return rpm_vercmp_n(a, a + strlen(a), b, b + strlen(b));
}

struct evr {
	const char *e, *e_end; /* NULL when absent */
	const char *v, *v_end;
	const char *r, *r_end; /* NULL when absent */
};

/* rpm's parseEVR(): epoch is the leading digits before a ':', release what
 * follows the last '-'. */
static void evr_split(const char *s, struct evr *out)
{
	static const char zero[] = "0";
	const char *p = s, *end = s + strlen(s), *hyphen = NULL, *q;

	while (is_digit((unsigned char)*p))
		p++;
	for (q = p; *q; q++)
		if (*q == '-')
			hyphen = q;
	if (*p == ':') {
		out->e = s;
		out->e_end = p;
		if (p == s) {
			out->e = zero;
			out->e_end = zero + 1;
		}
		out->v = p + 1;
	} else {
		out->e = out->e_end = NULL;
		out->v = s;
	}
	if (hyphen != NULL) {
		out->v_end = hyphen;
		out->r = hyphen + 1;
		out->r_end = end;
	} else {
		out->v_end = end;
		out->r = out->r_end = NULL;
	}
}

static int evr_part_compare(const char *a, const char *a_end, const char *b, const char *b_end)
{
	if (a == NULL && b == NULL)
		return 0;
	if (a != NULL && b == NULL)
		return 1;
	if (a == NULL)
		return -1;
	return rpm_vercmp_n(a, a_end, b, b_end);
}

int rpm_evr_compare(const char *a, const char *b)
{
	static const char zero[] = "0";
	struct evr ea, eb;
	int rc;

	evr_split(a, &ea);
	evr_split(b, &eb);
	if (ea.e == NULL) {
		ea.e = zero;
		ea.e_end = zero + 1;
	}
	if (eb.e == NULL) {
		eb.e = zero;
		eb.e_end = zero + 1;
	}
	rc = evr_part_compare(ea.e, ea.e_end, eb.e, eb.e_end);
	if (rc == 0)
		rc = evr_part_compare(ea.v, ea.v_end, eb.v, eb.v_end);
	if (rc == 0)
		rc = evr_part_compare(ea.r, ea.r_end, eb.r, eb.r_end);
	return rc;
}

static int rpm_field_ok(const char *p, const char *end)
{
	if (p >= end)
		return 0;
	for (; p < end; p++)
		if (!is_digit((unsigned char)*p) && !is_alpha((unsigned char)*p) &&
		    strchr("._+~^", *p) == NULL)
			return 0;
	return 1;
}

int rpm_version_check(const char *s, char *err, size_t err_len)
{
	struct evr e;
	const char *p;

	if (*s == '\0') {
		snprintf(err, err_len, "version string is empty");
		return -1;
	}
	for (p = s; *p && *p != ':'; p++)
		;
	if (*p == ':') {
		const char *q;

		for (q = s; q < p; q++)
			if (!is_digit((unsigned char)*q))
				break;
		if (p == s || q != p) {
			snprintf(err, err_len, "epoch before ':' must be a number");
			return -1;
		}
		if (strchr(p + 1, ':') != NULL) {
			snprintf(err, err_len, "more than one ':' in version");
			return -1;
		}
	}
	evr_split(s, &e);
	if (memchr(e.v, '-', (size_t)(e.v_end - e.v)) != NULL) {
		snprintf(err, err_len,
		         "more than one '-' in version (rpm allows one, before the release)");
		return -1;
	}
	if (!rpm_field_ok(e.v, e.v_end)) {
		snprintf(err, err_len,
		         "version part is empty or has a character rpm does not allow "
		         "(letters, digits and . _ + ~ ^)");
		return -1;
	}
	if (e.r != NULL && !rpm_field_ok(e.r, e.r_end)) {
		snprintf(err, err_len,
		         "release part is empty or has a character rpm does not allow "
		         "(letters, digits and . _ + ~ ^)");
		return -1;
	}
	return 0;
}

int dotted_version_check(const char *s, char *err, size_t err_len)
{
	const char *p = s;

	if (*p == '\0') {
		snprintf(err, err_len, "version is empty");
		return -1;
	}
	for (;;) {
		const char *start = p;

		while (is_digit((unsigned char)*p))
			p++;
		if (p == start || p - start > 18) {
			snprintf(err, err_len, "'%s' is not a version of numbers separated by dots",
			         s);
			return -1;
		}
		if (*p == '\0')
			return 0;
		if (*p != '.') {
			snprintf(err, err_len, "'%s' is not a version of numbers separated by dots",
			         s);
			return -1;
		}
		p++;
	}
}

int dotted_version_compare(const char *a, const char *b)
{
	while (*a || *b) {
		unsigned long long na = 0, nb = 0;

		while (is_digit((unsigned char)*a))
			na = na * 10 + (unsigned long long)(*a++ - '0');
		while (is_digit((unsigned char)*b))
			nb = nb * 10 + (unsigned long long)(*b++ - '0');
		if (na != nb)
			return na > nb ? 1 : -1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if ((*a && !is_digit((unsigned char)*a)) || (*b && !is_digit((unsigned char)*b)))
			break; /* not a dotted version; stop rather than loop */
	}
	return 0;
}

/* One dotted component: its number, and its pre-release rank (0 for a
 * release; 1 + letter * 1000000 + number for "a3"/"b5"). */
static const char *browser_component(const char *p, unsigned long long *num,
                                     unsigned long long *pre)
{
	*num = 0;
	*pre = 0;
	while (is_digit((unsigned char)*p)) {
		if (*num < 100000000000ULL)
			*num = *num * 10 + (unsigned long long)(*p - '0');
		p++;
	}
	if ((*p == 'a' || *p == 'b') && is_digit((unsigned char)p[1])) {
		unsigned long long n = 0;
		char letter = *p++;

		while (is_digit((unsigned char)*p)) {
			if (n < 1000000)
				n = n * 10 + (unsigned long long)(*p - '0');
			p++;
		}
		*pre = 1 + (unsigned long long)(letter - 'a') * 1000000ULL + n;
	}
	while (*p && *p != '.')
		p++;
	return *p == '.' ? p + 1 : p;
}

int browser_version_compare(const char *a, const char *b)
{
	while (*a || *b) {
		unsigned long long na, nb, pa, pb;

		a = browser_component(a, &na, &pa);
		b = browser_component(b, &nb, &pb);
		if (na != nb)
			return na > nb ? 1 : -1;
		/* A pre-release comes before its release. */
		if (pa != pb) {
			if (pa == 0)
				return 1;
			if (pb == 0)
				return -1;
			return pa > pb ? 1 : -1;
		}
	}
	return 0;
}

static int deb_check(const char *s, char *err, size_t err_len)
{
	struct deb_version v;

	return deb_version_parse(s, &v, err, err_len) == 0 ? 0 : -1;
}

static int deb_compare(const char *a, const char *b)
{
	return deb_version_cmp_str(a, b);
}

const struct pkg_scheme pkg_schemes[] = {
	{ "deb", "deb version", deb_check, deb_compare },
	{ "rpm", "rpm version", rpm_version_check, rpm_evr_compare },
	{ "msi", "Windows dotted version", dotted_version_check, browser_version_compare },
	{ "pkg", "macOS dotted version", dotted_version_check, browser_version_compare },
	{ NULL, NULL, NULL, NULL },
};

const struct pkg_scheme *pkg_scheme_find(const char *name)
{
	for (const struct pkg_scheme *s = pkg_schemes; name != NULL && s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}
