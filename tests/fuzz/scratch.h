/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for fuzz targets that write their input as files into a scratch
 * root and point a probe at it: the root is made once per process and
 * removed when the process ends.
 */
#ifndef POSTURE_FUZZ_SCRATCH_H
#define POSTURE_FUZZ_SCRATCH_H

#define _GNU_SOURCE
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char scratch_dir[64];

static inline int scratch_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void scratch_cleanup(void)
{
	nftw(scratch_dir, scratch_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Makes the scratch root (once) with the given subdirectories. Returns 1 the
 * first time, so the caller can add more. */
static inline int scratch_init(const char *name, const char *const *dirs, size_t n_dirs)
{
	char path[512];
	size_t i;

	if (scratch_dir[0] != '\0')
		return 0;
	snprintf(scratch_dir, sizeof(scratch_dir), "/tmp/posture-fuzz-%s.XXXXXX", name);
	if (mkdtemp(scratch_dir) == NULL)
		abort();
	atexit(scratch_cleanup);
	for (i = 0; i < n_dirs; i++) {
		snprintf(path, sizeof(path), "%s/%s", scratch_dir, dirs[i]);
		mkdir(path, 0755);
	}
	return 1;
}

static inline void scratch_put(const char *rel, const char *text, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", scratch_dir, rel);
	f = fopen(path, "w");
	if (f == NULL)
		abort();
	fwrite(text, 1, len, f);
	fclose(f);
}

/* Writes the NUL-separated parts of DATA into FILES, in order; missing
 * parts become empty files. */
static inline void scratch_put_parts(const unsigned char *data, size_t size, const char *const *files,
                              size_t n_files)
{
	const char *p = (const char *)data, *end = p + size;
	size_t i;

	for (i = 0; i < n_files; i++) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		size_t len = nul ? (size_t)(nul - p) : (size_t)(end - p);

		scratch_put(files[i], p, len);
		p = nul ? nul + 1 : end;
	}
}

#endif
