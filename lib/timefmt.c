/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timefmt: RFC 3339 times. See timefmt.h.
 */
#include "timefmt.h"

void time_rfc3339(time_t when, char out[32])
{
	struct tm tm;

	gmtime_r(&when, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void time_now_rfc3339(char out[32])
{
	time_rfc3339(time(NULL), out);
}
