/* SPDX-License-Identifier: Apache-2.0 */
/*
 * files (none): reading files, not supported on this OS (probe.h). One file per
 * area, so that a port links the stubs of what it has not written yet
 * (mk/windows.mk does) and no stub is copied.
 */
#include <stdio.h>

#include "probe.h"

int probe_file_lines(const struct rootfs *root, const char *path,
                     int (*fn)(void *user, const char *line, size_t len, long line_no), void *user,
                     char *err, size_t err_len)
{
	(void)root;
	(void)path;
	(void)fn;
	(void)user;
	return probe_unsupported(err, err_len);
}

int probe_file_stat(const struct rootfs *root, const char *path, struct stat *st)
{
	(void)root;
	(void)path;
	(void)st;
	return PROBE_UNSUPPORTED;
}
