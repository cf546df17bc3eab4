/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oidc: dashboard sign-in with OpenID Connect (docs/COLLECTOR.md, "Sign-in
 * and roles"): the authorization code flow with PKCE (S256), a nonce and a
 * state bound to the browser; the ID token's signature (RS256 or ES256)
 * checked against the issuer's published keys, its issuer, audience,
 * expiry and nonce; the role (viewer or admin) read from a configured
 * claim. Network calls (discovery, the token exchange, the keys) go through
 * libcurl over HTTPS and are made off the event loop.
 */
#ifndef POSTURE_OIDC_H
#define POSTURE_OIDC_H

#include <jansson.h>
#include <stddef.h>

#include "config.h"

struct oidc;

/* A client for C (its client secret read from its file now). 0, or -1. */
int oidc_new(const struct config_oidc *c, struct oidc **out, char *err, size_t err_len);
void oidc_free(struct oidc *o);

/* Reads the issuer's discovery document and keys (network): 0, or -1 with
 * ERR. Sign-ins wait for it (the worker calls it until it holds). */
int oidc_discover(struct oidc *o, char *err, size_t err_len);

/* Whether oidc_discover has succeeded. */
int oidc_ready(struct oidc *o);

/* A sign-in's secrets: STATE (the browser's cookie and the query's),
 * VERIFIER (PKCE), NONCE; and the URL to send the browser to (no network).
 * 0, or -1 with ERR (the issuer not discovered yet). */
struct oidc_start {
	char state[65], verifier[65], nonce[65];
	char url[4096];
};
int oidc_begin(struct oidc *o, struct oidc_start *s, char *err, size_t err_len);

/* Exchanges CODE (with VERIFIER) for tokens and checks the ID token
 * against NONCE (network). 0 with ROLE ("admin" or "viewer") and ACTOR
 * ("oidc NAME (sub SUB)"); 1 when the person has no role here (ERR says
 * why); -1 with ERR. */
int oidc_finish(struct oidc *o, const char *code, const char *verifier, const char *nonce,
                char *role, size_t role_len, char *actor, size_t actor_len, char *err,
                size_t err_len);

/* The checks of an ID token JWT against the key set JWKS (a JWK Set), for
 * ISSUER and CLIENT_ID, with NONCE, at NOW: 0 and its claims (*CLAIMS,
 * the caller's), or -1 with ERR naming what does not hold. No network: the
 * fuzz target and the tests call it directly. */
int oidc_verify_id_token(const char *jwt, size_t len, const json_t *jwks, const char *issuer,
                         const char *client_id, const char *nonce, long long now, json_t **claims,
                         char *err, size_t err_len);

/* The role CLAIMS give under C: "admin", "viewer", or NULL. */
const char *oidc_role(const struct config_oidc *c, const json_t *claims);

#endif
