/*
 * store: see store.h. SQLite through its C interface, every statement
 * prepared with bound parameters (no SQL is ever built from input).
 */
#include "store.h"

#include "reportin.h"

#include <openssl/crypto.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct store {
	sqlite3 *db;
	int version;
};

/* Migration N brings the schema from version N-1 to N. Never edit one that
 * has shipped: add the next. */
static const char *const migrations[] = {
	/* 1 */
	"CREATE TABLE devices ("
	"  id TEXT PRIMARY KEY,"
	"  cert_serial TEXT,"
	"  hostname TEXT,"
	"  os TEXT,"
	"  agent_version TEXT,"
	"  first_seen TEXT NOT NULL,"
	"  last_seen TEXT NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE reports ("
	"  report_id TEXT PRIMARY KEY,"
	"  device_id TEXT NOT NULL REFERENCES devices(id),"
	"  generated_at TEXT NOT NULL,"
	"  received_at TEXT NOT NULL,"
	"  policy_sha256 TEXT,"
	"  compliant INTEGER NOT NULL,"
	"  body TEXT NOT NULL);"
	"CREATE INDEX reports_device_time ON reports(device_id, generated_at);"
	"CREATE TABLE results ("
	"  report_id TEXT NOT NULL REFERENCES reports(report_id),"
	"  check_id TEXT NOT NULL,"
	"  type TEXT,"
	"  status TEXT NOT NULL,"
	"  severity TEXT,"
	"  observed TEXT,"
	"  PRIMARY KEY (report_id, check_id));"
	"CREATE TABLE latest ("
	"  device_id TEXT NOT NULL REFERENCES devices(id),"
	"  check_id TEXT NOT NULL,"
	"  report_id TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  severity TEXT,"
	"  remediation TEXT,"
	"  at TEXT NOT NULL,"
	"  PRIMARY KEY (device_id, check_id));"
	"CREATE TABLE policies ("
	"  version INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  signature TEXT NOT NULL,"
	"  published_at TEXT NOT NULL);"
	"CREATE TABLE enroll_secrets ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  created_at TEXT NOT NULL,"
	"  expires_at TEXT,"
	"  revoked INTEGER NOT NULL DEFAULT 0);",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

static void now_rfc3339(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int exec(struct store *s, const char *sql, char *err, size_t err_len)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, err_len, "store: %s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int migrate(struct store *s, char *err, size_t err_len)
{
	sqlite3_stmt *st = NULL;
	int version = 0;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > N_MIGRATIONS) {
		snprintf(err, err_len,
		         "store: schema version %d is newer than this collector knows (%d)",
		         version, N_MIGRATIONS);
		return -1;
	}
	while (version < N_MIGRATIONS) {
		char pragma[64];

		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version + 1);
		if (exec(s, "BEGIN IMMEDIATE", err, err_len) != 0)
			return -1;
		if (exec(s, migrations[version], err, err_len) != 0 ||
		    exec(s, pragma, err, err_len) != 0) {
			exec(s, "ROLLBACK", err, 0);
			return -1;
		}
		if (exec(s, "COMMIT", err, err_len) != 0)
			return -1;
		version++;
	}
	s->version = version;
	return 0;
}

int store_open_sqlite(const char *path, int create, struct store **out, char *err, size_t err_len)
{
	struct store *s = calloc(1, sizeof(*s));
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);

	if (s == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		snprintf(err, err_len, "cannot open the store %s: %s", path,
		         s->db ? sqlite3_errmsg(s->db) : "out of memory");
		store_close(s);
		return -1;
	}
	sqlite3_busy_timeout(s->db, 5000);
	/* WAL: readers never wait for the writer; synchronous=FULL: a commit
	 * that returned is on the disk, which the 2xx to an agent promises */
	if (exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", err,
	         err_len) != 0 ||
	    migrate(s, err, err_len) != 0) {
		store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	if (s == NULL)
		return;
	sqlite3_close(s->db);
	free(s);
}

