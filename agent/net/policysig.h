/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policysig: the collector's signed policy, as GET /v1/policy serves it:
 *
 *   {"version": N, "policy": "<the policy file's text>", "signature": "<base64>"}
 *
 * where the signature is Ed25519, by the collector's policy-signing key, over
 * the bytes "posture-policy/1\n" + N in decimal + "\n" + the policy text. The
 * version is inside what is signed, so an older signed policy cannot be
 * passed off as a newer one; the root process refuses any version not
 * greater than the one in force (a replay).
 */
#ifndef POSTURE_POLICYSIG_H
#define POSTURE_POLICYSIG_H

#include <stddef.h>

#include "contract.h"

#define POLICYSIG_CONTEXT CONTRACT_POLICY_SIGNATURE

/* Checks BODY against the public key KEY_PEM. 0 with *VERSION and *TEXT
 * (malloc'd), or -1 with ERR. */
int policysig_verify(const char *body, size_t len, const char *key_pem, long long *version,
                     char **text, char *err, size_t err_len);

#endif
