/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stream: reads a file below the root, decompressing it on the way when its
 * name says so (.lz4, .gz, .xz, .zst, .zck), as apt and dnf keep their
 * metadata. Used for
 * indexes far larger than memory should hold: it never loads a whole file.
 */
#ifndef POSTURE_STREAM_H
#define POSTURE_STREAM_H

#include <stddef.h>
#include <sys/types.h>

#include "rootfs.h"

struct stream;

/*
 * Opens PATH, choosing the decompressor by its suffix. Returns 0 and sets
 * *out (close with stream_close), or a negative errno.
 */
int stream_open(const struct rootfs *root, const char *path, struct stream **out);

/* Reads up to LEN decompressed bytes: the count, 0 at the end, -EBADMSG
 * for a corrupt file, or another negative errno. */
ssize_t stream_read(struct stream *s, char *buf, size_t len);

void stream_close(struct stream *s);

/* A deb822_read_fn over a stream (SRC is the struct stream *). */
ssize_t stream_read_fn(void *src, char *buf, size_t len);

#endif
