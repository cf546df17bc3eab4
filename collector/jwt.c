/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jwt: the checks of an OpenID Connect ID token (oidc.h), with no network:
 * base64url, JWK public keys (RSA, P-256) through OpenSSL, the JWS
 * signature, the claims. Kept apart from oidc.c so its fuzz target links
 * it alone.
 */
#include "oidc.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_JWT (16 * 1024) /* an ID token */
#define SKEW_SECONDS 120    /* clocks may differ this much */

/* ---- base64url ---------------------------------------------------------- */

static int b64url_value(int ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '-')
		return 62;
	if (ch == '_')
		return 63;
	return -1;
}

/* TEXT (LEN chars, no padding) into a new buffer of *OUT_LEN bytes (and a
 * NUL after them); NULL when it is not base64url */
static unsigned char *b64url_decode(const char *text, size_t len, size_t *out_len)
{
	unsigned char *out;
	size_t n = 0;
	unsigned acc = 0;
	int bits = 0;

	if (len % 4 == 1)
		return NULL;
	out = malloc(len * 3 / 4 + 2);
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		int v = b64url_value((unsigned char)text[i]);

		if (v < 0) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	out[n] = '\0';
	*out_len = n;
	return out;
}

/* ---- keys --------------------------------------------------------------- */

static BIGNUM *jwk_bn(const json_t *jwk, const char *name)
{
	const char *t = json_string_value(json_object_get(jwk, name));
	size_t len = 0;
	unsigned char *raw = t ? b64url_decode(t, strlen(t), &len) : NULL;
	BIGNUM *bn = raw && len > 0 && len <= 1024 ? BN_bin2bn(raw, (int)len, NULL) : NULL;

	free(raw);
	return bn;
}

/* the public key of JWK for ALG ("RS256" or "ES256"), or NULL */
static EVP_PKEY *jwk_key(const json_t *jwk, const char *alg)
{
	const char *kty = json_string_value(json_object_get(jwk, "kty"));
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	BIGNUM *a = NULL, *b = NULL;
	unsigned char point[65];

	if (bld == NULL || kty == NULL)
		goto out;
	if (strcmp(alg, "RS256") == 0 && strcmp(kty, "RSA") == 0) {
		a = jwk_bn(jwk, "n");
		b = jwk_bn(jwk, "e");
		if (a == NULL || b == NULL || BN_num_bits(a) < 2048 ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, a) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, b))
			goto out;
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	} else if (strcmp(alg, "ES256") == 0 && strcmp(kty, "EC") == 0) {
		const char *crv = json_string_value(json_object_get(jwk, "crv"));

		a = jwk_bn(jwk, "x");
		b = jwk_bn(jwk, "y");
		if (crv == NULL || strcmp(crv, "P-256") != 0 || a == NULL || b == NULL ||
		    BN_num_bytes(a) > 32 || BN_num_bytes(b) > 32)
			goto out;
		point[0] = 4;
		if (BN_bn2binpad(a, point + 1, 32) != 32 || BN_bn2binpad(b, point + 33, 32) != 32 ||
		    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) ||
		    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
		                                      sizeof(point)))
			goto out;
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	} else {
		goto out;
	}
	params = OSSL_PARAM_BLD_to_param(bld);
	if (ctx == NULL || params == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		key = NULL;
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	BN_free(a);
	BN_free(b);
	return key;
}

/* the key of JWKS for KID (NULL: the only one for ALG), or NULL */
static EVP_PKEY *find_key(const json_t *jwks, const char *kid, const char *alg)
{
	const json_t *keys = json_object_get(jwks, "keys"), *k, *found = NULL;
	size_t i, matches = 0;

	json_array_foreach (keys, i, k) {
		const char *id = json_string_value(json_object_get(k, "kid"));
		const char *use = json_string_value(json_object_get(k, "use"));
		const char *kalg = json_string_value(json_object_get(k, "alg"));
		const char *kty = json_string_value(json_object_get(k, "kty"));

		if ((use != NULL && strcmp(use, "sig") != 0) ||
		    (kalg != NULL && strcmp(kalg, alg) != 0) || kty == NULL ||
		    strcmp(kty, alg[0] == 'R' ? "RSA" : "EC") != 0)
			continue;
		if (kid != NULL && (id == NULL || strcmp(id, kid) != 0))
			continue;
		found = k;
		matches++;
	}
	return matches == 1 ? jwk_key(found, alg) : NULL;
}