int store_add_enroll_secret(struct store *s, const char *sha256_hex, char *err, size_t err_len)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc = -1;

	now_rfc3339(now);
	if (sqlite3_prepare_v2(s->db,
	                       "INSERT INTO enroll_secrets (sha256, created_at) VALUES (?1, ?2)",
	                       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, sha256_hex, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_DONE)
		rc = 0;
	else
		snprintf(err, err_len, "store: %s", sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc;
}

long long store_policy_version(struct store *s)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (sqlite3_prepare_v2(s->db, "SELECT coalesce(max(version), 0) FROM policies", -1, &st,
	                       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int store_add_policy(struct store *s, long long version, const char *name, const char *sha256,
                     const char *text, const char *signature_b64, char *err, size_t err_len)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc = -1;

	now_rfc3339(now);
	/* the INSERT succeeds only when VERSION is exactly one above the
	 * highest, inside one write transaction: versions only grow */
	if (exec(s, "BEGIN IMMEDIATE", err, err_len) != 0)
		return -1;
	if (store_policy_version(s) != version - 1) {
		snprintf(err, err_len, "another policy was published meanwhile; publish again");
		goto out;
	}
	if (sqlite3_prepare_v2(s->db,
	                       "INSERT INTO policies (version, name, sha256, text, signature, "
	                       "published_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	                       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 1, version) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, sha256, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 5, signature_b64, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE) {
		snprintf(err, err_len, "store: %s", sqlite3_errmsg(s->db));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	if (rc == 0 && exec(s, "COMMIT", err, err_len) != 0)
		rc = -1;
	if (rc != 0)
		exec(s, "ROLLBACK", err, 0);
	return rc;
}

/* Prepares SQL and binds the texts in ARGS (NULL binds NULL); NULL with ERR. */
static sqlite3_stmt *prepare(struct store *s, const char *sql, const char *const *args, int n_args,
                             char *err, size_t err_len)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		goto fail;
	for (int i = 0; i < n_args; i++)
		if ((args[i] ? sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_STATIC)
		             : sqlite3_bind_null(st, i + 1)) != SQLITE_OK)
			goto fail;
	return st;
fail:
	snprintf(err, err_len, "store: %s", sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return NULL;
}

static int run(struct store *s, const char *sql, const char *const *args, int n_args, char *err,
               size_t err_len)
{
	sqlite3_stmt *st = prepare(s, sql, args, n_args, err, err_len);
	int rc = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_DONE)
		rc = 0;
	else
		snprintf(err, err_len, "store: %s", sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc;
}

int store_add_report(struct store *s, const char *device_id, const struct report_in *r,
                     const char *body, size_t body_len, int *duplicate, char *err, size_t err_len)
{
	char now[32], os[300];
	json_t *res;
	size_t i;
	int rc = -1;

	char *text = strndup(body, body_len); /* the request body is not NUL-terminated */

	*duplicate = 0;
	if (text == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	now_rfc3339(now);
	snprintf(os, sizeof(os), "%s%s%s", r->os_name ? r->os_name : "", r->os_version ? " " : "",
	         r->os_version ? r->os_version : "");
	if (exec(s, "BEGIN IMMEDIATE", err, err_len) != 0) {
		free(text);
		return -1;
	}
	{
		const char *a[6] = { device_id, r->hostname, os, r->agent_version, now, now };

		if (run(s,
		        "INSERT INTO devices (id, hostname, os, agent_version, first_seen, "
		        "last_seen) "
		        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET "
		        "hostname = excluded.hostname, os = excluded.os, "
		        "agent_version = excluded.agent_version, last_seen = excluded.last_seen",
		        a, 6, err, err_len) != 0)
			goto out;
	}
	{
		const char *a[7] = { r->report_id, device_id,        r->generated_at,
			             now,          r->policy_sha256, r->compliant ? "1" : "0",
			             text };

		if (run(s,
		        "INSERT INTO reports (report_id, device_id, generated_at, received_at, "
		        "policy_sha256, compliant, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
		        "ON CONFLICT(report_id) DO NOTHING",
		        a, 7, err, err_len) != 0)
			goto out;
		if (sqlite3_changes(s->db) == 0) {
			*duplicate = 1; /* stored before: the agent did not hear our answer */
			rc = 0;
			goto out;
		}
	}
	json_array_foreach (r->results, i, res) {
		const char *id = json_string_value(json_object_get(res, "id"));
		const char *status = json_string_value(json_object_get(res, "status"));
		const char *severity = json_string_value(json_object_get(res, "severity"));
		const char *remediation = json_string_value(json_object_get(res, "remediation"));
		char *observed =
		    json_dumps(json_object_get(res, "observed"), JSON_COMPACT | JSON_ENCODE_ANY);
		const char *a[6] = {
			r->report_id, id,       json_string_value(json_object_get(res, "type")),
			status,       severity, observed
		};
		const char *l[7] = { device_id, id,          r->report_id,   status,
			             severity,  remediation, r->generated_at };
		int ok =
		    run(s,
		        "INSERT INTO results (report_id, check_id, type, status, severity, "
		        "observed) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		        a, 6, err, err_len) == 0 &&
		    /* the latest state moves only forward in the device's time */
		    run(s,
		        "INSERT INTO latest (device_id, check_id, report_id, status, severity, "
		        "remediation, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
		        "ON CONFLICT(device_id, check_id) DO UPDATE SET "
		        "report_id = excluded.report_id, status = excluded.status, "
		        "severity = excluded.severity, remediation = excluded.remediation, "
		        "at = excluded.at WHERE excluded.at >= latest.at",
		        l, 7, err, err_len) == 0;

		free(observed);
		if (!ok)
			goto out;
	}
	rc = 0;
out:
	if (rc == 0 && exec(s, "COMMIT", err, err_len) != 0)
		rc = -1;
	if (rc != 0)
		exec(s, "ROLLBACK", err, 0);
	free(text);
	return rc;
}

int store_check_enroll_secret(struct store *s, const char *sha256_hex)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int found = 0, rc;

	now_rfc3339(now);
	if (strlen(sha256_hex) != 64 ||
	    sqlite3_prepare_v2(s->db,
	                       "SELECT sha256 FROM enroll_secrets WHERE revoked = 0 AND "
	                       "(expires_at IS NULL OR expires_at > ?1)",
	                       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_finalize(st);
		return -1;
	}
	/* every row is compared in full, whether or not one matched already */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *h = sqlite3_column_text(st, 0);

		if (h != NULL && sqlite3_column_bytes(st, 0) == 64)
			found |= CRYPTO_memcmp(h, sha256_hex, 64) == 0;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? found : -1;
}

int store_enroll_device(struct store *s, const char *device_id, const char *hostname,
                        const char *serial_hex, char *err, size_t err_len)
{
	char now[32];
	const char *a[5] = { device_id, hostname, serial_hex, now, now };

	now_rfc3339(now);
	return run(s,
	           "INSERT INTO devices (id, hostname, cert_serial, first_seen, last_seen) "
	           "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET "
	           "cert_serial = excluded.cert_serial, last_seen = excluded.last_seen",
	           a, 5, err, err_len);
}

int store_device_revoked(struct store *s, const char *device_id)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(s->db, "SELECT revoked FROM devices WHERE id = ?1", -1, &st, NULL) ==
	        SQLITE_OK &&
	    sqlite3_bind_text(st, 1, device_id, -1, SQLITE_STATIC) == SQLITE_OK) {
		int step = sqlite3_step(st);

		rc = step == SQLITE_ROW    ? sqlite3_column_int(st, 0) != 0
		     : step == SQLITE_DONE ? 0
		                           : -1;
	}
	sqlite3_finalize(st);
	return rc;
}

int store_revoke_device(struct store *s, const char *device_id, char *err, size_t err_len)
{
	const char *a[1] = { device_id };

	if (run(s, "UPDATE devices SET revoked = 1 WHERE id = ?1", a, 1, err, err_len) != 0)
		return -1;
	return sqlite3_changes(s->db) > 0;
}

int store_list_devices(struct store *s, void *out_file, char *err, size_t err_len)
{
	FILE *out = out_file;
	sqlite3_stmt *st =
	    prepare(s,
	            "SELECT id, coalesce(hostname, '-'), coalesce(nullif(os, ''), '-'), "
	            "coalesce(agent_version, '-'), last_seen, revoked FROM devices "
	            "ORDER BY last_seen DESC, id",
	            NULL, 0, err, err_len);
	int rc;

	if (st == NULL)
		return -1;
	fprintf(out, "%-36s  %-20s  %-24s  %-10s  %-20s  %s\n", "device", "hostname", "os", "agent",
	        "last seen", "state");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fprintf(out, "%-36s  %-20s  %-24s  %-10s  %-20s  %s\n",
		        (const char *)sqlite3_column_text(st, 0),
		        (const char *)sqlite3_column_text(st, 1),
		        (const char *)sqlite3_column_text(st, 2),
		        (const char *)sqlite3_column_text(st, 3),
		        (const char *)sqlite3_column_text(st, 4),
		        sqlite3_column_int(st, 5) ? "revoked" : "active");
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(err, err_len, "store: %s", sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}
