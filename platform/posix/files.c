/* SPDX-License-Identifier: Apache-2.0 */
/*
 * files: line-by-line reading of a file below the root, for checks on
 * one-line settings in configuration files. Shared by every POSIX platform.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe.h"

#define MAX_LINE (64 * 1024)

int probe_file_lines(const struct rootfs *root, const char *path,
                     int (*fn)(void *user, const char *line, size_t len, long line_no), void *user,
                     char *err, size_t err_len)
{
	struct stat st;
	char *buf = NULL;
	size_t have = 0;
	long line_no = 0;
	int skipping = 0, fd, rc = 0;

	fd = rootfs_openat(root, path, O_RDONLY);
	if (fd < 0) {
		snprintf(err, err_len, "cannot open %s: %s", path, rootfs_strerror(-fd));
		return fd;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		snprintf(err, err_len, "%s is a directory", path);
		return -EISDIR;
	}
	buf = malloc(MAX_LINE + 1);
	if (buf == NULL) {
		close(fd);
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n = read(fd, buf + have, MAX_LINE - have);
		size_t start = 0;
		int eof = n == 0;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
			break;
		}
		have += (size_t)n;
		for (;;) {
			char *nl = memchr(buf + start, '\n', have - start);
			size_t len;

			if (nl == NULL) {
				if (!eof && !(start == 0 && have == MAX_LINE))
					break;
				if (have == start)
					break;
				/* The last line without a newline, or a line cut at
				 * MAX_LINE whose rest is skipped. */
				len = have - start;
				if (!skipping && fn(user, buf + start, len, ++line_no) != 0)
					goto done;
				skipping = !eof;
				start = have;
				break;
			}
			len = (size_t)(nl - (buf + start));
			if (!skipping && fn(user, buf + start, len, ++line_no) != 0)
				goto done;
			skipping = 0;
			start = (size_t)(nl - buf) + 1;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (eof)
			break;
	}
done:
	free(buf);
	close(fd);
	return rc;
}

int probe_file_stat(const struct rootfs *root, const char *path, struct stat *st)
{
	return rootfs_stat(root, path, st);
}
