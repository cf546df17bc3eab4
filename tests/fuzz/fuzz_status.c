/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: what `posture status` reads from the status socket, a
 * JSON document from another process. Whatever it holds, rendering it as
 * text must neither crash nor disagree with the exit code it stands for.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	json_error_t err;
	json_t *doc, *report;
	int code;

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	doc = json_loadb((const char *)data, size, 0, &err);
	if (doc == NULL)
		return 0;
	report = json_object_get(doc, "report");
	if (report == NULL)
		report = doc;
	code = report_json_exit_code(report);
	if (report_text_json(report, sink, (int)(size & 1)) != code && code >= 0 &&
	    json_is_array(json_object_get(report, "results"))) {
		/* -1 from the renderer is allowed only for a result with no known status */
		size_t i;
		json_t *r;
		int bad = 0;

		json_array_foreach (json_object_get(report, "results"), i, r) {
			const char *s = json_string_value(json_object_get(r, "status"));

			if (s == NULL || (strcmp(s, "pass") && strcmp(s, "fail") &&
			                  strcmp(s, "error") && strcmp(s, "skip")))
				bad = 1;
		}
		if (!bad)
			__builtin_trap();
	}
	json_decref(doc);
	return 0;
}
