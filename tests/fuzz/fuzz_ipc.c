/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the frames the root process reads from the network
 * process (lib/ipc.h), which a compromised network process controls. A
 * parse either finds a whole, exactly-sized frame whose fields lie inside
 * the input, asks for more bytes, or refuses; a refused frame has a reason.
 * Rebuilding an accepted frame from its fields gives back the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *end = (const char *)data + size;
	struct ipc_field f[8];
	const char *values[8];
	size_t lens[8], off = 0;
	char err[256];

	while (off < size) {
		uint32_t type = 0;
		long long used;
		size_t n, out_len = 0;
		char *again;

		err[0] = '\0';
		used = ipc_parse(data + off, size - off, &type, f, 8, err, sizeof(err));
		if (used == 0)
			break;
		if (used < 0) {
			if (err[0] == '\0')
				abort();
			break;
		}
		if ((size_t)used > size - off || used < (long long)IPC_HEADER)
			abort();
		n = ipc_nfields(type);
		for (size_t i = 0; i < n; i++) {
			if (f[i].data < (const char *)data + off || f[i].data + f[i].len > end)
				abort();
			values[i] = f[i].data;
			lens[i] = f[i].len;
			(void)ipc_number(&f[i], 86400);
		}
		again = ipc_build(type, n, values, lens, &out_len);
		if (again == NULL || out_len != (size_t)used ||
		    memcmp(again, data + off, out_len) != 0)
			abort();
		free(again);
		off += (size_t)used;
	}
	return 0;
}
