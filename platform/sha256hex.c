/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sha256hex: crypto_sha256_hex (crypto.h) over whichever crypto_sha256 the
 * OS has (platform/crypto.c's libcrypto, platform/win/crypto.c's CNG).
 */
#include "crypto.h"

#include <stdio.h>

void crypto_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	char err[256];
	size_t i;

	if (crypto_sha256(data, len, md, err, sizeof(err)) != 0) {
		/* No hash is better than a wrong one: the report says why. */
		snprintf(out, 65, "unavailable: %.50s", err);
		return;
	}
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[64] = '\0';
}
