/* SPDX-License-Identifier: Apache-2.0 */
/*
 * unistd.h (Windows): MinGW's, plus the POSIX calls the agent's state code
 * names (platform/win/posixat.c).
 */
#ifndef POSTURE_WIN_UNISTD_H
#define POSTURE_WIN_UNISTD_H

#include_next <unistd.h>
#include <stddef.h>

/* The CRT's access() knows no execute bit (it refuses mode 1): a program
 * is there or not */
#undef X_OK
#define X_OK F_OK

/* FlushFileBuffers; 0 for a directory, whose entries NTFS journals (a
 * rename is made with MOVEFILE_WRITE_THROUGH) */
int fsync(int fd);
int unlinkat(int dirfd, const char *name, int flags);
/* MoveFileExW(MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) */
int renameat(int olddirfd, const char *oldname, int newdirfd, const char *newname);

#endif
