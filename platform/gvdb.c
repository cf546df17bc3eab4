/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gvdb: GVariant database reader. See gvdb.h.
 *
 * Keys are found by walking every item of a table and matching its key
 * from the end, fragment by fragment up its parents, rather than through
 * the hash buckets: the tables we read are small, and this needs no copy of
 * GLib's hash function to stay right.
 */
#include "gvdb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ITEM_SIZE 24
#define NO_PARENT 0xffffffffu
#define MAX_FILE (64u << 20)

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* A table at [start, end) of the file. */
static int table_at(const unsigned char *file, size_t file_len, uint32_t start, uint32_t end,
                    struct gvdb_table *out)
{
	uint32_t n_bloom, n_buckets;
	uint64_t header_len;

	memset(out, 0, sizeof(*out));
	if (start > end || end > file_len || end - start < 8 || start % 4 != 0)
		return -1;
	/* The bloom word count shares its field with the bloom shift. */
	n_bloom = le32(file + start) & ((1u << 27) - 1);
	n_buckets = le32(file + start + 4);
	header_len = 8 + 4 * ((uint64_t)n_bloom + n_buckets);
	if (header_len > end - start)
		return -1;
	out->file = file;
	out->file_len = file_len;
	out->items = file + start + header_len;
	out->n_items = (uint32_t)((end - start - header_len) / ITEM_SIZE);
	return 0;
}

int gvdb_open_bytes(const unsigned char *data, size_t len, struct gvdb_file *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 24 || len > MAX_FILE || memcmp(data, "GVariant", 8) != 0)
		return -EBADMSG;
	out->data = malloc(len);
	if (out->data == NULL)
		return -ENOMEM;
	memcpy(out->data, data, len);
	out->len = len;
	if (table_at(out->data, len, le32(out->data + 16), le32(out->data + 20), &out->root) != 0) {
		gvdb_close(out);
		return -EBADMSG;
	}
	return 0;
}

int gvdb_open(const struct rootfs *root, const char *path, struct gvdb_file *out)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = rootfs_read_file(root, path, MAX_FILE, &buf, &len);
	if (rc != 0)
		return rc;
	rc = gvdb_open_bytes((const unsigned char *)buf, len, out);
	free(buf);
	return rc;
}

void gvdb_close(struct gvdb_file *f)
{
	free(f->data);
	memset(f, 0, sizeof(*f));
}

/* Whether item I's full key is KEY[0, len). */
static int key_matches(const struct gvdb_table *t, uint32_t i, const char *key, size_t len,
                       int depth)
{
	const unsigned char *item;
	uint32_t start, parent;
	uint16_t size;

	if (i >= t->n_items || depth > 64)
		return 0;
	item = t->items + (size_t)i * ITEM_SIZE;
	parent = le32(item + 4);
	start = le32(item + 8);
	size = le16(item + 12);
	if ((uint64_t)start + size > t->file_len || size > len)
		return 0;
	if (memcmp(t->file + start, key + len - size, size) != 0)
		return 0;
	if (parent == NO_PARENT)
		return size == len;
	return key_matches(t, parent, key, len - size, depth + 1);
}

static const unsigned char *find(const struct gvdb_table *t, const char *key)
{
	size_t len = strlen(key);
	uint32_t i;

	for (i = 0; i < t->n_items; i++)
		if (key_matches(t, i, key, len, 0))
			return t->items + (size_t)i * ITEM_SIZE;
	return NULL;
}

int gvdb_has(const struct gvdb_table *t, const char *key)
{
	return find(t, key) != NULL;
}

int gvdb_get_value(const struct gvdb_table *t, const char *key, struct gvdb_value *out)
{
	const unsigned char *item = find(t, key), *data, *nul;
	uint32_t start, end;
	size_t i;

	if (item == NULL || item[14] != 'v')
		return -1;
	start = le32(item + 16);
	end = le32(item + 20);
	if (start > end || end > t->file_len || end - start < 2)
		return -1;
	data = t->file + start;
	/* A serialised "v": the value, a NUL, the value's type string. */
	nul = NULL;
	for (i = end - start; i > 0; i--) {
		if (data[i - 1] == '\0') {
			nul = data + i - 1;
			break;
		}
	}
	if (nul == NULL || nul + 1 == data + (end - start))
		return -1;
	out->data = data;
	out->len = (size_t)(nul - data);
	out->type = (const char *)nul + 1;
	out->type_len = (size_t)(data + (end - start) - (nul + 1));
	return 0;
}

int gvdb_get_table(const struct gvdb_table *t, const char *key, struct gvdb_table *out)
{
	const unsigned char *item = find(t, key);

	if (item == NULL || item[14] != 'H')
		return -1;
	return table_at(t->file, t->file_len, le32(item + 16), le32(item + 20), out);
}

int gvdb_value_number(const struct gvdb_value *v, long long *out, char *type_out)
{
	char type = v->type_len > 0 ? v->type[0] : '\0';

	/* A tuple's first member starts at offset 0 when it is fixed-size. */
	if (type == '(' && v->type_len > 1)
		type = v->type[1];
	if (type_out != NULL)
		*type_out = type;
	switch (type) {
	case 'u':
		if (v->len < 4)
			return -1;
		*out = (long long)le32(v->data);
		return 0;
	case 'i':
		if (v->len < 4)
			return -1;
		*out = (long long)(int32_t)le32(v->data);
		return 0;
	case 'b':
		if (v->len < 1)
			return -1;
		*out = v->data[0] != 0;
		return 0;
	default:
		return -1;
	}
}
