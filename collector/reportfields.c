/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reportfields: what both report scanners share (see reportscan.h): the key tables,
 * the copies of kept strings, and adding a result to the scan. The yajl
 * scanner (reportin.c) and the simdjson one (reportscan.cc) both call
 * these, and neither calls the other's internals.
 */
#include "reportscan.h"

#include <stdlib.h>
#include <string.h>

/* Every string copied out of a report, in chunks freed together: one
 * allocation for a report's hundred-odd strings, not one each. */
struct reportin_mem {
	struct reportin_mem *next;
	size_t used, cap;
	char data[];
};

#define MEM_CHUNK 4096

const char *reportscan_keep(struct report_scan *sc, const char *s, size_t len)
{
	struct reportin_mem *m = sc->r->mem;
	char *at;

	if (m == NULL || m->cap - m->used < len + 1) {
		size_t cap = len + 1 > MEM_CHUNK ? len + 1 : MEM_CHUNK;

		m = malloc(sizeof(*m) + cap);
		if (m == NULL) {
			sc->oom = 1;
			return NULL;
		}
		m->used = 0;
		m->cap = cap;
		m->next = sc->r->mem;
		sc->r->mem = m;
	}
	at = m->data + m->used;
	if (len > 0)
		memcpy(at, s, len);
	at[len] = '\0';
	m->used += len + 1;
	if (memchr(s, '\0', len) != NULL)
		sc->nul = 1;
	return at;
}

const char *const reportscan_top_keys[N_TOP] = { "schema",    "report_id", "generated_at",
	                                         "device",    "agent",     "policy",
	                                         "compliant", "summary",   "results" };
const char *const reportscan_device_keys[REPORTSCAN_DEVICE_KEYS] = { "hostname", "os", "serial",
	                                                             "console_user" };
const char *const reportscan_os_keys[2] = { "name", "version" };
const char *const reportscan_agent_keys[1] = { "version" };
const char *const reportscan_policy_keys[2] = { "name", "sha256" };
const char *const reportscan_summary_keys[4] = { "pass", "fail", "error", "skip" };
const char *const reportscan_result_keys[N_RES] = {
	"id", "type", "status", "severity", "remediation", "observed", "due_at", "overdue"
};

int reportscan_key(const char *key, size_t len, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], key, len) == 0)
			return i;
	return -1;
}

int reportscan_result(struct report_scan *sc, const struct rs_field res[N_RES])
{
	struct report_in *r = sc->r;
	struct result_in *x;

	if (r->n_results >= REPORTIN_MAX_RESULTS) {
		sc->too_many = 1;
		return 1;
	}
	if (r->n_results == sc->cap_results) {
		size_t cap = sc->cap_results ? sc->cap_results * 2 : 32;
		struct result_in *grown = realloc(r->results, cap * sizeof(*grown));

		if (grown == NULL) {
			sc->oom = 1;
			return 0;
		}
		r->results = grown;
		sc->cap_results = cap;
	}
	x = &r->results[r->n_results++];
	memset(x, 0, sizeof(*x));
	/* a field of the wrong kind is kept as "wrong" with a NULL text and
	 * refused by the checks */
	x->id = res[R_ID].kind == K_STRING ? res[R_ID].text : NULL;
	x->type = res[R_TYPE].kind == K_STRING ? res[R_TYPE].text : NULL;
	x->status = res[R_STATUS].kind == K_STRING ? res[R_STATUS].text : NULL;
	x->severity = res[R_SEVERITY].kind == K_STRING ? res[R_SEVERITY].text : NULL;
	if (res[R_SEVERITY].kind != K_ABSENT && res[R_SEVERITY].kind != K_NULL &&
	    res[R_SEVERITY].kind != K_STRING)
		x->severity = "(not a string)";
	x->remediation = res[R_REMEDIATION].kind == K_STRING ? res[R_REMEDIATION].text : NULL;
	x->due_at = res[R_DUE_AT].kind == K_STRING ? res[R_DUE_AT].text : NULL;
	x->overdue = res[R_OVERDUE].kind == K_BOOL ? (int)res[R_OVERDUE].num : -1;
	if (res[R_OBSERVED].kind != K_ABSENT) {
		x->observed = res[R_OBSERVED].text;
		x->observed_len = (size_t)res[R_OBSERVED].num;
	}
	return 1;
}

void reportscan_free_strings(struct report_in *r)
{
	while (r->mem != NULL) {
		struct reportin_mem *m = r->mem;

		r->mem = m->next;
		free(m);
	}
}
