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

#include <jansson.h>
#include <stddef.h>

#include "contract.h"

#define POLICYSIG_CONTEXT CONTRACT_POLICY_SIGNATURE

/* Checks BODY against the public key KEY_PEM. 0 with *VERSION and *TEXT
 * (malloc'd), or -1 with ERR. */
int policysig_verify(const char *body, size_t len, const char *key_pem, long long *version,
                     char **text, char *err, size_t err_len);

/*
 * The collector's signed release feeds, as GET /v1/feeds serves them:
 * {"format": "posture.feeds/1", "feeds": [envelope, ...]}, each envelope a
 * posture.signed-feed/1 (collector/feeds.h) signed by the same key over
 * CONTRACT_FEED_SIGNATURE + name + "\n" + fetched_at + "\n" + serial + "\n" +
 * the publisher's bytes. The root process refuses a serial lower than the
 * one it keeps for that name (a replay).
 */
struct feedsig {
	char name[64];        /* a plain file name: [a-z0-9._-]+.json */
	long long serial;     /* >= 1 */
	long long fetched_at; /* Unix time */
	char *body;           /* the publisher's bytes (malloc'd), BODY_LEN of them */
	size_t body_len;
};

/* Checks the answer BODY (LEN bytes) is posture.feeds/1: 0 with *FEEDS
 * (the array, a reference the caller drops), or -1 with ERR. */
int feedsig_answer(const char *body, size_t len, json_t **feeds, char *err, size_t err_len);

/* Checks one envelope ENV against the public key KEY_PEM: 0 with *OUT
 * (feedsig_free), or -1 with ERR naming the feed when it can. */
int feedsig_verify(const json_t *env, const char *key_pem, struct feedsig *out, char *err,
                   size_t err_len);
void feedsig_free(struct feedsig *f);

#endif
