/*
 * libFuzzer target: a report body as POST /v1/reports receives it, from any
 * enrolled device (collector/reportin.c). It is either refused with a reason
 * or accepted with every field the store reads present and well-formed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	    r.policy_name == NULL || r.results == NULL)
		abort();
	for (size_t i = 0; i < json_array_size(r.results); i++) {
		json_t *res = json_array_get(r.results, i);

		if (json_string_value(json_object_get(res, "id")) == NULL ||
		    json_string_value(json_object_get(res, "status")) == NULL)
			abort();
	}
	reportin_free(&r);
	return 0;
}
