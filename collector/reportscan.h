/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reportscan: how reportin reads a report's JSON, inside the collector
 * (not an interface of its own). A scanner walks the body once and fills a
 * struct report_scan: the fields the collector stores, by name, with the
 * kind of value each had; every result, with its observed value as its
 * slice of the body's text; and what it saw that the checks refuse (a key
 * repeated, too many results, a NUL in a kept string). reportin's checks
 * then read the scan, whichever scanner made it.
 *
 * Two scanners make the same scan:
 *   - reportscan_simd (reportscan.cc): simdjson, first its DOM parser,
 *     which validates the whole body (RFC 8259: grammar, numbers, escapes,
 *     UTF-8) at gigabytes a second, then its On Demand front end, which
 *     reads the few fields the collector keeps and each observed value's
 *     place in the text; the writer's path for every report;
 *   - reportin's yajl scanner: a body simdjson refuses is read again by
 *     yajl, whose error has a byte offset, so the 400 says at which line
 *     and column the body stops being JSON.
 * fuzz_collector_reportin checks that the two make the same scan of every
 * body both accept.
 */
#ifndef POSTURE_REPORTSCAN_H
#define POSTURE_REPORTSCAN_H

#include <stddef.h>

#include "reportin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A value seen for a field: its kind, and the text of a string. K_INT is
 * a number written as an integer that fits in a long long; any other
 * number is K_OTHER, as is an array. */
enum rs_kind { K_ABSENT, K_NULL, K_STRING, K_INT, K_BOOL, K_OBJECT, K_OTHER };

struct rs_field {
	enum rs_kind kind;
	const char *text; /* strings (reportscan_keep's copy) and observed values */
	long long num;    /* integers, booleans; an observed value's length */
};

enum top_field {
	F_SCHEMA,
	F_REPORT_ID,
	F_GENERATED_AT,
	F_DEVICE,
	F_AGENT,
	F_POLICY,
	F_COMPLIANT,
	F_SUMMARY,
	F_RESULTS,
	N_TOP
};
enum sub_field {
	S_HOSTNAME,
	S_OS,
	S_SERIAL,
	S_CONSOLE_USER,
	S_OS_NAME,
	S_OS_VERSION,
	S_AGENT_VERSION,
	S_POLICY_NAME,
	S_POLICY_SHA,
	S_PASS,
	S_FAIL,
	S_ERROR,
	S_SKIP,
	N_SUB
};
enum res_field {
	R_ID,
	R_TYPE,
	R_STATUS,
	R_SEVERITY,
	R_REMEDIATION,
	R_OBSERVED,
	R_DUE_AT,
	R_OVERDUE,
	N_RES
};

/* The keys of each known object, in the order of its fields above. */
extern const char *const reportscan_top_keys[N_TOP];
#define REPORTSCAN_DEVICE_KEYS 4
extern const char *const reportscan_device_keys[REPORTSCAN_DEVICE_KEYS]; /* S_HOSTNAME ..
                                                                          * S_CONSOLE_USER */
extern const char *const reportscan_os_keys[2];      /* S_OS_NAME, S_OS_VERSION */
extern const char *const reportscan_agent_keys[1];   /* S_AGENT_VERSION */
extern const char *const reportscan_policy_keys[2];  /* S_POLICY_NAME, S_POLICY_SHA */
extern const char *const reportscan_summary_keys[4]; /* S_PASS .. S_SKIP */
extern const char *const reportscan_result_keys[N_RES];

struct report_scan {
	struct report_in *r; /* its results array grows as results are read */
	struct rs_field top[N_TOP], sub[N_SUB];
	int top_kind;      /* 0 nothing, 1 not an object, 2 an object */
	int duplicate;     /* a key repeated in a known object */
	int too_many;      /* more than REPORTIN_MAX_RESULTS */
	int results_array; /* results was an array */
	int nul;           /* a NUL inside a string the collector keeps */
	int oom;
	size_t cap_results;
};

/* The index of the LEN-byte KEY among the N NAMES, or -1. */
int reportscan_key(const char *key, size_t len, const char *const *names, int n);

/* A copy of the LEN bytes at S, NUL-terminated, owned by SC's report (its
 * mem); notes a NUL inside. NULL when out of memory (SC->oom). */
/* Frees every string reportscan_keep copied for R. */
void reportscan_free_strings(struct report_in *r);

const char *reportscan_keep(struct report_scan *sc, const char *s, size_t len);

/* Appends a result with the fields RES to SC's report (one with no fields
 * for an element of results that is no object). 0 when out of memory. */
int reportscan_result(struct report_scan *sc, const struct rs_field res[N_RES]);

/* Scans the LEN bytes at BODY into SC (zeroed but for SC->r) with yajl.
 * 1: scanned; 0: BODY is not JSON (RFC 8259; yajl's own laxness is
 * checked after it), with why and at which line and column in ERR; -1: out
 * of memory. */
int reportscan_yajl(const char *body, size_t len, struct report_scan *sc, char *err,
                    size_t err_len);

/* Scans the LEN bytes at BODY into SC (zeroed but for SC->r) with
 * simdjson. 1: scanned (observed slices point into BODY); 0: BODY is not
 * JSON, with simdjson's reason in *WHY; -1: out of memory. */
int reportscan_simd(const char *body, size_t len, struct report_scan *sc, const char **why);

#ifdef __cplusplus
}
#endif

#endif
