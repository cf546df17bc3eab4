/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The live WMI call (platform/win/wmi.c) under Wine, where WMI answers
 * ROOT\CIMV2: Win32_OperatingSystem and Win32_Processor's objects become
 * records, the records are written as wmic's /format:list writes objects,
 * and the text is read back by the parser the captured answers go through
 * (platform/winrec/records.c): the same records must come back. Prints the
 * wmic text for the test to look at; exit status 1 on any difference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wmi.h"

static int round_trip(const char *query)
{
	struct winrec_list live, back;
	char err[256] = "";
	size_t len = 0, i, j;
	char *text;

	if (wmi_query("ROOT\\CIMV2", query, NULL, NULL, &live, err, sizeof(err)) != 0) {
		printf("error: %s\n", err);
		return 1;
	}
	text = calloc(1, 4 << 20);
	if (text == NULL)
		return 1;
	for (i = 0; i < live.n; i++) {
		len += (size_t)snprintf(text + len, (4u << 20) - len, "\r\r\n");
		for (j = 0; j < live.recs[i].n; j++)
			len += (size_t)snprintf(text + len, (4u << 20) - len, "%s=%s\r\r\n",
			                        live.recs[i].props[j].name,
			                        live.recs[i].props[j].value);
	}
	fputs(text, stdout);
	if (winrec_parse(text, len, &back, err, sizeof(err)) != 0) {
		printf("error: the parser refused the live answer: %s\n", err);
		return 1;
	}
	if (back.n != live.n) {
		printf("error: %zu objects came back from %zu\n", back.n, live.n);
		return 1;
	}
	for (i = 0; i < live.n; i++)
		for (j = 0; j < live.recs[i].n; j++) {
			const char *v = winrec_get(&back.recs[i], live.recs[i].props[j].name);
			const char *want = live.recs[i].props[j].value;

			/* a value with a line break cannot be one wmic line */
			if (strpbrk(want, "\r\n") != NULL)
				continue;
			if (v == NULL || strcmp(v, want) != 0) {
				printf("error: %s: expected \"%s\", came \"%s\"\n",
				       live.recs[i].props[j].name, want, v ? v : "(absent)");
				return 1;
			}
		}
	printf("objects=%zu\n", live.n);
	winrec_free(&live);
	winrec_free(&back);
	free(text);
	return 0;
}

int main(void)
{
	return round_trip("SELECT * FROM Win32_OperatingSystem") ||
	       round_trip("SELECT * FROM Win32_Processor");
}
