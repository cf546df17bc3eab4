/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gvdb: a reader of GLib's GVariant database files, the format of dconf's
 * databases (~/.config/dconf/user, /etc/dconf/db/NAME) and of GSettings'
 * compiled schemas (gschemas.compiled). Read-only, bounds-checked at every
 * offset: a damaged or hostile file gives "not found", never a crash.
 *
 * Layout (little-endian): a header ("GVariant", version, options, root
 * pointer); hash tables of a bloom filter, buckets and 24-byte items. An
 * item's key is a fragment appended to its parent's key; its value is a
 * serialised GVariant of type "v" (type 'v'), a nested table ('H') or a
 * list of children ('L').
 */
#ifndef POSTURE_GVDB_H
#define POSTURE_GVDB_H

#include <stddef.h>
#include <stdint.h>

#include "rootfs.h"

struct gvdb_table {
	const unsigned char *file; /* the whole file */
	size_t file_len;
	const unsigned char *items; /* the table's hash items */
	uint32_t n_items;
};

struct gvdb_file {
	unsigned char *data; /* owned */
	size_t len;
	struct gvdb_table root;
};

/* A value: the GVariant inside a "v", as its type string and bytes. */
struct gvdb_value {
	const char *type; /* not NUL-terminated */
	size_t type_len;
	const unsigned char *data;
	size_t len;
};

/* Reads PATH below ROOT. 0, or a negative errno (-EBADMSG: not a gvdb). */
int gvdb_open(const struct rootfs *root, const char *path, struct gvdb_file *out);

/* As gvdb_open, for bytes already in memory (copied). */
int gvdb_open_bytes(const unsigned char *data, size_t len, struct gvdb_file *out);

void gvdb_close(struct gvdb_file *f);

/* The value of KEY in TABLE. 0, or -1 when absent or malformed. */
int gvdb_get_value(const struct gvdb_table *t, const char *key, struct gvdb_value *out);

/* The nested table KEY of TABLE ('H' items: dconf's ".locks", a schema). */
int gvdb_get_table(const struct gvdb_table *t, const char *key, struct gvdb_table *out);

/* Whether KEY is in TABLE at all. */
int gvdb_has(const struct gvdb_table *t, const char *key);

/*
 * Reads a uint32 ('u'), int32 ('i') or boolean ('b') value as a long long;
 * for a tuple ("(u...)", as gschemas.compiled stores a key's default), its
 * first member. 0, or -1 for another type.
 */
int gvdb_value_number(const struct gvdb_value *v, long long *out, char *type_out);

#endif
