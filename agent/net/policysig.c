/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policysig: see policysig.h. OpenSSL's EVP one-shot Ed25519 verification.
 */
#include "policysig.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POLICY (4u << 20)

int policysig_verify(const char *body, size_t len, const char *key_pem, long long *version,
                     char **text, char *err, size_t err_len)
{
	json_t *doc = json_loadb(body, len, 0, NULL);
	json_t *jv = json_object_get(doc, "version");
	const char *policy = json_string_value(json_object_get(doc, "policy"));
	const char *sig_b64 = json_string_value(json_object_get(doc, "signature"));
	size_t policy_len = json_string_length(json_object_get(doc, "policy"));
	unsigned char sig[128];
	char head[64];
	unsigned char *msg = NULL;
	size_t head_len, sig_b64_len;
	BIO *b = NULL;
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *ctx = NULL;
	int n, rc = -1;

	*text = NULL;
	if (doc == NULL || !json_is_integer(jv) || json_integer_value(jv) < 1 || policy == NULL ||
	    sig_b64 == NULL) {
		snprintf(err, err_len,
		         "the collector's policy is not JSON with version (a positive integer), "
		         "policy and signature");
		goto out;
	}
	if (policy_len > MAX_POLICY || memchr(policy, '\0', policy_len) != NULL) {
		snprintf(err, err_len, "the collector's policy is too large or holds a NUL byte");
		goto out;
	}
	sig_b64_len = strlen(sig_b64);
	/* an Ed25519 signature is 64 bytes: 88 characters of base64 */
	if (sig_b64_len != 88 ||
	    (n = EVP_DecodeBlock(sig, (const unsigned char *)sig_b64, (int)sig_b64_len)) != 66) {
		snprintf(err, err_len,
		         "the collector's policy signature is not 64 bytes of base64");
		goto out;
	}
	b = BIO_new_mem_buf(key_pem, -1);
	key = b ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
	if (key == NULL || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
		snprintf(err, err_len, "the policy-signing key from enrollment is not Ed25519");
		goto out;
	}
	*version = (long long)json_integer_value(jv);
	head_len = (size_t)snprintf(head, sizeof(head), "%s%lld\n", POLICYSIG_CONTEXT, *version);
	msg = malloc(head_len + policy_len);
	ctx = EVP_MD_CTX_new();
	if (msg == NULL || ctx == NULL) {
		snprintf(err, err_len, "out of memory");
		goto out;
	}
	memcpy(msg, head, head_len);
	memcpy(msg + head_len, policy, policy_len);
	if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) != 1 ||
	    EVP_DigestVerify(ctx, sig, 64, msg, head_len + policy_len) != 1) {
		snprintf(err, err_len,
		         "the collector's policy (version %lld) has a bad signature: it was not "
		         "signed by the policy key pinned at enrollment, or it was altered",
		         *version);
		goto out;
	}
	*text = strdup(policy);
	if (*text == NULL) {
		snprintf(err, err_len, "out of memory");
		goto out;
	}
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	free(msg);
	EVP_PKEY_free(key);
	BIO_free(b);
	json_decref(doc);
	return rc;
}
