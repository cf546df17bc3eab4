/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: rpm version checking and rpmvercmp/EVR comparison. Two versions
 * separated by a NUL byte; the order must be antisymmetric and reflexive. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vercmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2), *a, *b;
	char err[128];

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	a = buf;
	b = a + strlen(a) + 1;
	if (b > buf + size)
		b = buf + size + 1;
	rpm_version_check(a, err, sizeof(err));
	if (sign(rpm_vercmp(a, b)) != -sign(rpm_vercmp(b, a)))
		__builtin_trap();
	if (sign(rpm_evr_compare(a, b)) != -sign(rpm_evr_compare(b, a)))
		__builtin_trap();
	if (rpm_evr_compare(a, a) != 0)
		__builtin_trap();
	free(buf);
	return 0;
}
