/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: rpm header blobs as rpmdb.sqlite stores them. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rpmheader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rpm_nevra n;

	if (rpmheader_parse(data, size, &n) == 0 &&
	    (n.name[0] == '\0' || strlen(n.name) >= sizeof(n.name)))
		__builtin_trap();
	return 0;
}
