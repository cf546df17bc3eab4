/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store: the collector's database, over db.h: SQLite (WAL) in the data
 * directory by default, or PostgreSQL (several collectors may share one).
 * The schema is applied by numbered migrations when the store is opened, in
 * one transaction (on PostgreSQL under an advisory lock, so collectors
 * starting together migrate once). Devices, reports, results, the latest
 * state per device and check (kept current for fast summaries), each
 * device's compliance per day, published policies and enrollment secrets
 * (their SHA-256 only).
 */
#ifndef POSTURE_STORE_H
#define POSTURE_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

struct store;
struct report_in;

/* The store a data directory uses: SPEC when given (a postgresql:// URL or
 * an SQLite path), else the URL recorded in DIR/store-url, else
 * DIR/collector.db. */
void store_spec(const char *dir, const char *spec, char *out, size_t out_len);

/* Opens (creating an SQLite file when CREATE) the store SPEC and migrates
 * it. 0 and *OUT, or -1 with ERR. */
int store_open(const char *spec, int create, struct store **out, char *err, size_t err_len);
/* store_open, migrating no further than schema VERSION (tests of the
 * migrations start from an older schema with it). */
int store_open_version(const char *spec, int create, int version, struct store **out, char *err,
                       size_t err_len);
void store_close(struct store *s);
/* "sqlite" or "postgresql" */
const char *store_kind(const struct store *s);

/* The connection under S, for the fleet queries (fleet.c). */
struct db *store_db(struct store *s);

/* Records an enrollment secret by its SHA-256 (hex), valid until
 * EXPIRES_AT (UTC RFC 3339) or for ever (NULL). Its id, or -1 with ERR. */
long long store_add_enroll_secret(struct store *s, const char *sha256_hex, const char *expires_at,
                                  char *err, size_t err_len);

/* Revokes enrollment secret ID: 1 done, 0 no such secret, -1 with ERR. */
int store_revoke_enroll_secret(struct store *s, long long id, char *err, size_t err_len);

/* The enrollment secrets (never the secrets themselves): [{id, created_at,
 * expires_at, state: active, expired or revoked}]. 0 or -1 with ERR. */
int store_enroll_secrets(struct store *s, json_t **out, char *err, size_t err_len);

/* Whether SHA256_HEX is the hash of a secret that is neither revoked nor
 * expired. Every stored hash is compared, in constant time. 1, 0, or -1. */
int store_check_enroll_secret(struct store *s, const char *sha256_hex);

/* The highest published policy version, 0 when none. -1 on error. */
long long store_policy_version(struct store *s);

/* Records a published policy. 0 or -1 with ERR (a version that is not the
 * next one is refused, so versions only grow even with two publishers). */
int store_add_policy(struct store *s, long long version, const char *name, const char *sha256,
                     const char *text, const char *signature_b64, char *err, size_t err_len);

/* The newest policy as agents fetch it: {version, policy, signature,
 * sha256}. 1 and *DOC, 0 when none is published, -1 with ERR. */
int store_current_policy(struct store *s, json_t **doc, char *err, size_t err_len);

/* A release feed to store (collector/feeds.c). */
struct store_feed {
	const char *name;        /* the file name it is known by: chrome-mac.json */
	const char *feed_format; /* lib/feed.h's feed_format_name */
	const char *fetched_at;  /* RFC 3339 */
	const char *sha256;      /* of the publisher's bytes, hex */
	const char *source;      /* "import FILE" or the URL fetched */
};
/* Makes the signed envelope of a feed once its SERIAL is known: 0 and
 * *ENVELOPE (malloc'd text), or -1 with ERR. */
typedef int (*store_seal_fn)(void *arg, long long serial, char **envelope, char *err,
                             size_t err_len);

/* Stores feed F under the next serial (higher than any issued before, in
 * this store), its envelope made by SEAL, replacing the feed of that name
 * and logging the serial. The serial, or -1 with ERR. */
long long store_add_feed(struct store *s, const struct store_feed *f, store_seal_fn seal, void *arg,
                         char *err, size_t err_len);

/* The feeds in force, by name: [{name, serial, feed_format, fetched_at,
 * sha256, stored_at[, envelope (text) when ENVELOPES]}]. 0 or -1 with ERR. */
int store_feeds(struct store *s, int envelopes, json_t **out, char *err, size_t err_len);

/* The highest serial in force: it moves whenever a feed is added or
 * replaced. -1 on error. */
long long store_feeds_mark(struct store *s);

