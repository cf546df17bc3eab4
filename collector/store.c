/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store: see store.h. Every statement goes through db.h with bound
 * parameters (no SQL is ever built from input) and is written in the SQL
 * that SQLite and PostgreSQL both speak; only the schema's column types
 * differ, so each migration has a text per database.
 */
#include "store.h"

#include "db.h"
#include "timefmt.h"
#include "reportin.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

/* result rows a statement carries at most */
#define ROWS_PER_STATEMENT 400

/* a device, and a digest of the check states its latest rows hold */
struct memo_slot {
	char *device;
	unsigned char digest[32];
};

/* a device's base (see migration 6) as the writer keeps it: the report
 * whose body it is, that body, and how many bytes it takes stored */
struct base {
	char *device;
	long long seq;
	char *text;
	size_t len, stored_len;
};

/* the bases the writer keeps at most, in bytes of their bodies: 64 MiB
 * hold some 3,000 devices' 22 KB reports; a device not kept costs a read
 * of its base when its next report comes */
#define BASES_MAX (64u << 20)

struct store {
	struct db *db;
	int version;
	void *zc; /* store_pack's, made on the first report stored */
	/* the results and latest statements for N rows, built once each */
	char *results_sql[ROWS_PER_STATEMENT + 1], *latest_sql[ROWS_PER_STATEMENT + 1];
	/* SQLite: per device, the digest of the check states this connection
	 * last brought its latest rows to; a newest report with the same
	 * states leaves them without a statement. Trusted only while nothing
	 * else changed the database (db_change_marks); what a transaction
	 * adds is staged until it commits */
	int memo_on, memo_lost; /* lost: a change could not be staged */
	struct memo_slot *memo, *staged;
	size_t memo_cap, memo_n, staged_n, staged_cap;
	long long memo_others, memo_mine;
	/* per device, its base; the bases a transaction learns or makes are
	 * staged and kept once it commits (a rolled-back report's seq is
	 * given to the next one on SQLite) */
	struct base *bases, *bases_staged;
	size_t bases_cap, bases_n, bases_bytes, bases_staged_n, bases_staged_cap;
};

/* where DEVICE's slot is looked for first in a table of CAP slots (a
 * power of two) */
static size_t device_slot(const char *device, size_t cap)
{
	size_t h = 5381;

	for (const char *c = device; *c; c++)
		h = h * 33 + (unsigned char)*c;
	return h & (cap - 1);
}

static void base_free(struct base *b)
{
	free(b->device);
	free(b->text);
	b->device = b->text = NULL;
}

static void bases_forget_staged(struct store *s)
{
	for (size_t i = 0; i < s->bases_staged_n; i++)
		base_free(&s->bases_staged[i]);
	s->bases_staged_n = 0;
}

static void bases_clear(struct store *s)
{
	for (size_t i = 0; i < s->bases_cap; i++)
		base_free(&s->bases[i]);
	free(s->bases);
	s->bases = NULL;
	s->bases_cap = s->bases_n = s->bases_bytes = 0;
}

/* as memo_slot, in a table of bases */
static struct base *base_slot(struct base *table, size_t cap, const char *device)
{
	for (size_t i = device_slot(device, cap);; i = (i + 1) & (cap - 1))
		if (table[i].device == NULL || strcmp(table[i].device, device) == 0)
			return &table[i];
}

/* DEVICE's base as this transaction knows it (what it staged first), or
 * NULL; valid until the next base_stage. */
static const struct base *base_find(struct store *s, const char *device)
{
	struct base *b;

	for (size_t i = s->bases_staged_n; i-- > 0;)
		if (strcmp(s->bases_staged[i].device, device) == 0)
			return &s->bases_staged[i];
	if (s->bases_cap == 0)
		return NULL;
	b = base_slot(s->bases, s->bases_cap, device);
	return b->device ? b : NULL;
}

/* DEVICE's base is report SEQ, whose body is TEXT (LEN bytes, STORED_LEN
 * stored), once this transaction commits; the staged copy, or NULL out of
 * memory (the base is then read again when next needed). */
static const struct base *base_stage(struct store *s, const char *device, long long seq,
                                     const char *text, size_t len, size_t stored_len)
{
	struct base *b;

	if (s->bases_staged_n == s->bases_staged_cap) {
		size_t cap = s->bases_staged_cap ? s->bases_staged_cap * 2 : 16;
		struct base *grown = realloc(s->bases_staged, cap * sizeof(*grown));

		if (grown == NULL)
			return NULL;
		s->bases_staged = grown;
		s->bases_staged_cap = cap;
	}
	b = &s->bases_staged[s->bases_staged_n];
	b->device = strdup(device);
	b->text = malloc(len ? len : 1);
	if (b->device == NULL || b->text == NULL) {
		base_free(b);
		return NULL;
	}
	memcpy(b->text, text, len);
	b->seq = seq;
	b->len = len;
	b->stored_len = stored_len;
	s->bases_staged_n++;
	return b;
}

/* The transaction ended: committed, the bases it staged are kept (all of
 * them forgotten first when they would pass BASES_MAX). */
static void bases_settle(struct store *s, int committed)
{
	for (size_t i = 0; committed && i < s->bases_staged_n; i++) {
		struct base *b = &s->bases_staged[i], *slot;

		if (s->bases_bytes + b->len > BASES_MAX)
			bases_clear(s);
		if ((s->bases_n + 1) * 2 > s->bases_cap) {
			size_t cap = s->bases_cap ? s->bases_cap * 2 : 256;
			struct base *table = calloc(cap, sizeof(*table));

			if (table == NULL)
				break; /* the rest are read again when needed */
			for (size_t k = 0; k < s->bases_cap; k++)
				if (s->bases[k].device != NULL)
					*base_slot(table, cap, s->bases[k].device) = s->bases[k];
			free(s->bases);
			s->bases = table;
			s->bases_cap = cap;
		}
		slot = base_slot(s->bases, s->bases_cap, b->device);
		if (slot->device != NULL) {
			s->bases_bytes -= slot->len;
			base_free(slot);
		} else {
			s->bases_n++;
		}
		*slot = *b;
		s->bases_bytes += b->len;
		b->device = b->text = NULL;
	}
	bases_forget_staged(s);
}

static void memo_forget_staged(struct store *s)
{
	for (size_t i = 0; i < s->staged_n; i++)
		free(s->staged[i].device);
	s->staged_n = 0;
}

static void memo_clear(struct store *s)
{
	for (size_t i = 0; i < s->memo_cap; i++)
		free(s->memo[i].device);
	free(s->memo);
	s->memo = NULL;
	s->memo_cap = s->memo_n = 0;
	memo_forget_staged(s);
}

/* DEVICE's slot in TABLE of CAP slots (a power of two): its own, or the
 * empty one where it would go. */
static struct memo_slot *memo_slot(struct memo_slot *table, size_t cap, const char *device)
{
	for (size_t i = device_slot(device, cap);; i = (i + 1) & (cap - 1))
		if (table[i].device == NULL || strcmp(table[i].device, device) == 0)
			return &table[i];
}

/* Whether DEVICE's latest rows hold the states DIGEST says, as far as this
 * connection knows (what this transaction staged first). */
static int memo_holds(struct store *s, const char *device, const unsigned char digest[32])
{
	struct memo_slot *slot;

	for (size_t i = s->staged_n; i-- > 0;)
		if (strcmp(s->staged[i].device, device) == 0)
			return memcmp(s->staged[i].digest, digest, 32) == 0;
	if (s->memo_cap == 0)
		return 0;
	slot = memo_slot(s->memo, s->memo_cap, device);
	return slot->device != NULL && memcmp(slot->digest, digest, 32) == 0;
}

/* DEVICE's latest rows now hold DIGEST's states, once this transaction
 * commits. Out of memory, what the memo holds can no longer be trusted:
 * the commit empties it. */
static void memo_stage(struct store *s, const char *device, const unsigned char digest[32])
{
	struct memo_slot *slot;

	if (s->staged_n == s->staged_cap) {
		size_t cap = s->staged_cap ? s->staged_cap * 2 : 16;
		struct memo_slot *grown = realloc(s->staged, cap * sizeof(*grown));

		if (grown == NULL) {
			s->memo_lost = 1;
			return;
		}
		s->staged = grown;
		s->staged_cap = cap;
	}
	slot = &s->staged[s->staged_n];
	if ((slot->device = strdup(device)) == NULL) {
		s->memo_lost = 1;
		return;
	}
	memcpy(slot->digest, digest, 32);
	s->staged_n++;
}

/* A transaction began: the memo stands only if nothing changed the
 * database since this connection's last commit. */
static void memo_check(struct store *s)
{
	long long others, mine;

	if (!s->memo_on)
		return;
	memo_forget_staged(s);
	s->memo_lost = 0;
	if (db_change_marks(s->db, &others, &mine) != 0 || others != s->memo_others ||
	    mine != s->memo_mine)
		memo_clear(s);
}

/* The transaction ended: committed, what it staged is known. */
static void memo_settle(struct store *s, int committed)
{
	if (!s->memo_on)
		return;
	if (!committed) { /* undone: the latest rows are as the memo says */
		memo_forget_staged(s);
		s->memo_lost = 0;
		return;
	}
	if (s->memo_lost) { /* rows moved that the memo cannot say */
		memo_clear(s);
		s->memo_lost = 0;
	}
	for (size_t i = 0; i < s->staged_n; i++) {
		struct memo_slot *slot;

		if ((s->memo_n + 1) * 2 > s->memo_cap) {
			size_t cap = s->memo_cap ? s->memo_cap * 2 : 1024;
			struct memo_slot *table = calloc(cap, sizeof(*table));

			if (table == NULL) {
				/* the entries not moved yet are still the staged
				 * list's; those moved, the table's */
				for (size_t k = i; k < s->staged_n; k++)
					free(s->staged[k].device);
				s->staged_n = 0;
				memo_clear(s);
				return;
			}
			for (size_t k = 0; k < s->memo_cap; k++)
				if (s->memo[k].device != NULL)
					*memo_slot(table, cap, s->memo[k].device) = s->memo[k];
			free(s->memo);
			s->memo = table;
			s->memo_cap = cap;
		}
		slot = memo_slot(s->memo, s->memo_cap, s->staged[i].device);
		if (slot->device == NULL) {
			slot->device = s->staged[i].device;
			s->memo_n++;
		} else {
			free(s->staged[i].device);
		}
		memcpy(slot->digest, s->staged[i].digest, 32);
	}
	s->staged_n = 0;
	if (db_change_marks(s->db, &s->memo_others, &s->memo_mine) != 0)
		memo_clear(s);
}

/* A digest of the check states RESULTS (sorted by id) bring latest rows to:
 * id, status, severity and remediation each, NULL told from empty. */
static int states_digest(const struct result_in *const *results, size_t n, unsigned char digest[32])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len = 0;
	int ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;

	for (size_t i = 0; ok && i < n; i++) {
		const char *f[4] = { results[i]->id, results[i]->status, results[i]->severity,
			             results[i]->remediation };

		for (int k = 0; ok && k < 4; k++) {
			/* a NULL is a 0 byte; a text is a 1, its length and itself */
			size_t flen = f[k] ? strlen(f[k]) : 0;
			unsigned char mark = f[k] != NULL;

			ok = EVP_DigestUpdate(ctx, &mark, 1) == 1 &&
			     (f[k] == NULL || (EVP_DigestUpdate(ctx, &flen, sizeof(flen)) == 1 &&
			                       EVP_DigestUpdate(ctx, f[k], flen) == 1));
		}
	}
	ok = ok && EVP_DigestFinal_ex(ctx, digest, &len) == 1 && len == 32;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* Migration N brings the schema from version N-1 to N, for SQLite and, when
 * its text differs in more than types, for PostgreSQL. Never edit one that
 * has shipped: add the next. Times are RFC 3339 text in UTC, which sorts as
 * time in both. */
/* migration 12's table, the same on both stores (its triggers differ) */
#define CHANGES_TABLE                                            \
	"CREATE TABLE changes ("                                 \
	"  device_id TEXT NOT NULL,"                             \
	"  check_id TEXT NOT NULL,"                              \
	"  from_status TEXT,"                                    \
	"  to_status TEXT NOT NULL,"                             \
	"  at TEXT NOT NULL,"                                    \
	"  report_id TEXT NOT NULL);"                            \
	"CREATE INDEX changes_device ON changes(device_id, at);" \
	"CREATE INDEX changes_at ON changes(at);"

/* migration 14's tables: the same on both stores but for their ids */
#define WEBHOOK_TABLES_COMMON                                                                \
	"ALTER TABLE devices ADD COLUMN stale_at TEXT;"                                      \
	"CREATE TABLE deliveries ("                                                          \
	"  event_id BIGINT NOT NULL,"                                                        \
	"  webhook_id BIGINT NOT NULL,"                                                      \
	"  attempts INTEGER NOT NULL,"                                                       \
	"  next_at BIGINT NOT NULL,"                                                         \
	"  delivered_at TEXT,"                                                               \
	"  given_up_at TEXT,"                                                                \
	"  last_error TEXT,"                                                                 \
	"  PRIMARY KEY (event_id, webhook_id));"                                             \
	"CREATE INDEX deliveries_due ON deliveries(next_at) WHERE delivered_at IS NULL AND " \
	"given_up_at IS NULL;"
#define WEBHOOK_TABLE_COLUMNS(id)        \
	"CREATE TABLE webhooks (" id "," \
	"  url TEXT NOT NULL,"           \
	"  secret TEXT NOT NULL,"        \
	"  events TEXT NOT NULL,"        \
	"  created_at TEXT NOT NULL,"    \
	"  removed_at TEXT);"            \
	"CREATE TABLE events (" id ","   \
	"  type TEXT NOT NULL,"          \
	"  device_id TEXT,"              \
	"  hostname TEXT,"               \
	"  check_id TEXT,"               \
	"  detail TEXT,"                 \
	"  at TEXT NOT NULL,"            \
	"  created_at TEXT NOT NULL);"   \
	"CREATE INDEX events_created ON events(created_at);"
#define WEBHOOK_TABLES WEBHOOK_TABLE_COLUMNS("id INTEGER PRIMARY KEY") WEBHOOK_TABLES_COMMON
#define WEBHOOK_TABLES_PG                                                               \
	WEBHOOK_TABLE_COLUMNS("id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY") \
	WEBHOOK_TABLES_COMMON
