/* SPDX-License-Identifier: Apache-2.0 */
/*
 * db: see db.h. SQLite keeps its prepared statements in a small cache keyed
 * by the statement's text (so a report's statements are compiled once per
 * connection); PostgreSQL
 * streams query rows in single-row mode so an export of millions of rows
 * never sits in memory whole.
 */
#include "db.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CACHE_SIZE 48

struct cached {
	char *sql; /* a copy: statements with a row count in them are built */
	sqlite3_stmt *st;
	unsigned pg_name; /* PostgreSQL: prepared as posture_<pg_name> */
};

struct db {
	enum db_kind kind;
	sqlite3 *lite;
	PGconn *pg;
	struct cached cache[CACHE_SIZE];
	int n_cached;
	struct db_rows *open_rows;
	unsigned pg_prepared; /* PostgreSQL: statements prepared so far */
	long long wal_pages;  /* SQLite, after the last commit (deferred checkpoints) */
	int resetting;        /* reconnecting to PostgreSQL (a statement that failed
	                       * because the connection broke is not retried: its caller
	                       * says so, and an agent sends its report again) */
};

struct db_rows {
	struct db *db;
	sqlite3_stmt *st; /* SQLite: a cached statement, reset when done */
	PGresult *res;    /* PostgreSQL: the current row's result */
	/* PostgreSQL: the current row's columns db_blob unescaped */
	unsigned char *bytes[DB_ROW_BLOBS];
	int n_bytes, done;
};

/* the row's unescaped columns go with it */
static void rows_forget_bytes(struct db_rows *r)
{
	for (int i = 0; i < r->n_bytes; i++)
		PQfreemem(r->bytes[i]);
	r->n_bytes = 0;
}

int db_spec_is_postgresql(const char *spec)
{
	return strncmp(spec, "postgresql://", 13) == 0 || strncmp(spec, "postgres://", 11) == 0;
}

static void lite_error(struct db *db, char *err, size_t err_len)
{
	snprintf(err, err_len, "store: %s", sqlite3_errmsg(db->lite));
}

static void pg_error(struct db *db, const PGresult *res, char *err, size_t err_len)
{
	const char *msg = res ? PQresultErrorMessage(res) : "";
	size_t n;

	if (*msg == '\0')
		msg = PQerrorMessage(db->pg);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	snprintf(err, err_len, "store: %.*s", (int)n, msg);
}

/* Before a statement: a connection found broken by the last one (a server
 * restarted, a connection cut) is made again. */
static void pg_ready(struct db *db)
{
	if (db->kind == DB_POSTGRESQL && PQstatus(db->pg) == CONNECTION_BAD && !db->resetting) {
		char ignored[8];

		db->resetting = 1;
		PQreset(db->pg);
		/* a new server session knows none of the prepared statements */
		for (int i = 0; i < db->n_cached; i++)
			free(db->cache[i].sql);
		db->n_cached = 0;
		if (PQstatus(db->pg) == CONNECTION_OK)
			db_script(db,
			          "SET synchronous_commit = on; SET client_min_messages = warning",
			          ignored, sizeof(ignored));
		db->resetting = 0;
	}
}

int db_open(const char *spec, int create, struct db **out, char *err, size_t err_len)
{
	struct db *db = calloc(1, sizeof(*db));

	if (db == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	if (db_spec_is_postgresql(spec)) {
		db->kind = DB_POSTGRESQL;
		db->pg = PQconnectdb(spec);
		if (db->pg == NULL || PQstatus(db->pg) != CONNECTION_OK) {
			const char *msg = db->pg ? PQerrorMessage(db->pg) : "out of memory";
			size_t n = strlen(msg);

			while (n > 0 && msg[n - 1] == '\n')
				n--;
			/* the URL may hold a password: it is not repeated */
			snprintf(err, err_len, "cannot connect to the PostgreSQL store: %.*s",
			         (int)n, msg);
			db_close(db);
			return -1;
		}
	} else {
		int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);

		db->kind = DB_SQLITE;
		if (sqlite3_open_v2(spec, &db->lite, flags, NULL) != SQLITE_OK) {
			snprintf(err, err_len, "cannot open the store %s: %s", spec,
			         db->lite ? sqlite3_errmsg(db->lite) : "out of memory");
			db_close(db);
			return -1;
		}
		sqlite3_busy_timeout(db->lite, 10000);
	}
	*out = db;
	return 0;
}

