/*
 * reportin: a report as it arrives at POST /v1/reports, checked against the
 * contract's posture.report/1 before anything is stored. Every refusal says
 * what is wrong (the 400's body); nothing in the body decides who the
 * device is (that is its client certificate).
 */
#ifndef POSTURE_REPORTIN_H
#define POSTURE_REPORTIN_H

#include <jansson.h>
#include <stddef.h>

#define REPORTIN_MAX_RESULTS 10000

struct report_in {
	json_t *doc; /* owns everything below */
	const char *report_id, *generated_at;
	const char *hostname, *os_name, *os_version, *agent_version; /* may be NULL */
	const char *policy_name, *policy_sha256;                     /* sha256 may be NULL */
	int compliant;
	json_t *results; /* array of objects with id, type, status (checked) */
};

/* Parses and checks BODY. 0 and *R (release with reportin_free), or -1
 * with a sentence in ERR. */
int reportin_parse(const char *body, size_t len, struct report_in *r, char *err, size_t err_len);
void reportin_free(struct report_in *r);

#endif