/* the time now, RFC 3339 in UTC, in each store's SQL */
#define SQLITE_NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
#define PG_NOW "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const struct {
	const char *sqlite, *postgresql;
} migrations[] = {
	{ /* 1 */
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
	  NULL /* the same with PostgreSQL's types: see postgresql_types() */ },
	{ /* 2: the device's newest verdict, and compliance per day */
	  "ALTER TABLE devices ADD COLUMN compliant INTEGER;"
	  "ALTER TABLE devices ADD COLUMN last_generated_at TEXT;"
	  "ALTER TABLE devices ADD COLUMN last_report_at TEXT;"
	  "CREATE INDEX latest_check_status ON latest(check_id, status);"
	  "CREATE INDEX reports_generated ON reports(generated_at);"
	  "CREATE TABLE daily ("
	  "  day TEXT NOT NULL,"
	  "  device_id TEXT NOT NULL REFERENCES devices(id),"
	  "  at TEXT NOT NULL,"
	  "  compliant INTEGER NOT NULL,"
	  "  PRIMARY KEY (day, device_id));",
	  NULL /* the same */ },
	{ /* 3: per check and status, how many devices are in it now; kept by
	   * triggers on latest, so the summary reads a row per check and status
	   * instead of counting every device's row */
	  "CREATE TABLE check_counts ("
	  "  check_id TEXT NOT NULL,"
	  "  status TEXT NOT NULL,"
	  "  n INTEGER NOT NULL,"
	  "  PRIMARY KEY (check_id, status));"
	  "INSERT INTO check_counts (check_id, status, n) "
	  "  SELECT check_id, status, count(*) FROM latest GROUP BY check_id, status;"
	  "CREATE TRIGGER latest_counted AFTER INSERT ON latest BEGIN"
	  "  INSERT INTO check_counts (check_id, status, n) VALUES (new.check_id, new.status, 1)"
	  "    ON CONFLICT (check_id, status) DO UPDATE SET n = check_counts.n + 1;"
	  "END;"
	  "CREATE TRIGGER latest_recounted AFTER UPDATE OF status ON latest"
	  "  WHEN old.status <> new.status BEGIN"
	  "  UPDATE check_counts SET n = n - 1 WHERE check_id = old.check_id AND status = "
	  "old.status;"
	  "  INSERT INTO check_counts (check_id, status, n) VALUES (new.check_id, new.status, 1)"
	  "    ON CONFLICT (check_id, status) DO UPDATE SET n = check_counts.n + 1;"
	  "END;"
	  "CREATE TRIGGER latest_uncounted AFTER DELETE ON latest BEGIN"
	  "  UPDATE check_counts SET n = n - 1 WHERE check_id = old.check_id AND status = "
	  "old.status;"
	  "END;",
	  "CREATE TABLE check_counts ("
	  "  check_id TEXT NOT NULL,"
	  "  status TEXT NOT NULL,"
	  "  n BIGINT NOT NULL,"
	  "  PRIMARY KEY (check_id, status));"
	  "INSERT INTO check_counts (check_id, status, n) "
	  "  SELECT check_id, status, count(*) FROM latest GROUP BY check_id, status;"
	  "CREATE FUNCTION posture_count_latest() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN"
	  "  IF TG_OP <> 'INSERT' THEN"
	  "    UPDATE check_counts SET n = n - 1"
	  "      WHERE check_id = OLD.check_id AND status = OLD.status;"
	  "  END IF;"
	  "  IF TG_OP <> 'DELETE' THEN"
	  "    INSERT INTO check_counts (check_id, status, n) VALUES (NEW.check_id, NEW.status, 1)"
	  "      ON CONFLICT (check_id, status) DO UPDATE SET n = check_counts.n + 1;"
	  "  END IF;"
	  "  RETURN NULL;"
	  "END $f$;"
	  "CREATE TRIGGER latest_counted AFTER INSERT OR DELETE ON latest"
	  "  FOR EACH ROW EXECUTE FUNCTION posture_count_latest();"
	  "CREATE TRIGGER latest_recounted AFTER UPDATE OF status ON latest"
	  "  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)"
	  "  EXECUTE FUNCTION posture_count_latest();" },
	{ /* 4: fewer bytes a report. The body is stored compressed (zstd; the
	   * encoding says how, older rows stay 'identity'), and a result's
	   * observed value is kept once: in the body, at observed_at for
	   * observed_len bytes; results.observed repeats it only when it is
	   * short (see OBSERVED_INLINE), for SQL that looks at it */
	  "ALTER TABLE reports ADD COLUMN body_encoding TEXT NOT NULL DEFAULT 'identity';"
	  "ALTER TABLE results ADD COLUMN observed_at INTEGER;"
	  "ALTER TABLE results ADD COLUMN observed_len INTEGER;",
	  "ALTER TABLE reports ALTER COLUMN body TYPE bytea USING convert_to(body, 'UTF8');"
	  /* already compressed: TOAST keeps it out of line, uncompressed */
	  "ALTER TABLE reports ALTER COLUMN body SET STORAGE EXTERNAL;"
	  "ALTER TABLE reports ADD COLUMN body_encoding TEXT NOT NULL DEFAULT 'identity';"
	  "ALTER TABLE results ADD COLUMN observed_at BIGINT;"
	  "ALTER TABLE results ADD COLUMN observed_len BIGINT;" },
	{ /* 5: results keyed by their report's place in arrival order
	   * (reports.seq), not by its report_id: a random UUID put each
	   * report's results in a random page of the largest index, written to
	   * the WAL, read back and checkpointed for every report, and read
	   * from the disk once the index outgrows the cache; now they are
	   * appended. report_id stays in results, unindexed: SQL finds a
	   * report's results through reports.seq */
	  "ALTER TABLE reports ADD COLUMN seq INTEGER;"
	  "UPDATE reports SET seq = rowid;"
	  "CREATE UNIQUE INDEX reports_seq ON reports(seq);"
	  "CREATE TABLE results_by_seq ("
	  "  report_id TEXT NOT NULL REFERENCES reports(report_id),"
	  "  check_id TEXT NOT NULL,"
	  "  type TEXT,"
	  "  status TEXT NOT NULL,"
	  "  severity TEXT,"
	  "  observed TEXT,"
	  "  observed_at INTEGER,"
	  "  observed_len INTEGER,"
	  "  report_seq INTEGER NOT NULL,"
	  "  PRIMARY KEY (report_seq, check_id));"
	  "INSERT INTO results_by_seq SELECT x.report_id, x.check_id, x.type, x.status, "
	  "  x.severity, x.observed, x.observed_at, x.observed_len, p.seq "
	  "  FROM results x JOIN reports p ON p.report_id = x.report_id "
	  "  ORDER BY p.seq, x.check_id;"
	  "DROP TABLE results;"
	  "ALTER TABLE results_by_seq RENAME TO results;",
	  /* an identity column numbers the rows there are, then each new one */
	  "ALTER TABLE reports ADD COLUMN seq BIGINT GENERATED BY DEFAULT AS IDENTITY;"
	  "CREATE UNIQUE INDEX reports_seq ON reports (seq);"
	  "ALTER TABLE results ADD COLUMN report_seq BIGINT;"
	  "UPDATE results x SET report_seq = p.seq FROM reports p "
	  "  WHERE p.report_id = x.report_id;"
	  "ALTER TABLE results ALTER COLUMN report_seq SET NOT NULL;"
	  "ALTER TABLE results DROP CONSTRAINT results_pkey;"
	  "ALTER TABLE results ADD PRIMARY KEY (report_seq, check_id);" },
	{ /* 6: a report's body may be compressed against its device's base
	   * (body_encoding 'zstd-base'): the body of an earlier report of the
	   * same device, stored whole, whose seq body_base holds; a device's
	   * reports differ from one to the next by a few bytes, so most bodies
	   * shrink from kilobytes to a few dozen bytes. devices.body_base is
	   * the base its next reports are compressed against */
	  "ALTER TABLE reports ADD COLUMN body_base INTEGER;"
	  "ALTER TABLE devices ADD COLUMN body_base INTEGER;",
	  "ALTER TABLE reports ADD COLUMN body_base BIGINT;"
	  "ALTER TABLE devices ADD COLUMN body_base BIGINT;" },
	{ /* 7: trust. A report is stored once per device, not once across the
	   * fleet: (device_id, report_id) is the key, so one device cannot
	   * squat another's next report_id and have the real one dropped as
	   * "already stored". results lose their foreign key to
	   * reports(report_id), which is no longer unique (they are found
	   * through report_seq). Every certificate issued is in certs: revoking
	   * a device revokes all of its unexpired ones (a renewed device's
	   * older certificate is valid too), and a revoked serial stays on the
	   * CRL until it expires, whatever happens to its device later.
	   * reenroll_until is an admin's approval for the enrollment secret to
	   * issue a new certificate to an enrolled id */
	  "ALTER TABLE devices ADD COLUMN reenroll_until TEXT;"
	  "CREATE TABLE certs ("
	  "  serial TEXT PRIMARY KEY,"
	  "  device_id TEXT NOT NULL,"
	  "  issued_at TEXT NOT NULL,"
	  "  expires_at TEXT,"
	  "  revoked_at TEXT);"
	  "INSERT INTO certs (serial, device_id, issued_at, revoked_at) "
	  "  SELECT cert_serial, id, first_seen, CASE WHEN revoked = 1 THEN last_seen END "
	  "  FROM devices WHERE cert_serial IS NOT NULL AND cert_serial <> '';"
	  "CREATE INDEX certs_device ON certs(device_id);"
	  "CREATE TABLE results_unbound ("
	  "  report_id TEXT NOT NULL,"
	  "  check_id TEXT NOT NULL,"
	  "  type TEXT,"
	  "  status TEXT NOT NULL,"
	  "  severity TEXT,"
	  "  observed TEXT,"
	  "  observed_at INTEGER,"
	  "  observed_len INTEGER,"
	  "  report_seq INTEGER NOT NULL,"
	  "  PRIMARY KEY (report_seq, check_id));"
	  "INSERT INTO results_unbound SELECT report_id, check_id, type, status, severity, "
	  "  observed, observed_at, observed_len, report_seq FROM results;"
	  "DROP TABLE results;"
	  "ALTER TABLE results_unbound RENAME TO results;"
	  "CREATE TABLE reports_by_device ("
	  "  report_id TEXT NOT NULL,"
	  "  device_id TEXT NOT NULL REFERENCES devices(id),"
	  "  generated_at TEXT NOT NULL,"
	  "  received_at TEXT NOT NULL,"
	  "  policy_sha256 TEXT,"
	  "  compliant INTEGER NOT NULL,"
	  "  body TEXT NOT NULL,"
	  "  body_encoding TEXT NOT NULL DEFAULT 'identity',"
	  "  seq INTEGER,"
	  "  body_base INTEGER,"
	  "  PRIMARY KEY (device_id, report_id));"
	  "INSERT INTO reports_by_device SELECT report_id, device_id, generated_at, received_at, "
	  "  policy_sha256, compliant, body, body_encoding, seq, body_base FROM reports;"
	  "DROP TABLE reports;"
	  "ALTER TABLE reports_by_device RENAME TO reports;"
	  "CREATE INDEX reports_device_time ON reports(device_id, generated_at);"
	  "CREATE INDEX reports_generated ON reports(generated_at);"
	  "CREATE UNIQUE INDEX reports_seq ON reports(seq);",
	  "ALTER TABLE devices ADD COLUMN reenroll_until TEXT;"
	  "CREATE TABLE certs ("
	  "  serial TEXT PRIMARY KEY,"
	  "  device_id TEXT NOT NULL,"
	  "  issued_at TEXT NOT NULL,"
	  "  expires_at TEXT,"
	  "  revoked_at TEXT);"
	  "INSERT INTO certs (serial, device_id, issued_at, revoked_at) "
	  "  SELECT cert_serial, id, first_seen, CASE WHEN revoked = 1 THEN last_seen END "
	  "  FROM devices WHERE cert_serial IS NOT NULL AND cert_serial <> '';"
	  "CREATE INDEX certs_device ON certs(device_id);"
	  "ALTER TABLE results DROP CONSTRAINT IF EXISTS results_report_id_fkey;"
	  "ALTER TABLE reports DROP CONSTRAINT reports_pkey;"
	  "ALTER TABLE reports ADD PRIMARY KEY (device_id, report_id);" },
	{ /* release feeds, signed (collector/feeds.c): the envelope agents
	   * fetch, one per name, and a log of every serial ever issued (serials
	   * only grow, so an agent refuses an older envelope as a replay) */
	  "CREATE TABLE feeds ("
	  "  name TEXT PRIMARY KEY,"
	  "  serial BIGINT NOT NULL UNIQUE,"
	  "  feed_format TEXT NOT NULL,"
	  "  fetched_at TEXT NOT NULL,"
	  "  sha256 TEXT NOT NULL,"
	  "  envelope TEXT NOT NULL,"
	  "  stored_at TEXT NOT NULL);"
	  "CREATE TABLE feed_log ("
	  "  serial BIGINT PRIMARY KEY,"
	  "  name TEXT NOT NULL,"
	  "  sha256 TEXT NOT NULL,"
	  "  fetched_at TEXT NOT NULL,"
	  "  stored_at TEXT NOT NULL,"
	  "  source TEXT NOT NULL);",
	  NULL },
	{ /* the audit trail (store_audit_append): append-only, hash-chained */
	  "CREATE TABLE audit ("
	  "  seq BIGINT PRIMARY KEY,"
	  "  at TEXT NOT NULL,"
	  "  actor TEXT NOT NULL,"
	  "  action TEXT NOT NULL,"
	  "  target TEXT NOT NULL,"
	  "  detail TEXT NOT NULL,"
	  "  prev_sha256 TEXT NOT NULL,"
	  "  sha256 TEXT NOT NULL);"
	  "CREATE INDEX audit_at ON audit(at);",
	  NULL },
	{ /* devices and people: an owner (from the enrollment, or an admin, who
	   * wins), and retirement (revoked and hidden, kept for the audit) */
	  "ALTER TABLE devices ADD COLUMN owner TEXT;"
	  "ALTER TABLE devices ADD COLUMN owner_source TEXT;"
	  "ALTER TABLE devices ADD COLUMN retired_at TEXT;"
	  "CREATE INDEX devices_owner ON devices(owner);",
	  NULL },
	{ /* dashboard sessions, by the SHA-256 of their cookie (the cookie
	   * itself is never stored): they survive a restart and are shared by
	   * collectors on one store */
	  "CREATE TABLE sessions ("
	  "  sha256 TEXT PRIMARY KEY,"
	  "  created_at TEXT NOT NULL,"
	  "  expires_at TEXT NOT NULL,"
	  "  actor TEXT NOT NULL);",
	  NULL },
	{ /* each device's state changes, check by check: which, when, from
	   * what to what. The latest table moves only when a state changed (the
	   * writer's upsert), so a trigger on it records exactly the changes,
	   * at no cost to the reports that change nothing */
	  CHANGES_TABLE
	  "CREATE TRIGGER latest_inserted AFTER INSERT ON latest BEGIN "
	  "  INSERT INTO changes VALUES (new.device_id, new.check_id, NULL, new.status, new.at, "
	  "  new.report_id); END;"
	  "CREATE TRIGGER latest_updated AFTER UPDATE OF status ON latest "
	  "  WHEN old.status IS NOT new.status BEGIN "
	  "  INSERT INTO changes VALUES (new.device_id, new.check_id, old.status, new.status, "
	  "  new.at, new.report_id); END;",
	  CHANGES_TABLE
	  "CREATE FUNCTION posture_latest_changed() RETURNS trigger AS $$ BEGIN "
	  "  IF TG_OP = 'INSERT' THEN "
	  "    INSERT INTO changes VALUES (NEW.device_id, NEW.check_id, NULL, NEW.status, NEW.at, "
	  "    NEW.report_id); "
	  "  ELSIF OLD.status IS DISTINCT FROM NEW.status THEN "
	  "    INSERT INTO changes VALUES (NEW.device_id, NEW.check_id, OLD.status, NEW.status, "
	  "    NEW.at, NEW.report_id); "
	  "  END IF; RETURN NULL; END $$ LANGUAGE plpgsql;"
	  "CREATE TRIGGER latest_changes AFTER INSERT OR UPDATE ON latest FOR EACH ROW "
	  "  EXECUTE FUNCTION posture_latest_changed();" },
	{ /* the data lifecycle (store_rollup, store_prune): compliance per day
	   * and check, rolled up from each device's last report of the day
	   * before raw reports are pruned, and kept forever; which days are
	   * rolled (one row each, so collectors sharing a store roll a day
	   * once); settings the collector compares at start (retention, whose
	   * change the audit trail records). The devices that had a state
	   * before changes were kept get it as their first change */
	  "CREATE TABLE daily_checks ("
	  "  day TEXT NOT NULL,"
	  "  check_id TEXT NOT NULL,"
	  "  status TEXT NOT NULL,"
	  "  n BIGINT NOT NULL,"
	  "  PRIMARY KEY (day, check_id, status));"
	  "CREATE TABLE rollups ("
	  "  day TEXT PRIMARY KEY,"
	  "  at TEXT NOT NULL,"
	  "  devices BIGINT NOT NULL);"
	  "CREATE TABLE settings ("
	  "  name TEXT PRIMARY KEY,"
	  "  value TEXT NOT NULL);"
	  "INSERT INTO changes SELECT l.device_id, l.check_id, NULL, l.status, l.at, l.report_id "
	  "  FROM latest l WHERE NOT EXISTS (SELECT 1 FROM changes c "
	  "  WHERE c.device_id = l.device_id AND c.check_id = l.check_id);",
	  NULL },
	{ /* webhooks (webhooks.c): the subscriptions; the events, recorded by
	   * triggers in the transaction that made them happen (so none is lost
	   * to a crash), only while a webhook is subscribed; and a delivery row
	   * per event and webhook, the durable queue (next_at: seconds since
	   * 1970). devices.stale_at: when the device was found stale (the
	   * deliverer's scan), cleared when it reports again */
	  WEBHOOK_TABLES
	  "CREATE TRIGGER events_new_device AFTER INSERT ON devices "
	  "  WHEN EXISTS (SELECT 1 FROM webhooks WHERE removed_at IS NULL) BEGIN "
	  "  INSERT INTO events (type, device_id, hostname, check_id, detail, at, created_at) "
	  "  VALUES ('device.new', new.id, new.hostname, NULL, NULL, new.first_seen, " SQLITE_NOW
	  "); END;"
	  "CREATE TRIGGER events_compliance AFTER UPDATE OF compliant ON devices "
	  "  WHEN ((old.compliant IS NULL AND new.compliant = 0) OR "
	  "  (old.compliant IS NOT NULL AND new.compliant IS NOT NULL AND "
	  "  old.compliant <> new.compliant)) "
	  "  AND EXISTS (SELECT 1 FROM webhooks WHERE removed_at IS NULL) BEGIN "
	  "  INSERT INTO events (type, device_id, hostname, check_id, detail, at, created_at) "
	  "  VALUES (CASE WHEN new.compliant = 1 THEN 'device.compliant' "
	  "  ELSE 'device.noncompliant' END, new.id, new.hostname, NULL, NULL, "
	  "  coalesce(new.last_generated_at, new.last_seen), " SQLITE_NOW "); END;"
	  "CREATE TRIGGER events_revoked AFTER UPDATE OF revoked ON devices "
	  "  WHEN new.revoked = 1 AND old.revoked = 0 "
	  "  AND EXISTS (SELECT 1 FROM webhooks WHERE removed_at IS NULL) BEGIN "
	  "  INSERT INTO events (type, device_id, hostname, check_id, detail, at, created_at) "
	  "  VALUES ('device.revoked', new.id, new.hostname, NULL, NULL, " SQLITE_NOW
	  ", " SQLITE_NOW "); END;"
	  "CREATE TRIGGER events_stale AFTER UPDATE OF stale_at ON devices "
	  "  WHEN new.stale_at IS NOT NULL AND old.stale_at IS NULL "
	  "  AND EXISTS (SELECT 1 FROM webhooks WHERE removed_at IS NULL) BEGIN "
	  "  INSERT INTO events (type, device_id, hostname, check_id, detail, at, created_at) "
	  "  VALUES ('device.stale', new.id, new.hostname, NULL, "
	  "  coalesce(new.last_report_at, new.first_seen), new.stale_at, " SQLITE_NOW "); END;"
	  "CREATE TRIGGER devices_fresh AFTER UPDATE OF last_seen ON devices "
	  "  WHEN new.stale_at IS NOT NULL BEGIN "
	  "  UPDATE devices SET stale_at = NULL WHERE id = new.id; END;"
	  "CREATE TRIGGER events_overdue AFTER INSERT ON changes "
	  "  WHEN new.from_status = 'due' AND new.to_status = 'fail' "
	  "  AND EXISTS (SELECT 1 FROM webhooks WHERE removed_at IS NULL) BEGIN "
	  "  INSERT INTO events (type, device_id, hostname, check_id, detail, at, created_at) "
	  "  VALUES ('check.overdue', new.device_id, (SELECT hostname FROM devices "
	  "  WHERE id = new.device_id), new.check_id, new.report_id, new.at, " SQLITE_NOW "); END;"
	  "CREATE TRIGGER events_queued AFTER INSERT ON events BEGIN "
	  "  INSERT INTO deliveries (event_id, webhook_id, attempts, next_at) "
	  "  SELECT new.id, w.id, 0, CAST(strftime('%s', 'now') AS INTEGER) FROM webhooks w "
	  "  WHERE w.removed_at IS NULL AND (w.events = '*' OR "
	  "  instr(',' || w.events || ',', ',' || new.type || ',') > 0); END;",
	  WEBHOOK_TABLES_PG
	  "CREATE FUNCTION posture_device_events() RETURNS trigger AS $$ "
	  "DECLARE t TEXT; d TEXT; w TEXT; BEGIN "
	  "  IF NOT EXISTS (SELECT 1 FROM webhooks WHERE removed_at IS NULL) THEN RETURN NULL; "
	  "  END IF; "
	  "  IF TG_OP = 'INSERT' THEN t := 'device.new'; w := NEW.first_seen; "
	  "  ELSIF NEW.revoked = 1 AND OLD.revoked = 0 THEN t := 'device.revoked'; "
	  "    w := " PG_NOW "; "
	  "  ELSIF NEW.stale_at IS NOT NULL AND OLD.stale_at IS NULL THEN t := 'device.stale'; "
	  "    d := coalesce(NEW.last_report_at, NEW.first_seen); w := NEW.stale_at; "
	  "  ELSIF (OLD.compliant IS NULL AND NEW.compliant = 0) OR (OLD.compliant IS NOT NULL "
	  "    AND NEW.compliant IS NOT NULL AND OLD.compliant <> NEW.compliant) THEN "
	  "    t := CASE WHEN NEW.compliant = 1 THEN 'device.compliant' "
	  "      ELSE 'device.noncompliant' END; "
	  "    w := coalesce(NEW.last_generated_at, NEW.last_seen); "
	  "  ELSE RETURN NULL; END IF; "
	  "  INSERT INTO events (type, device_id, hostname, check_id, detail, at, created_at) "
	  "  VALUES (t, NEW.id, NEW.hostname, NULL, d, w, " PG_NOW "); RETURN NULL; "
	  "END $$ LANGUAGE plpgsql;"
	  "CREATE TRIGGER events_devices_new AFTER INSERT ON devices FOR EACH ROW "
	  "  EXECUTE FUNCTION posture_device_events();"
	  /* a report that changes nothing does not call the function */
	  "CREATE TRIGGER events_devices AFTER UPDATE OF compliant, revoked, stale_at "
	  "  ON devices FOR EACH ROW WHEN (OLD.compliant IS DISTINCT FROM NEW.compliant OR "
	  "  OLD.revoked IS DISTINCT FROM NEW.revoked OR OLD.stale_at IS DISTINCT FROM "
	  "  NEW.stale_at) EXECUTE FUNCTION posture_device_events();"
	  "CREATE FUNCTION posture_device_fresh() RETURNS trigger AS $$ BEGIN "
	  "  NEW.stale_at := NULL; RETURN NEW; END $$ LANGUAGE plpgsql;"
	  "CREATE TRIGGER devices_fresh BEFORE UPDATE OF last_seen ON devices FOR EACH ROW "
	  "  WHEN (OLD.stale_at IS NOT NULL) EXECUTE FUNCTION posture_device_fresh();"
	  "CREATE FUNCTION posture_overdue_event() RETURNS trigger AS $$ BEGIN "
	  "  IF EXISTS (SELECT 1 FROM webhooks WHERE removed_at IS NULL) THEN "
	  "    INSERT INTO events (type, device_id, hostname, check_id, detail, at, created_at) "
	  "    VALUES ('check.overdue', NEW.device_id, (SELECT hostname FROM devices "
	  "    WHERE id = NEW.device_id), NEW.check_id, NEW.report_id, NEW.at, " PG_NOW "); "
	  "  END IF; RETURN NULL; END $$ LANGUAGE plpgsql;"
	  "CREATE TRIGGER events_overdue AFTER INSERT ON changes FOR EACH ROW "
	  "  WHEN (NEW.from_status = 'due' AND NEW.to_status = 'fail') "
	  "  EXECUTE FUNCTION posture_overdue_event();"
	  "CREATE FUNCTION posture_event_queued() RETURNS trigger AS $$ BEGIN "
	  "  INSERT INTO deliveries (event_id, webhook_id, attempts, next_at) "
	  "  SELECT NEW.id, w.id, 0, extract(epoch from now())::bigint FROM webhooks w "
	  "  WHERE w.removed_at IS NULL AND (w.events = '*' OR "
	  "  strpos(',' || w.events || ',', ',' || NEW.type || ',') > 0); RETURN NULL; "
	  "END $$ LANGUAGE plpgsql;"
	  "CREATE TRIGGER events_queued AFTER INSERT ON events FOR EACH ROW "
	  "  EXECUTE FUNCTION posture_event_queued();" },
	{ /* roles: API tokens (named, role-scoped, expiring, revocable; kept
	   * by their SHA-256), and each dashboard session's role */
	  "CREATE TABLE api_tokens ("
	  "  id INTEGER PRIMARY KEY,"
	  "  name TEXT NOT NULL,"
	  "  role TEXT NOT NULL,"
	  "  sha256 TEXT NOT NULL UNIQUE,"
	  "  created_at TEXT NOT NULL,"
	  "  expires_at TEXT,"
	  "  revoked_at TEXT);"
	  "ALTER TABLE sessions ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';"
	  /* OpenID Connect sign-ins under way, by their state's SHA-256: any
	   * collector on the store may take the browser's return */
	  "CREATE TABLE oidc_logins ("
	  "  state_sha256 TEXT PRIMARY KEY,"
	  "  verifier TEXT NOT NULL,"
	  "  nonce TEXT NOT NULL,"
	  "  expires_at TEXT NOT NULL);",
	  NULL },
	{ /* state changes in the order they were recorded, for those who read
	   * them as they come (syslog): SQLite's rowid already is that order;
	   * PostgreSQL numbers them */
	  "CREATE INDEX IF NOT EXISTS changes_at ON changes(at);",
	  "ALTER TABLE changes ADD COLUMN seq BIGSERIAL;"
	  "CREATE UNIQUE INDEX changes_seq ON changes(seq);" },
	{ /* devices and people, from what agents see: the hardware's serial
	   * (duplicates: the same machine enrolled twice), and the user at the
	   * console each day (the owner, when no one named one) */
	  "ALTER TABLE devices ADD COLUMN serial TEXT;"
	  "CREATE INDEX devices_serial ON devices(serial);"
	  "ALTER TABLE daily ADD COLUMN console_user TEXT;",
	  NULL },
};

