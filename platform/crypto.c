/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto: libcrypto on demand (OS_LIBCRYPTO, loaded with os_library_open),
 * for every OS whose osdefs.h names it. See crypto.h. Windows has its own,
 * over CNG (platform/win/crypto.c).
 */
#include "crypto.h"

#include "os.h"
#include "osdefs.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>

struct libcrypto {
	int loaded;
	const EVP_MD *(*sha256)(void);
	int (*digest)(const void *, size_t, unsigned char *, unsigned int *, const EVP_MD *,
	              ENGINE *);
	unsigned char *(*hmac)(const EVP_MD *, const void *, int, const unsigned char *, size_t,
	                       unsigned char *, unsigned int *);
	int (*rand_bytes)(unsigned char *, int);
};

static int load(struct libcrypto **out, char *err, size_t err_len)
{
	static struct libcrypto lib;
	static void *handle;

	*out = &lib;
	if (lib.loaded)
		return 0;
	if (handle == NULL)
		handle = os_library_open(OS_LIBCRYPTO, err, err_len);
	if (handle == NULL)
		return -1;
	/* POSIX lets a function's address travel through dlsym()'s void *. */
	*(void **)&lib.sha256 = os_library_symbol(handle, "EVP_sha256");
	*(void **)&lib.digest = os_library_symbol(handle, "EVP_Digest");
	*(void **)&lib.hmac = os_library_symbol(handle, "HMAC");
	*(void **)&lib.rand_bytes = os_library_symbol(handle, "RAND_bytes");
	if (lib.sha256 == NULL || lib.digest == NULL || lib.hmac == NULL ||
	    lib.rand_bytes == NULL) {
		snprintf(err, err_len, OS_LIBCRYPTO " lacks a function posture needs");
		return -1;
	}
	lib.loaded = 1;
	return 0;
}

int crypto_sha256(const void *data, size_t len, unsigned char out[32], char *err, size_t err_len)
{
	struct libcrypto *lib;
	unsigned int n = 0;

	if (load(&lib, err, err_len) != 0)
		return -1;
	if (lib->digest(data, len, out, &n, lib->sha256(), NULL) != 1 || n != 32) {
		snprintf(err, err_len, "SHA-256 failed");
		return -1;
	}
	return 0;
}

int crypto_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                       unsigned char out[32], char *err, size_t err_len)
{
	struct libcrypto *lib;
	unsigned int n = 0;

	if (load(&lib, err, err_len) != 0)
		return -1;
	if (lib->hmac(lib->sha256(), key, (int)key_len, data, len, out, &n) == NULL || n != 32) {
		snprintf(err, err_len, "HMAC-SHA256 failed");
		return -1;
	}
	return 0;
}

int crypto_random(void *buf, size_t len, char *err, size_t err_len)
{
	struct libcrypto *lib;

	if (load(&lib, err, err_len) != 0)
		return -1;
	if (lib->rand_bytes(buf, (int)len) != 1) {
		snprintf(err, err_len, "OpenSSL's random generator failed");
		return -1;
	}
	return 0;
}
