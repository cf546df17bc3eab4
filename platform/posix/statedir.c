/* SPDX-License-Identifier: Apache-2.0 */
/*
 * os_dir_trusted and os_make_private_dir (os.h) on POSIX: modes and owners.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os.h"

int os_dir_trusted(int fd, const char *path, char *err, size_t err_len)
{
	struct stat st;
	uid_t me = geteuid();

	if (fstat(fd, &st) != 0) {
		snprintf(err, err_len, "cannot inspect %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, err_len, "%s is not a directory", path);
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, err_len,
		         "%s is writable by %s (mode %04o): anyone who can write there can steer "
		         "the agent; refusing to use it (chmod go-w %s)",
		         path, st.st_mode & S_IWOTH ? "every user" : "its group",
		         (unsigned)(st.st_mode & 07777), path);
		return -1;
	}
	if (st.st_uid != me && st.st_uid != 0 && !(me == 0 && st.st_uid < 1000)) {
		snprintf(err, err_len,
		         "%s belongs to user %lu, not to this agent's user (%lu) or root: that "
		         "user could steer the agent; refusing to use it (chown it, or name "
		         "another state directory)",
		         path, (unsigned long)st.st_uid, (unsigned long)me);
		return -1;
	}
	return 0;
}

int os_make_private_dir(const char *dir, char *err, size_t err_len)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, err_len, "%s", strerror(errno));
		return -1;
	}
	return 0;
}
