/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: lib/inifile.c, differentially against Debian's libinih:
 * the same handler calls, values and error line, or a trap. */
#include <stddef.h>
#include <stdint.h>

#include "inidiff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inilog ours, theirs;
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0'; /* both read up to the first NUL */
	inidiff_run(text, &ours, &theirs);
	if (ours.len != theirs.len || memcmp(ours.text, theirs.text, ours.len) != 0) {
		fprintf(stderr, "inifile:\n%.*s\nlibinih:\n%.*s\n", (int)ours.len, ours.text,
		        (int)theirs.len, theirs.text);
		__builtin_trap();
	}
	free(ours.text);
	free(theirs.text);
	free(text);
	return 0;
}
