/* SPDX-License-Identifier: Apache-2.0 */
/*
 * atomicfile: see atomicfile.h. On failure errno says why, as the call that
 * failed set it.
 */
#define _GNU_SOURCE
#include "atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef _WIN32
#include <sys/utime.h>
#endif

int atomic_begin(struct atomic_file *a, int dirfd, const char *dir, const char *name, unsigned mode,
                 char *err, size_t err_len)
{
	const char *slash = strrchr(name, '/');
	char dirbuf[4096];

	memset(a, 0, sizeof(*a));
	a->fd = -1;
	a->dirfd = dirfd;
	if (dirfd < 0 && dir == NULL && slash != NULL) {
		snprintf(dirbuf, sizeof(dirbuf), "%.*s", slash == name ? 1 : (int)(slash - name),
		         name);
		dir = dirbuf;
	}
	if (slash != NULL)
		name = slash + 1;
	if (name[0] == '\0' || strlen(name) >= sizeof(a->name)) {
		snprintf(err, err_len, "'%s' is not a file name", name);
		return -1;
	}
	snprintf(a->name, sizeof(a->name), "%s", name);
	snprintf(a->tmp, sizeof(a->tmp), "%s%s", ATOMIC_TMP_PREFIX, name);
	snprintf(a->where, sizeof(a->where), "%s/%s", dir ? dir : ".", name);
	if (dirfd < 0) {
		a->dirfd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (a->dirfd < 0) {
			snprintf(err, err_len, "cannot open the directory %s: %s", dir ? dir : ".",
			         strerror(errno));
			return -1;
		}
		a->own_dirfd = 1;
	}
	a->fd = openat(a->dirfd, a->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	               (mode_t)mode);
	if (a->fd < 0) {
		snprintf(err, err_len, "cannot write %s: %s", a->where, strerror(errno));
		if (a->own_dirfd)
			close(a->dirfd);
		return -1;
	}
	fchmod(a->fd, (mode_t)mode); /* whatever the umask */
	return 0;
}

int atomic_write(struct atomic_file *a, const void *data, size_t len, char *err, size_t err_len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(a->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, err_len, "cannot write %s: %s", a->where,
			         n < 0 ? strerror(errno) : "no space written");
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void finish(struct atomic_file *a)
{
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	if (a->own_dirfd)
		close(a->dirfd);
	a->own_dirfd = 0;
}

int atomic_set_mtime(struct atomic_file *a, long long when, char *err, size_t err_len)
{
#ifdef _WIN32
	struct __utimbuf64 t = { .actime = (__time64_t)when, .modtime = (__time64_t)when };

	if (_futime64(a->fd, &t) != 0) {
#else
	struct timespec t[2] = { { .tv_sec = (time_t)when }, { .tv_sec = (time_t)when } };

	if (futimens(a->fd, t) != 0) {
#endif
		snprintf(err, err_len, "cannot set the time of %s: %s", a->where, strerror(errno));
		return -1;
	}
	return 0;
}

int atomic_commit(struct atomic_file *a, char *err, size_t err_len)
{
	int fd = a->fd;

	a->fd = -1;
	if (fsync(fd) != 0 || close(fd) != 0 ||
	    renameat(a->dirfd, a->tmp, a->dirfd, a->name) != 0) {
		int e = errno;

		snprintf(err, err_len, "cannot write %s: %s", a->where, strerror(e));
		unlinkat(a->dirfd, a->tmp, 0);
		finish(a);
		errno = e;
		return -1;
	}
	if (fsync(a->dirfd) != 0) {
		int e = errno;

		/* renamed, but the rename may not survive a crash */
		snprintf(err, err_len, "cannot make %s durable: %s", a->where, strerror(e));
		finish(a);
		errno = e;
		return -1;
	}
	finish(a);
	return 0;
}

void atomic_abort(struct atomic_file *a)
{
	if (a->fd >= 0)
		unlinkat(a->dirfd, a->tmp, 0);
	finish(a);
}

int atomic_write_file(int dirfd, const char *dir, const char *name, const void *data, size_t len,
                      unsigned mode, char *err, size_t err_len)
{
	struct atomic_file a;

	if (atomic_begin(&a, dirfd, dir, name, mode, err, err_len) != 0)
		return -1;
	if (atomic_write(&a, data, len, err, err_len) != 0) {
		int e = errno;

		atomic_abort(&a);
		errno = e;
		return -1;
	}
	return atomic_commit(&a, err, err_len);
}
