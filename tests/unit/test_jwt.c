/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ID token checks (collector/jwt.c) against tokens signed by OpenSSL's
 * own command line (`openssl dgst -sha256 -sign`), an oracle this project
 * did not write, with keys it made (RSA 2048 for RS256, P-256 for ES256),
 * published as a JWK Set built from `openssl pkey -text`'s numbers. A token
 * holds when its signature, issuer, audience, expiry and nonce hold; each
 * of those broken alone is refused and named; "none" and shared-secret
 * algorithms are refused; roles come from the configured claim.
 */
#include "testutil.h"

#include <ctype.h>
#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <time.h>

#include "oidc.h"

#define ISSUER "https://login.example.com/realms/it"
#define CLIENT "posture"
#define NONCE "n-0S6_WzA2Mj"

static char *dir;

static void b64url(const unsigned char *in, size_t len, char *out, size_t out_len)
{
	/* OpenSSL's base64, made url-safe (the collector's pki_b64url does the
	 * same for at most 64 bytes; signatures and moduli are longer) */
	unsigned char *b64 = malloc(len * 4 / 3 + 8);
	int n = EVP_EncodeBlock(b64, in, (int)len);
	size_t k = 0;

	for (int i = 0; i < n && b64[i] != '=' && k + 1 < out_len; i++)
		out[k++] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : (char)b64[i];
	out[k] = '\0';
	free(b64);
}

static void b64url_text(const char *text, char *out, size_t out_len)
{
	b64url((const unsigned char *)text, strlen(text), out, out_len);
}

static char *sh(const char *cmd)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL }, *out = NULL;

	if (tu_run(argv, &out, NULL) != 0)
		fail_msg("expected `%s` to succeed", cmd);
	return out;
}

/* the hex after LABEL in `openssl pkey -text -noout` (colon-separated,
 * over several lines), as bytes into OUT */
static size_t hex_after(const char *text, const char *label, unsigned char *out, size_t cap)
{
	const char *p = strstr(text, label);
	size_t n = 0;

	assert_non_null(p);
	p += strlen(label);
	while (*p && n < cap) {
		unsigned v;

		while (*p == ' ' || *p == '\n' || *p == ':')
			p++;
		if (sscanf(p, "%2x", &v) != 1 || !isxdigit((unsigned char)p[1]))
			break;
		out[n++] = (unsigned char)v;
		p += 2;
		if (*p != ':')
			break;
	}
	return n;
}

static json_t *jwks;

static int setup(void **state)
{
	char cmd[9000], *text, n64[600], e64[16], x64[64], y64[64];
	unsigned char buf[600];
	size_t n;

	(void)state;
	dir = tu_mkdtemp();
	snprintf(
	    cmd, sizeof(cmd),
	    "cd %s && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key "
	    "2>/dev/null && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
	    "-out ec.key 2>/dev/null && openssl pkey -in rsa.key -text -noout",
	    dir);
	text = sh(cmd);
	n = hex_after(text, "modulus:", buf, sizeof(buf));
	/* the leading 00 that keeps the number positive is not the modulus' */
	if (n > 0 && buf[0] == 0)
		b64url(buf + 1, n - 1, n64, sizeof(n64));
	else
		b64url(buf, n, n64, sizeof(n64));
	b64url((const unsigned char *)"\x01\x00\x01", 3, e64, sizeof(e64));
	free(text);
	snprintf(cmd, sizeof(cmd), "openssl pkey -in %s/ec.key -text -noout", dir);
	text = sh(cmd);
	n = hex_after(text, "pub:", buf, sizeof(buf));
	assert_int_equal(n, 65);
	b64url(buf + 1, 32, x64, sizeof(x64));
	b64url(buf + 33, 32, y64, sizeof(y64));
	free(text);
	jwks = json_pack("{s:[{s:s, s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s, s:s, s:s}]}", "keys",
	                 "kty", "RSA", "kid", "rsa-1", "use", "sig", "n", n64, "e", e64, "kty",
	                 "EC", "kid", "ec-1", "crv", "P-256", "x", x64, "y", y64, "alg", "ES256");
	assert_non_null(jwks);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(jwks);
	tu_rm_rf(dir);
	free(dir);
	return 0;
}

