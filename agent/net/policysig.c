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

#include "timefmt.h"

#define MAX_POLICY (4u << 20)
/* lib/feed.h's FEED_MAX_BYTES: a feed no agent would read is not taken */
#define MAX_FEED (8u << 20)

/* Whether SIG_B64 is an Ed25519 signature by KEY_PEM over HEAD then DATA:
 * 1 yes, 0 no, -1 the key or the signature is malformed (ERR says). */
static int ed25519_verifies(const char *key_pem, const char *head, const void *data, size_t len,
                            const char *sig_b64, char *err, size_t err_len)
{
	unsigned char sig[128], *msg = NULL;
	size_t head_len = strlen(head), sig_b64_len = sig_b64 ? strlen(sig_b64) : 0;
	BIO *b = NULL;
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *ctx = NULL;
	int rc = -1;

	/* an Ed25519 signature is 64 bytes: 88 characters of base64 */
	if (sig_b64_len != 88 ||
	    EVP_DecodeBlock(sig, (const unsigned char *)sig_b64, (int)sig_b64_len) != 66) {
		snprintf(err, err_len, "the signature is not 64 bytes of base64");
		return -1;
	}
	b = BIO_new_mem_buf(key_pem, -1);
	key = b ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
	if (key == NULL || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
		snprintf(err, err_len, "the policy-signing key from enrollment is not Ed25519");
		goto out;
	}
	msg = malloc(head_len + len + 1);
	ctx = EVP_MD_CTX_new();
	if (msg == NULL || ctx == NULL) {
		snprintf(err, err_len, "out of memory");
		goto out;
	}
	memcpy(msg, head, head_len);
	if (len > 0)
		memcpy(msg + head_len, data, len);
	rc = EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
	     EVP_DigestVerify(ctx, sig, 64, msg, head_len + len) == 1;
out:
	EVP_MD_CTX_free(ctx);
	free(msg);
	EVP_PKEY_free(key);
	BIO_free(b);
	return rc;
}

int policysig_verify(const char *body, size_t len, const char *key_pem, long long *version,
                     char **text, char *err, size_t err_len)
{
	json_t *doc = json_loadb(body, len, 0, NULL);
	json_t *jv = json_object_get(doc, "version");
	const char *policy = json_string_value(json_object_get(doc, "policy"));
	const char *sig_b64 = json_string_value(json_object_get(doc, "signature"));
	size_t policy_len = json_string_length(json_object_get(doc, "policy"));
	char head[64], why[160];
	int ok, rc = -1;

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
	*version = (long long)json_integer_value(jv);
	snprintf(head, sizeof(head), "%s%lld\n", POLICYSIG_CONTEXT, *version);
	ok = ed25519_verifies(key_pem, head, policy, policy_len, sig_b64, why, sizeof(why));
	if (ok < 0) {
		snprintf(err, err_len, "the collector's policy: %s", why);
		goto out;
	}
	if (ok == 0) {
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
	json_decref(doc);
	return rc;
}

int feedsig_answer(const char *body, size_t len, json_t **feeds, char *err, size_t err_len)
{
	json_t *doc = json_loadb(body, len, 0, NULL);
	const char *format = json_string_value(json_object_get(doc, "format"));

	*feeds = json_object_get(doc, "feeds");
	if (format == NULL || strcmp(format, CONTRACT_FEEDS_FORMAT) != 0 ||
	    !json_is_array(*feeds)) {
		snprintf(err, err_len, "the collector's feeds are not %s JSON with a list of feeds",
		         CONTRACT_FEEDS_FORMAT);
		*feeds = NULL;
		json_decref(doc);
		return -1;
	}
	json_incref(*feeds);
	json_decref(doc);
	return 0;
}

int feedsig_verify(const json_t *env, const char *key_pem, struct feedsig *out, char *err,
                   size_t err_len)
{
	const char *format = json_string_value(json_object_get(env, "format"));
	const char *name = json_string_value(json_object_get(env, "name"));
	const char *when = json_string_value(json_object_get(env, "fetched_at"));
	const char *b64 = json_string_value(json_object_get(env, "body"));
	const char *sig = json_string_value(json_object_get(env, "signature"));
	json_t *js = json_object_get(env, "serial");
	size_t b64_len = json_string_length(json_object_get(env, "body"));
	char head[256], why[160];
	int n, ok;

	memset(out, 0, sizeof(*out));
	if (format == NULL || strcmp(format, CONTRACT_SIGNED_FEED_FORMAT) != 0 || name == NULL ||
	    !contract_feed_name_ok(name, sizeof(out->name) - 1) || when == NULL || b64 == NULL ||
	    sig == NULL || !json_is_integer(js) || json_integer_value(js) < 1 ||
	    time_parse_rfc3339(when, &out->fetched_at) != 0) {
		snprintf(err, err_len,
		         "a feed%s%s is not a %s envelope (name a plain .json file name, serial "
		         "a positive integer, fetched_at RFC 3339, body, signature)",
		         name ? " " : "", name && strlen(name) < 64 ? name : "",
		         CONTRACT_SIGNED_FEED_FORMAT);
		return -1;
	}
	snprintf(out->name, sizeof(out->name), "%s", name);
	out->serial = (long long)json_integer_value(js);
	if (b64_len % 4 != 0 || b64_len / 4 * 3 > MAX_FEED + 2) {
		snprintf(err, err_len, "feed %s: the body is not base64 of at most %u bytes", name,
		         MAX_FEED);
		return -1;
	}
	out->body = malloc(b64_len / 4 * 3 + 1);
	if (out->body == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	n = b64_len ? EVP_DecodeBlock((unsigned char *)out->body, (const unsigned char *)b64,
	                              (int)b64_len)
	            : 0;
	if (n < 0) {
		snprintf(err, err_len, "feed %s: the body is not base64", name);
		feedsig_free(out);
		return -1;
	}
	/* EVP_DecodeBlock counts the padding's bytes too */
	out->body_len = (size_t)n - (b64_len > 0 && b64[b64_len - 1] == '=') -
	                (b64_len > 1 && b64[b64_len - 2] == '=');
	out->body[out->body_len] = '\0';
	snprintf(head, sizeof(head), "%s%s\n%s\n%lld\n", CONTRACT_FEED_SIGNATURE, name, when,
	         out->serial);
	ok = ed25519_verifies(key_pem, head, out->body, out->body_len, sig, why, sizeof(why));
	if (ok != 1) {
		if (ok < 0)
			snprintf(err, err_len, "feed %s (serial %lld): %s", name, out->serial, why);
		else
			snprintf(err, err_len,
			         "feed %s (serial %lld) has a bad signature: it was not signed by "
			         "the policy key pinned at enrollment, or it was altered",
			         name, out->serial);
		feedsig_free(out);
		return -1;
	}
	return 0;
}

void feedsig_free(struct feedsig *f)
{
	free(f->body);
	f->body = NULL;
	f->body_len = 0;
}