/*
 * The audit trail: every admin action, appended, each entry carrying the
 * SHA-256 of the one before it (the first: 64 zeros), its own hash over
 * STORE_AUDIT_CONTEXT + seq + "\n" + at, actor, action, target, detail
 * (JSON) and that previous hash, each followed by "\n". An edited,
 * removed or inserted entry breaks the chain where it is.
 */
#define STORE_AUDIT_CONTEXT "posture-audit/1\n"

/* Appends one entry: who (ACTOR: "cli uid 0 (root)", "session", "token"),
 * what (ACTION: policy.publish, device.revoke, ...), on what (TARGET),
 * DETAIL (a JSON object's text, or NULL). Its seq, or -1 with ERR. */
long long store_audit_append(struct store *s, const char *actor, const char *action,
                             const char *target, const char *detail, char *err, size_t err_len);

/* The trail, oldest first: {entries: [{seq, at, actor, action, target,
 * detail, prev_sha256, sha256}], verified, break}. SINCE (RFC 3339, or
 * NULL) keeps entries at or after it. VERIFY recomputes the whole chain:
 * verified true, or false with break {seq, why} at the first entry that
 * does not hold. 0 or -1 with ERR. */
int store_audit(struct store *s, const char *since, int verify, json_t **out, char *err,
                size_t err_len);

/* What the enrollment secret may do for DEVICE_ID: */
enum {
	STORE_ENROLL_NEW = 0,      /* no such device: enroll it */
	STORE_ENROLL_TAKEN = 1,    /* enrolled: the secret may not take it over */
	STORE_ENROLL_APPROVED = 2, /* enrolled, and an admin approved re-enrollment */
};
/* One of the above, or -1 with ERR. */
int store_enroll_state(struct store *s, const char *device_id, char *err, size_t err_len);

/* Records an enrolled (or renewed) device, its certificate's serial and
 * expiry (RFC 3339). APPROVED: this is the re-enrollment an admin approved,
 * which uses the approval up and un-revokes the device. OWNER (or NULL):
 * who the enrollment says uses the device, unless an admin named one. 0 or
 * -1. */
int store_enroll_device(struct store *s, const char *device_id, const char *hostname,
                        const char *serial_hex, const char *cert_expires, int approved,
                        const char *owner, char *err, size_t err_len);

/* Dashboard sessions, kept by the SHA-256 (hex) of their cookie: one
 * added for SECONDS with ACTOR's ROLE ("viewer" or "admin"; expired ones
 * removed), and one ended. 0 or -1 with ERR. */
int store_session_add(struct store *s, const char *sha256_hex, long long seconds, const char *actor,
                      const char *role, char *err, size_t err_len);
/* A live session's role and actor: 1, 0 when there is none, -1. */
int store_session_get(struct store *s, const char *sha256_hex, char *role, size_t role_len,
                      char *actor, size_t actor_len);

/* API tokens, kept by their SHA-256 (hex): added (its id, or -1), looked up
 * (1 with its role and "token NAME (ID)" while it is neither revoked nor
 * expired, 0, -1), listed ([{id, name, role, created_at, expires_at,
 * state}]), revoked (1, 0 no such live token, -1). */
long long store_token_add(struct store *s, const char *name, const char *role,
                          const char *sha256_hex, const char *expires_at, char *err,
                          size_t err_len);
int store_token_get(struct store *s, const char *sha256_hex, char *role, size_t role_len,
                    char *name, size_t name_len);
int store_tokens(struct store *s, json_t **out, char *err, size_t err_len);
int store_token_revoke(struct store *s, long long id, char *err, size_t err_len);

/* State changes recorded after AFTER (in the order recorded; SQLite's rowid,
 * PostgreSQL's changes.seq), at or after SINCE (RFC 3339, or NULL), at
 * most LIMIT: [{seq, device, hostname, check, from, to, at, report_id}].
 * 0 or -1. */
int store_changes_after(struct store *s, long long after, const char *since, int limit,
                        json_t **out, char *err, size_t err_len);

/* The number of the last state change recorded (0: none), or -1. */
long long store_changes_last(struct store *s, char *err, size_t err_len);

/* Audit entries after seq AFTER, at most LIMIT: [{seq, at, actor, action,
 * target, detail, sha256}]. 0 or -1. */
int store_audit_after(struct store *s, long long after, int limit, json_t **out, char *err,
                      size_t err_len);

/* A setting moved from OLD ("": none yet) to VALUE only if it still is OLD:
 * 1 moved, 0 someone else moved it first, -1. */
int store_setting_swap(struct store *s, const char *name, const char *old, const char *value,
                       char *err, size_t err_len);

