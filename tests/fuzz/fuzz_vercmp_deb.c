/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: dpkg version parsing and comparison. Two versions
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
	struct deb_version v;
	char err[128];

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	a = buf;
	b = a + strlen(a) + 1;
	if (b > buf + size)
		b = buf + size + 1;
	deb_version_parse(a, &v, err, sizeof(err));
	if (sign(deb_version_cmp_str(a, b)) != -sign(deb_version_cmp_str(b, a)))
		__builtin_trap();
	if (deb_version_cmp_str(a, a) != 0)
		__builtin_trap();
	free(buf);
	return 0;
}
