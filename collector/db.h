/* SPDX-License-Identifier: Apache-2.0 */
/*
 * db: the one seam between the collector's store and its two databases,
 * SQLite (embedded, the default) and PostgreSQL (libpq, for fleets that
 * outgrow one machine). Statements are written once, in the SQL both speak,
 * with ?1..?N parameters (rewritten to $1..$N for PostgreSQL); parameters
 * are always bound, as text (NULL binds SQL NULL), never pasted into SQL.
 */
#ifndef POSTURE_DB_H
#define POSTURE_DB_H

#include <stddef.h>

enum db_kind { DB_SQLITE, DB_POSTGRESQL };

struct db;
struct db_rows;

/* Whether SPEC names a PostgreSQL server (postgresql:// or postgres://). */
int db_spec_is_postgresql(const char *spec);

/* Opens SPEC: a postgresql:// URL, or the path of an SQLite file (created
 * when CREATE). 0 and *OUT, or -1 with ERR. */
int db_open(const char *spec, int create, struct db **out, char *err, size_t err_len);
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);

/* Runs a statement that returns no rows. *CHANGES (when not NULL) is the
 * number of rows it inserted, updated or deleted. 0 or -1 with ERR. */
int db_exec(struct db *db, const char *sql, const char *const *args, int n_args, long long *changes,
            char *err, size_t err_len);

/* db_exec with parameter BLOB (0-based, or -1 for none) bound as
 * BLOB_LEN bytes (a BLOB on SQLite, bytea on PostgreSQL) rather than as
 * text. When the statement returns rows (RETURNING), *FIRST (when not
 * NULL) is the first column of the first row, and is left alone when no
 * row came back. */
int db_exec_blob(struct db *db, const char *sql, const char *const *args, int n_args, int blob,
                 size_t blob_len, long long *changes, long long *first, char *err, size_t err_len);

/* Runs statements with no parameters, one after another (migrations). */
int db_script(struct db *db, const char *sql, char *err, size_t err_len);

/* Runs a query; rows are read with db_next. Only one query is open on a
 * connection at a time. 0 and *ROWS, or -1 with ERR. */
int db_query(struct db *db, const char *sql, const char *const *args, int n_args,
             struct db_rows **rows, char *err, size_t err_len);
/* 1 with a row to read, 0 at the end, -1 with ERR. */
int db_next(struct db_rows *rows, char *err, size_t err_len);
/* Column I of the current row as text: NULL for SQL NULL. */
const char *db_text(struct db_rows *rows, int i);
long long db_int(struct db_rows *rows, int i);
/* Column I of the current row as bytes (a BLOB or bytea; text columns give
 * their text): NULL for SQL NULL, else *LEN bytes valid until the next
 * db_next or db_rows_free; at most DB_ROW_BLOBS calls a row (NULL after). */
#define DB_ROW_BLOBS 4
const void *db_blob(struct db_rows *rows, int i, size_t *len);
void db_rows_free(struct db_rows *rows);

/* A query expected to return one integer (0 when no row or NULL); -1 on
 * error with ERR. */
long long db_query_int(struct db *db, const char *sql, const char *const *args, int n_args,
                       char *err, size_t err_len);

/* SQLite: what moves whenever the database may have changed: *OTHERS on a
 * commit by another connection (PRAGMA data_version), *MINE on any change
 * made through this one (sqlite3_total_changes). 0, or -1 on PostgreSQL
 * or when they cannot be read. */
int db_change_marks(struct db *db, long long *others, long long *mine);

/* SQLite's write-ahead log: db_defer_checkpoints stops this connection
 * checkpointing after its commits (another does it, with db_checkpoint,
 * PASSIVE: never in a writer's way); db_wal_pages is the WAL's size in
 * pages after this connection's last commit. No-ops on PostgreSQL. */
void db_defer_checkpoints(struct db *db);
long long db_wal_pages(const struct db *db);
int db_checkpoint(struct db *db, char *err, size_t err_len);

/* Transactions. db_begin takes the write lock at once on SQLite (so that
 * read-then-write sequences do not deadlock). */
int db_begin(struct db *db, char *err, size_t err_len);
int db_commit(struct db *db, char *err, size_t err_len);
void db_rollback(struct db *db);

/* SQLite's PRAGMA quick_check, for at most MAX_MS: 0 the pages are sound
 * (or the store is PostgreSQL), 1 damaged (ERR says how), 2 not finished
 * in time, -1 could not run (ERR). */
int db_quick_check(struct db *db, int max_ms, char *err, size_t err_len);

#endif
