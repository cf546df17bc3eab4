/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timefmt: RFC 3339 times. See timefmt.h.
 */
#include "timefmt.h"

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
