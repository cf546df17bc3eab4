/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: installed packages from dpkg's status file or rpm's SQLite database.
 *
 * Both are read directly, through the root, never by running dpkg-query or
 * rpm (which would read the host, not the root). The dpkg status file is
 * streamed in one pass whatever the number of queries; rpm's database is
 * asked through its Name index, one indexed lookup per query.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../deb822.h"
#include "../probe.h"
#include "../probeset.h"
#include "../rpmheader.h"
#include "dpkg.h"
#include "packages.h"

static const char *const rpmdb_sqlite_paths[] = {
	"/var/lib/rpm/rpmdb.sqlite",
	"/usr/lib/sysimage/rpm/rpmdb.sqlite",
	NULL,
};

/* Databases of older or other rpm builds that we do not read. */
static const char *const rpmdb_other_paths[] = {
	"/var/lib/rpm/Packages",             /* Berkeley DB, rpm < 4.16 */
	"/var/lib/rpm/Packages.db",          /* ndb (openSUSE) */
	"/usr/lib/sysimage/rpm/Packages.db", /* ndb */
	"/usr/lib/sysimage/rpm/Packages",    /* Berkeley DB */
	NULL,
};

static int exists(const struct rootfs *root, const char *path)
{
	struct stat st;

	return rootfs_stat(root, path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *native_probe_pkg_system(const struct rootfs *root)
{
	size_t i;

	if (exists(root, DPKG_STATUS))
		return "deb";
	for (i = 0; rpmdb_sqlite_paths[i] != NULL; i++)
		if (exists(root, rpmdb_sqlite_paths[i]))
			return "rpm";
	for (i = 0; rpmdb_other_paths[i] != NULL; i++)
		if (exists(root, rpmdb_other_paths[i]))
			return "rpm";
	return NULL;
}

/* Queries sorted by package name (without ":arch") for lookup. */
struct pkg_index {
	const char *name;
	size_t name_len;
	const char *arch; /* NULL: any architecture */
	struct pkg_query *q;
};

static int index_cmp(const void *a, const void *b)
{
	const struct pkg_index *x = a, *y = b;
	size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int rc = memcmp(x->name, y->name, n);

	if (rc != 0)
		return rc;
	return x->name_len < y->name_len ? -1 : x->name_len > y->name_len;
}

static struct pkg_index *build_index(struct pkg_query *queries, size_t n)
{
	struct pkg_index *idx = calloc(n ? n : 1, sizeof(*idx));
	size_t i;

	if (idx == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *colon = strchr(queries[i].name, ':');

		idx[i].name = queries[i].name;
		idx[i].name_len =
		    colon ? (size_t)(colon - queries[i].name) : strlen(queries[i].name);
		idx[i].arch = colon ? colon + 1 : NULL;
		idx[i].q = &queries[i];
	}
	qsort(idx, n, sizeof(*idx), index_cmp);
	return idx;
}

/* Calls pkg_query_add for every query that NAME (and ARCH) answers. */
static void match(struct pkg_index *idx, size_t n_idx, const char *name, size_t name_len,
                  const char *version, const char *arch, const char *state)
{
	struct pkg_index key = { .name = name, .name_len = name_len };
	struct pkg_index *hit = bsearch(&key, idx, n_idx, sizeof(*idx), index_cmp);

	if (hit == NULL)
		return;
	while (hit > idx && index_cmp(hit - 1, &key) == 0)
		hit--;
	for (; hit < idx + n_idx && index_cmp(hit, &key) == 0; hit++)
		if (hit->arch == NULL || strcmp(hit->arch, arch) == 0)
			pkg_query_add(hit->q, version, arch, state);
}

/* --- dpkg ---------------------------------------------------------------- */

struct dpkg_scan {
	struct pkg_index *idx;
	size_t n_idx;
};

static int on_dpkg_entry(void *user, const struct dpkg_entry *e)
{
	struct dpkg_scan *scan = user;

	if (dpkg_files_at_version(e->state))
		match(scan->idx, scan->n_idx, e->name, e->name_len, e->version, e->arch, e->state);
	return 0;
}

static int dpkg_lookup(const struct rootfs *root, struct pkg_query *queries, size_t n, char *err,
                       size_t err_len)
{
	struct dpkg_scan scan = { 0 };
	int rc;

	scan.idx = build_index(queries, n);
	scan.n_idx = n;
	if (scan.idx == NULL) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	rc = dpkg_status_each(root, on_dpkg_entry, &scan, err, err_len);
	free(scan.idx);
	return rc;
}

/* --- rpm ----------------------------------------------------------------- */

/*
 * libsqlite3 is loaded when an rpm database is first read, not at start-up:
 * Debian and Ubuntu machines never need it, and linking it costs every
 * `posture check` 0.2 ms and 0.9 MiB of mapped pages (bench/RESULTS.md).
 * systemd loads its optional libraries the same way.
 */
struct sqlite_api {
	int (*open_v2)(const char *, sqlite3 **, int, const char *);
	int (*prepare_v2)(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
	int (*bind_text)(sqlite3_stmt *, int, const char *, int, void (*)(void *));
	int (*step)(sqlite3_stmt *);
	int (*reset)(sqlite3_stmt *);
	const void *(*column_blob)(sqlite3_stmt *, int);
	int (*column_bytes)(sqlite3_stmt *, int);
	const char *(*errmsg)(sqlite3 *);
	const char *(*errstr)(int);
	int (*finalize)(sqlite3_stmt *);
	int (*close)(sqlite3 *);
};

static int sqlite_load(struct sqlite_api *api, char *err, size_t err_len)
{
	static void *handle;
	const char *missing = NULL;

	if (handle == NULL)
		handle = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL);
	if (handle == NULL) {
		snprintf(err, err_len, "reading the rpm database needs libsqlite3.so.0: %s",
		         dlerror());
		return -ENOTSUP;
	}
	/* POSIX guarantees a function's address survives the trip through the
	 * void * that dlsym() returns. */
#define LOAD(field, symbol)                                    \
	do {                                                   \
		*(void **)&api->field = dlsym(handle, symbol); \
		if (api->field == NULL && missing == NULL)     \
			missing = symbol;                      \
	} while (0)
	LOAD(open_v2, "sqlite3_open_v2");
	LOAD(prepare_v2, "sqlite3_prepare_v2");
	LOAD(bind_text, "sqlite3_bind_text");
	LOAD(step, "sqlite3_step");
	LOAD(reset, "sqlite3_reset");
	LOAD(column_blob, "sqlite3_column_blob");
	LOAD(column_bytes, "sqlite3_column_bytes");
	LOAD(errmsg, "sqlite3_errmsg");
	LOAD(errstr, "sqlite3_errstr");
	LOAD(finalize, "sqlite3_finalize");
	LOAD(close, "sqlite3_close");
#undef LOAD
	if (missing != NULL) {
		snprintf(err, err_len, "libsqlite3.so.0 lacks %s", missing);
		return -ENOTSUP;
	}
	return 0;
}

/* SQLite takes a URI; characters with a meaning there are escaped. */
static void uri_escape(const char *path, char *out, size_t out_len)
{
	size_t n = 0;

	for (; *path && n + 4 < out_len; path++) {
		unsigned char c = (unsigned char)*path;

		if (c == '%' || c == '?' || c == '#' || c < 0x20 || c >= 0x7f)
			n += (size_t)snprintf(out + n, out_len - n, "%%%02X", c);
		else
			out[n++] = (char)c;
	}
	out[n] = '\0';
}

/*
 * Writes into BUF the host path of the file PATH names after resolution
 * inside the root, for SQLite, which only takes a path: Linux's
 * /proc/self/fd names the file the descriptor holds. 0 or a negative errno.
 */
static int rootfs_host_path(const struct rootfs *root, const char *path, char *buf, size_t buf_len)
{
	char proc[64];
	ssize_t n;
	int fd;

#ifdef O_PATH
	fd = rootfs_openat(root, path, O_PATH);
#else
	fd = rootfs_openat(root, path, O_RDONLY);
#endif
	if (fd < 0)
		return fd;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, buf, buf_len);
	if (n < 0)
		n = -errno;
	else if ((size_t)n >= buf_len)
		n = -ENAMETOOLONG;
	else
		buf[n] = '\0';
	close(fd);
	return n < 0 ? (int)n : 0;
}

/* Opens rpm's SQLite database below ROOT read-only (immutable below a
 * foreign root). 0, or a negative errno with err set. */
static int rpm_open(const struct rootfs *root, struct sqlite_api *api, sqlite3 **db,
                    const char **db_path, char *err, size_t err_len)
{
	char host_path[4096], escaped[3 * 4096], uri[3 * 4096 + 64];
	size_t i;
	int rc;

	*db = NULL;
	*db_path = NULL;
	for (i = 0; rpmdb_sqlite_paths[i] != NULL; i++) {
		if (exists(root, rpmdb_sqlite_paths[i])) {
			*db_path = rpmdb_sqlite_paths[i];
			break;
		}
	}
	if (*db_path == NULL) {
		snprintf(err, err_len,
		         "the rpm database is not in SQLite format (rpm before 4.16, or ndb); "
		         "only rpmdb.sqlite is supported");
		return -ENOTSUP;
	}
	rc = sqlite_load(api, err, err_len);
	if (rc != 0)
		return rc;
	rc = rootfs_host_path(root, *db_path, host_path, sizeof(host_path));
	if (rc != 0) {
		snprintf(err, err_len, "cannot open %s: %s", *db_path, rootfs_strerror(-rc));
		return rc;
	}
	uri_escape(host_path, escaped, sizeof(escaped));
	/* On the running system, read-only so that a write-ahead log rpm has not
	 * yet merged is seen. Below any other root, immutable: an inspected
	 * image or container must not gain SQLite's -shm and -wal files. */
	snprintf(uri, sizeof(uri), "file:%s?%s", escaped,
	         rootfs_is_host(root) ? "mode=ro" : "immutable=1");
	rc = api->open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, err_len, "cannot open the rpm database %s: %s", *db_path,
		         *db ? api->errmsg(*db) : api->errstr(rc));
		if (*db != NULL)
			api->close(*db);
		*db = NULL;
		return -EIO;
	}
	return 0;
}