void db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->open_rows)
		db_rows_free(db->open_rows);
	for (int i = 0; i < db->n_cached; i++) {
		sqlite3_finalize(db->cache[i].st);
		free(db->cache[i].sql);
	}
	if (db->lite)
		sqlite3_close(db->lite);
	if (db->pg)
		PQfinish(db->pg);
	free(db);
}

enum db_kind db_kind(const struct db *db)
{
	return db->kind;
}

/* SQLite: the cached statement for SQL, bound to ARGS. */
static sqlite3_stmt *lite_prepare(struct db *db, const char *sql, const char *const *args,
                                  int n_args, char *err, size_t err_len)
{
	sqlite3_stmt *st = NULL;
	int i;

	for (i = 0; i < db->n_cached; i++)
		if (strcmp(db->cache[i].sql, sql) == 0) {
			st = db->cache[i].st;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			break;
		}
	if (st == NULL) {
		if (sqlite3_prepare_v2(db->lite, sql, -1, &st, NULL) != SQLITE_OK) {
			lite_error(db, err, err_len);
			return NULL;
		}
		if (db->n_cached == CACHE_SIZE) {
			/* full: the oldest entry makes room */
			sqlite3_finalize(db->cache[0].st);
			free(db->cache[0].sql);
			memmove(db->cache, db->cache + 1, sizeof(db->cache[0]) * (CACHE_SIZE - 1));
			db->n_cached--;
		}
		db->cache[db->n_cached].sql = strdup(sql);
		if (db->cache[db->n_cached].sql == NULL) {
			sqlite3_finalize(st);
			snprintf(err, err_len, "out of memory");
			return NULL;
		}
		db->cache[db->n_cached].st = st;
		db->n_cached++;
	}
	for (i = 0; i < n_args; i++)
		if ((args[i] ? sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_STATIC)
		             : sqlite3_bind_null(st, i + 1)) != SQLITE_OK) {
			lite_error(db, err, err_len);
			sqlite3_reset(st);
			return NULL;
		}
	return st;
}

/* PostgreSQL: SQL with ?N turned into $N (the store's SQL has no '?' in
 * literals). The caller frees it. */
static char *pg_sql(const char *sql)
{
	char *out = strdup(sql);

	for (char *p = out; p && *p; p++)
		if (*p == '?')
			*p = '$';
	return out;
}

/* PostgreSQL: the name SQL is prepared under on this connection, preparing
 * it the first time (parsed and analysed once, not at every execution).
 * NULL with ERR when the server refuses it. */
static const char *pg_prepare(struct db *db, const char *sql, int n_args, char name[32], char *err,
                              size_t err_len)
{
	struct cached *c = NULL;

	for (int i = 0; i < db->n_cached; i++)
		if (strcmp(db->cache[i].sql, sql) == 0) {
			c = &db->cache[i];
			break;
		}
	if (c == NULL) {
		char *q = pg_sql(sql), *copy = strdup(sql);
		PGresult *res;
		unsigned id = ++db->pg_prepared;

		if (q == NULL || copy == NULL) {
			free(q);
			free(copy);
			snprintf(err, err_len, "out of memory");
			return NULL;
		}
		snprintf(name, 32, "posture_%u", id);
		res = PQprepare(db->pg, name, q, n_args, NULL);
		free(q);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			pg_error(db, res, err, err_len);
			PQclear(res);
			free(copy);
			return NULL;
		}
		PQclear(res);
		if (db->n_cached == CACHE_SIZE) {
			/* full: the oldest makes room, on the server too */
			char drop[48];

			snprintf(drop, sizeof(drop), "DEALLOCATE posture_%u", db->cache[0].pg_name);
			PQclear(PQexec(db->pg, drop));
			free(db->cache[0].sql);
			memmove(db->cache, db->cache + 1, sizeof(db->cache[0]) * (CACHE_SIZE - 1));
			db->n_cached--;
		}
		c = &db->cache[db->n_cached++];
		c->sql = copy;
		c->st = NULL;
		c->pg_name = id;
	}
	snprintf(name, 32, "posture_%u", c->pg_name);
	return name;
}