/* OpenID Connect sign-ins under way: one begun (0; 1 when MAX_LIVE are
 * already waiting, so an unauthenticated flood cannot grow the table
 * without bound; -1), and one taken back once by its state's hash (1 with
 * its VERIFIER and NONCE, 0 when unknown, expired or taken, -1). */
int store_oidc_begin(struct store *s, const char *state_sha256, const char *verifier,
                     const char *nonce, long long seconds, long long max_live, char *err,
                     size_t err_len);
int store_oidc_take(struct store *s, const char *state_sha256, char *verifier, size_t v_len,
                    char *nonce, size_t n_len, char *err, size_t err_len);
int store_session_end(struct store *s, const char *sha256_hex, char *err, size_t err_len);

/* An admin names DEVICE_ID's owner (an email, say; "" clears it); it wins
 * over what the enrollment said. 1 done, 0 no such device, -1 error. */
int store_set_owner(struct store *s, const char *device_id, const char *owner, char *err,
                    size_t err_len);

/* Retires DEVICE_ID: revoked (store_revoke_device) and hidden from the
 * fleet's lists, its history kept for the audit. 1 done, 0 no such
 * device, -1 error. */
int store_retire_device(struct store *s, const char *device_id, char *err, size_t err_len);

/* An admin's approval: for SECONDS from now the enrollment secret may issue
 * DEVICE_ID a new certificate once. 1 done, 0 no such device, -1 error. */
int store_allow_reenroll(struct store *s, const char *device_id, long long seconds, char *err,
                         size_t err_len);

/* 1 when the device is revoked, 0 when not (or unknown), -1 on error. */
int store_device_revoked(struct store *s, const char *device_id);

/* Marks DEVICE_ID revoked: the collector refuses its certificate from then
 * on (enrollment renewal and reports), and it leaves the fleet's figures
 * (its history stays for audit). 1 done, 0 no such device, -1 error. */
int store_revoke_device(struct store *s, const char *device_id, char *err, size_t err_len);

/* The serials (hex) of revoked certificates that have not expired yet, for
 * the CRL (a device revoked and later re-enrolled keeps its old serials
 * there): an array of N strings the caller frees. 0 or -1 with ERR. */
int store_revoked_serials(struct store *s, char ***serials, size_t *n, char *err, size_t err_len);

/* The devices, last seen first: [{id, hostname, os, agent_version,
 * first_seen, last_seen, compliant, revoked}]. 0 or -1 with ERR. */
int store_devices(struct store *s, json_t **out, char *err, size_t err_len);

/* What became of one report in store_add_reports. */
enum store_outcome {
	STORE_STORED,    /* committed */
	STORE_DUPLICATE, /* this report_id was stored before; nothing added */
	STORE_REVOKED,   /* the device is revoked; nothing added */
	STORE_FAILED,    /* the store failed (the batch's ERR says why) */
};

struct store_item {
	const char *device_id; /* from the client certificate, never the body */
	const struct report_in *report;
	const char *body; /* the request body, not NUL-terminated */
	size_t body_len;  /* compressed by the store as it stores it */
	enum store_outcome outcome;
};

/* Compresses BODY as the store keeps it (zstd, level 1) with CTX (one per
 * thread; made on first use, release with store_pack_free), against BASE
 * (BASE_LEN bytes: an earlier body of the same device) unless it is NULL:
 * 0 and *OUT (the caller frees it), or -1 with ERR. */
int store_pack(void **ctx, const char *base, size_t base_len, const char *body, size_t len,
               void **out, size_t *out_len, char *err, size_t err_len);
void store_pack_free(void *ctx);

/* S is the connection that stores reports (store_add_reports): on SQLite,
 * its statement journals are kept in memory, in small pieces. */
void store_tune_writer(struct store *s);

/* SQLite: checkpoints leave the writer's commits (the WAL is copied back
 * into the database by whoever calls store_checkpoint, on a connection of
 * its own); store_wal_pages tells how far the WAL has grown since. No-ops
 * on PostgreSQL. */
void store_defer_checkpoints(struct store *s);

/* SQLite: this connection's commits no longer wait for the disk (they
 * write the WAL, without fsync); whoever answers for them first calls
 * store_wal_sync, whose fsync of the WAL makes every commit written before
 * it durable, while the next batch is already being stored. */
void store_defer_sync(struct store *s);
/* fsyncs the WAL of the SQLite store at PATH; *FD (start at -1, close when
 * done) keeps it open between calls. 0, or -1 with ERR. */
