/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the decompressing stream. The first byte picks the
 * format (.lz4, .gz, .xz or none); the rest is written to a scratch file
 * and read back through stream_read() in small pieces.
 */
#include "scratch.h"

#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "x.lz4", "x.gz", "x.xz", "x", "x.zst", "x.zck" };
	static struct rootfs *root;
	char path[128], err[256], buf[4096];
	struct stream *s = NULL;
	const char *name;
	FILE *f;
	ssize_t n;

	if (size == 0)
		return 0;
	if (scratch_init("stream", NULL, 0) &&
	    rootfs_open(&root, scratch_dir, err, sizeof(err)) != 0)
		abort();
	name = names[data[0] % 6];
	snprintf(path, sizeof(path), "%s/%s", scratch_dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		abort();
	fwrite(data + 1, 1, size - 1, f);
	fclose(f);
	if (stream_open(root, name, &s) != 0) {
		/* zchunk checks its header when opening: a refusal, not a bug. */
		unlink(path);
		return 0;
	}
	do
		n = stream_read(s, buf, 1 + (size % sizeof(buf)));
	while (n > 0);
	stream_close(s);
	unlink(path);
	return 0;
}