int db_exec(struct db *db, const char *sql, const char *const *args, int n_args, long long *changes,
            char *err, size_t err_len)
{
	return db_exec_blob(db, sql, args, n_args, -1, 0, changes, NULL, err, err_len);
}

int db_exec_blob(struct db *db, const char *sql, const char *const *args, int n_args, int blob,
                 size_t blob_len, long long *changes, long long *first, char *err, size_t err_len)
{
	if (blob >= n_args || blob_len > 0x7fffffff) {
		snprintf(err, err_len, "store: a parameter out of range");
		return -1;
	}
	pg_ready(db);
	if (db->kind == DB_SQLITE) {
		sqlite3_stmt *st = lite_prepare(db, sql, args, n_args, err, err_len);
		int rc;

		if (st == NULL)
			return -1;
		if (blob >= 0 && args[blob] != NULL &&
		    sqlite3_bind_blob(st, blob + 1, args[blob], (int)blob_len, SQLITE_STATIC) !=
		        SQLITE_OK) {
			lite_error(db, err, err_len);
			sqlite3_reset(st);
			return -1;
		}
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW && first != NULL)
			*first = sqlite3_column_int64(st, 0);
		/* the statement runs to its end (its changes are counted then) */
		while (rc == SQLITE_ROW)
			rc = sqlite3_step(st);
		if (rc != SQLITE_DONE) {
			lite_error(db, err, err_len);
			sqlite3_reset(st);
			return -1;
		}
		if (changes)
			*changes = sqlite3_changes(db->lite);
		sqlite3_reset(st);
		return 0;
	} else {
		char name[32];
		const char *q = pg_prepare(db, sql, n_args, name, err, err_len);
		PGresult *res;
		int ok;

		if (q == NULL)
			return -1;
		if (blob >= 0) {
			/* one parameter sent as bytes, the others as text */
			int *lens = calloc((size_t)n_args, sizeof(int));
			int *formats = calloc((size_t)n_args, sizeof(int));

			if (lens == NULL || formats == NULL) {
				free(lens);
				free(formats);
				snprintf(err, err_len, "out of memory");
				return -1;
			}
			lens[blob] = (int)blob_len;
			formats[blob] = 1;
			res = PQexecPrepared(db->pg, q, n_args, (const char *const *)args, lens,
			                     formats, 0);
			free(lens);
			free(formats);
		} else {
			res = PQexecPrepared(db->pg, q, n_args, (const char *const *)args, NULL,
			                     NULL, 0);
		}
		ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
		     PQresultStatus(res) == PGRES_TUPLES_OK;
		if (!ok) {
			pg_error(db, res, err, err_len);
		} else {
			if (changes)
				*changes = atoll(PQcmdTuples(res));
			if (first != NULL && PQntuples(res) > 0 && PQnfields(res) > 0)
				*first = atoll(PQgetvalue(res, 0, 0));
		}
		PQclear(res);
		return ok ? 0 : -1;
	}
}

int db_script(struct db *db, const char *sql, char *err, size_t err_len)
{
	pg_ready(db);
	if (db->kind == DB_SQLITE) {
		char *msg = NULL;

		if (sqlite3_exec(db->lite, sql, NULL, NULL, &msg) != SQLITE_OK) {
			snprintf(err, err_len, "store: %s", msg ? msg : sqlite3_errmsg(db->lite));
			sqlite3_free(msg);
			return -1;
		}
		return 0;
	} else {
		PGresult *res = PQexec(db->pg, sql);
		int ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
		         PQresultStatus(res) == PGRES_TUPLES_OK;

		if (!ok)
			pg_error(db, res, err, err_len);
		PQclear(res);
		return ok ? 0 : -1;
	}
}

