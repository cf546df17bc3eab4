/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admin: the collector's offline commands, which work on the data
 * directory without a running server: init and policy publish.
 */
#ifndef POSTURE_ADMIN_H
#define POSTURE_ADMIN_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/*
 * init --dir DIR [--hostname NAME]: a new data directory (mode 0700): the CA
 * (ca.pem, ca.key), the server certificate for NAME, localhost, 127.0.0.1
 * and ::1 (server.pem, server.key), the Ed25519 policy-signing key
 * (policy.key, policy.pub), the admin token (admin-token), an enrollment
 * secret (enroll-secret, and printed on OUT) and the store: SQLite
 * (collector.db), or the PostgreSQL database STORE_URL names (migrated now;
 * the URL kept in store-url). Secrets are mode 0600. A directory that exists and is
 * not empty is refused. 0, or -1 with ERR.
 */
int admin_init(const char *dir, const char *hostname, const char *store_url, char *secret_out,
               size_t secret_len, char *err, size_t err_len);

/*
 * policy publish --dir DIR FILE: validates FILE with the agent's own policy
 * engine (errors as FILE:LINE on stderr), signs version N+1 with the
 * policy key as agents expect (agent/net/policysig.h) and records it in
 * the store, where every collector serving it finds it.
 * Returns the new version, or -1 with ERR (2 would be a refused policy:
 * *REFUSED is set then).
 */
long long admin_publish(const char *dir, const char *store_spec_text, const char *file,
                        int *refused, char *err, size_t err_len);

/* The same for TEXT (LEN bytes) named LABEL in messages, published by
 * ACTOR (for the audit trail); a refused policy's FILE:LINE errors go to
 * DIAG. */
long long admin_publish_text(const char *dir, const char *store_spec_text, const char *label,
                             const char *text, size_t len, const char *actor, FILE *diag,
                             int *refused, char *err, size_t err_len);

/*
 * secret add: a new enrollment secret in the store STORE_SPEC, valid for
 * EXPIRES_SECONDS (0: until revoked). The secret (only its SHA-256 is
 * stored) into SECRET_OUT, its expiry (RFC 3339, or "never") into
 * EXPIRES_OUT; returns its id, or -1 with ERR.
 */
struct store;

/* Who runs this command line, for the audit trail: "cli uid 0 (root)",
 * with " via sudo by NAME" when sudo says so. */
const char *admin_actor(void);

/* Records an admin action of this command line in ST's audit trail
 * (store_audit_append; DETAIL, a JSON object or NULL, is taken). 0, or -1
 * after saying on stderr that the action was done but not recorded. */
int admin_audit(struct store *st, const char *action, const char *target, json_t *detail);

/* The SHA-256 of DATA in lower-case hex. */
void admin_sha256_hex(const void *data, size_t len, char out[65]);

/* FILE's bytes, at most MAX: malloc'd, NUL-terminated, *LEN bytes; or NULL
 * with ERR. */
char *admin_read_file(const char *path, size_t max, size_t *len, char *err, size_t err_len);

/* Signs HEAD followed by TEXT (LEN bytes) with DIR's Ed25519 policy key:
 * 0 and the signature's base64 in SIG_B64 (at least 100 bytes), or -1 with
 * ERR. */
int admin_policy_key_sign(const char *dir, const char *head, const char *text, size_t len,
                          char *sig_b64, char *err, size_t err_len);

long long admin_secret_add(const char *store_spec_text, long long expires_seconds, char *secret_out,
                           size_t secret_len, char *expires_out, size_t expires_len, char *err,
                           size_t err_len);

#endif
