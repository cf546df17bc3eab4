/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto (Windows): crypto.h over CNG, Windows' own cryptography
 * (bcrypt.dll): BCryptHash for SHA-256 and HMAC-SHA256 (Windows 10 and
 * later), BCryptGenRandom for random bytes.
 */
#include "crypto.h"

#include <stdio.h>
#include <windows.h>
#include <bcrypt.h>

/* SHA-256 of DATA, keyed (HMAC) when KEY is not NULL. */
static int hash(const void *key, size_t key_len, const void *data, size_t len,
                unsigned char out[32], char *err, size_t err_len)
{
	BCRYPT_ALG_HANDLE alg = NULL;
	NTSTATUS st;

	if (len > 0xFFFFFFFFu || key_len > 0xFFFFFFFFu) {
		snprintf(err, err_len, "too much data to hash");
		return -1;
	}
	st = BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, NULL,
	                                 key != NULL ? BCRYPT_ALG_HANDLE_HMAC_FLAG : 0);
	if (st == 0)
		st =
		    BCryptHash(alg, (PUCHAR)key, (ULONG)key_len, (PUCHAR)data, (ULONG)len, out, 32);
	if (alg != NULL)
		BCryptCloseAlgorithmProvider(alg, 0);
	if (st != 0) {
		snprintf(err, err_len, "%s failed (CNG status 0x%08lx)",
		         key != NULL ? "HMAC-SHA256" : "SHA-256", (unsigned long)st);
		return -1;
	}
	return 0;
}

int crypto_sha256(const void *data, size_t len, unsigned char out[32], char *err, size_t err_len)
{
	return hash(NULL, 0, data, len, out, err, err_len);
}

int crypto_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                       unsigned char out[32], char *err, size_t err_len)
{
	return hash(key, key_len, data, len, out, err, err_len);
}

int crypto_random(void *buf, size_t len, char *err, size_t err_len)
{
	if (len > 0xFFFFFFFFu ||
	    BCryptGenRandom(NULL, buf, (ULONG)len, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) {
		snprintf(err, err_len, "Windows' random generator failed");
		return -1;
	}
	return 0;
}
