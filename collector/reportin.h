/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reportin: a report as it arrives at POST /v1/reports, checked against the
 * contract's posture.report/1 before anything is stored. Every refusal says
 * what is wrong (the 400's body); nothing in the body decides who the
 * device is (that is its client certificate).
 *
 * The body is validated whole by simdjson, then read for the fields the
 * collector stores, which are copied out; each result's "observed" value
 * is kept as its slice of the body's text (it is stored as JSON text). A
 * refused body is read again by yajl, to say where it stops being JSON
 * (reportscan.h).
 */
#ifndef POSTURE_REPORTIN_H
#define POSTURE_REPORTIN_H

#include <stddef.h>

#define REPORTIN_MAX_RESULTS 10000
/* hostname, OS name and version, agent version, policy name: bytes */
#define REPORTIN_MAX_NAME 255
#define REPORTIN_MAX_REMEDIATION 4096
/* how far ahead of the collector's clock a report may be dated: seconds */
#define REPORTIN_MAX_AHEAD 600
/* checks a report of a policy the collector did not publish may carry */
#define REPORTIN_MAX_UNKNOWN_CHECKS 256

struct result_in {
	/* checked: never NULL; status is the report's, except that a failure
	 * within its grace period (due_at, overdue false) is "due" */
	const char *id, *type, *status;
	const char *severity, *remediation; /* may be NULL */
	const char *observed;               /* into the body; NULL when absent */
	size_t observed_len;
	const char *due_at; /* a grace period's end (the agent's grace.h); may be NULL */
	int overdue;        /* its failure counts: 1, 0, or -1 not said */
};

struct report_in {
	const char *report_id, *generated_at;
	const char *hostname, *os_name, *os_version, *agent_version; /* may be NULL */
	/* the hardware's serial number and the user at the console, as the
	 * agent saw them; may be NULL (older agents, or not known) */
	const char *serial, *console_user;
	const char *policy_name, *policy_sha256; /* sha256 may be NULL */
	char generated_utc[24];                  /* generated_at in UTC, 2026-11-25T19:10:43Z */
	long long generated_epoch;               /* and in seconds since 1970 */
	int compliant;
	struct result_in *results;
	size_t n_results;
	struct reportin_mem *mem; /* owns every string above */
};

/* Parses and checks BODY. 0 and *R (release with reportin_free; the
 * observed slices point into BODY, which must outlive R), or -1 with a
 * sentence in ERR. */
int reportin_parse(const char *body, size_t len, struct report_in *r, char *err, size_t err_len);
void reportin_free(struct report_in *r);

/* 0 when R is dated at most REPORTIN_MAX_AHEAD seconds after NOW (seconds
 * since 1970, the collector's clock), or -1 with a sentence in ERR: a
 * report from the future would outrank every real one. */
int reportin_check_time(const struct report_in *r, long long now, char *err, size_t err_len);

/* 0 when R's checks are acceptable, or -1 with a sentence in ERR. A
 * report that names the published policy (its SHA256) must carry exactly
 * that policy's N check IDS (sorted); any other report at most
 * REPORTIN_MAX_UNKNOWN_CHECKS checks, so that no device can fill every
 * fleet summary with made-up checks. SHA256 may be NULL: none published. */
int reportin_check_ids(const struct report_in *r, const char *sha256, const char *const *ids,
                       size_t n, char *err, size_t err_len);

/* The instant an RFC 3339 time S names, in UTC as 2026-11-25T19:10:43Z
 * (which sorts as text) in OUT and in seconds in *EPOCH. 0, or -1 when S is
 * not an RFC 3339 time or is out of range. */
int reportin_utc(const char *s, char out[24], long long *epoch);

#endif
