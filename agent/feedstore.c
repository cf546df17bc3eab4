/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feedstore: see feedstore.h.
 */
#include "feedstore.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomicfile.h"
#include "contract.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#define SERIALS "feed-serials.json"

int feedstore_accept(const char *state_dir, const char *name, long long serial,
                     long long fetched_at, const char *body, size_t len, char *why, size_t why_len)
{
	char path[PATH_MAX], err[400], *text;
	struct atomic_file a;
	json_t *serials;
	long long kept;
	int rc = -1;

	if (!contract_feed_name_ok(name, 63) || serial < 1) {
		snprintf(why, why_len,
		         "a feed named '%.63s' (serial %lld) is not taken: not a plain "
		         ".json file name",
		         name, serial);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", state_dir, SERIALS);
	/* unreadable or missing: every serial is taken again (the files kept
	 * are what the evaluation reads) */
	serials = json_load_file(path, 0, NULL);
	if (!json_is_object(serials)) {
		json_decref(serials);
		serials = json_object();
	}
	kept = json_integer_value(json_object_get(serials, name));
	if (serial < kept) {
		snprintf(why, why_len,
		         "feed %s: serial %lld is older than the %lld kept (a replay); refused",
		         name, serial, kept);
		goto out;
	}
	if (serial == kept) {
		rc = 0;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s", state_dir, FEEDSTORE_DIR);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		snprintf(why, why_len, "cannot make %s: %s", path, strerror(errno));
		goto out;
	}
	/* the feed first, then its serial: a crash between them only means
	 * the same serial is taken again */
	if (atomic_begin(&a, -1, path, name, 0644, err, sizeof(err)) != 0 ||
	    atomic_write(&a, body, len, err, sizeof(err)) != 0 ||
	    atomic_set_mtime(&a, fetched_at, err, sizeof(err)) != 0) {
		if (a.fd >= 0)
			atomic_abort(&a);
		snprintf(why, why_len, "feed %s: %s", name, err);
		goto out;
	}
	if (atomic_commit(&a, err, sizeof(err)) != 0) {
		snprintf(why, why_len, "feed %s: %s", name, err);
		goto out;
	}
	json_object_set_new(serials, name, json_integer(serial));
	text = json_dumps(serials, JSON_SORT_KEYS | JSON_INDENT(1));
	if (text == NULL || atomic_write_file(-1, state_dir, SERIALS, text, strlen(text), 0644, err,
	                                      sizeof(err)) != 0) {
		snprintf(why, why_len, "feed %s: %s", name, text ? err : "out of memory");
		free(text);
		goto out;
	}
	free(text);
	rc = 1;
out:
	json_decref(serials);
	return rc;
}
