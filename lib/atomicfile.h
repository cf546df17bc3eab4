/* SPDX-License-Identifier: Apache-2.0 */
/*
 * atomicfile: a file replaced whole or not at all, and durable once
 * replaced: written to a temporary ".tmp-NAME" beside it, fsync'ed, renamed
 * over NAME, and the directory fsync'ed. The one implementation for the
 * agent's state (certificates, the collector's policy), its spool, and the
 * collector's certificates and exports. A crash leaves NAME as it was and at
 * most a ".tmp-" file, which the spool removes at start.
 *
 * POSIX calls (openat, fsync, renameat): the one place a Windows port
 * replaces with MoveFileEx(MOVEFILE_REPLACE_EXISTING |
 * MOVEFILE_WRITE_THROUGH).
 */
#ifndef POSTURE_ATOMICFILE_H
#define POSTURE_ATOMICFILE_H

#include <stddef.h>

#define ATOMIC_TMP_PREFIX ".tmp-"

struct atomic_file {
	int dirfd;     /* the directory */
	int own_dirfd; /* opened here, closed by commit or abort */
	int fd;        /* the temporary file, open for writing */
	char name[256];
	char tmp[sizeof(ATOMIC_TMP_PREFIX) + 256];
	char where[4352]; /* "DIR/NAME", for messages */
};

/*
 * Begins replacing NAME in the directory DIRFD, or, when DIRFD is -1, in
 * the directory DIR (NULL: the directory part of NAME, else "."). The
 * temporary file gets MODE. 0, or -1 with ERR.
 */
int atomic_begin(struct atomic_file *a, int dirfd, const char *dir, const char *name, unsigned mode,
                 char *err, size_t err_len);

/* Appends LEN bytes. 0, or -1 with ERR (the caller then aborts). */
int atomic_write(struct atomic_file *a, const void *data, size_t len, char *err, size_t err_len);

/* Gives the file modification time WHEN (Unix seconds) once committed:
 * for a file whose time means something (a release feed's fetch time).
 * 0, or -1 with ERR. */
int atomic_set_mtime(struct atomic_file *a, long long when, char *err, size_t err_len);

/* fsync, rename over NAME, fsync of the directory. 0, or -1 with ERR, and
 * then NAME is as it was and the temporary file is gone. */
int atomic_commit(struct atomic_file *a, char *err, size_t err_len);

/* Gives up: the temporary file is removed, NAME untouched. */
void atomic_abort(struct atomic_file *a);

/* The three above for a whole buffer. */
int atomic_write_file(int dirfd, const char *dir, const char *name, const void *data, size_t len,
                      unsigned mode, char *err, size_t err_len);

#endif
