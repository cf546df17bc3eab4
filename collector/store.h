/*
 * store: the collector's database. SQLite (WAL) in the data directory is
 * the default; the schema is applied by numbered migrations when the store
 * is opened, so an older data directory is brought up to date in one
 * transaction. Devices, reports, results, the latest state per device and
 * check (kept current for fast summaries), published policies and
 * enrollment secrets (their SHA-256 only).
 */
#ifndef POSTURE_STORE_H
#define POSTURE_STORE_H

#include <stddef.h>

struct store;

/* Opens (creating when CREATE) the SQLite store at PATH and migrates it.
 * 0 and *OUT, or -1 with ERR. */
int store_open_sqlite(const char *path, int create, struct store **out, char *err, size_t err_len);
void store_close(struct store *s);

/* Records an enrollment secret by its SHA-256 (hex). 0 or -1 with ERR. */
int store_add_enroll_secret(struct store *s, const char *sha256_hex, char *err, size_t err_len);

/* The highest published policy version, 0 when none. -1 on error. */
long long store_policy_version(struct store *s);

/* Records a published policy. 0 or -1 with ERR (a version that is not the
 * next one is refused, so versions only grow even with two publishers). */
int store_add_policy(struct store *s, long long version, const char *name, const char *sha256,
                     const char *text, const char *signature_b64, char *err, size_t err_len);

/* Whether SHA256_HEX is the hash of a secret that is neither revoked nor
 * expired. Every stored hash is compared, in constant time. 1, 0, or -1. */
int store_check_enroll_secret(struct store *s, const char *sha256_hex);

/* Records an enrolled (or renewed) device and its certificate serial; 0 or -1. */
int store_enroll_device(struct store *s, const char *device_id, const char *hostname,
                        const char *serial_hex, char *err, size_t err_len);

/* 1 when the device is revoked, 0 when not (or unknown), -1 on error. */
int store_device_revoked(struct store *s, const char *device_id);

/* Marks DEVICE_ID revoked: the collector refuses its certificate from then
 * on (enrollment renewal and reports). 1 done, 0 no such device, -1 error. */
int store_revoke_device(struct store *s, const char *device_id, char *err, size_t err_len);

/* Prints the devices, one per line (id, hostname, os, agent, last seen,
 * revoked), to OUT, ordered by last seen. 0 or -1 with ERR. */
int store_list_devices(struct store *s, void *out_file, char *err, size_t err_len);

struct report_in;

/*
 * Stores one report for DEVICE_ID (from its client certificate, never the
 * body) in one transaction: the device's row (created, or last_seen moved),
 * the report, its results, and the latest state per check when this report
 * is the newest. A report_id already stored is not stored again: *DUPLICATE
 * is set and 0 returned (an agent resending after a lost answer). Returns 0
 * once the commit is durable, or -1 with ERR.
 */
int store_add_report(struct store *s, const char *device_id, const struct report_in *r,
                     const char *body, size_t body_len, int *duplicate, char *err, size_t err_len);

#endif
