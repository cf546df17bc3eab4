/*
 * libFuzzer target: a report body as POST /v1/reports receives it, from any
 * enrolled device (collector/reportin.c). It is either refused with a reason
 * or accepted with every field the store reads present and well-formed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "reportin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_in r;
	char err[512];

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