/* results.observed repeats values up to this many bytes; longer ones are
 * read from the body (observed_at, observed_len). 0 since issue 21: no SQL
 * reads the copy (the export reads the body), and it was two fifths of a
 * store's bytes (bench/lifecycle_bench.c: 355 -> 215 KB a device-day) */
#define OBSERVED_INLINE 0

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* SQLite's schema text with PostgreSQL's types: a 64-bit policy version and
 * an identity column where SQLite has its rowid alias. The caller frees. */
static char *postgresql_types(const char *sql)
{
	static const struct {
		const char *from, *to;
	} swaps[] = {
		{ "version INTEGER PRIMARY KEY", "version BIGINT PRIMARY KEY" },
		{ "id INTEGER PRIMARY KEY",
		  "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" },
	};
	const size_t n_swaps = sizeof(swaps) / sizeof(swaps[0]);
	size_t cap = strlen(sql) * 2 + 1, n = 0;
	char *out = malloc(cap);

	if (out == NULL)
		return NULL;
	while (*sql) {
		size_t k;

		for (k = 0; k < n_swaps; k++)
			if (strncmp(sql, swaps[k].from, strlen(swaps[k].from)) == 0)
				break;
		if (k < n_swaps) {
			n += (size_t)snprintf(out + n, cap - n, "%s", swaps[k].to);
			sql += strlen(swaps[k].from);
		} else {
			out[n++] = *sql++;
		}
	}
	out[n] = '\0';
	return out;
}

/* the advisory lock PostgreSQL collectors take to migrate one at a time */
#define PG_MIGRATION_LOCK "7301946615"
/* and to roll a day up one at a time */
#define PG_ROLLUP_LOCK "7301946616"

static void now_rfc3339(char out[32])
{
	time_rfc3339(time(NULL), out);
}