/* HEADER.CLAIMS signed by OpenSSL with the KEY file ("rsa" or "ec") */
static char *token(const char *header, const json_t *claims, const char *key)
{
	char h64[512], *ctext = json_dumps(claims, JSON_COMPACT), c64[4096], input[5000], cmd[9000],
	               sig64[1024], *out;
	unsigned char sig[600];
	size_t sig_len;
	FILE *f;

	b64url_text(header, h64, sizeof(h64));
	b64url_text(ctext, c64, sizeof(c64));
	free(ctext);
	snprintf(input, sizeof(input), "%s.%s", h64, c64);
	tu_write(dir, "input", input);
	snprintf(cmd, sizeof(cmd), "cd %s && openssl dgst -sha256 -sign %s.key -out sig input", dir,
	         key);
	free(sh(cmd));
	snprintf(cmd, sizeof(cmd), "%s/sig", dir);
	f = fopen(cmd, "rb");
	assert_non_null(f);
	sig_len = fread(sig, 1, sizeof(sig), f);
	fclose(f);
	if (strcmp(key, "ec") == 0) {
		/* DER to JWS's r || s */
		const unsigned char *p = sig;
		ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)sig_len);
		const BIGNUM *r, *s;

		assert_non_null(es);
		ECDSA_SIG_get0(es, &r, &s);
		BN_bn2binpad(r, sig, 32);
		BN_bn2binpad(s, sig + 32, 32);
		sig_len = 64;
		ECDSA_SIG_free(es);
	}
	b64url(sig, sig_len, sig64, sizeof(sig64));
	out = malloc(strlen(input) + strlen(sig64) + 2);
	snprintf(out, strlen(input) + strlen(sig64) + 2, "%s.%s", input, sig64);
	return out;
}

static json_t *claims_now(void)
{
	long long now = (long long)time(NULL);

	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:[s, s]}", "iss", ISSUER, "sub",
	                 "248289761001", "aud", CLIENT, "exp", (json_int_t)(now + 300), "iat",
	                 (json_int_t)now, "nonce", NONCE, "email", "alice@example.com", "groups",
	                 "staff", "posture-admins");
}

static int verify(const char *jwt, char *err, size_t err_len)
{
	json_t *claims = NULL;
	int rc = oidc_verify_id_token(jwt, strlen(jwt), jwks, ISSUER, CLIENT, NONCE,
	                              (long long)time(NULL), &claims, err, err_len);

	if (rc == 0 &&
	    strcmp(json_string_value(json_object_get(claims, "sub")), "248289761001") != 0)
		fail_msg("expected the claims back");
	json_decref(claims);
	return rc;
}

static void signed_tokens_hold(void **state)
{
	json_t *c = claims_now();
	char err[512], *t;

	(void)state;
	t = token("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":\"JWT\"}", c, "rsa");
	if (verify(t, err, sizeof(err)) != 0)
		fail_msg("expected an RS256 token signed by OpenSSL to hold; came: %s", err);
	free(t);
	t = token("{\"alg\":\"ES256\",\"kid\":\"ec-1\"}", c, "ec");
	if (verify(t, err, sizeof(err)) != 0)
		fail_msg("expected an ES256 token signed by OpenSSL to hold; came: %s", err);
	free(t);
	/* no kid: the one key of that type */
	t = token("{\"alg\":\"ES256\"}", c, "ec");
	assert_int_equal(verify(t, err, sizeof(err)), 0);
	free(t);
	json_decref(c);
}

/* CLAIMS changed by KEY = VALUE (NULL: removed), signed by RSA: refused
 * with WHY in the message */
static void refused_with(const char *key, json_t *value, const char *why)
{
	json_t *c = claims_now();
	char err[512], *t;

	if (value)
		json_object_set_new(c, key, value);
	else
		json_object_del(c, key);
	t = token("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", c, "rsa");
	if (verify(t, err, sizeof(err)) == 0 || strstr(err, why) == NULL)
		fail_msg("expected a token with %s changed refused saying '%s'; came '%s'", key,
		         why, err);
	free(t);
	json_decref(c);
}

