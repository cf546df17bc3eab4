/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: a report body as POST /v1/reports receives it, from any
 * enrolled device (collector/reportin.c). It is either refused with a reason
 * or accepted with every field the store reads present and well-formed.
 *
 * And the two scanners (collector/reportscan.h) read it alike: simdjson's,
 * which reads every report, and yajl's, which explains the refused ones,
 * take and refuse the same bodies (but nesting deeper than simdjson's
 * 1024, a limit JSON leaves to the reader) and make the same scan of what
 * they take.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "reportin.h"
#include "reportscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_text(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int same_field(const struct rs_field *a, const struct rs_field *b)
{
	if (a->kind != b->kind)
		return 0;
	if (a->kind == K_STRING)
		return same_text(a->text, b->text);
	if (a->kind == K_INT || a->kind == K_BOOL)
		return a->num == b->num;
	return 1;
}

static void same_scans(const uint8_t *data, size_t size)
{
	struct report_in ra, rb;
	struct report_scan a = { .r = &ra }, b = { .r = &rb };
	const char *why = "";
	char err[512];
	int got_a, got_b;

	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	got_a = reportscan_simd((const char *)data, size, &a, &why);
	got_b = reportscan_yajl((const char *)data, size, &b, err, sizeof(err));
	if (got_a < 0 || got_b < 0)
		abort(); /* no input runs a scanner out of memory */
	if (got_a != got_b) {
		if (!(got_b == 1 && strstr(why, "too deep") != NULL))
			abort();
	} else if (got_a == 1) {
		if (a.top_kind != b.top_kind || a.duplicate != b.duplicate || a.nul != b.nul ||
		    a.too_many != b.too_many || a.results_array != b.results_array ||
		    ra.n_results != rb.n_results)
			abort();
		for (int i = 0; i < N_TOP; i++)
			if (!same_field(&a.top[i], &b.top[i]))
				abort();
		for (int i = 0; i < N_SUB; i++)
			if (!same_field(&a.sub[i], &b.sub[i]))
				abort();
		for (size_t i = 0; i < ra.n_results; i++) {
			const struct result_in *x = &ra.results[i], *y = &rb.results[i];

			if (!same_text(x->id, y->id) || !same_text(x->type, y->type) ||
			    !same_text(x->status, y->status) ||
			    !same_text(x->severity, y->severity) ||
			    !same_text(x->remediation, y->remediation) ||
			    x->observed != y->observed || x->observed_len != y->observed_len)
				abort();
		}
	}
	reportin_free(&ra);
	reportin_free(&rb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_in r;
	char err[512];

	same_scans(data, size);
	err[0] = '\0';
	if (reportin_parse((const char *)data, size, &r, err, sizeof(err)) != 0) {
		if (err[0] == '\0')
			abort();
		return 0;
	}
	if (r.report_id == NULL || strlen(r.report_id) != 36 || r.generated_at == NULL ||
	    r.policy_name == NULL || (r.n_results > 0 && r.results == NULL))
		abort();
	for (size_t i = 0; i < r.n_results; i++) {
		const struct result_in *x = &r.results[i];

		if (x->id == NULL || x->status == NULL || x->type == NULL)
			abort();
		/* an observed value is a slice of the input, and itself JSON */
		if (x->observed != NULL) {
			json_t *v;

			if ((const uint8_t *)x->observed < data ||
			    (const uint8_t *)x->observed + x->observed_len > data + size)
				abort();
			v = json_loadb(x->observed, x->observed_len,
			               JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
			if (v == NULL)
				abort();
			json_decref(v);
		}
	}
	reportin_free(&r);
	return 0;
}