/* ---- the ID token ------------------------------------------------------- */

static int verify_signature(EVP_PKEY *key, const char *alg, const char *signed_part,
                            size_t signed_len, const unsigned char *sig, size_t sig_len)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *der = NULL;
	int der_len = 0, ok = 0;

	if (md == NULL)
		return 0;
	if (strcmp(alg, "ES256") == 0) {
		/* JWS's r || s into DER */
		ECDSA_SIG *es = ECDSA_SIG_new();
		BIGNUM *r, *s;

		if (es == NULL || sig_len != 64) {
			ECDSA_SIG_free(es);
			goto out;
		}
		r = BN_bin2bn(sig, 32, NULL);
		s = BN_bin2bn(sig + 32, 32, NULL);
		if (r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
			BN_free(r);
			BN_free(s);
			ECDSA_SIG_free(es);
			goto out;
		}
		der_len = i2d_ECDSA_SIG(es, &der);
		ECDSA_SIG_free(es);
		if (der_len <= 0)
			goto out;
		sig = der;
		sig_len = (size_t)der_len;
	}
	ok =
	    EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
	    EVP_DigestVerify(md, sig, sig_len, (const unsigned char *)signed_part, signed_len) == 1;
out:
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	return ok;
}

static int audience_holds(const json_t *claims, const char *client_id)
{
	const json_t *aud = json_object_get(claims, "aud"), *a;
	const char *azp = json_string_value(json_object_get(claims, "azp"));
	size_t i;
	int found = 0;

	if (json_is_string(aud))
		return strcmp(json_string_value(aud), client_id) == 0 &&
		       (azp == NULL || strcmp(azp, client_id) == 0);
	json_array_foreach (aud, i, a) {
		if (json_is_string(a) && strcmp(json_string_value(a), client_id) == 0)
			found = 1;
	}
	/* several audiences: the authorized party must be us */
	if (found && json_array_size(aud) > 1)
		return azp != NULL && strcmp(azp, client_id) == 0;
	return found && (azp == NULL || strcmp(azp, client_id) == 0);
}

