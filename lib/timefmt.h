/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timefmt: times as the contract writes them, RFC 3339 in UTC with whole
 * seconds ("2026-11-25T19:10:43Z"): reports, status, the store, the
 * collector's answers. The one RFC 3339 formatter in the tree.
 */
#ifndef POSTURE_TIMEFMT_H
#define POSTURE_TIMEFMT_H

#include <stddef.h>
#include <time.h>

/* WHEN into OUT (20 characters and NUL; OUT has room for 32). */
void time_rfc3339(time_t when, char out[32]);

/* A broken-down UTC time (a certificate's notAfter, a parsed date) the
 * same way, into OUT of OUT_LEN bytes (at least 21). */
void time_rfc3339_tm(const struct tm *tm, char *out, size_t out_len);

/* WHEN's day in UTC, "2026-09-18", into OUT (10 characters and NUL). */
void time_day(time_t when, char out[16]);

/* The current time, as time_rfc3339. */
void time_now_rfc3339(char out[32]);

/* Days since 1970-01-01 of the proleptic Gregorian date Y-M-D (Howard
 * Hinnant's days_from_civil), so that no OS's timegm is needed. */
long long time_days_from_civil(long long y, unsigned m, unsigned d);

/* An RFC 3339 time ("2026-11-25T19:10:43Z", with an optional fraction and
 * a Z or +hh:mm offset; a date of 1970 or later that exists) as seconds
 * since 1970 in UTC: 0 and *EPOCH, or -1. The one reader of them: reports,
 * feeds. */
int time_parse_rfc3339(const char *s, long long *epoch);

#endif