static int migrate(struct store *s, int target, char *err, size_t err_len)
{
	struct db *db = s->db;
	int pg = db_kind(db) == DB_POSTGRESQL;
	long long version;

	if (db_begin(db, err, err_len) != 0)
		return -1;
	if (pg) {
		if (db_script(
		        db,
		        "SELECT pg_advisory_xact_lock(" PG_MIGRATION_LOCK ");"
		        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
		        err, err_len) != 0)
			goto fail;
		version = db_query_int(db, "SELECT max(version) FROM schema_version", NULL, 0, err,
		                       err_len);
	} else {
		version = db_query_int(db, "PRAGMA user_version", NULL, 0, err, err_len);
	}
	if (version < 0)
		goto fail;
	if (version > N_MIGRATIONS) {
		snprintf(err, err_len,
		         "store: schema version %lld is newer than this collector knows (%d)",
		         version, N_MIGRATIONS);
		goto fail;
	}
	for (; version < target; version++) {
		const char *sql = pg && migrations[version].postgresql
		                      ? migrations[version].postgresql
		                      : migrations[version].sqlite;
		char mark[96], *typed = pg ? postgresql_types(sql) : NULL;
		int failed;

		if (pg)
			snprintf(
			    mark, sizeof(mark),
			    "DELETE FROM schema_version; INSERT INTO schema_version VALUES (%lld)",
			    version + 1);
		else
			snprintf(mark, sizeof(mark), "PRAGMA user_version = %lld", version + 1);
		failed = (pg && typed == NULL) ||
		         db_script(db, pg ? typed : sql, err, err_len) != 0 ||
		         db_script(db, mark, err, err_len) != 0;
		free(typed);
		if (failed)
			goto fail;
	}
	if (db_commit(db, err, err_len) != 0)
		goto fail;
	s->version = (int)version;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

static json_t *text_or_null(const char *t)
{
	return t ? json_string(t) : json_null();
}

void store_spec(const char *dir, const char *spec, char *out, size_t out_len)
{
	char path[4200];
	FILE *f;

	if (spec != NULL && *spec != '\0') {
		snprintf(out, out_len, "%s", spec);
		return;
	}
	snprintf(path, sizeof(path), "%s/store-url", dir);
	f = fopen(path, "r");
	if (f != NULL) {
		char line[2048];

		if (fgets(line, sizeof(line), f) != NULL) {
			line[strcspn(line, "\r\n")] = '\0';
			if (db_spec_is_postgresql(line)) {
				snprintf(out, out_len, "%s", line);
				fclose(f);
				return;
			}
		}
		fclose(f);
	}
	snprintf(out, out_len, "%s/collector.db", dir);
}

int store_open(const char *spec, int create, struct store **out, char *err, size_t err_len)
{
	return store_open_version(spec, create, N_MIGRATIONS, out, err, err_len);
}

int store_open_version(const char *spec, int create, int version, struct store **out, char *err,
                       size_t err_len)
{
	struct store *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	if (db_open(spec, create, &s->db, err, err_len) != 0) {
		free(s);
		return -1;
	}
	/* SQLite: WAL, so readers never wait for the writer; synchronous=FULL,
	 * so a commit that returned is on the disk, which the 2xx to an agent
	 * promises. PostgreSQL's defaults (fsync, synchronous_commit) promise
	 * the same. */
	if ((db_kind(s->db) == DB_SQLITE &&
	     db_script(s->db,
	               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
	               "PRAGMA mmap_size=268435456",
	               err, err_len) != 0) ||
	    (db_kind(s->db) == DB_POSTGRESQL &&
	     db_script(s->db, "SET synchronous_commit = on; SET client_min_messages = warning", err,
	               err_len) != 0) ||
	    migrate(s, version < N_MIGRATIONS ? version : N_MIGRATIONS, err, err_len) != 0) {
		/* a file damaged where the schema is: said as store_check says it */
		if (db_kind(s->db) == DB_SQLITE &&
		    (strstr(err, "malformed") != NULL || strstr(err, "not a database") != NULL)) {
			char why[512];

			snprintf(why, sizeof(why), "%s", err);
			snprintf(
			    err, err_len,
			    "the store %s is damaged (SQLite: %s); nothing was served. Restore it "
			    "from a backup (or salvage it: sqlite3 %s .recover)",
			    spec, why, spec);
		}
		store_close(s);
		return -1;
	}
	/* memo_check finds the marks moved on the first transaction, and
	 * starts from nothing known */
	s->memo_on = db_kind(s->db) == DB_SQLITE;
	s->memo_others = s->memo_mine = -1;
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	if (s == NULL)
		return;
	db_close(s->db);
	store_pack_free(s->zc);
	memo_clear(s);
	free(s->staged);
	bases_clear(s);
	bases_forget_staged(s);
	free(s->bases_staged);
	for (int i = 0; i <= ROWS_PER_STATEMENT; i++) {
		free(s->results_sql[i]);
		free(s->latest_sql[i]);
	}
	free(s);
}

const char *store_kind(const struct store *s)
{
	return db_kind(s->db) == DB_SQLITE ? "sqlite" : "postgresql";
}

long long store_add_enroll_secret(struct store *s, const char *sha256_hex, const char *expires_at,
                                  char *err, size_t err_len)
{
	char now[32];
	const char *a[3] = { sha256_hex, now, expires_at };

	now_rfc3339(now);
	return db_query_int(s->db,
	                    "INSERT INTO enroll_secrets (sha256, created_at, expires_at) "
	                    "VALUES (?1, ?2, ?3) RETURNING id",
	                    a, 3, err, err_len);
}

int store_revoke_enroll_secret(struct store *s, long long id, char *err, size_t err_len)
{
	char v[24];
	const char *a[1] = { v };
	long long changed = 0;

	snprintf(v, sizeof(v), "%lld", id);
	if (db_exec(s->db, "UPDATE enroll_secrets SET revoked = 1 WHERE id = CAST(?1 AS INTEGER)",
	            a, 1, &changed, err, err_len) != 0)
		return -1;
	return changed > 0;
}

int store_enroll_secrets(struct store *s, json_t **out, char *err, size_t err_len)
{
	struct db_rows *r;
	json_t *list = json_array();
	char now[32];
	const char *a[1] = { now };
	int rc;

	now_rfc3339(now);
	if (db_query(s->db,
	             "SELECT id, created_at, expires_at, revoked, "
	             "CASE WHEN revoked = 1 THEN 'revoked' "
	             "WHEN expires_at IS NOT NULL AND expires_at <= ?1 THEN 'expired' "
	             "ELSE 'active' END FROM enroll_secrets ORDER BY id",
	             a, 1, &r, err, err_len) != 0) {
		json_decref(list);
		return -1;
	}
	while ((rc = db_next(r, err, err_len)) == 1)
		json_array_append_new(list, json_pack("{s:I, s:o, s:o, s:o}", "id",
		                                      (json_int_t)db_int(r, 0), "created_at",
		                                      text_or_null(db_text(r, 1)), "expires_at",
		                                      text_or_null(db_text(r, 2)), "state",
		                                      text_or_null(db_text(r, 4))));
	db_rows_free(r);
	if (rc < 0) {
		json_decref(list);
		return -1;
	}
	*out = list;
	return 0;
}

int store_check_enroll_secret(struct store *s, const char *sha256_hex)
{
	struct db_rows *r;
	char now[32], err[256];
	const char *a[1] = { now };
	int found = 0, rc;

	now_rfc3339(now);
	if (strlen(sha256_hex) != 64 ||
	    db_query(s->db,
	             "SELECT sha256 FROM enroll_secrets WHERE revoked = 0 AND "
	             "(expires_at IS NULL OR expires_at > ?1)",
	             a, 1, &r, err, sizeof(err)) != 0)
		return -1;
	/* every row is compared in full, whether or not one matched already */
	while ((rc = db_next(r, err, sizeof(err))) == 1) {
		const char *h = db_text(r, 0);

		if (h != NULL && strlen(h) == 64)
			found |= CRYPTO_memcmp(h, sha256_hex, 64) == 0;
	}
	db_rows_free(r);
	return rc == 0 ? found : -1;
}

long long store_policy_version(struct store *s)
{
	char err[256];

	return db_query_int(s->db, "SELECT coalesce(max(version), 0) FROM policies", NULL, 0, err,
	                    sizeof(err));
}

int store_add_policy(struct store *s, long long version, const char *name, const char *sha256,
                     const char *text, const char *signature_b64, char *err, size_t err_len)
{
	char now[32], v[24];
	const char *a[6] = { v, name, sha256, text, signature_b64, now };

	now_rfc3339(now);
	snprintf(v, sizeof(v), "%lld", version);
	/* inside one write transaction, and VERSION is the primary key: of two
	 * publishers of the same next version, one fails; versions only grow */
	if (db_begin(s->db, err, err_len) != 0)
		return -1;
	if (store_policy_version(s) != version - 1) {
		snprintf(err, err_len, "another policy was published meanwhile; publish again");
		goto fail;
	}
	if (db_exec(s->db,
	            "INSERT INTO policies (version, name, sha256, text, signature, published_at) "
	            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	            a, 6, NULL, err, err_len) != 0 ||
	    db_commit(s->db, err, err_len) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(s->db);
	return -1;
}

int store_current_policy(struct store *s, json_t **doc, char *err, size_t err_len)
{
	struct db_rows *r;
	int rc;

	*doc = NULL;
	if (db_query(s->db,
	             "SELECT version, text, signature, sha256 FROM policies "
	             "ORDER BY version DESC LIMIT 1",
	             NULL, 0, &r, err, err_len) != 0)
		return -1;
	rc = db_next(r, err, err_len);
	if (rc == 1) {
		*doc =
		    json_pack("{s:I, s:s, s:s, s:s}", "version", (json_int_t)db_int(r, 0), "policy",
		              db_text(r, 1), "signature", db_text(r, 2), "sha256", db_text(r, 3));
		if (*doc == NULL) {
			snprintf(err, err_len, "out of memory");
			rc = -1;
		}
		while (db_next(r, err, err_len) == 1)
			;
	}
	db_rows_free(r);
	return rc;
}

long long store_add_feed(struct store *s, const struct store_feed *f, store_seal_fn seal, void *arg,
                         char *err, size_t err_len)
{
	char now[32], serial_s[24];
	char *envelope = NULL;
	long long serial;
	const char *a[7];

	now_rfc3339(now);
	/* the serial is inside what SEAL signs: it is taken, signed and
	 * stored in one write transaction, and feed_log.serial is the primary
	 * key, so two collectors sharing a store never issue one serial twice */
	if (db_begin(s->db, err, err_len) != 0)
		return -1;
	serial = db_query_int(s->db, "SELECT coalesce(max(serial), 0) FROM feed_log", NULL, 0, err,
	                      err_len);
	if (serial < 0)
		goto fail;
	serial++;
	if (seal(arg, serial, &envelope, err, err_len) != 0)
		goto fail;
	snprintf(serial_s, sizeof(serial_s), "%lld", serial);
	a[0] = serial_s;
	a[1] = f->name;
	a[2] = f->sha256;
	a[3] = f->fetched_at;
	a[4] = now;
	a[5] = f->source;
	if (db_exec(s->db,
	            "INSERT INTO feed_log (serial, name, sha256, fetched_at, stored_at, source) "
	            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	            a, 6, NULL, err, err_len) != 0 ||
	    db_exec(s->db, "DELETE FROM feeds WHERE name = ?1", &a[1], 1, NULL, err, err_len) != 0)
		goto fail;
	a[0] = f->name;
	a[1] = serial_s;
	a[2] = f->feed_format;
	a[3] = f->fetched_at;
	a[4] = f->sha256;
	a[5] = envelope;
	a[6] = now;
	if (db_exec(s->db,
	            "INSERT INTO feeds (name, serial, feed_format, fetched_at, sha256, envelope, "
	            "stored_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	            a, 7, NULL, err, err_len) != 0 ||
	    db_commit(s->db, err, err_len) != 0)
		goto fail;
	free(envelope);
	return serial;
fail:
	free(envelope);
	db_rollback(s->db);
	return -1;
}

int store_feeds(struct store *s, int envelopes, json_t **out, char *err, size_t err_len)
{
	struct db_rows *r;
	int rc;

	*out = json_array();
	if (*out == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	if (db_query(s->db,
	             envelopes ? "SELECT name, serial, feed_format, fetched_at, sha256, stored_at, "
	                         "envelope FROM feeds ORDER BY name"
	                       : "SELECT name, serial, feed_format, fetched_at, sha256, stored_at "
	                         "FROM feeds ORDER BY name",
	             NULL, 0, &r, err, err_len) != 0)
		goto fail;
	while ((rc = db_next(r, err, err_len)) == 1) {
		json_t *o = json_pack("{s:s?, s:I, s:s?, s:s?, s:s?, s:s?}", "name", db_text(r, 0),
		                      "serial", (json_int_t)db_int(r, 1), "feed_format",
		                      db_text(r, 2), "fetched_at", db_text(r, 3), "sha256",
		                      db_text(r, 4), "stored_at", db_text(r, 5));

		if (o != NULL && envelopes)
			json_object_set_new(o, "envelope", text_or_null(db_text(r, 6)));
		if (o == NULL || json_array_append_new(*out, o) != 0) {
			snprintf(err, err_len, "out of memory");
			rc = -1;
			break;
		}
	}
	db_rows_free(r);
	if (rc == 0)
		return 0;
fail:
	json_decref(*out);
	*out = NULL;
	return -1;
}

/* The hash of one audit entry: SHA-256 (hex) over its fields, each
 * followed by a newline, after a context line, so that no field can be
 * moved into another. */
static void audit_hash(long long seq, const char *at, const char *actor, const char *action,
                       const char *target, const char *detail, const char *prev, char out[65])
{
	const char *fields[6] = { at, actor, action, target, detail, prev };
	unsigned char md[32];
	unsigned int md_len = 0;
	char num[32];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	snprintf(num, sizeof(num), "%lld\n", seq);
	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, STORE_AUDIT_CONTEXT, strlen(STORE_AUDIT_CONTEXT)) != 1 ||
	    EVP_DigestUpdate(ctx, num, strlen(num)) != 1) {
		EVP_MD_CTX_free(ctx);
		memset(out, '!', 64); /* never a hash: the chain will not verify */
		out[64] = '\0';
		return;
	}
	for (int i = 0; i < 6; i++) {
		EVP_DigestUpdate(ctx, fields[i], strlen(fields[i]));
		EVP_DigestUpdate(ctx, "\n", 1);
	}
	EVP_DigestFinal_ex(ctx, md, &md_len);
	EVP_MD_CTX_free(ctx);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

long long store_audit_append(struct store *s, const char *actor, const char *action,
                             const char *target, const char *detail, char *err, size_t err_len)
{
	static const char genesis[65] =
	    "0000000000000000000000000000000000000000000000000000000000000000";
	char now[32], seq_s[24], prev[65], hash[65];
	const char *a[8];
	struct db_rows *r;
	long long seq = 0;
	int rc, tries;

	if (detail == NULL || *detail == '\0')
		detail = "{}";
	/* two writers may take one seq: the primary key refuses the second,
	 * which reads the new end of the chain and tries again */
	for (tries = 0; tries < 5; tries++) {
		if (db_begin(s->db, err, err_len) != 0)
			return -1;
		memcpy(prev, genesis, sizeof(prev));
		seq = 0;
		if (db_query(s->db, "SELECT seq, sha256 FROM audit ORDER BY seq DESC LIMIT 1", NULL,
		             0, &r, err, err_len) != 0)
			goto fail;
		while ((rc = db_next(r, err, err_len)) == 1) {
			seq = db_int(r, 0);
			snprintf(prev, sizeof(prev), "%s", db_text(r, 1) ? db_text(r, 1) : genesis);
		}
		db_rows_free(r);
		if (rc < 0)
			goto fail;
		seq++;
		now_rfc3339(now);
		audit_hash(seq, now, actor, action, target, detail, prev, hash);
		snprintf(seq_s, sizeof(seq_s), "%lld", seq);
		a[0] = seq_s;
		a[1] = now;
		a[2] = actor;
		a[3] = action;
		a[4] = target;
		a[5] = detail;
		a[6] = prev;
		a[7] = hash;
		if (db_exec(
		        s->db,
		        "INSERT INTO audit (seq, at, actor, action, target, detail, prev_sha256, "
		        "sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		        a, 8, NULL, err, err_len) == 0 &&
		    db_commit(s->db, err, err_len) == 0)
			return seq;
		db_rollback(s->db);
	}
	return -1;
fail:
	db_rollback(s->db);
	return -1;
}

int store_audit(struct store *s, const char *since, int verify, json_t **out, char *err,
                size_t err_len)
{
	static const char genesis[65] =
	    "0000000000000000000000000000000000000000000000000000000000000000";
	const char *a[1] = { since };
	struct db_rows *r;
	char prev[65], hash[65];
	long long expect = 0;
	int rc, broken = 0;

	*out = json_pack("{s:[], s:b, s:n}", "entries", "verified", 0, "break");
	if (*out == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	memcpy(prev, genesis, sizeof(prev));
	/* verifying reads the whole chain, from its first entry */
	if (db_query(s->db,
	             since && !verify ? "SELECT seq, at, actor, action, target, detail, "
	                                "prev_sha256, sha256 FROM audit WHERE at >= ?1 ORDER BY seq"
	                              : "SELECT seq, at, actor, action, target, detail, "
	                                "prev_sha256, sha256 FROM audit ORDER BY seq",
	             a, since && !verify ? 1 : 0, &r, err, err_len) != 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	while ((rc = db_next(r, err, err_len)) == 1) {
		long long seq = db_int(r, 0);
		const char *f[7];
		const char *why = NULL;

		for (int i = 0; i < 7; i++)
			f[i] = db_text(r, i + 1) ? db_text(r, i + 1) : "";
		if (verify && !broken) {
			audit_hash(seq, f[0], f[1], f[2], f[3], f[4], f[5], hash);
			if (seq != expect + 1)
				why = "the entries before it are missing (the sequence has a gap)";
			else if (strcmp(f[5], prev) != 0)
				why = "it does not name the previous entry's hash (an entry before "
				      "it "
				      "was changed or removed)";
			else if (strcmp(hash, f[6]) != 0)
				why = "its hash does not match its contents (it was edited)";
			if (why != NULL) {
				broken = 1;
				json_object_set_new(
				    *out, "break",
				    json_pack("{s:I, s:s}", "seq", (json_int_t)seq, "why", why));
			}
			expect = seq;
			snprintf(prev, sizeof(prev), "%s", f[6]);
		}
		if (since == NULL || strcmp(f[0], since) >= 0) {
			json_t *detail = json_loads(f[4], 0, NULL);

			json_array_append_new(
			    json_object_get(*out, "entries"),
			    json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "seq",
			              (json_int_t)seq, "at", f[0], "actor", f[1], "action", f[2],
			              "target", f[3], "detail", detail ? detail : json_string(f[4]),
			              "prev_sha256", f[5], "sha256", f[6]));
		}
	}
	db_rows_free(r);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	if (verify)
		json_object_set_new(*out, "verified", json_boolean(!broken));
	return 0;
}

long long store_feeds_mark(struct store *s)
{
	char err[256];

	/* a replaced or added feed always takes a new, higher serial */
	return db_query_int(s->db, "SELECT coalesce(max(serial), 0) FROM feeds", NULL, 0, err,
	                    sizeof(err));
}

int store_enroll_state(struct store *s, const char *device_id, char *err, size_t err_len)
{
	char now[32];
	const char *a[2] = { device_id, now };

	now_rfc3339(now);
	/* no row reads as 0: STORE_ENROLL_NEW */
	return (int)db_query_int(s->db,
	                         "SELECT CASE WHEN reenroll_until IS NOT NULL AND "
	                         "reenroll_until > ?2 THEN 2 ELSE 1 END FROM devices WHERE id = ?1",
	                         a, 2, err, err_len);
}

int store_enroll_device(struct store *s, const char *device_id, const char *hostname,
                        const char *serial_hex, const char *cert_expires, int approved,
                        const char *owner, char *err, size_t err_len)
{
	char now[32];
	const char *dev[5] = { device_id, hostname, serial_hex, now, approved ? "1" : "0" };
	const char *cert[4] = { serial_hex, device_id, now, cert_expires };
	const char *own[2] = { device_id, owner };

	now_rfc3339(now);
	if (db_begin(s->db, err, err_len) != 0)
		return -1;
	/* an approved re-enrollment uses its approval up, and brings a revoked
	 * device back (its revoked certificates stay on the CRL: certs) */
	if (db_exec(s->db,
	            "INSERT INTO devices (id, hostname, cert_serial, first_seen, last_seen) "
	            "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT(id) DO UPDATE "
	            "SET cert_serial = excluded.cert_serial, last_seen = excluded.last_seen, "
	            "reenroll_until = CASE WHEN ?5 = '1' THEN NULL ELSE "
	            "devices.reenroll_until END, "
	            "revoked = CASE WHEN ?5 = '1' THEN 0 ELSE devices.revoked END",
	            dev, 5, NULL, err, err_len) != 0 ||
	    db_exec(s->db,
	            "INSERT INTO certs (serial, device_id, issued_at, expires_at) "
	            "VALUES (?1, ?2, ?3, ?4)",
	            cert, 4, NULL, err, err_len) != 0 ||
	    /* the owner the enrollment names, unless an admin set one */
	    (owner != NULL && *owner != '\0' &&
	     db_exec(s->db,
	             "UPDATE devices SET owner = ?2, owner_source = 'enrollment' "
	             "WHERE id = ?1 AND coalesce(owner_source, '') <> 'admin'",
	             own, 2, NULL, err, err_len) != 0) ||
	    db_commit(s->db, err, err_len) != 0) {
		db_rollback(s->db);
		return -1;
	}
	return 0;
}

int store_session_add(struct store *s, const char *sha256_hex, long long seconds, const char *actor,
                      const char *role, char *err, size_t err_len)
{
	char now[32], until[32];
	const char *a[5] = { sha256_hex, now, until, actor, role };

	now_rfc3339(now);
	time_rfc3339(time(NULL) + (time_t)seconds, until);
	/* the expired ones go as a new one comes */
	if (db_exec(s->db, "DELETE FROM sessions WHERE expires_at < ?1", &a[1], 1, NULL, err,
	            err_len) != 0)
		return -1;
	return db_exec(s->db,
	               "INSERT INTO sessions (sha256, created_at, expires_at, actor, role) "
	               "VALUES (?1, ?2, ?3, ?4, ?5)",
	               a, 5, NULL, err, err_len);
}

/* the role and actor of the row SQL finds by ?1 and the time now (?2) */
static int role_of(struct store *s, const char *sql, const char *key, char *role, size_t role_len,
                   char *actor, size_t actor_len)
{
	char now[32], err[256];
	const char *a[2] = { key, now };
	struct db_rows *r;
	int rc, found = 0;

	now_rfc3339(now);
	if (db_query(s->db, sql, a, 2, &r, err, sizeof(err)) != 0)
		return -1;
	while ((rc = db_next(r, err, sizeof(err))) == 1) {
		if (found++)
			continue;
		snprintf(role, role_len, "%s", db_text(r, 0) ? db_text(r, 0) : "");
		snprintf(actor, actor_len, "%s", db_text(r, 1) ? db_text(r, 1) : "");
	}
	db_rows_free(r);
	return rc < 0 ? -1 : found > 0;
}

int store_session_get(struct store *s, const char *sha256_hex, char *role, size_t role_len,
                      char *actor, size_t actor_len)
{
	return role_of(s, "SELECT role, actor FROM sessions WHERE sha256 = ?1 AND expires_at > ?2",
	               sha256_hex, role, role_len, actor, actor_len);
}

long long store_token_add(struct store *s, const char *name, const char *role,
                          const char *sha256_hex, const char *expires_at, char *err, size_t err_len)
{
	char now[32];
	const char *a[5] = { name, role, sha256_hex, now, expires_at };

	now_rfc3339(now);
	return db_query_int(s->db,
	                    "INSERT INTO api_tokens (name, role, sha256, created_at, expires_at) "
	                    "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
	                    a, 5, err, err_len);
}

int store_token_get(struct store *s, const char *sha256_hex, char *role, size_t role_len,
                    char *name, size_t name_len)
{
	return role_of(s,
	               "SELECT role, 'token ' || name || ' (' || CAST(id AS TEXT) || ')' FROM "
	               "api_tokens WHERE sha256 = ?1 AND revoked_at IS NULL AND "
	               "(expires_at IS NULL OR expires_at > ?2)",
	               sha256_hex, role, role_len, name, name_len);
}

int store_tokens(struct store *s, json_t **out, char *err, size_t err_len)
{
	char now[32];
	const char *a[1] = { now };
	struct db_rows *r;
	int rc;

	now_rfc3339(now);
	*out = json_array();
	if (db_query(s->db,
	             "SELECT id, name, role, created_at, expires_at, CASE WHEN revoked_at IS NOT "
	             "NULL THEN 'revoked' WHEN expires_at IS NOT NULL AND expires_at <= ?1 THEN "
	             "'expired' ELSE 'active' END FROM api_tokens ORDER BY id",
	             a, 1, &r, err, err_len) != 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	while ((rc = db_next(r, err, err_len)) == 1)
		json_array_append_new(
		    *out, json_pack("{s:I, s:s, s:s, s:s, s:o, s:s}", "id",
		                    (json_int_t)db_int(r, 0), "name", db_text(r, 1), "role",
		                    db_text(r, 2), "created_at", db_text(r, 3), "expires_at",
		                    text_or_null(db_text(r, 4)), "state", db_text(r, 5)));
	db_rows_free(r);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int store_oidc_begin(struct store *s, const char *state_sha256, const char *verifier,
                     const char *nonce, long long seconds, long long max_live, char *err,
                     size_t err_len)
{
	char now[32], until[32], cap[24];
	const char *a[5] = { state_sha256, verifier, nonce, until, now };
	const char *c[2] = { now, cap };
	long long live;

	now_rfc3339(now);
	time_rfc3339(time(NULL) + (time_t)seconds, until);
	snprintf(cap, sizeof(cap), "%lld", max_live);
	if (db_exec(s->db, "DELETE FROM oidc_logins WHERE expires_at < ?1", &a[4], 1, NULL, err,
	            err_len) != 0)
		return -1;
	live =
	    db_query_int(s->db,
	                 "SELECT count(*) FROM (SELECT 1 FROM oidc_logins WHERE expires_at >= ?1 "
	                 "LIMIT CAST(?2 AS BIGINT)) x",
	                 c, 2, err, err_len);
	if (live < 0)
		return -1;
	if (live >= max_live)
		return 1;
	return db_exec(s->db,
	               "INSERT INTO oidc_logins (state_sha256, verifier, nonce, expires_at) "
	               "VALUES (?1, ?2, ?3, ?4)",
	               a, 4, NULL, err, err_len);
}

int store_oidc_take(struct store *s, const char *state_sha256, char *verifier, size_t v_len,
                    char *nonce, size_t n_len, char *err, size_t err_len)
{
	char now[32];
	const char *a[2] = { state_sha256, now };
	struct db_rows *r;
	int rc, found = 0;

	now_rfc3339(now);
	/* taken once: deleted as it is read */
	if (db_query(s->db,
	             "DELETE FROM oidc_logins WHERE state_sha256 = ?1 AND expires_at >= ?2 "
	             "RETURNING verifier, nonce",
	             a, 2, &r, err, err_len) != 0)
		return -1;
	while ((rc = db_next(r, err, err_len)) == 1) {
		snprintf(verifier, v_len, "%s", db_text(r, 0) ? db_text(r, 0) : "");
		snprintf(nonce, n_len, "%s", db_text(r, 1) ? db_text(r, 1) : "");
		found = 1;
	}
	db_rows_free(r);
	return rc < 0 ? -1 : found;
}

int store_changes_after(struct store *s, long long after, const char *since, int limit,
                        json_t **out, char *err, size_t err_len)
{
	char a_s[24], lim[16];
	const char *a[3] = { a_s, since ? since : "", lim };
	struct db_rows *r;
	char sql[700];
	int rc;

	snprintf(a_s, sizeof(a_s), "%lld", after);
	snprintf(lim, sizeof(lim), "%d", limit);
	snprintf(sql, sizeof(sql),
	         "SELECT c.%s, c.device_id, d.hostname, c.check_id, c.from_status, c.to_status, "
	         "c.at, c.report_id FROM changes c LEFT JOIN devices d ON d.id = c.device_id "
	         "WHERE c.%s > CAST(?1 AS BIGINT) AND c.at >= ?2 ORDER BY c.%s "
	         "LIMIT CAST(?3 AS BIGINT)",
	         db_kind(s->db) == DB_POSTGRESQL ? "seq" : "rowid",
	         db_kind(s->db) == DB_POSTGRESQL ? "seq" : "rowid",
	         db_kind(s->db) == DB_POSTGRESQL ? "seq" : "rowid");
	*out = json_array();
	if (db_query(s->db, sql, a, 3, &r, err, err_len) != 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	while ((rc = db_next(r, err, err_len)) == 1)
		json_array_append_new(
		    *out, json_pack("{s:I, s:s, s:o, s:s, s:o, s:s, s:s, s:s}", "seq",
		                    (json_int_t)db_int(r, 0), "device", db_text(r, 1), "hostname",
		                    text_or_null(db_text(r, 2)), "check", db_text(r, 3), "from",
		                    text_or_null(db_text(r, 4)), "to", db_text(r, 5), "at",
		                    db_text(r, 6), "report_id", db_text(r, 7)));
	db_rows_free(r);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

long long store_changes_last(struct store *s, char *err, size_t err_len)
{
	return db_query_int(s->db,
	                    db_kind(s->db) == DB_POSTGRESQL ? "SELECT max(seq) FROM changes"
	                                                    : "SELECT max(rowid) FROM changes",
	                    NULL, 0, err, err_len);
}

int store_audit_after(struct store *s, long long after, int limit, json_t **out, char *err,
                      size_t err_len)
{
	char a_s[24], lim[16];
	const char *a[2] = { a_s, lim };
	struct db_rows *r;
	int rc;

	snprintf(a_s, sizeof(a_s), "%lld", after);
	snprintf(lim, sizeof(lim), "%d", limit);
	*out = json_array();
	if (db_query(s->db,
	             "SELECT seq, at, actor, action, target, detail, sha256 FROM audit "
	             "WHERE seq > CAST(?1 AS BIGINT) ORDER BY seq LIMIT CAST(?2 AS BIGINT)",
	             a, 2, &r, err, err_len) != 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	while ((rc = db_next(r, err, err_len)) == 1) {
		json_t *detail = json_loads(db_text(r, 5) ? db_text(r, 5) : "{}", 0, NULL);

		json_array_append_new(*out, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s}", "seq",
		                                      (json_int_t)db_int(r, 0), "at", db_text(r, 1),
		                                      "actor", db_text(r, 2), "action",
		                                      db_text(r, 3), "target", db_text(r, 4),
		                                      "detail", detail ? detail : json_object(),
		                                      "sha256", db_text(r, 6)));
	}
	db_rows_free(r);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int store_setting_swap(struct store *s, const char *name, const char *old, const char *value,
                       char *err, size_t err_len)
{
	const char *a[3] = { name, old, value };
	long long changed = 0;

	if (db_exec(s->db,
	            *old ? "UPDATE settings SET value = ?3 WHERE name = ?1 AND value = ?2"
	                 : "INSERT INTO settings (name, value) VALUES (?1, ?3) "
	                   "ON CONFLICT (name) DO NOTHING",
	            a, 3, &changed, err, err_len) != 0)
		return -1;
	return changed == 1;
}

int store_token_revoke(struct store *s, long long id, char *err, size_t err_len)
{
	char v[24], now[32];
	const char *a[2] = { v, now };
	long long changed = 0;

	snprintf(v, sizeof(v), "%lld", id);
	now_rfc3339(now);
	if (db_exec(s->db,
	            "UPDATE api_tokens SET revoked_at = ?2 WHERE id = CAST(?1 AS BIGINT) AND "
	            "revoked_at IS NULL",
	            a, 2, &changed, err, err_len) != 0)
		return -1;
	return changed > 0;
}

int store_session_end(struct store *s, const char *sha256_hex, char *err, size_t err_len)
{
	const char *a[1] = { sha256_hex };

	return db_exec(s->db, "DELETE FROM sessions WHERE sha256 = ?1", a, 1, NULL, err, err_len);
}

int store_set_owner(struct store *s, const char *device_id, const char *owner, char *err,
                    size_t err_len)
{
	const char *a[2] = { device_id, owner };
	long long changed = 0;

	if (db_exec(s->db,
	            *owner ? "UPDATE devices SET owner = ?2, owner_source = 'admin' WHERE id = ?1"
	                   : "UPDATE devices SET owner = NULL, owner_source = NULL WHERE id = ?1",
	            a, *owner ? 2 : 1, &changed, err, err_len) != 0)
		return -1;
	return changed > 0;
}

int store_retire_device(struct store *s, const char *device_id, char *err, size_t err_len)
{
	char now[32];
	const char *a[2] = { device_id, now };
	long long changed = 0;
	int rc;

	now_rfc3339(now);
	/* revoked as device revoke does (its certificates on the CRL), and
	 * then hidden from the fleet's lists; its history stays */
	rc = store_revoke_device(s, device_id, err, err_len);
	if (rc != 1)
		return rc;
	if (db_exec(s->db,
	            "UPDATE devices SET retired_at = ?2 WHERE id = ?1 AND retired_at IS NULL", a, 2,
	            &changed, err, err_len) != 0)
		return -1;
	return 1;
}

int store_allow_reenroll(struct store *s, const char *device_id, long long seconds, char *err,
                         size_t err_len)
{
	char until[32];
	const char *a[2] = { device_id, until };
	long long changed = 0;

	time_rfc3339(time(NULL) + (time_t)seconds, until);
	if (db_exec(s->db, "UPDATE devices SET reenroll_until = ?2 WHERE id = ?1", a, 2, &changed,
	            err, err_len) != 0)
		return -1;
	return changed > 0;
}

int store_device_revoked(struct store *s, const char *device_id)
{
	char err[256];
	const char *a[1] = { device_id };
	long long v = db_query_int(s->db, "SELECT revoked FROM devices WHERE id = ?1", a, 1, err,
	                           sizeof(err));

	return v < 0 ? -1 : v != 0;
}

int store_revoked_serials(struct store *s, char ***serials, size_t *n, char *err, size_t err_len)
{
	struct db_rows *r;
	char **list = NULL;
	size_t count = 0;
	int rc;

	char now[32];
	const char *a[1] = { now };

	*serials = NULL;
	*n = 0;
	now_rfc3339(now);
	/* a serial leaves the list only once its certificate has expired */
	if (db_query(s->db,
	             "SELECT serial FROM certs WHERE revoked_at IS NOT NULL AND "
	             "(expires_at IS NULL OR expires_at > ?1) ORDER BY serial",
	             a, 1, &r, err, err_len) != 0)
		return -1;
	while ((rc = db_next(r, err, err_len)) == 1) {
		char **grown = realloc(list, (count + 1) * sizeof(*list));

		if (grown == NULL || (grown[count] = strdup(db_text(r, 0))) == NULL) {
			list = grown ? grown : list;
			snprintf(err, err_len, "out of memory");
			rc = -1;
			break;
		}
		list = grown;
		count++;
	}
	db_rows_free(r);
	if (rc < 0) {
		while (count > 0)
			free(list[--count]);
		free(list);
		return -1;
	}
	*serials = list;
	*n = count;
	return 0;
}

struct db *store_db(struct store *s)
{
	return s->db;
}

int store_revoke_device(struct store *s, const char *device_id, char *err, size_t err_len)
{
	char now[32];
	const char *a[2] = { device_id, now };
	long long changed = 0;

	now_rfc3339(now);
	if (db_begin(s->db, err, err_len) != 0)
		return -1;
	/* the device leaves the fleet's figures; its reports stay for audit.
	 * Its certificate goes on the CRL for as long as it is valid, whatever
	 * becomes of the device later */
	if (db_exec(s->db, "UPDATE devices SET revoked = 1 WHERE id = ?1", a, 1, &changed, err,
	            err_len) != 0 ||
	    db_exec(s->db,
	            "UPDATE certs SET revoked_at = ?2 WHERE device_id = ?1 AND revoked_at IS NULL",
	            a, 2, NULL, err, err_len) != 0 ||
	    db_exec(s->db, "DELETE FROM latest WHERE device_id = ?1", a, 1, NULL, err, err_len) !=
	        0 ||
	    db_commit(s->db, err, err_len) != 0) {
		db_rollback(s->db);
		return -1;
	}
	return changed > 0;
}

int store_devices(struct store *s, json_t **out, char *err, size_t err_len)
{
	struct db_rows *r;
	json_t *list = json_array();
	int rc;

	if (list == NULL || db_query(s->db,
	                             "SELECT id, hostname, os, agent_version, first_seen, "
	                             "last_seen, compliant, revoked, last_report_at FROM devices "
	                             "ORDER BY last_seen DESC, id",
	                             NULL, 0, &r, err, err_len) != 0) {
		json_decref(list);
		return -1;
	}
	while ((rc = db_next(r, err, err_len)) == 1) {
		json_t *d = json_object();

		json_object_set_new(d, "id", text_or_null(db_text(r, 0)));
		json_object_set_new(d, "hostname", text_or_null(db_text(r, 1)));
		json_object_set_new(d, "os", text_or_null(db_text(r, 2)));
		json_object_set_new(d, "agent_version", text_or_null(db_text(r, 3)));
		json_object_set_new(d, "first_seen", text_or_null(db_text(r, 4)));
		json_object_set_new(d, "last_seen", text_or_null(db_text(r, 5)));
		json_object_set_new(d, "last_report", text_or_null(db_text(r, 8)));
		json_object_set_new(d, "compliant",
		                    db_text(r, 6) ? json_boolean(db_int(r, 6)) : json_null());
		json_object_set_new(d, "revoked", json_boolean(db_int(r, 7)));
		json_array_append_new(list, d);
	}
	db_rows_free(r);
	if (rc < 0) {
		json_decref(list);
		return -1;
	}
	*out = list;
	return 0;
}

/* HEAD, then ROWS groups of COLS parameters numbered on, then TAIL: one
 * statement for many rows (the text depends only on the counts). */
static char *multi_values(const char *head, int cols, int rows, const char *tail)
{
	size_t cap = strlen(head) + strlen(tail) + (size_t)rows * (size_t)cols * 8 + 16;
	char *sql = malloc(cap);
	size_t n;
	int k = 1;

	if (sql == NULL)
		return NULL;
	n = (size_t)snprintf(sql, cap, "%s", head);
	for (int r = 0; r < rows; r++) {
		sql[n++] = r ? ',' : ' ';
		sql[n++] = '(';
		for (int c = 0; c < cols; c++)
			n += (size_t)snprintf(sql + n, cap - n, "%s?%d", c ? "," : "", k++);
		sql[n++] = ')';
	}
	snprintf(sql + n, cap - n, "%s", tail);
	return sql;
}

/* A report's results, and the latest state per check (which moves only
 * forward in the device's time): a statement per 400 rows, not per row. */
static int by_check_id(const void *a, const void *b)
{
	return strcmp((*(const struct result_in *const *)a)->id,
	              (*(const struct result_in *const *)b)->id);
}

/* The report's results, and, when it is the device's NEWEST, the latest
 * state of each of its checks: a row moves only when the check's status,
 * severity or remediation changed, so latest.at and latest.report_id tell
 * since when and since which report the check has been as it is (and a
 * device whose checks stand still rewrites none of its rows). */
static int add_results(struct store *s, const char *device_id, const struct report_in *r,
                       const char *when, const char *body, long long seq, int newest, char *err,
                       size_t err_len)
{
	char seq_text[24];
	unsigned char digest[32];
	int known = 0; /* DIGEST is this report's */
	size_t total = r->n_results;
	/* in check id order: concurrent writers (several collectors on one
	 * PostgreSQL) then take the check_counts rows' locks in one order */
	const struct result_in **sorted = calloc(total ? total : 1, sizeof(*sorted));
	int rc = 0;

	if (sorted == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	snprintf(seq_text, sizeof(seq_text), "%lld", seq);
	for (size_t k = 0; k < total; k++)
		sorted[k] = &r->results[k];
	qsort(sorted, total, sizeof(*sorted), by_check_id);
	/* the latest rows already hold these states: nothing to move */
	if (newest && s->memo_on && states_digest(sorted, total, digest) == 0) {
		known = 1;
		if (memo_holds(s, device_id, digest))
			newest = 0;
	}

	for (size_t at = 0; rc == 0 && at < total; at += ROWS_PER_STATEMENT) {
		int rows = (int)(total - at < ROWS_PER_STATEMENT ? total - at : ROWS_PER_STATEMENT);
		const char **a = calloc((size_t)rows * 9, sizeof(*a));
		const char **l = calloc((size_t)rows * 7, sizeof(*l));
		char **observed = calloc((size_t)rows, sizeof(*observed));
		char(*spans)[2][24] = calloc((size_t)rows, sizeof(*spans));
		char *ins = s->results_sql[rows], *up = s->latest_sql[rows];

		if (ins == NULL)
			ins = s->results_sql[rows] = multi_values(
			    "INSERT INTO results (report_id, check_id, type, status, "
			    "severity, observed, observed_at, observed_len, report_seq) "
			    "VALUES",
			    9, rows, "");
		if (up == NULL)
			up = s->latest_sql[rows] = multi_values(
			    "INSERT INTO latest (device_id, check_id, report_id, status, severity, "
			    "remediation, at) VALUES",
			    7, rows,
			    " ON CONFLICT(device_id, check_id) DO UPDATE SET "
			    "report_id = excluded.report_id, status = excluded.status, "
			    "severity = excluded.severity, remediation = excluded.remediation, "
			    "at = excluded.at WHERE latest.status IS DISTINCT FROM excluded.status "
			    "OR latest.severity IS DISTINCT FROM excluded.severity "
			    "OR latest.remediation IS DISTINCT FROM excluded.remediation");

		if (a == NULL || l == NULL || observed == NULL || spans == NULL || ins == NULL ||
		    up == NULL) {
			snprintf(err, err_len, "out of memory");
			rc = -1;
		}
		for (int k = 0; rc == 0 && k < rows; k++) {
			const struct result_in *res = sorted[at + (size_t)k];
			const char *id = res->id, *status = res->status, *severity = res->severity;

			/* the observed value's own text, as the agent wrote it:
			 * where it is in the body, and itself when short */
			if (res->observed) {
				if (res->observed_len <= OBSERVED_INLINE)
					observed[k] = strndup(res->observed, res->observed_len);
				snprintf(spans[k][0], sizeof(spans[k][0]), "%zu",
				         (size_t)(res->observed - body));
				snprintf(spans[k][1], sizeof(spans[k][1]), "%zu",
				         res->observed_len);
			}
			a[k * 9 + 0] = r->report_id;
			a[k * 9 + 1] = id;
			a[k * 9 + 2] = res->type;
			a[k * 9 + 3] = status;
			a[k * 9 + 4] = severity;
			a[k * 9 + 5] = observed[k];
			a[k * 9 + 6] = res->observed ? spans[k][0] : NULL;
			a[k * 9 + 7] = res->observed ? spans[k][1] : NULL;
			a[k * 9 + 8] = seq_text;
			l[k * 7 + 0] = device_id;
			l[k * 7 + 1] = id;
			l[k * 7 + 2] = r->report_id;
			l[k * 7 + 3] = status;
			l[k * 7 + 4] = severity;
			l[k * 7 + 5] = res->remediation;
			l[k * 7 + 6] = when;
		}
		if (rc == 0 &&
		    (db_exec(s->db, ins, a, rows * 9, NULL, err, err_len) != 0 ||
		     (newest && db_exec(s->db, up, l, rows * 7, NULL, err, err_len) != 0)))
			rc = -1;
		for (int k = 0; observed && k < rows; k++)
			free(observed[k]);
		free(observed);
		free(spans);
		free(a);
		free(l);
	}
	if (rc == 0 && known && newest)
		memo_stage(s, device_id, digest);
	free(sorted);
	return rc;
}

/* DEVICE's base, whose seq its row holds (BASE_SEQ, -1 for none), into
 * *OUT: as kept, or read from the store and kept; NULL when it has none
 * the writer can use (stored whole is all a base may be). 0, or -1 with
 * ERR when the store could not be read. */
static int base_for(struct store *s, const char *device, long long base_seq,
                    const struct base **out, char *err, size_t err_len)
{
	char seq_text[24], *text = NULL;
	const char *a[2] = { seq_text, device };
	struct db_rows *rows;
	size_t len = 0, stored_len = 0;
	int got;

	*out = base_find(s, device);
	if (*out != NULL && (*out)->seq == base_seq)
		return 0;
	*out = NULL;
	if (base_seq < 0)
		return 0;
	snprintf(seq_text, sizeof(seq_text), "%lld", base_seq);
	if (db_query(s->db,
	             "SELECT body, body_encoding FROM reports WHERE seq = CAST(?1 AS BIGINT) "
	             "AND device_id = ?2",
	             a, 2, &rows, err, err_len) != 0)
		return -1;
	got = db_next(rows, err, err_len);
	if (got == 1) {
		const void *stored = db_blob(rows, 0, &stored_len);
		const char *encoding = db_text(rows, 1);
		char ignored[256];

		/* a base that cannot be read is not used (TEXT stays NULL):
		 * this report becomes the device's new one */
		if (stored != NULL && encoding != NULL && strcmp(encoding, "zstd-base") != 0)
			(void)store_body_decode(stored, stored_len, encoding, NULL, 0, NULL, &text,
			                        &len, ignored, sizeof(ignored));
		while (db_next(rows, err, err_len) == 1)
			;
	}
	db_rows_free(rows);
	if (got < 0)
		return -1;
	if (text != NULL)
		*out = base_stage(s, device, base_seq, text, len, stored_len);
	free(text);
	return 0;
}

/* One report inside the open transaction. */
static enum store_outcome add_one(struct store *s, struct store_item *it, const char *now,
                                  char *err, size_t err_len)
{
	const struct report_in *r = it->report;
	const char *device_id = it->device_id;
	char os[300], day[11], base_text[24], new_base[24];
	long long seq = -1, newest = 0, base_seq = -1;
	void *mine = NULL; /* the body as stored */
	size_t packed = 0;
	const struct base *base;
	int whole; /* stored whole: the device's new base */

	/* what orders a device's reports is the time it claims, but never a
	 * time after the report arrived: a report dated ahead of the clock
	 * (the writer refuses more than ten minutes ahead) ranks as received,
	 * so the reports that come after it outrank it */
	const char *when = strcmp(r->generated_utc, now) > 0 ? now : r->generated_utc;

	snprintf(os, sizeof(os), "%s%s%s", r->os_name ? r->os_name : "", r->os_version ? " " : "",
	         r->os_version ? r->os_version : "");
	snprintf(day, sizeof(day), "%.10s", when);
	{
		/* the device's row, created or refreshed, unless it is revoked:
		 * then the update does not happen and no row comes back (one
		 * round trip for both). Its verdict moves only forward in its
		 * time (a report older than the one it holds leaves it); what
		 * comes back is the device's base and whether this report is
		 * its newest. A report that turns out to be stored already
		 * (its agent did not hear our answer) moved only last_seen and
		 * last_report_at: its verdict is the one already taken */
		const char *a[8] = { device_id, r->hostname,
			             os,        r->agent_version,
			             now,       r->compliant ? "1" : "0",
			             when,      r->serial };
		struct db_rows *rows;
		int got;

		if (db_query(
		        s->db,
		        "INSERT INTO devices (id, hostname, os, agent_version, first_seen, "
		        "last_seen, last_report_at, compliant, last_generated_at, serial) "
		        "VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5, CAST(?6 AS INTEGER), ?7, ?8) "
		        "ON CONFLICT(id) DO UPDATE "
		        "SET hostname = excluded.hostname, os = excluded.os, "
		        "serial = coalesce(excluded.serial, devices.serial), "
		        "agent_version = excluded.agent_version, last_seen = excluded.last_seen, "
		        "last_report_at = excluded.last_report_at, "
		        "compliant = CASE WHEN devices.last_generated_at IS NULL OR "
		        "devices.last_generated_at <= excluded.last_generated_at "
		        "THEN excluded.compliant ELSE devices.compliant END, "
		        "last_generated_at = CASE WHEN devices.last_generated_at IS NULL OR "
		        "devices.last_generated_at <= excluded.last_generated_at "
		        "THEN excluded.last_generated_at ELSE devices.last_generated_at END "
		        "WHERE devices.revoked = 0 RETURNING revoked, body_base, "
		        "CASE WHEN last_generated_at = ?7 THEN 1 ELSE 0 END",
		        a, 8, &rows, err, err_len) != 0)
			goto fail;
		got = db_next(rows, err, err_len);
		if (got == 1 && db_text(rows, 1) != NULL)
			base_seq = db_int(rows, 1);
		if (got == 1)
			newest = db_int(rows, 2);
		while (got == 1 && db_next(rows, err, err_len) == 1)
			;
		db_rows_free(rows);
		if (got < 0)
			goto fail;
		if (got == 0)
			return STORE_REVOKED;
	}
	/* the body as stored (only now: a revoked device's is not): against
	 * the device's base, a few dozen bytes when the device's state is as
	 * it was; whole (a fifth of its size) when it has no base or has
	 * moved on from it, and then it is the device's new base */
	if (base_for(s, device_id, base_seq, &base, err, err_len) != 0)
		goto fail;
	whole = base == NULL;
	if (!whole) {
		if (store_pack(&s->zc, base->text, base->len, it->body, it->body_len, &mine,
		               &packed, err, err_len) != 0)
			goto fail;
		base_seq = base->seq;
		whole = packed > base->stored_len / 4;
		if (whole) {
			free(mine);
			mine = NULL;
		}
	}
	if (whole &&
	    store_pack(&s->zc, NULL, 0, it->body, it->body_len, &mine, &packed, err, err_len) != 0)
		goto fail;
	snprintf(base_text, sizeof(base_text), "%lld", base_seq);
	{
		const char *a[9] = { r->report_id,
			             device_id,
			             r->generated_utc,
			             now,
			             r->policy_sha256,
			             r->compliant ? "1" : "0",
			             mine,
			             whole ? "zstd" : "zstd-base",
			             whole ? NULL : base_text };

		/* the report's place in arrival order comes back, or nothing
		 * when its report_id is stored already; SQLite numbers it here
		 * (one writer), PostgreSQL's identity column does (several) */
		if (db_exec_blob(
		        s->db,
		        db_kind(s->db) == DB_SQLITE
		            ? "INSERT INTO reports (report_id, device_id, generated_at, "
		              "received_at, policy_sha256, compliant, body, body_encoding, "
		              "body_base, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
		              "CAST(?9 AS BIGINT), (SELECT coalesce(max(seq), 0) + 1 FROM "
		              "reports)) "
		              "ON CONFLICT(device_id, report_id) DO NOTHING RETURNING seq"
		            : "INSERT INTO reports (report_id, device_id, generated_at, "
		              "received_at, policy_sha256, compliant, body, body_encoding, "
		              "body_base) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
		              "CAST(?9 AS BIGINT)) "
		              "ON CONFLICT(device_id, report_id) DO NOTHING RETURNING seq",
		        a, 9, 6, packed, NULL, &seq, err, err_len) != 0)
			goto fail;
		if (seq < 0) {
			free(mine);
			return STORE_DUPLICATE; /* the agent did not hear our answer */
		}
	}
	if (whole) {
		/* the device's new base; not kept out of memory (read again
		 * when next needed) */
		const char *a[2] = { device_id, new_base };

		snprintf(new_base, sizeof(new_base), "%lld", seq);
		if (db_exec(s->db,
		            "UPDATE devices SET body_base = CAST(?2 AS BIGINT) WHERE id = ?1", a, 2,
		            NULL, err, err_len) != 0)
			goto fail;
		(void)base_stage(s, device_id, seq, it->body, it->body_len, packed);
	}
	{
		/* the day's verdict moves only forward in the device's time */
		const char *d[5] = { day, device_id, when, r->compliant ? "1" : "0",
			             r->console_user };

		if (db_exec(s->db,
		            "INSERT INTO daily (day, device_id, at, compliant, console_user) "
		            "VALUES (?1, ?2, ?3, CAST(?4 AS INTEGER), ?5) "
		            "ON CONFLICT(day, device_id) DO UPDATE SET at = excluded.at, "
		            "compliant = excluded.compliant, "
		            "console_user = coalesce(excluded.console_user, daily.console_user) "
		            "WHERE excluded.at >= daily.at",
		            d, 5, NULL, err, err_len) != 0)
			goto fail;
	}
	if (add_results(s, device_id, r, when, it->body, seq, newest == 1, err, err_len) != 0)
		goto fail;
	free(mine);
	return STORE_STORED;
fail:
	free(mine);
	return STORE_FAILED;
}

int store_add_reports(struct store *s, struct store_item *items, size_t n, char *err,
                      size_t err_len)
{
	char now[32], one_err[512];
	size_t i, failed = 0;

	now_rfc3339(now);
	/* all in one transaction: one commit, one fsync, and on PostgreSQL no
	 * round trips for savepoints */
	if (n > 1) {
		if (db_begin(s->db, err, err_len) != 0)
			goto fail;
		memo_check(s);
		for (i = 0; i < n; i++) {
			items[i].outcome = add_one(s, &items[i], now, one_err, sizeof(one_err));
			if (items[i].outcome == STORE_FAILED)
				break;
		}
		if (i == n && db_commit(s->db, err, err_len) == 0) {
			memo_settle(s, 1);
			bases_settle(s, 1);
			return 0;
		}
		/* a report failed (or the commit did): the batch is undone and
		 * each report goes in alone, so only the bad one fails */
		db_rollback(s->db);
		memo_settle(s, 0);
		bases_settle(s, 0);
	}
	for (i = 0; i < n; i++) {
		if (db_begin(s->db, err, err_len) != 0)
			goto fail;
		memo_check(s);
		items[i].outcome = add_one(s, &items[i], now, one_err, sizeof(one_err));
		if (items[i].outcome == STORE_FAILED) {
			db_rollback(s->db);
			memo_settle(s, 0);
			bases_settle(s, 0);
			if (failed++ == 0)
				snprintf(err, err_len, "%s", one_err);
		} else if (db_commit(s->db, err, err_len) != 0) {
			db_rollback(s->db);
			memo_settle(s, 0);
			bases_settle(s, 0);
			items[i].outcome = STORE_FAILED;
			failed++;
		} else {
			memo_settle(s, 1);
			bases_settle(s, 1);
		}
	}
	return 0;
fail:
	for (i = 0; i < n; i++)
		items[i].outcome = STORE_FAILED;
	return -1;
}

int store_add_report(struct store *s, const char *device_id, const struct report_in *r,
                     const char *body, size_t body_len, int *duplicate, char *err, size_t err_len)
{
	struct store_item it = {
		.device_id = device_id, .report = r, .body = body, .body_len = body_len
	};

	*duplicate = 0;
	if (store_add_reports(s, &it, 1, err, err_len) != 0)
		return -1;
	if (it.outcome == STORE_FAILED)
		return -1;
	if (it.outcome == STORE_REVOKED) {
		snprintf(err, err_len, "device %s is revoked", device_id);
		return -1;
	}
	*duplicate = it.outcome == STORE_DUPLICATE;
	return 0;
}

int store_pack(void **ctx, const char *base, size_t base_len, const char *body, size_t len,
               void **out, size_t *out_len, char *err, size_t err_len)
{
	size_t cap = ZSTD_compressBound(len), n;
	void *buf = malloc(cap);

	*out = NULL;
	if (buf == NULL || (*ctx == NULL && (*ctx = ZSTD_createCCtx()) == NULL)) {
		free(buf);
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	/* level 1; the frame carries its size and a checksum of the text, so a
	 * damaged body is found when read, not returned altered */
	if (ZSTD_isError(ZSTD_CCtx_setParameter(*ctx, ZSTD_c_compressionLevel, 1)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(*ctx, ZSTD_c_checksumFlag, 1))) {
		free(buf);
		snprintf(err, err_len, "cannot set up compression");
		return -1;
	}
	/* against BASE: its text is the window the frame's matches start in
	 * (for this frame only) */
	if (base != NULL && ZSTD_isError(ZSTD_CCtx_refPrefix(*ctx, base, base_len))) {
		free(buf);
		snprintf(err, err_len, "cannot set up compression against a base");
		return -1;
	}
	n = ZSTD_compress2(*ctx, buf, cap, body, len);
	if (ZSTD_isError(n)) {
		snprintf(err, err_len, "cannot compress the report: %s", ZSTD_getErrorName(n));
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = n;
	return 0;
}

void store_pack_free(void *ctx)
{
	ZSTD_freeCCtx(ctx);
}

void store_tune_writer(struct store *s)
{
	char ignored[64];

	/* temp_store=MEMORY keeps statement journals in 1 KiB chunks; on a
	 * file's default they are held in 64 KiB ones until they spill, and
	 * freeing one after nearly every statement of a batch made glibc give
	 * the pages back (madvise) and fault them in again: 4-9% of the
	 * writer's CPU (bench/RESULTS.md). Only the writer's connection: fleet queries
	 * keep their large temporary tables in files */
	if (db_kind(s->db) == DB_SQLITE)
		db_script(s->db, "PRAGMA temp_store=MEMORY", ignored, sizeof(ignored));
}

void store_defer_checkpoints(struct store *s)
{
	db_defer_checkpoints(s->db);
}

void store_defer_sync(struct store *s)
{
	char ignored[64];

	if (db_kind(s->db) == DB_SQLITE)
		db_script(s->db, "PRAGMA synchronous=NORMAL", ignored, sizeof(ignored));
}

int store_wal_sync(const char *path, int *fd, char *err, size_t err_len)
{
	char wal[4200];
	struct stat named, open_one;

	snprintf(wal, sizeof(wal), "%s-wal", path);
	/* the same file as last time (SQLite keeps its WAL while connections
	 * are open; a new one is opened, and its directory synced, if not) */
	if (*fd >= 0 && (stat(wal, &named) != 0 || fstat(*fd, &open_one) != 0 ||
	                 named.st_ino != open_one.st_ino || named.st_dev != open_one.st_dev)) {
		close(*fd);
		*fd = -1;
	}
	if (*fd < 0) {
		char dir[4200], *slash;
		int dfd;

		*fd = open(wal, O_RDONLY | O_CLOEXEC);
		if (*fd < 0) {
			snprintf(err, err_len, "cannot open %s: %s", wal, strerror(errno));
			return -1;
		}
		snprintf(dir, sizeof(dir), "%s", wal);
		slash = strrchr(dir, '/');
		if (slash != NULL)
			*slash = '\0';
		dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	if (fdatasync(*fd) != 0) {
		snprintf(err, err_len, "cannot sync %s: %s", wal, strerror(errno));
		return -1;
	}
	return 0;
}

long long store_wal_pages(struct store *s)
{
	return db_wal_pages(s->db);
}

int store_checkpoint(struct store *s, char *err, size_t err_len)
{
	return db_checkpoint(s->db, err, err_len);
}

/* a stored body never decodes to more than this: the server takes 1 MiB */
#define BODY_MAX (8u << 20)

/* A zstd frame made whole again, against PREFIX when it was made so. */
static int unpack(const void *stored, size_t len, const char *prefix, size_t prefix_len, char **out,
                  size_t *out_len, char *err, size_t err_len)
{
	unsigned long long size = ZSTD_getFrameContentSize(stored, len);
	ZSTD_DCtx *dc;
	size_t got;
	char *text;

	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > BODY_MAX) {
		snprintf(err, err_len,
		         "store: a report body is damaged (not a zstd frame of its size)");
		return -1;
	}
	text = malloc((size_t)size + 1);
	dc = ZSTD_createDCtx();
	if (text == NULL || dc == NULL) {
		free(text);
		ZSTD_freeDCtx(dc);
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	got = prefix != NULL ? ZSTD_DCtx_refPrefix(dc, prefix, prefix_len) : 0;
	if (!ZSTD_isError(got))
		got = ZSTD_decompressDCtx(dc, text, (size_t)size, stored, len);
	ZSTD_freeDCtx(dc);
	if (ZSTD_isError(got) || got != size) {
		snprintf(err, err_len, "store: a report body is damaged (%s)",
		         ZSTD_isError(got) ? ZSTD_getErrorName(got)
		                           : "shorter than its frame says");
		free(text);
		return -1;
	}
	text[got] = '\0';
	*out = text;
	*out_len = got;
	return 0;
}

int store_body_decode(const void *stored, size_t len, const char *encoding, const void *base,
                      size_t base_len, const char *base_encoding, char **out, size_t *out_len,
                      char *err, size_t err_len)
{
	char *text;

	*out = NULL;
	if (encoding == NULL || strcmp(encoding, "identity") == 0) {
		text = malloc(len + 1);
		if (text == NULL) {
			snprintf(err, err_len, "out of memory");
			return -1;
		}
		if (len)
			memcpy(text, stored, len);
		text[len] = '\0';
		*out = text;
		*out_len = len;
		return 0;
	}
	if (strcmp(encoding, "zstd") == 0)
		return unpack(stored, len, NULL, 0, out, out_len, err, err_len);
	if (strcmp(encoding, "zstd-base") == 0) {
		char *prefix;
		size_t prefix_len;
		int rc;

		/* a base is itself stored whole: never a chain */
		if (base == NULL ||
		    (base_encoding != NULL && strcmp(base_encoding, "zstd-base") == 0)) {
			snprintf(err, err_len, "store: a report body is damaged (%s)",
			         base == NULL ? "its base is missing" : "its base has a base");
			return -1;
		}
		if (store_body_decode(base, base_len, base_encoding, NULL, 0, NULL, &prefix,
		                      &prefix_len, err, err_len) != 0)
			return -1;
		rc = unpack(stored, len, prefix, prefix_len, out, out_len, err, err_len);
		free(prefix);
		return rc;
	}
	snprintf(err, err_len, "store: a report body in an unknown encoding (%.40s)", encoding);
	return -1;
}

int store_report_body(struct store *s, const char *report_id, char **out, size_t *out_len,
                      char *err, size_t err_len)
{
	return store_device_report_body(s, NULL, report_id, out, out_len, err, err_len);
}

int store_device_report_body(struct store *s, const char *device_id, const char *report_id,
                             char **out, size_t *out_len, char *err, size_t err_len)
{
	const char *a[2] = { report_id, device_id };
	struct db_rows *r;
	int rc;

	*out = NULL;
	/* report ids are unique per device: with DEVICE_ID, that device's */
	if (db_query(s->db,
	             device_id != NULL
	                 ? "SELECT r.body, r.body_encoding, b.body, b.body_encoding FROM reports r "
	                   "LEFT JOIN reports b ON b.seq = r.body_base AND b.device_id = "
	                   "r.device_id WHERE r.report_id = ?1 AND r.device_id = ?2"
	                 : "SELECT r.body, r.body_encoding, b.body, b.body_encoding FROM reports r "
	                   "LEFT JOIN reports b ON b.seq = r.body_base AND b.device_id = "
	                   "r.device_id WHERE r.report_id = ?1",
	             a, device_id != NULL ? 2 : 1, &r, err, err_len) != 0)
		return -1;
	rc = db_next(r, err, err_len);
	if (rc == 1) {
		size_t len, base_len = 0;
		const void *stored = db_blob(r, 0, &len), *base = db_blob(r, 2, &base_len);

		rc = store_body_decode(stored ? stored : "", len, db_text(r, 1), base, base_len,
		                       db_text(r, 3), out, out_len, err, err_len) == 0
		         ? 1
		         : -1;
		/* report ids are unique per device: two devices may have sent
		 * one (a device squatting another's id) */
		if (db_next(r, err, err_len) == 1) {
			snprintf(err, err_len,
			         "report %s was sent by more than one device; look it up on the "
			         "device's page (GET /v1/fleet/devices/ID)",
			         report_id);
			free(*out);
			*out = NULL;
			rc = -1;
			while (db_next(r, err, err_len) == 1)
				;
		}
	}
	db_rows_free(r);
	return rc;
}

int store_rollup(struct store *s, const char *today, const char *settle_from, int *rolled,
                 char *err, size_t err_len)
{
	const char *a[2] = { today, settle_from };
	struct db_rows *r;
	char **days = NULL, now[32];
	size_t n = 0, cap = 0;
	int rc;

	*rolled = 0;
	/* the days after the last one rolled, and those from SETTLE_FROM
	 * again (a spooled report may still come in for them); a report
	 * backdated into a day before leaves it as it was rolled */
	if (db_query(s->db,
	             "SELECT DISTINCT day FROM daily WHERE day < ?1 AND "
	             "(day >= ?2 OR day > coalesce((SELECT max(day) FROM rollups), '')) "
	             "ORDER BY day",
	             a, 2, &r, err, err_len) != 0)
		return -1;
	while ((rc = db_next(r, err, err_len)) == 1) {
		if (n == cap) {
			char **grown = realloc(days, (cap = cap ? cap * 2 : 16) * sizeof(*days));

			if (grown == NULL) {
				rc = -1;
				snprintf(err, err_len, "out of memory");
				break;
			}
			days = grown;
		}
		days[n] = strdup(db_text(r, 0) ? db_text(r, 0) : "");
		if (days[n++] == NULL) {
			rc = -1;
			break;
		}
	}
	db_rows_free(r);
	now_rfc3339(now);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *d[2] = { days[i], now };
		int again = strcmp(days[i], settle_from) >= 0;
		long long fresh = 0;

		/* one day, one transaction: its marker and its counts (on
		 * PostgreSQL one collector at a time) */
		if (db_begin(s->db, err, err_len) != 0) {
			rc = -1;
			break;
		}
		if ((db_kind(s->db) == DB_POSTGRESQL &&
		     db_script(s->db, "SELECT pg_advisory_xact_lock(" PG_ROLLUP_LOCK ")", err,
		               err_len) != 0) ||
		    (again && db_exec(s->db, "DELETE FROM daily_checks WHERE day = ?1", d, 1, NULL,
		                      err, err_len) != 0) ||
		    db_exec(s->db,
		            again
		                ? "INSERT INTO rollups (day, at, devices) VALUES (?1, ?2, "
		                  "(SELECT count(*) FROM daily WHERE day = ?1)) ON CONFLICT (day) "
		                  "DO UPDATE SET at = excluded.at, devices = excluded.devices"
		                : "INSERT INTO rollups (day, at, devices) VALUES (?1, ?2, "
		                  "(SELECT count(*) FROM daily WHERE day = ?1)) ON CONFLICT (day) "
		                  "DO NOTHING",
		            d, 2, &fresh, err, err_len) != 0 ||
		    (fresh == 1 &&
		     db_exec(s->db,
		             "INSERT INTO daily_checks (day, check_id, status, n) "
		             "SELECT ?1, x.check_id, x.status, count(*) FROM daily d "
		             "JOIN reports r ON r.seq = (SELECT max(seq) FROM reports k "
		             "  WHERE k.device_id = d.device_id AND k.generated_at = d.at) "
		             "JOIN results x ON x.report_seq = r.seq "
		             "WHERE d.day = ?1 GROUP BY x.check_id, x.status",
		             d, 1, NULL, err, err_len) != 0) ||
		    db_commit(s->db, err, err_len) != 0) {
			db_rollback(s->db);
			rc = -1;
			break;
		}
		*rolled += fresh == 1; /* 0: another collector rolled it */
	}
	for (size_t i = 0; i < n; i++)
		free(days[i]);
	free(days);
	return rc;
}

/* the seqs of one batch of prunable reports, as "1,2,3" into OUT; how many */
static int prunable(struct store *s, const char *cutoff, int batch, char **out, char *err,
                    size_t err_len)
{
	const char *a[1] = { cutoff };
	char sql[1400];
	struct db_rows *r;
	size_t len = 0, cap = 0;
	int n = 0, rc;

	/* older than the cutoff, and neither the device's newest report (its
	 * evidence) nor a base a kept report is compressed against (only a
	 * whole body can be one: its device's current base, or one that a
	 * kept report names) */
	snprintf(sql, sizeof(sql),
	         "SELECT r.seq FROM reports r JOIN devices d ON d.id = r.device_id "
	         "WHERE r.generated_at < ?1 AND r.generated_at < d.last_generated_at "
	         "AND (r.body_encoding <> 'zstd' OR (r.seq <> coalesce(d.body_base, -1) AND "
	         "NOT EXISTS (SELECT 1 FROM reports k WHERE k.device_id = r.device_id AND "
	         "k.body_base = r.seq AND (k.generated_at >= ?1 OR "
	         "k.generated_at >= d.last_generated_at)))) "
	         "ORDER BY r.generated_at LIMIT %d",
	         batch);
	*out = NULL;
	if (db_query(s->db, sql, a, 1, &r, err, err_len) != 0)
		return -1;
	while ((rc = db_next(r, err, err_len)) == 1) {
		char num[32];
		int k = snprintf(num, sizeof(num), "%s%lld", n ? "," : "", db_int(r, 0));

		if (len + (size_t)k + 1 > cap) {
			char *grown = realloc(*out, cap = cap ? cap * 2 : 4096);

			if (grown == NULL) {
				snprintf(err, err_len, "out of memory");
				rc = -1;
				break;
			}
			*out = grown;
		}
		memcpy(*out + len, num, (size_t)k + 1);
		len += (size_t)k;
		n++;
	}
	db_rows_free(r);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return n;
}

int store_prune(struct store *s, const struct store_prune_opts *o, struct store_pruned *done,
                char *err, size_t err_len)
{
	int pg = db_kind(s->db) == DB_POSTGRESQL;
	char now[32];

	memset(done, 0, sizeof(*done));
	/* reports, a batch a transaction: the writer waits at most for one */
	while (o->reports_before != NULL &&
	       !(o->stop && __atomic_load_n(o->stop, __ATOMIC_RELAXED))) {
		char *seqs = NULL, *sql;
		int n;
		struct timespec b0, b1;

		clock_gettime(CLOCK_MONOTONIC, &b0);
		if (db_begin(s->db, err, err_len) != 0)
			return -1;
		n = prunable(s, o->reports_before, o->batch, &seqs, err, err_len);
		if (n <= 0) {
			db_rollback(s->db);
			if (n < 0)
				return -1;
			break;
		}
		size_t sql_len = strlen(seqs) + 200;

		sql = malloc(sql_len);
		if (sql == NULL) {
			free(seqs);
			db_rollback(s->db);
			snprintf(err, err_len, "out of memory");
			return -1;
		}
		snprintf(sql, sql_len, "DELETE FROM results WHERE report_seq IN (%s)", seqs);
		if (db_exec(s->db, sql, NULL, 0, NULL, err, err_len) == 0) {
			long long gone = 0;

			snprintf(sql, sql_len, "DELETE FROM reports WHERE seq IN (%s)", seqs);
			if (db_exec(s->db, sql, NULL, 0, &gone, err, err_len) == 0 &&
			    db_commit(s->db, err, err_len) == 0) {
				done->reports += gone;
				done->batches++;
				free(sql);
				free(seqs);
				clock_gettime(CLOCK_MONOTONIC, &b1);
				if (o->between)
					o->between(o->arg,
					           (double)(b1.tv_sec - b0.tv_sec) +
					               (double)(b1.tv_nsec - b0.tv_nsec) / 1e9);
				continue;
			}
		}
		free(sql);
		free(seqs);
		db_rollback(s->db);
		return -1;
	}
	/* state changes, but never a device's last one for a check: what the
	 * state has been since */
	while (o->changes_before != NULL &&
	       !(o->stop && __atomic_load_n(o->stop, __ATOMIC_RELAXED))) {
		const char *a[1] = { o->changes_before };
		char sql[900];
		long long gone = 0;
		struct timespec b0, b1;

		clock_gettime(CLOCK_MONOTONIC, &b0);
		snprintf(sql, sizeof(sql),
		         "DELETE FROM changes WHERE %s IN (SELECT c.%s FROM changes c "
		         "WHERE c.at < ?1 AND EXISTS (SELECT 1 FROM changes n WHERE "
		         "n.device_id = c.device_id AND n.check_id = c.check_id AND n.at > c.at) "
		         "LIMIT %d)",
		         pg ? "ctid" : "rowid", pg ? "ctid" : "rowid", o->batch * 10);
		if (db_exec(s->db, sql, a, 1, &gone, err, err_len) != 0)
			return -1;
		done->changes += gone;
		if (gone == 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &b1);
		if (o->between)
			o->between(o->arg, (double)(b1.tv_sec - b0.tv_sec) +
			                       (double)(b1.tv_nsec - b0.tv_nsec) / 1e9);
	}
	now_rfc3339(now);
	{
		const char *a[1] = { now };
		long long gone = 0;

		if (db_exec(s->db, "DELETE FROM sessions WHERE expires_at < ?1", a, 1, &gone, err,
		            err_len) != 0)
			return -1;
		done->sessions = gone;
	}
	return 0;
}

long long store_owners_from_console(struct store *s, const char *since_day, char *err,
                                    size_t err_len)
{
	const char *a[1] = { since_day };
	long long changed = 0;

	/* a device no one named an owner for: the user at its console on the
	 * most days since SINCE_DAY (the latest of them on a tie) */
	if (db_exec(
	        s->db,
	        "UPDATE devices SET owner_source = 'console', owner = (SELECT console_user "
	        "FROM daily WHERE device_id = devices.id AND console_user IS NOT NULL AND "
	        "day >= ?1 GROUP BY console_user ORDER BY count(*) DESC, max(day) DESC LIMIT 1) "
	        "WHERE (owner_source IS NULL OR owner_source = 'console') AND "
	        "retired_at IS NULL AND coalesce(owner, '') <> coalesce((SELECT console_user "
	        "FROM daily WHERE device_id = devices.id AND console_user IS NOT NULL AND "
	        "day >= ?1 GROUP BY console_user ORDER BY count(*) DESC, max(day) DESC "
	        "LIMIT 1), coalesce(owner, ''))",
	        a, 1, &changed, err, err_len) != 0)
		return -1;
	return changed;
}

int store_setting(struct store *s, const char *name, const char *value, char *old, size_t old_len,
                  char *err, size_t err_len)
{
	const char *a[2] = { name, value };
	struct db_rows *r;
	int rc;

	*old = '\0';
	if (db_query(s->db, "SELECT value FROM settings WHERE name = ?1", a, 1, &r, err, err_len) !=
	    0)
		return -1;
	while ((rc = db_next(r, err, err_len)) == 1)
		snprintf(old, old_len, "%s", db_text(r, 0) ? db_text(r, 0) : "");
	db_rows_free(r);
	if (rc < 0)
		return -1;
	if (value == NULL || strcmp(old, value) == 0)
		return 0;
	if (db_exec(s->db,
	            "INSERT INTO settings (name, value) VALUES (?1, ?2) "
	            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
	            a, 2, NULL, err, err_len) != 0)
		return -1;
	return 1;
}

int store_check(struct store *s, const char *spec, int max_ms, char *err, size_t err_len)
{
	char why[512] = "";
	int rc = db_quick_check(s->db, max_ms, why, sizeof(why));

	if (rc == 1)
		snprintf(err, err_len,
		         "the store %s is damaged (SQLite's quick_check: %s); nothing was served. "
		         "Restore it from a backup (or salvage it: sqlite3 %s .recover)",
		         spec, why, spec);
	else if (rc < 0)
		snprintf(err, err_len, "the store %s could not be checked: %s", spec, why);
	return rc;
}
