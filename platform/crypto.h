/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto: the little cryptography a report needs (a SHA-256, an HMAC-SHA256,
 * random bytes), from OpenSSL's libcrypto, loaded with dlopen() the first
 * time one is asked for.
 *
 * Why not link it: mapping and relocating libcrypto costs every process
 * 1.5 MiB and half a millisecond before main() (bench/RESULTS.md), and a
 * text `posture check` never needs it; only JSON reports (their ids and the
 * policy's hash) do. systemd loads its optional libraries the same way.
 * A failure to load is reported, never replaced by weaker code.
 *
 * On Windows the same functions are CNG's (bcrypt.dll, platform/win/
 * crypto.c): part of every Windows, so the agent links no libcrypto.
 */
#ifndef POSTURE_CRYPTO_H
#define POSTURE_CRYPTO_H

#include <stddef.h>

/* Each returns 0, or -1 with the reason in err when libcrypto is missing. */
int crypto_sha256(const void *data, size_t len, unsigned char out[32], char *err, size_t err_len);
/* The SHA-256 of DATA in hex, into OUT; on failure "unavailable: " and why
 * (no hash is better than a wrong one). Computed on demand: text output
 * never needs it, and OpenSSL's start-up is the most expensive part of a
 * small evaluation. */
void crypto_sha256_hex(const void *data, size_t len, char out[65]);
int crypto_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                       unsigned char out[32], char *err, size_t err_len);
int crypto_random(void *buf, size_t len, char *err, size_t err_len);

#endif
