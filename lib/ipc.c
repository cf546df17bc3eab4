/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipc: framing and checking of the root <-> network messages. See ipc.h.
 */
#include "ipc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const size_t nfields[IPC_TYPE_MAX + 1] = {
	[IPC_CONFIG] = 8,      [IPC_DELIVER] = 2,      [IPC_RESULT] = 5, [IPC_ENROLL] = 4,
	[IPC_ENROLLED] = 6,    [IPC_POLICY_FETCH] = 2, [IPC_POLICY] = 5, [IPC_RENEW] = 2,
	[IPC_FEEDS_FETCH] = 2, [IPC_FEED] = 4,         [IPC_FEEDS] = 3,
};

size_t ipc_nfields(uint32_t type)
{
	return type <= IPC_TYPE_MAX ? nfields[type] : 0;
}

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

long long ipc_parse(const void *buf, size_t len, uint32_t *type, struct ipc_field *fields,
                    size_t max_fields, char *err, size_t err_len)
{
	const unsigned char *p = buf;
	uint32_t t, plen, off = 0;
	size_t want, i;

	if (len < IPC_HEADER)
		return 0;
	t = get_u32(p);
	plen = get_u32(p + 4);
	want = ipc_nfields(t);
	if (want == 0 || want > max_fields) {
		snprintf(err, err_len, "message of unknown type %u", (unsigned)t);
		return -1;
	}
	if (plen > IPC_MAX) {
		snprintf(err, err_len, "message of type %u is %u bytes, more than the %u allowed",
		         (unsigned)t, (unsigned)plen, IPC_MAX);
		return -1;
	}
	if (len - IPC_HEADER < plen)
		return 0;
	p += IPC_HEADER;
	for (i = 0; i < want; i++) {
		uint32_t flen;

		if (plen - off < 4) {
			snprintf(err, err_len, "message of type %u ends inside field %zu",
			         (unsigned)t, i + 1);
			return -1;
		}
		flen = get_u32(p + off);
		off += 4;
		if (flen > plen - off) {
			snprintf(err, err_len,
			         "field %zu of a message of type %u claims %u bytes, %u remain",
			         i + 1, (unsigned)t, (unsigned)flen, (unsigned)(plen - off));
			return -1;
		}
		fields[i].data = (const char *)p + off;
		fields[i].len = flen;
		off += flen;
	}
	if (off != plen) {
		snprintf(err, err_len, "message of type %u has %u bytes after its %zu fields",
		         (unsigned)t, (unsigned)(plen - off), want);
		return -1;
	}
	*type = t;
	return (long long)IPC_HEADER + plen;
}

char *ipc_build(uint32_t type, size_t n, const char *const *values, const size_t *lens,
                size_t *out_len)
{
	size_t total = IPC_HEADER, i, off;
	uint32_t u;
	char *frame;

	if (n != ipc_nfields(type))
		return NULL;
	for (i = 0; i < n; i++) {
		size_t l = lens ? lens[i] : (values[i] ? strlen(values[i]) : 0);

		if (l > IPC_MAX || total + 4 + l > IPC_HEADER + (size_t)IPC_MAX)
			return NULL;
		total += 4 + l;
	}
	frame = malloc(total);
	if (frame == NULL)
		return NULL;
	u = type;
	memcpy(frame, &u, 4);
	u = (uint32_t)(total - IPC_HEADER);
	memcpy(frame + 4, &u, 4);
	off = IPC_HEADER;
	for (i = 0; i < n; i++) {
		size_t l = lens ? lens[i] : (values[i] ? strlen(values[i]) : 0);

		u = (uint32_t)l;
		memcpy(frame + off, &u, 4);
		if (l > 0)
			memcpy(frame + off + 4, values[i], l);
		off += 4 + l;
	}
	*out_len = total;
	return frame;
}

char *ipc_strdup(const struct ipc_field *f)
{
	char *s = malloc((size_t)f->len + 1);

	if (s == NULL)
		return NULL;
	if (f->len > 0)
		memcpy(s, f->data, f->len);
	s[f->len] = '\0';
	return s;
}

long long ipc_number(const struct ipc_field *f, long long max)
{
	long long v = 0;
	uint32_t i;

	if (f->len == 0 || f->len > 19)
		return -1;
	for (i = 0; i < f->len; i++) {
		if (f->data[i] < '0' || f->data[i] > '9')
			return -1;
		v = v * 10 + (f->data[i] - '0');
	}
	return v <= max ? v : -1;
}
