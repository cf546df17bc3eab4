/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the feeds' integration tests read out of a collector's SQLite store.
 */
#ifndef POSTURE_TEST_FEEDSTORE_H
#define POSTURE_TEST_FEEDSTORE_H

#include <sqlite3.h>

#include "testutil.h"

/* The signed envelope the store in DATA keeps for the feed NAME
 * (malloc'd), or NULL when it keeps none. */
static inline char *tu_feed_envelope(const char *data, const char *name)
{
	char path[4300], *text = NULL;
	sqlite3 *db;
	sqlite3_stmt *q;

	snprintf(path, sizeof(path), "%s/collector.db", data);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000); /* a collector may be writing */
	assert_int_equal(
	    sqlite3_prepare_v2(db, "SELECT envelope FROM feeds WHERE name = ?1", -1, &q, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		text = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
	return text;
}

#endif