int store_wal_sync(const char *path, int *fd, char *err, size_t err_len);
long long store_wal_pages(struct store *s);
int store_checkpoint(struct store *s, char *err, size_t err_len);

/*
 * Stores N reports in one transaction (one fsync for all of them: group
 * commit); when one fails, the batch is undone and each report stored in a
 * transaction of its own, so one report's failure does not take the
 * others with it: the device's row (created, or last seen moved),
 * the report, its results, the latest state per check and the day's
 * compliance when this report is the device's newest. Returns 0 once the
 * commit is durable (outcomes set), or -1 with ERR (every outcome FAILED).
 */
int store_add_reports(struct store *s, struct store_item *items, size_t n, char *err,
                      size_t err_len);

/* One report, as store_add_reports: 0 and *DUPLICATE, or -1 with ERR. */
int store_add_report(struct store *s, const char *device_id, const struct report_in *r,
                     const char *body, size_t body_len, int *duplicate, char *err, size_t err_len);

/* A report's body as stored (LEN bytes in ENCODING: "zstd", "identity", or
 * "zstd-base": compressed against its base, the body of the report
 * reports.body_base names, stored as BASE, BASE_LEN bytes in
 * BASE_ENCODING) made whole again: 0 and *OUT (NUL-terminated, *OUT_LEN
 * bytes; the caller frees it), or -1 with ERR when the stored bytes are
 * damaged or the base is missing. */
int store_body_decode(const void *stored, size_t len, const char *encoding, const void *base,
                      size_t base_len, const char *base_encoding, char **out, size_t *out_len,
                      char *err, size_t err_len);

/* The body of report REPORT_ID exactly as its device sent it: 1 and *OUT
 * (the caller frees it), 0 when there is no such report, -1 with ERR. */
int store_report_body(struct store *s, const char *report_id, char **out, size_t *out_len,
                      char *err, size_t err_len);
/* store_report_body of DEVICE_ID's report REPORT_ID (report ids are unique
 * per device); DEVICE_ID NULL: any device's. */
int store_device_report_body(struct store *s, const char *device_id, const char *report_id,
                             char **out, size_t *out_len, char *err, size_t err_len);

/* Checks the store's pages for at most MAX_MS (SQLite's quick_check;
 * PostgreSQL checks its own): 0 sound, 1 damaged, 2 not finished in time,
 * -1 could not check; ERR names the store SPEC and what to do. */
int store_check(struct store *s, const char *spec, int max_ms, char *err, size_t err_len);

/*
 * The data lifecycle (docs/COLLECTOR.md, "Retention").
 *
 * store_rollup: each day before TODAY (YYYY-MM-DD, UTC) not rolled yet,
 * and each from SETTLE_FROM on again, per check and status, how many
 * devices were in it at their last report of the day (daily_checks, kept
 * forever). *ROLLED: how many days this call rolled. 0 or -1 with ERR.
 */
int store_rollup(struct store *s, const char *today, const char *settle_from, int *rolled,
                 char *err, size_t err_len);

struct store_prune_opts {
	const char *reports_before; /* RFC 3339: prune reports generated before; NULL: none */
	const char *changes_before; /* and state changes; NULL: none */
	int batch;                  /* reports a transaction */
	const int *stop;            /* nonzero: stop between batches */
	/* called between batches with how long the last one took (NULL: none) */
	void (*between)(void *arg, double batch_seconds);
	void *arg;
};

struct store_pruned {
	long long reports, changes, sessions, batches;
};

/* Deletes, in transactions of O->batch reports, the reports (and their
 * results) generated before O->reports_before, but never a device's newest
 * report nor a body a kept report is compressed against; the state changes
 * before O->changes_before but each device's last one for a check; and
 * expired sessions. 0 with *DONE, or -1 with ERR (what was pruned before
 * stays pruned). */
int store_prune(struct store *s, const struct store_prune_opts *o, struct store_pruned *done,
                char *err, size_t err_len);

/* Devices no one named an owner for (neither the enrollment nor an admin)
 * get the user at their console on the most days since SINCE_DAY
 * (YYYY-MM-DD): owner_source 'console'. How many changed, or -1. */
long long store_owners_from_console(struct store *s, const char *since_day, char *err,
                                    size_t err_len);

/* A setting kept in the store: its value before into OLD ("" when none),
 * then VALUE (when not NULL) kept. 1 when it changed, 0 when not, -1. */
int store_setting(struct store *s, const char *name, const char *value, char *old, size_t old_len,
                  char *err, size_t err_len);

#endif
