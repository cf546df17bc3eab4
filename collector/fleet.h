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

/* What the inventory lists: every field optional (NULL or 0: no filter). */
struct fleet_inventory_query {
	const char *q;      /* words each found (case-insensitive) in the hostname, id,
	                     * owner, OS or agent version */
	const char *state;  /* compliant, noncompliant, never, stale, revoked, retired,
	                     * active (the default: neither revoked nor retired) */
	const char *check;  /* a check id: devices whose latest state of it is STATUS */
	const char *status; /* with CHECK: fail (default), error, due, pass, skip, or
	                     * failing (fail, error or due) */
	const char *os;     /* a word found in the OS */
	const char *owner;  /* the owner, exactly (any case): a person's devices */
	const char *sort;   /* hostname (default), owner, os, agent, last_report,
	                     * first_seen, state */
	int descending;
	int page, per_page;      /* from 1; 1 to 1000 a page (default 50) */
	int all;                 /* every match, one page (an export) */
	long long stale_seconds; /* what stale means */
	long long now;           /* 0: the clock */
};

/*
 * The device inventory, schema posture.inventory/1: {total, page,
 * per_page, devices: [{id, hostname, owner, os, agent_version, first_seen,
 * last_report, state, stale, revoked}]}, sorted and one page of them.
 * Revoked devices are listed only when STATE asks for them. 0 and *OUT, or
 * -1 with ERR (a bad sort, state or status is said there and returns -2).
 */
int fleet_inventory(struct store *s, const struct fleet_inventory_query *q, json_t **out, char *err,
                    size_t err_len);

/* The devices of INVENTORY (from fleet_inventory) as CSV, RFC 4180 with a
 * header line, formulas defused: malloc'd text in *OUT, *LEN bytes; 0 or
 * -1 (out of memory). */
int fleet_inventory_csv(const json_t *inventory, char **out, size_t *len);

/* The review of devices linked to people: {stale: [devices not seen for
 * STALE_SECONDS, longest first], duplicates: [{hostname, devices: [...]}]
 * (one hostname, any case, enrolled more than once)}; each device {id,
 * hostname, owner, os, first_seen, last_seen, last_report, state}; retired
 * devices left out. 0 and *OUT, or -1 with ERR. */
int fleet_review(struct store *s, long long stale_seconds, long long now, json_t **out, char *err,
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
