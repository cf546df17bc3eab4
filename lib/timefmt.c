/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timefmt: RFC 3339 times. See timefmt.h.
 */
#include "timefmt.h"

#include <string.h>

void time_rfc3339(time_t when, char out[32])
{
	struct tm tm;

	gmtime_r(&when, &tm);
	time_rfc3339_tm(&tm, out, 32);
}

void time_rfc3339_tm(const struct tm *tm, char *out, size_t out_len)
{
	if (strftime(out, out_len, "%Y-%m-%dT%H:%M:%SZ", tm) == 0 && out_len > 0)
		out[0] = '\0';
}

void time_day(time_t when, char out[16])
{
	char full[32];

	time_rfc3339(when, full);
	memcpy(out, full, 10);
	out[10] = '\0';
}

void time_now_rfc3339(char out[32])
{
	time_rfc3339(time(NULL), out);
}

long long time_days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

/* The number the N digits at S write, or -1 when one is no digit. */
static int digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

int time_parse_rfc3339(const char *s, long long *epoch)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, sec;
	long offset = 0;
	const char *z;

	if (s == NULL || strnlen(s, 20) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return -1;
	z = s + 19;
	if (*z == '.') {
		if (z[1] < '0' || z[1] > '9')
			return -1;
		for (z++; *z >= '0' && *z <= '9';)
			z++;
	}
	if ((*z == 'Z' || *z == 'z') && z[1] == '\0') {
		offset = 0;
	} else if ((*z == '+' || *z == '-') && z[3] == ':' && z[6] == '\0' &&
	           digits(z + 1, 2) >= 0 && digits(z + 1, 2) <= 23 && digits(z + 4, 2) >= 0 &&
	           digits(z + 4, 2) <= 59) {
		offset = (digits(z + 1, 2) * 3600L + digits(z + 4, 2) * 60L) * (*z == '-' ? -1 : 1);
	} else {
		return -1;
	}
	*epoch = time_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400LL + h * 3600LL +
	         mi * 60LL + sec - offset;
	return 0;
}