static void broken_tokens_are_refused(void **state)
{
	json_t *c = claims_now();
	char err[512], *t, *dot;
	long long now = (long long)time(NULL);

	(void)state;
	refused_with("iss", json_string("https://evil.example.com"), "issuer");
	refused_with("aud", json_string("someone-else"), "not meant for client posture");
	refused_with("aud", json_pack("[s, s]", CLIENT, "other"), "not meant for client");
	refused_with("exp", json_integer(now - 3600), "expired");
	refused_with("exp", NULL, "expired");
	refused_with("iat", json_integer(now + 3600), "future");
	refused_with("nonce", json_string("replayed"), "nonce");
	refused_with("nonce", NULL, "nonce");
	refused_with("sub", json_string(""), "subject");

	/* a claim changed after signing */
	t = token("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", c, "rsa");
	dot = strchr(t, '.') + 1;
	dot[2] = dot[2] == 'A' ? 'B' : 'A';
	assert_int_not_equal(verify(t, err, sizeof(err)), 0);
	free(t);
	/* signed by the EC key but said to be RSA's; an unknown kid */
	t = token("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", c, "ec");
	assert_int_not_equal(verify(t, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "signature"));
	free(t);
	t = token("{\"alg\":\"RS256\",\"kid\":\"rotated\"}", c, "rsa");
	assert_int_equal(verify(t, err, sizeof(err)), -2);
	free(t);
	/* alg none, a shared secret, critical extensions */
	{
		char h64[128], c64[2048], *ctext = json_dumps(c, JSON_COMPACT), none[4096];

		b64url_text("{\"alg\":\"none\"}", h64, sizeof(h64));
		b64url_text(ctext, c64, sizeof(c64));
		snprintf(none, sizeof(none), "%s.%s.", h64, c64);
		assert_int_not_equal(verify(none, err, sizeof(err)), 0);
		assert_non_null(strstr(err, "never none"));
		b64url_text("{\"alg\":\"HS256\"}", h64, sizeof(h64));
		snprintf(none, sizeof(none), "%s.%s.c2lnbmF0dXJl", h64, c64);
		assert_int_not_equal(verify(none, err, sizeof(err)), 0);
		free(ctext);
	}
	t = token("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"exp\"]}", c, "rsa");
	assert_int_not_equal(verify(t, err, sizeof(err)), 0);
	free(t);
	assert_int_not_equal(verify("not.a.jwt.at-all", err, sizeof(err)), 0);
	assert_int_not_equal(verify("!!!.???.***", err, sizeof(err)), 0);
	json_decref(c);
}

static void roles_from_the_claim(void **state)
{
	struct config_oidc o = { .role_claim = "groups",
		                 .admin_values = "posture-admins, it-ops",
		                 .viewer_values = "staff" };
	json_t *admin = json_pack("{s:[s, s]}", "groups", "staff", "posture-admins");
	json_t *viewer = json_pack("{s:[s]}", "groups", "staff");
	json_t *none = json_pack("{s:[s]}", "groups", "contractors");
	json_t *string = json_pack("{s:s}", "groups", "it-ops");
	json_t *absent = json_object();

	(void)state;
	assert_string_equal(oidc_role(&o, admin), "admin");
	assert_string_equal(oidc_role(&o, viewer), "viewer");
	assert_null(oidc_role(&o, none));
	assert_string_equal(oidc_role(&o, string), "admin");
	assert_null(oidc_role(&o, absent));
	snprintf(o.viewer_values, sizeof(o.viewer_values), "*");
	assert_string_equal(oidc_role(&o, none), "viewer");
	assert_string_equal(oidc_role(&o, absent), "viewer");
	json_decref(admin);
	json_decref(viewer);
	json_decref(none);
	json_decref(string);
	json_decref(absent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signed_tokens_hold),
		cmocka_unit_test(broken_tokens_are_refused),
		cmocka_unit_test(roles_from_the_claim),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
