/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dirent.h (Windows): MinGW's, plus fdopendir (platform/win/posixat.c).
 */
#ifndef POSTURE_WIN_DIRENT_H
#define POSTURE_WIN_DIRENT_H

#include_next <dirent.h>

/* Lists the directory FD was opened on; FD is closed here, as POSIX says
 * it then belongs to the listing. */
DIR *fdopendir(int fd);

#endif
