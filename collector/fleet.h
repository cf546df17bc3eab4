/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fleet: what administrators and auditors read out of the store: the fleet
 * summary (GET /v1/fleet/summary, `posture-collector fleet`, the
 * dashboard), one device's page, and the export. Queries only; the same
 * SQL on SQLite and PostgreSQL.
 */
#ifndef POSTURE_FLEET_H
#define POSTURE_FLEET_H

#include <jansson.h>
#include <stdio.h>

struct store;

struct fleet_options {
	long long stale_seconds; /* a device with no report for this long is stale */
	int limit;               /* at most this many devices per list */
	int days;                /* compliance per day for this many days */
	long long now;           /* the time the figures are for; 0: the clock */
};

/*
 * The summary, schema posture.fleet/1: devices (active, compliant,
 * non-compliant, never reported, stale, revoked, compliance percentage);
 * per check its pass/fail/error/skip counts and compliance percentage,
 * least compliant first; the non-compliant devices with their failing
 * checks and remediation; the stale devices; compliance per day. 0 and
 * *OUT, or -1 with ERR.
 */
int fleet_summary(struct store *s, const struct fleet_options *o, json_t **out, char *err,
                  size_t err_len);

/* Prints SUMMARY (from fleet_summary) for a terminal. */
void fleet_print(const json_t *summary, FILE *out);

/* One device: its row, latest state per check, and its reports newest
 * first (up to LIMIT) with their counts. 1 and *OUT, 0 no such device, -1
 * with ERR. */
int fleet_device(struct store *s, const char *device_id, int limit, json_t **out, char *err,
                 size_t err_len);

enum fleet_format { FLEET_CSV, FLEET_JSON };

/* Every stored result, one row per device, check and report, oldest report
 * first, as CSV (RFC 4180 with a header line) or a JSON array, streamed to
 * OUT. SINCE (UTC RFC 3339, or NULL) keeps reports generated at or after
 * it. 0 and *ROWS, or -1 with ERR. */
int fleet_export(struct store *s, enum fleet_format format, const char *since, FILE *out,
                 long long *rows, char *err, size_t err_len);

/* TEXT (2026-11-01, or an RFC 3339 time) as UTC RFC 3339 in OUT. 0 or -1. */
int fleet_parse_time(const char *text, char out[24]);

/* TEXT as seconds, in the policy's grammar (keys.h: 30s, 15m, 12h, 7d, 2w,
 * sums such as 1d12h, or plain seconds), up to 100 years; -1 when
 * malformed. */
long long fleet_parse_duration(const char *text);

#endif