int db_query(struct db *db, const char *sql, const char *const *args, int n_args,
             struct db_rows **rows, char *err, size_t err_len)
{
	struct db_rows *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	if (db->open_rows) /* one query at a time: the forgotten one ends */
		db_rows_free(db->open_rows);
	pg_ready(db);
	r->db = db;
	if (db->kind == DB_SQLITE) {
		r->st = lite_prepare(db, sql, args, n_args, err, err_len);
		if (r->st == NULL) {
			free(r);
			return -1;
		}
	} else {
		char name[32];
		const char *q = pg_prepare(db, sql, n_args, name, err, err_len);
		int sent = q && PQsendQueryPrepared(db->pg, q, n_args, (const char *const *)args,
		                                    NULL, NULL, 0) == 1;

		if (q == NULL) {
			free(r);
			return -1;
		}
		if (!sent || PQsetSingleRowMode(db->pg) != 1) {
			pg_error(db, NULL, err, err_len);
			if (sent) /* the connection must be drained before its next use */
				for (PGresult *res; (res = PQgetResult(db->pg)) != NULL;)
					PQclear(res);
			free(r);
			return -1;
		}
	}
	db->open_rows = r;
	*rows = r;
	return 0;
}

int db_next(struct db_rows *r, char *err, size_t err_len)
{
	struct db *db = r->db;

	if (r->done)
		return 0;
	if (db->kind == DB_SQLITE) {
		int rc = sqlite3_step(r->st);

		if (rc == SQLITE_ROW)
			return 1;
		r->done = 1;
		if (rc == SQLITE_DONE)
			return 0;
		lite_error(db, err, err_len);
		return -1;
	} else {
		PGresult *res;
		int status, rc;

		PQclear(r->res);
		r->res = NULL;
		rows_forget_bytes(r);
		res = PQgetResult(db->pg);
		status = res ? PQresultStatus(res) : PGRES_TUPLES_OK;
		if (status == PGRES_SINGLE_TUPLE) {
			r->res = res;
			return 1;
		}
		rc = status == PGRES_TUPLES_OK ? 0 : -1;
		if (rc != 0)
			pg_error(db, res, err, err_len);
		PQclear(res);
		for (PGresult *more; (more = PQgetResult(db->pg)) != NULL;)
			PQclear(more);
		r->done = 1;
		return rc;
	}
}

const char *db_text(struct db_rows *r, int i)
{
	if (r->db->kind == DB_SQLITE)
		return (const char *)sqlite3_column_text(r->st, i);
	if (r->res == NULL || PQgetisnull(r->res, 0, i))
		return NULL;
	return PQgetvalue(r->res, 0, i);
}

long long db_int(struct db_rows *r, int i)
{
	const char *t;

	if (r->db->kind == DB_SQLITE)
		return sqlite3_column_int64(r->st, i);
	t = db_text(r, i);
	/* PostgreSQL prints booleans as t and f */
	if (t && (*t == 't' || *t == 'f'))
		return *t == 't';
	return t ? atoll(t) : 0;
}

const void *db_blob(struct db_rows *r, int i, size_t *len)
{
	if (r->db->kind == DB_SQLITE) {
		const void *p = sqlite3_column_blob(r->st, i);

		*len = (size_t)sqlite3_column_bytes(r->st, i);
		return p;
	}
	*len = 0;
	if (r->res == NULL || PQgetisnull(r->res, 0, i) || r->n_bytes == DB_ROW_BLOBS)
		return NULL;
	/* rows come as text: a bytea column is hex, \x... */
	r->bytes[r->n_bytes] =
	    PQunescapeBytea((const unsigned char *)PQgetvalue(r->res, 0, i), len);
	return r->bytes[r->n_bytes++];
}

