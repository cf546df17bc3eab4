/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the deb822 reader and the dpkg status matching, fed in
 * small reads so that lines straddle chunk boundaries. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "deb822.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mem {
	const uint8_t *data;
	size_t size, pos, step;
};

static ssize_t mem_read(void *src, char *buf, size_t len)
{
	struct mem *m = src;
	size_t n = m->size - m->pos;

	if (n > len)
		n = len;
	if (n > m->step)
		n = m->step;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

static int on_stanza(void *user, const struct deb822_stanza *s)
{
	size_t i, *count = user;

	for (i = 0; i < 4; i++)
		if (s->values[i] != NULL &&
		    (s->lens[i] > DEB822_MAX_VALUE || strlen(s->values[i]) != s->lens[i]))
			__builtin_trap();
	(*count)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fields[] = { "Package", "Status", "Version", "Architecture" };
	struct mem m = { .data = data, .size = size, .step = size ? (size_t)data[0] % 61 + 1 : 1 };
	size_t count = 0;

	deb822_parse(mem_read, &m, fields, 4, on_stanza, &count);
	return 0;
}
