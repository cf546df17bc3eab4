/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fcntl.h (Windows): MinGW's, plus what the agent's state code names from
 * POSIX: the *at() calls over a directory descriptor, and open() of a
 * directory. Implemented in platform/win/posixat.c over CreateFileW and
 * MoveFileExW; see there for how each maps and what it cannot promise.
 */
#ifndef POSTURE_WIN_FCNTL_H
#define POSTURE_WIN_FCNTL_H

#include_next <fcntl.h>

/* not inherited by programs the agent starts */
#ifndef O_CLOEXEC
#define O_CLOEXEC _O_NOINHERIT
#endif
/* Windows follows no link on its own in the state folder: only SYSTEM and
 * Administrators may write there (platform/win/secdir.c), and making a
 * link needs a privilege they alone hold. posixat.c refuses to open a
 * reparse point instead. */
#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0
#endif
/* a bit no CRT flag uses (platform/win/rootfs.c uses the same) */
#ifndef O_DIRECTORY
#define O_DIRECTORY 0x10000000
#endif
#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200

/* open() and openat() take UTF-8 paths, open files in binary mode and
 * share them for deletion (so a file being read can still be replaced, as
 * on POSIX), and open directories (O_DIRECTORY) as descriptors the *at()
 * calls take. */
int posture_open(const char *path, int flags, ...);
int openat(int dirfd, const char *name, int flags, ...);
#define open(...) posture_open(__VA_ARGS__)

#endif