int oidc_verify_id_token(const char *jwt, size_t len, const json_t *jwks, const char *issuer,
                         const char *client_id, const char *nonce, long long now,
                         json_t **claims_out, char *err, size_t err_len)
{
	const char *dot1, *dot2;
	unsigned char *head = NULL, *body = NULL, *sig = NULL;
	size_t head_len = 0, body_len = 0, sig_len = 0;
	json_t *header = NULL, *claims = NULL;
	const char *alg, *kid;
	EVP_PKEY *key = NULL;
	int rc = -1;

	*claims_out = NULL;
	if (len > MAX_JWT || memchr(jwt, '\0', len) != NULL) {
		snprintf(err, err_len, "the ID token is not a JWT of at most %d bytes", MAX_JWT);
		return -1;
	}
	dot1 = memchr(jwt, '.', len);
	dot2 = dot1 ? memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - jwt)) : NULL;
	if (dot1 == NULL || dot2 == NULL ||
	    memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - jwt)) != NULL) {
		snprintf(err, err_len, "the ID token is not a JWS in compact form (three parts)");
		return -1;
	}
	head = b64url_decode(jwt, (size_t)(dot1 - jwt), &head_len);
	body = b64url_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1), &body_len);
	sig = b64url_decode(dot2 + 1, len - (size_t)(dot2 + 1 - jwt), &sig_len);
	if (head == NULL || body == NULL || sig == NULL) {
		snprintf(err, err_len, "the ID token's parts are not base64url");
		goto out;
	}
	header = json_loadb((const char *)head, head_len, JSON_REJECT_DUPLICATES, NULL);
	alg = json_string_value(json_object_get(header, "alg"));
	kid = json_string_value(json_object_get(header, "kid"));
	if (!json_is_object(header) || alg == NULL ||
	    (strcmp(alg, "RS256") != 0 && strcmp(alg, "ES256") != 0)) {
		snprintf(err, err_len,
		         "the ID token's header names no algorithm this collector takes (RS256 or "
		         "ES256; never none or a shared secret)");
		goto out;
	}
	if (json_object_get(header, "crit") != NULL) {
		snprintf(err, err_len, "the ID token's header has critical extensions");
		goto out;
	}
	key = find_key(jwks, kid, alg);
	if (key == NULL) {
		snprintf(err, err_len, "the issuer publishes no usable %s key%s%.64s", alg,
		         kid ? " with kid " : "", kid ? kid : "");
		rc = -2; /* the caller may fetch the keys again */
		goto out;
	}
	if (!verify_signature(key, alg, jwt, (size_t)(dot2 - jwt), sig, sig_len)) {
		snprintf(err, err_len, "the ID token's signature does not verify");
		goto out;
	}
	claims = json_loadb((const char *)body, body_len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(claims)) {
		snprintf(err, err_len, "the ID token's claims are not a JSON object");
		goto out;
	}
	{
		const char *iss = json_string_value(json_object_get(claims, "iss"));
		const char *sub = json_string_value(json_object_get(claims, "sub"));
		const char *got_nonce = json_string_value(json_object_get(claims, "nonce"));
		const json_t *exp = json_object_get(claims, "exp"),
		             *iat = json_object_get(claims, "iat");

		if (iss == NULL || strcmp(iss, issuer) != 0) {
			snprintf(err, err_len, "the ID token's issuer is not %s", issuer);
			goto out;
		}
		if (!audience_holds(claims, client_id)) {
			snprintf(err, err_len, "the ID token is not meant for client %s",
			         client_id);
			goto out;
		}
		if (!json_is_number(exp) || json_number_value(exp) + SKEW_SECONDS < (double)now) {
			snprintf(err, err_len, "the ID token has expired");
			goto out;
		}
		if (iat != NULL &&
		    (!json_is_number(iat) || json_number_value(iat) > (double)now + SKEW_SECONDS)) {
			snprintf(err, err_len, "the ID token was issued in the future");
			goto out;
		}
		if (got_nonce == NULL || strcmp(got_nonce, nonce) != 0) {
			snprintf(err, err_len, "the ID token's nonce is not this sign-in's");
			goto out;
		}
		if (sub == NULL || *sub == '\0') {
			snprintf(err, err_len, "the ID token names no subject");
			goto out;
		}
	}
	*claims_out = claims;
	claims = NULL;
	rc = 0;
out:
	EVP_PKEY_free(key);
	json_decref(header);
	json_decref(claims);
	free(head);
	free(body);
	free(sig);
	return rc;
}

/* whether VALUE is one of LIST's comma-separated items ("*": any) */
static int listed(const char *list, const char *value)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		const char *a = p, *b = p + n;

		while (a < b && *a == ' ')
			a++;
		while (b > a && b[-1] == ' ')
			b--;
		if ((b - a == 1 && *a == '*') ||
		    ((size_t)(b - a) == strlen(value) && strncmp(a, value, (size_t)(b - a)) == 0))
			return 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

const char *oidc_role(const struct config_oidc *c, const json_t *claims)
{
	const json_t *v = json_object_get(claims, c->role_claim), *x;
	int admin = 0, viewer = 0;
	size_t i;

	if (json_is_string(v)) {
		admin = listed(c->admin_values, json_string_value(v));
		viewer = listed(c->viewer_values, json_string_value(v));
	} else {
		json_array_foreach (v, i, x) {
			if (json_is_string(x)) {
				admin |= listed(c->admin_values, json_string_value(x));
				viewer |= listed(c->viewer_values, json_string_value(x));
			}
		}
	}
	/* "*" lets anyone the issuer signs in view, claim or not */
	if (!viewer && strcmp(c->viewer_values, "*") == 0)
		viewer = 1;
	return admin ? "admin" : viewer ? "viewer" : NULL;
}