int rpm_each_installed(const struct rootfs *root, int (*fn)(void *user, const struct rpm_nevra *n),
                       void *user, char *err, size_t err_len)
{
	struct sqlite_api api;
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	const char *db_path;
	int rc = rpm_open(root, &api, &db, &db_path, err, err_len);

	if (rc != 0)
		return rc;
	if (api.prepare_v2(db, "SELECT blob FROM Packages", -1, &stmt, NULL) != SQLITE_OK) {
		snprintf(err, err_len, "cannot read the rpm database %s: %s", db_path,
		         api.errmsg(db));
		api.close(db);
		return -EIO;
	}
	while ((rc = api.step(stmt)) == SQLITE_ROW) {
		const unsigned char *blob = api.column_blob(stmt, 0);
		int len = api.column_bytes(stmt, 0);
		struct rpm_nevra n;

		if (blob == NULL || len <= 0 || rpmheader_parse(blob, (size_t)len, &n) != 0)
			continue; /* gpg-pubkey and damaged headers */
		if (fn(user, &n) != 0)
			break;
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
	if (rc != 0)
		snprintf(err, err_len, "cannot read the rpm database %s: %s", db_path,
		         api.errmsg(db));
	api.finalize(stmt);
	api.close(db);
	return rc;
}

static int rpm_lookup(const struct rootfs *root, struct pkg_query *queries, size_t n, char *err,
                      size_t err_len)
{
	const char *db_path = NULL;
	struct sqlite_api api;
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	size_t i;
	int rc;

	rc = rpm_open(root, &api, &db, &db_path, err, err_len);
	if (rc != 0)
		return rc;
	rc = api.prepare_v2(db,
	                    "SELECT p.blob FROM Packages p JOIN Name n ON n.hnum = p.hnum "
	                    "WHERE n.key = ?",
	                    -1, &stmt, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, err_len, "cannot read the rpm database %s: %s", db_path,
		         api.errmsg(db));
		rc = -EIO;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct pkg_query *q = &queries[i];
		const char *colon = strchr(q->name, ':');
		const char *arch = colon ? colon + 1 : NULL;
		char name[256];

		/* "name:arch" filters by architecture, as for deb. */
		snprintf(name, sizeof(name), "%.*s", colon ? (int)(colon - q->name) : 255, q->name);
		api.reset(stmt);
		api.bind_text(stmt, 1, name, -1, SQLITE_STATIC);
		while ((rc = api.step(stmt)) == SQLITE_ROW) {
			const unsigned char *blob = api.column_blob(stmt, 0);
			int len = api.column_bytes(stmt, 0);
			struct rpm_nevra nevra;
			char evr[300];

			if (blob == NULL || len <= 0 ||
			    rpmheader_parse(blob, (size_t)len, &nevra) != 0) {
				snprintf(err, err_len, "malformed package header for %s in %s",
				         name, db_path);
				rc = -EBADMSG;
				goto out;
			}
			if (strcmp(nevra.name, name) != 0 ||
			    (arch && strcmp(nevra.arch, arch) != 0))
				continue;
			snprintf(evr, sizeof(evr), "%s%s%s-%s", nevra.epoch,
			         nevra.epoch[0] ? ":" : "", nevra.version, nevra.release);
			pkg_query_add(q, evr, nevra.arch, "installed");
		}
		if (rc != SQLITE_DONE) {
			snprintf(err, err_len, "cannot read the rpm database %s: %s", db_path,
			         api.errmsg(db));
			rc = -EIO;
			goto out;
		}
	}
	rc = 0;
out:
	if (stmt != NULL)
		api.finalize(stmt);
	if (db != NULL)
		api.close(db);
	return rc;
}

int native_probe_packages(const struct rootfs *root, const char *system, struct pkg_query *queries,
                          size_t n_queries, char *err, size_t err_len)
{
	if (system != NULL && strcmp(system, "deb") == 0)
		return dpkg_lookup(root, queries, n_queries, err, err_len);
	if (system != NULL && strcmp(system, "rpm") == 0)
		return rpm_lookup(root, queries, n_queries, err, err_len);
	snprintf(err, err_len, "no package database found (neither %s nor an rpm database)",
	         DPKG_STATUS);
	return -ENOENT;
}