void db_rows_free(struct db_rows *r)
{
	if (r == NULL)
		return;
	rows_forget_bytes(r);
	if (r->db->kind == DB_SQLITE) {
		sqlite3_reset(r->st);
	} else {
		PQclear(r->res);
		if (!r->done)
			for (PGresult *res; (res = PQgetResult(r->db->pg)) != NULL;)
				PQclear(res);
	}
	if (r->db->open_rows == r)
		r->db->open_rows = NULL;
	free(r);
}

/* SQLite calls this after each commit; installing it also turns off the
 * connection's own checkpoints (which are this same hook) */
static int wal_committed(void *arg, sqlite3 *lite, const char *name, int pages)
{
	struct db *db = arg;

	(void)lite;
	(void)name;
	db->wal_pages = pages;
	return SQLITE_OK;
}

void db_defer_checkpoints(struct db *db)
{
	if (db->kind == DB_SQLITE)
		sqlite3_wal_hook(db->lite, wal_committed, db);
}

int db_change_marks(struct db *db, long long *others, long long *mine)
{
	char ignored[64];

	if (db->kind != DB_SQLITE)
		return -1;
	*others = db_query_int(db, "PRAGMA data_version", NULL, 0, ignored, sizeof(ignored));
	*mine = (long long)sqlite3_total_changes64(db->lite);
	return *others < 0 ? -1 : 0;
}

long long db_wal_pages(const struct db *db)
{
	return db->kind == DB_SQLITE ? db->wal_pages : 0;
}

int db_checkpoint(struct db *db, char *err, size_t err_len)
{
	int rc;

	if (db->kind != DB_SQLITE)
		return 0;
	rc = sqlite3_wal_checkpoint_v2(db->lite, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY) { /* busy: another checkpoint runs */
		lite_error(db, err, err_len);
		return -1;
	}
	return 0;
}

long long db_query_int(struct db *db, const char *sql, const char *const *args, int n_args,
                       char *err, size_t err_len)
{
	struct db_rows *r;
	long long v = 0;
	int rc;

	if (db_query(db, sql, args, n_args, &r, err, err_len) != 0)
		return -1;
	rc = db_next(r, err, err_len);
	if (rc == 1)
		v = db_int(r, 0);
	/* the rest is read so PostgreSQL's connection is ready again */
	while (rc == 1)
		rc = db_next(r, err, err_len);
	db_rows_free(r);
	return rc < 0 ? -1 : v;
}

int db_begin(struct db *db, char *err, size_t err_len)
{
	return db_script(db, db->kind == DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN", err, err_len);
}

int db_commit(struct db *db, char *err, size_t err_len)
{
	return db_script(db, "COMMIT", err, err_len);
}

void db_rollback(struct db *db)
{
	char ignored[8];

	db_script(db, "ROLLBACK", ignored, sizeof(ignored));
}

/* sqlite3_progress_handler: stop once the deadline (monotonic ms) passed */
static int past_deadline(void *arg)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000 > *(const long long *)arg;
}

int db_quick_check(struct db *db, int max_ms, char *err, size_t err_len)
{
	struct timespec t;
	long long deadline;
	sqlite3_stmt *st = NULL;
	int rc, verdict = 0;

	if (db->kind != DB_SQLITE)
		return 0; /* PostgreSQL checks its own pages (data checksums) */
	clock_gettime(CLOCK_MONOTONIC, &t);
	deadline = (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000 + max_ms;
	sqlite3_progress_handler(db->lite, 10000, past_deadline, &deadline);
	rc = sqlite3_prepare_v2(db->lite, "PRAGMA quick_check(1)", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 0);

		if (text == NULL || strcmp(text, "ok") != 0) {
			snprintf(err, err_len, "%s", text ? text : "(no answer)");
			verdict = 1;
		}
	} else if (rc == SQLITE_INTERRUPT) {
		verdict = 2;
	} else {
		snprintf(err, err_len, "%s", sqlite3_errmsg(db->lite));
		verdict = rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB ? 1 : -1;
	}
	sqlite3_finalize(st);
	sqlite3_progress_handler(db->lite, 0, NULL, NULL);
	return verdict;
}
