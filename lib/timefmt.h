/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timefmt: times as the contract writes them, RFC 3339 in UTC with whole
 * seconds ("2026-11-25T19:10:43Z"): reports, status, the store. The one
 * formatter of a time_t in the tree.
 */
#ifndef POSTURE_TIMEFMT_H
#define POSTURE_TIMEFMT_H

#include <time.h>

/* WHEN into OUT (20 characters and NUL; OUT has room for 32). */
void time_rfc3339(time_t when, char out[32]);

/* The current time, as time_rfc3339. */
void time_now_rfc3339(char out[32]);

#endif
