/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: lib/feed.c, release feeds of every format it reads
 * (the first byte picks whether a product is given, as for Mozilla's
 * history lists). Every release read must have a version that fits and a
 * publication time of 1970 or later, or none; the list must be sorted.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed f;
	char err[256];

	if (size < 1)
		return 0;
	if (feed_parse((const char *)data + 1, size - 1, (data[0] & 1) ? "firefox" : NULL, &f, err,
	               sizeof(err)) != 0)
		return 0;
	for (size_t i = 0; i < f.n; i++) {
		if (strlen(f.r[i].version) == 0 ||
		    strlen(f.r[i].version) >= sizeof(f.r[i].version) || f.r[i].published < -1 ||
		    f.r[i].published > f.newest)
			__builtin_trap();
		if (i > 0 && strcmp(f.r[i - 1].product, f.r[i].product) == 0 &&
		    f.r[i - 1].published > f.r[i].published)
			__builtin_trap();
	}
	feed_free(&f);
	return 0;
}
