/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oidc: see oidc.h.
 */
#include "oidc.h"

#include <curl/curl.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin.h"
#include "pki.h"

#ifndef POSTURE_VERSION
#define POSTURE_VERSION "dev"
#endif

#define MAX_DOC (256 * 1024) /* a discovery document, key set or token answer */
#define KEYS_REFRESH_SECONDS 60

struct oidc {
	struct config_oidc c;
	char secret[512]; /* the client secret ("": a public client) */
	pthread_mutex_t mu;
	int ready;
	char authorization_endpoint[1024], token_endpoint[1024], jwks_uri[1024];
	json_t *jwks;
	long long jwks_at;
};

int oidc_new(const struct config_oidc *c, struct oidc **out, char *err, size_t err_len)
{
	struct oidc *o = calloc(1, sizeof(*o));

	if (o == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	o->c = *c;
	pthread_mutex_init(&o->mu, NULL);
	if (c->client_secret_file[0] != '\0') {
		size_t len = 0;
		char *text = admin_read_file(c->client_secret_file, sizeof(o->secret) - 1, &len,
		                             err, err_len);

		if (text == NULL) {
			oidc_free(o);
			return -1;
		}
		while (len > 0 &&
		       (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
			len--;
		memcpy(o->secret, text, len);
		o->secret[len] = '\0';
		OPENSSL_cleanse(text, len);
		free(text);
		if (len == 0) {
			snprintf(err, err_len, "[oidc] client_secret_file %s is empty",
			         c->client_secret_file);
			oidc_free(o);
			return -1;
		}
	}
	*out = o;
	return 0;
}

void oidc_free(struct oidc *o)
{
	if (o == NULL)
		return;
	OPENSSL_cleanse(o->secret, sizeof(o->secret));
	json_decref(o->jwks);
	pthread_mutex_destroy(&o->mu);
	free(o);
}

int oidc_ready(struct oidc *o)
{
	int r;

	pthread_mutex_lock(&o->mu);
	r = o->ready;
	pthread_mutex_unlock(&o->mu);
	return r;
}

/* ---- HTTPS -------------------------------------------------------------- */

struct buf {
	char *data;
	size_t len;
	int too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct buf *b = arg;
	size_t n = size * nmemb;
	char *grown;

	if (b->len + n > MAX_DOC) {
		b->too_big = 1;
		return 0;
	}
	grown = realloc(b->data, b->len + n + 1);
	if (grown == NULL)
		return 0;
	b->data = grown;
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* GET URL (or POST FORM to it, with BASIC "user:password" when set): the
 * JSON answer of a 2xx, or NULL with ERR */
static json_t *fetch_json(struct oidc *o, const char *url, const char *form, const char *basic,
                          char *err, size_t err_len)
{
	CURL *curl = curl_easy_init();
	struct buf b = { 0 };
	struct curl_slist *h = NULL;
	json_t *doc = NULL;
	long status = 0;
	CURLcode rc;

	if (curl == NULL) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	h = curl_slist_append(h, "Accept: application/json");
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "posture-collector/" POSTURE_VERSION);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
	if (o->c.ca[0] != '\0')
		curl_easy_setopt(curl, CURLOPT_CAINFO, o->c.ca);
	if (form != NULL)
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
	if (basic != NULL) {
		curl_easy_setopt(curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(curl, CURLOPT_USERPWD, basic);
	}
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (rc != CURLE_OK)
		snprintf(err, err_len, "%.200s: %s", url,
		         b.too_big ? "the answer is larger than 256 KiB" : curl_easy_strerror(rc));
	else if (status < 200 || status > 299)
		snprintf(err, err_len, "%.200s: HTTP %ld: %.200s", url, status,
		         b.data ? b.data : "");
	else if ((doc = json_loadb(b.data ? b.data : "", b.len, JSON_REJECT_DUPLICATES, NULL)) ==
	             NULL ||
	         !json_is_object(doc)) {
		json_decref(doc);
		doc = NULL;
		snprintf(err, err_len, "%.200s: the answer is not a JSON object", url);
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(curl);
	if (b.data)
		OPENSSL_cleanse(b.data, b.len);
	free(b.data);
	return doc;
}

static int fetch_keys(struct oidc *o, char *err, size_t err_len)
{
	char uri[1024];
	json_t *keys;

	pthread_mutex_lock(&o->mu);
	snprintf(uri, sizeof(uri), "%s", o->jwks_uri);
	pthread_mutex_unlock(&o->mu);
	keys = fetch_json(o, uri, NULL, NULL, err, err_len);
	if (keys == NULL)
		return -1;
	if (!json_is_array(json_object_get(keys, "keys"))) {
		json_decref(keys);
		snprintf(err, err_len, "%.200s: not a JWK Set (no keys)", uri);
		return -1;
	}
	pthread_mutex_lock(&o->mu);
	json_decref(o->jwks);
	o->jwks = keys;
	o->jwks_at = (long long)time(NULL);
	pthread_mutex_unlock(&o->mu);
	return 0;
}

int oidc_discover(struct oidc *o, char *err, size_t err_len)
{
	char url[1200];
	json_t *doc;
	const char *iss, *authz, *token, *jwks;
	size_t n = strlen(o->c.issuer);

	snprintf(url, sizeof(url), "%s%s.well-known/openid-configuration", o->c.issuer,
	         n > 0 && o->c.issuer[n - 1] == '/' ? "" : "/");
	doc = fetch_json(o, url, NULL, NULL, err, err_len);
	if (doc == NULL)
		return -1;
	iss = json_string_value(json_object_get(doc, "issuer"));
	authz = json_string_value(json_object_get(doc, "authorization_endpoint"));
	token = json_string_value(json_object_get(doc, "token_endpoint"));
	jwks = json_string_value(json_object_get(doc, "jwks_uri"));
	if (iss == NULL || strcmp(iss, o->c.issuer) != 0) {
		snprintf(err, err_len, "%.200s says its issuer is %.200s, not %.200s", url,
		         iss ? iss : "(none)", o->c.issuer);
		json_decref(doc);
		return -1;
	}
	if (authz == NULL || token == NULL || jwks == NULL || strncmp(authz, "https://", 8) != 0 ||
	    strncmp(token, "https://", 8) != 0 || strncmp(jwks, "https://", 8) != 0 ||
	    strlen(authz) >= 1024 || strlen(token) >= 1024 || strlen(jwks) >= 1024) {
		snprintf(err, err_len,
		         "%.200s lacks an https:// authorization_endpoint, token_endpoint or "
		         "jwks_uri",
		         url);
		json_decref(doc);
		return -1;
	}
	pthread_mutex_lock(&o->mu);
	snprintf(o->authorization_endpoint, sizeof(o->authorization_endpoint), "%s", authz);
	snprintf(o->token_endpoint, sizeof(o->token_endpoint), "%s", token);
	snprintf(o->jwks_uri, sizeof(o->jwks_uri), "%s", jwks);
	pthread_mutex_unlock(&o->mu);
	json_decref(doc);
	if (fetch_keys(o, err, err_len) != 0)
		return -1;
	pthread_mutex_lock(&o->mu);
	o->ready = 1;
	pthread_mutex_unlock(&o->mu);
	return 0;
}

int oidc_begin(struct oidc *o, struct oidc_start *s, char *err, size_t err_len)
{
	unsigned char md[32];
	char challenge[65];
	char *e_client, *e_redirect, *e_scope;
	CURL *curl;
	int n;

	if (!oidc_ready(o)) {
		snprintf(err, err_len, "the issuer %s has not been reached yet", o->c.issuer);
		return -1;
	}
	if (pki_random_token(32, s->state, sizeof(s->state)) != 0 ||
	    pki_random_token(32, s->verifier, sizeof(s->verifier)) != 0 ||
	    pki_random_token(32, s->nonce, sizeof(s->nonce)) != 0) {
		snprintf(err, err_len, "no randomness");
		return -1;
	}
	EVP_Digest(s->verifier, strlen(s->verifier), md, NULL, EVP_sha256(), NULL);
	pki_b64url(md, sizeof(md), challenge, sizeof(challenge));
	curl = curl_easy_init();
	if (curl == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	e_client = curl_easy_escape(curl, o->c.client_id, 0);
	e_redirect = curl_easy_escape(curl, o->c.redirect_uri, 0);
	e_scope = curl_easy_escape(curl, o->c.scopes, 0);
	pthread_mutex_lock(&o->mu);
	n = snprintf(s->url, sizeof(s->url),
	             "%s%sresponse_type=code&client_id=%s&redirect_uri=%s&scope=%s&state=%s&"
	             "nonce=%s&code_challenge=%s&code_challenge_method=S256",
	             o->authorization_endpoint, strchr(o->authorization_endpoint, '?') ? "&" : "?",
	             e_client ? e_client : "", e_redirect ? e_redirect : "", e_scope ? e_scope : "",
	             s->state, s->nonce, challenge);
	pthread_mutex_unlock(&o->mu);
	curl_free(e_client);
	curl_free(e_redirect);
	curl_free(e_scope);
	curl_easy_cleanup(curl);
	if (n < 0 || (size_t)n >= sizeof(s->url)) {
		snprintf(err, err_len, "the authorization URL is too long");
		return -1;
	}
	return 0;
}

int oidc_finish(struct oidc *o, const char *code, const char *verifier, const char *nonce,
                char *role, size_t role_len, char *actor, size_t actor_len, char *err,
                size_t err_len)
{
	CURL *curl = curl_easy_init();
	char *e_code = NULL, *e_redirect = NULL, *e_client = NULL, *form = NULL, endpoint[1024];
	char basic[1100];
	json_t *answer = NULL, *claims = NULL, *keys;
	const char *id_token, *r, *name, *sub;
	size_t form_len;
	int rc = -1;

	if (curl == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	e_code = curl_easy_escape(curl, code, 0);
	e_redirect = curl_easy_escape(curl, o->c.redirect_uri, 0);
	e_client = curl_easy_escape(curl, o->c.client_id, 0);
	form_len = strlen(code) * 3 + strlen(o->c.redirect_uri) * 3 + strlen(o->c.client_id) * 3 +
	           strlen(verifier) + 200;
	form = malloc(form_len);
	if (e_code == NULL || e_redirect == NULL || e_client == NULL || form == NULL) {
		snprintf(err, err_len, "out of memory");
		goto out;
	}
	snprintf(form, form_len,
	         "grant_type=authorization_code&code=%s&redirect_uri=%s&client_id=%s&"
	         "code_verifier=%s",
	         e_code, e_redirect, e_client, verifier);
	if (o->secret[0] != '\0') {
		/* client_secret_basic: each half form-encoded first (RFC 6749 2.3.1) */
		char *e_secret = curl_easy_escape(curl, o->secret, 0);

		snprintf(basic, sizeof(basic), "%s:%s", e_client, e_secret ? e_secret : "");
		if (e_secret) {
			OPENSSL_cleanse(e_secret, strlen(e_secret));
			curl_free(e_secret);
		}
	}
	pthread_mutex_lock(&o->mu);
	snprintf(endpoint, sizeof(endpoint), "%s", o->token_endpoint);
	pthread_mutex_unlock(&o->mu);
	answer = fetch_json(o, endpoint, form, o->secret[0] ? basic : NULL, err, err_len);
	OPENSSL_cleanse(basic, sizeof(basic));
	if (answer == NULL)
		goto out;
	id_token = json_string_value(json_object_get(answer, "id_token"));
	if (id_token == NULL) {
		snprintf(err, err_len, "the token endpoint's answer holds no id_token");
		goto out;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		pthread_mutex_lock(&o->mu);
		keys = json_incref(o->jwks);
		pthread_mutex_unlock(&o->mu);
		rc = oidc_verify_id_token(id_token, strlen(id_token), keys, o->c.issuer,
		                          o->c.client_id, nonce, (long long)time(NULL), &claims,
		                          err, err_len);
		json_decref(keys);
		/* an unknown key: the issuer may have rotated; fetch once more,
		 * at most once a minute */
		if (rc != -2 || attempt > 0)
			break;
		{
			int due;

			pthread_mutex_lock(&o->mu);
			due = (long long)time(NULL) - o->jwks_at >= KEYS_REFRESH_SECONDS;
			pthread_mutex_unlock(&o->mu);
			if (!due || fetch_keys(o, err, err_len) != 0)
				break;
		}
	}
	if (rc != 0) {
		rc = -1;
		goto out;
	}
	sub = json_string_value(json_object_get(claims, "sub"));
	name = json_string_value(json_object_get(claims, o->c.name_claim));
	snprintf(actor, actor_len, "oidc %.100s (sub %.60s)", name ? name : sub, sub);
	r = oidc_role(&o->c, claims);
	if (r == NULL) {
		snprintf(err, err_len,
		         "%s has no role here: the claim %s holds none of the values that make a "
		         "viewer or an admin",
		         actor, o->c.role_claim);
		rc = 1;
		goto out;
	}
	snprintf(role, role_len, "%s", r);
	rc = 0;
out:
	json_decref(answer);
	json_decref(claims);
	curl_free(e_code);
	curl_free(e_redirect);
	curl_free(e_client);
	if (form)
		OPENSSL_cleanse(form, strlen(form));
	free(form);
	curl_easy_cleanup(curl);
	return rc;
}
