/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sys/stat.h (Windows): MinGW's, plus the *at() calls and fchmod
 * (platform/win/posixat.c).
 */
#ifndef POSTURE_WIN_SYS_STAT_H
#define POSTURE_WIN_SYS_STAT_H

#include_next <sys/stat.h>
/* the CRT's one-argument mkdir, declared before it is replaced */
#include <direct.h>
#include <io.h>

/* a reparse point (a link) is reported as neither file nor directory */
int fstatat(int dirfd, const char *name, struct stat *st, int flags);
/* CreateDirectoryW: the new folder inherits its parent's ACL */
int mkdirat(int dirfd, const char *name, unsigned mode);
/* Nothing to do: a file's ACL is inherited from the state folder, which
 * grants SYSTEM and Administrators alone (platform/win/secdir.c). */
int fchmod(int fd, unsigned mode);
/* POSIX's mkdir(PATH, MODE): CreateDirectoryW of a UTF-8 path; MODE is
 * the parent's inherited ACL */
int posture_mkdir(const char *path, unsigned mode);
#define mkdir(path, mode) posture_mkdir(path, mode)

#endif
