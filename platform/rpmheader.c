/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rpmheader: bounds-checked reading of rpm header blobs. See rpmheader.h.
 */
#include "rpmheader.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TAG_NAME 1000
#define TAG_VERSION 1001
#define TAG_RELEASE 1002
#define TAG_EPOCH 1003
#define TAG_ARCH 1022

#define TYPE_INT32 4
#define TYPE_STRING 6
#define TYPE_I18NSTRING 9

/* rpm's own sanity limits (header.c: hdrchkTags, hdrchkData). */
#define MAX_TAGS 0x0000ffff
#define MAX_DATA 0x0fffffff

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int copy_string(const unsigned char *data, uint32_t dl, uint32_t off, char *out,
                       size_t out_len)
{
	const unsigned char *end;
	size_t n;

	if (off >= dl)
		return -1;
	end = memchr(data + off, '\0', dl - off);
	if (end == NULL)
		return -1;
	n = (size_t)(end - (data + off));
	if (n >= out_len)
		return -1;
	memcpy(out, data + off, n);
	out[n] = '\0';
	return 0;
}

int rpmheader_parse(const unsigned char *blob, size_t len, struct rpm_nevra *out)
{
	const unsigned char *index, *data;
	uint32_t il, dl, i;

	memset(out, 0, sizeof(*out));
	if (len < 8)
		return -1;
	il = be32(blob);
	dl = be32(blob + 4);
	if (il == 0 || il > MAX_TAGS || dl > MAX_DATA)
		return -1;
	if ((uint64_t)8 + (uint64_t)il * 16 + dl > len)
		return -1;
	index = blob + 8;
	data = index + (size_t)il * 16;

	for (i = 0; i < il; i++) {
		const unsigned char *e = index + (size_t)i * 16;
		uint32_t tag = be32(e), type = be32(e + 4), off = be32(e + 8), count = be32(e + 12);
		char *dst = NULL;
		size_t dst_len = 0;

		switch (tag) {
		case TAG_NAME:
			dst = out->name;
			dst_len = sizeof(out->name);
			break;
		case TAG_VERSION:
			dst = out->version;
			dst_len = sizeof(out->version);
			break;
		case TAG_RELEASE:
			dst = out->release;
			dst_len = sizeof(out->release);
			break;
		case TAG_ARCH:
			dst = out->arch;
			dst_len = sizeof(out->arch);
			break;
		case TAG_EPOCH:
			if (type != TYPE_INT32 || count < 1 || off > dl || dl - off < 4 || off % 4)
				return -1;
			snprintf(out->epoch, sizeof(out->epoch), "%u", be32(data + off));
			continue;
		default:
			continue;
		}
		if ((type != TYPE_STRING && type != TYPE_I18NSTRING) || count < 1)
			return -1;
		if (copy_string(data, dl, off, dst, dst_len) != 0)
			return -1;
	}
	if (out->name[0] == '\0' || out->version[0] == '\0' || out->release[0] == '\0')
		return -1;
	return 0;
}
