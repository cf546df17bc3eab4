/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rootfs: path resolution confined to a root directory. See rootfs.h.
 *
 * The walk keeps a stack of directory descriptors, one per component below
 * the root, so ".." is a pop and can never go above the root descriptor. Each
 * intermediate directory is opened with O_NOFOLLOW; when that fails because
 * the component is a symbolic link, the link's target is spliced in front of
 * the rest of the path and the walk goes on, from the root for an absolute
 * target. The kernel never follows a link for us, so a link in the inspected
 * tree cannot point the walk at the host.
 */
#define _GNU_SOURCE
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef O_PATH
#define DIR_WALK_FLAGS (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#else
#define DIR_WALK_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#endif

#define MAX_LINKS 40
#define MAX_DEPTH 256

struct rootfs {
	int fd;
	int is_host;
	char *dir;
};

int rootfs_open(struct rootfs **out, const char *dir, char *err, size_t err_len)
{
	struct rootfs *root = NULL;
	struct stat st_root, st_slash;
	int rc;

	*out = NULL;
	root = calloc(1, sizeof(*root));
	if (root == NULL) {
		rc = -ENOMEM;
		snprintf(err, err_len, "out of memory");
		goto out;
	}
	root->fd = -1;
	root->dir = strdup(dir);
	if (root->dir == NULL) {
		rc = -ENOMEM;
		snprintf(err, err_len, "out of memory");
		goto out;
	}
	root->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root->fd < 0) {
		rc = -errno;
		snprintf(err, err_len, "cannot open root directory %s: %s", dir, strerror(errno));
		goto out;
	}
	if (fstat(root->fd, &st_root) == 0 && stat("/", &st_slash) == 0)
		root->is_host =
		    st_root.st_dev == st_slash.st_dev && st_root.st_ino == st_slash.st_ino;
	*out = root;
	root = NULL;
	rc = 0;
out:
	rootfs_close(root);
	return rc;
}

void rootfs_close(struct rootfs *root)
{
	if (root == NULL)
		return;
	if (root->fd >= 0)
		close(root->fd);
	free(root->dir);
	free(root);
}

const char *rootfs_dir(const struct rootfs *root)
{
	return root->dir;
}

int rootfs_is_host(const struct rootfs *root)
{
	return root->is_host;
}

/*
 * Walks PATH to its last component. On success returns a descriptor of the
 * directory that holds it (the caller closes it) and copies the component into
 * name ("." when the path names a directory by "/", "." or ".."). With
 * FOLLOW_LAST a last component that is a link is resolved too.
 */
static int walk(const struct rootfs *root, const char *path, int follow_last, char *name,
                size_t name_len)
{
	int fds[MAX_DEPTH];
	int depth = 0;
	int n_links = 0;
	char rest[PATH_MAX];
	char target[PATH_MAX];
	char comp[NAME_MAX + 1];
	size_t pos = 0;
	int rc;

	if (strlen(path) >= sizeof(rest))
		return -ENAMETOOLONG;
	memcpy(rest, path, strlen(path) + 1);
	fds[0] = dup(root->fd);
	if (fds[0] < 0)
		return -errno;

	for (;;) {
		size_t start, comp_len, after;
		int is_last;

		while (rest[pos] == '/')
			pos++;
		if (rest[pos] == '\0') {
			snprintf(name, name_len, ".");
			break;
		}
		start = pos;
		while (rest[pos] != '\0' && rest[pos] != '/')
			pos++;
		comp_len = pos - start;
		if (comp_len > NAME_MAX) {
			rc = -ENAMETOOLONG;
			goto fail;
		}
		memcpy(comp, rest + start, comp_len);
		comp[comp_len] = '\0';
		after = pos;
		while (rest[after] == '/')
			after++;
		is_last = rest[after] == '\0';

		if (strcmp(comp, ".") == 0) {
			if (is_last) {
				snprintf(name, name_len, ".");
				break;
			}
			continue;
		}
		if (strcmp(comp, "..") == 0) {
			if (depth == 0) {
				rc = -EXDEV;
				goto fail;
			}
			close(fds[depth--]);
			if (is_last) {
				snprintf(name, name_len, ".");
				break;
			}
			continue;
		}

		if (is_last && !follow_last) {
			snprintf(name, name_len, "%s", comp);
			break;
		}
		if (!is_last) {
			int fd = openat(fds[depth], comp, DIR_WALK_FLAGS);

			if (fd >= 0) {
				if (depth + 1 >= MAX_DEPTH) {
					close(fd);
					rc = -ENAMETOOLONG;
					goto fail;
				}
				fds[++depth] = fd;
				continue;
			}
			if (errno != ENOTDIR && errno != ELOOP) {
				rc = -errno;
				goto fail;
			}
		}

		/* Either the last component (to follow) or an intermediate one
		 * that is not a directory: a link, or an error. */
		{
			ssize_t n = readlinkat(fds[depth], comp, target, sizeof(target));

			if (n < 0) {
				if (is_last && (errno == EINVAL || errno == ENOENT)) {
					snprintf(name, name_len, "%s", comp);
					break;
				}
				rc = errno == EINVAL ? -ENOTDIR : -errno;
				goto fail;
			}
			if ((size_t)n >= sizeof(target)) {
				rc = -ENAMETOOLONG;
				goto fail;
			}
			target[n] = '\0';
			if (++n_links > MAX_LINKS) {
				rc = -ELOOP;
				goto fail;
			}
			if ((size_t)n + 1 + strlen(rest + pos) >= sizeof(rest)) {
				rc = -ENAMETOOLONG;
				goto fail;
			}
			/* New rest: the target, then what followed the link. */
			{
				size_t tail_len = strlen(rest + pos);

				memmove(rest + n, rest + pos, tail_len + 1);
				memcpy(rest, target, (size_t)n);
				pos = 0;
			}
			if (target[0] == '/') {
				while (depth > 0)
					close(fds[depth--]);
			}
		}
	}
	if (strlen(name) + 1 > name_len) {
		rc = -ENAMETOOLONG;
		goto fail;
	}
	{
		/* Keep only the innermost directory. */
		int keep = fds[depth];

		while (depth > 0)
			close(fds[--depth]);
		return keep;
	}
fail:
	while (depth >= 0)
		close(fds[depth--]);
	return rc;
}

const char *rootfs_strerror(int errnum)
{
	if (errnum == EFTYPE_POSTURE)
		return "not a regular file (a FIFO, socket or device is never read)";
	return strerror(errnum);
}

int rootfs_openat(const struct rootfs *root, const char *path, int flags)
{
	char name[NAME_MAX + 1];
	int dirfd, fd;

	if (flags & O_CREAT)
		return -EINVAL;
	dirfd = walk(root, path, 1, name, sizeof(name));
	if (dirfd < 0)
		return dirfd;
	/* O_NONBLOCK: opening a FIFO for reading waits for a writer, forever
	 * if a user planted one where a probe reads; open, then refuse */
	fd = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		fd = -errno;
	close(dirfd);
#ifdef O_PATH
	if (fd >= 0 && !(flags & O_PATH)) {
#else
	if (fd >= 0) {
#endif
		struct stat st;

		/* what a probe reads is a file, a directory, or a disk (block
		 * devices: encryption headers); a FIFO, a socket or a character
		 * device (/dev/zero never ends) is refused */
		if (fstat(fd, &st) != 0 || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
		    S_ISCHR(st.st_mode)) {
			close(fd);
			return -EFTYPE_POSTURE;
		}
		if (!(flags & O_NONBLOCK))
			(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	}
	return fd;
}

int rootfs_read_file(const struct rootfs *root, const char *path, size_t max, char **buf_out,
                     size_t *len_out)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;
	struct stat st;
	int fd = -1;
	int rc;

	*buf_out = NULL;
	fd = rootfs_openat(root, path, O_RDONLY);
	if (fd < 0) {
		rc = fd;
		goto out;
	}
	if (fstat(fd, &st) != 0) {
		rc = -errno;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = -EISDIR;
		goto out;
	}
	if (S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
		rc = -EFBIG;
		goto out;
	}
	/* Files in /proc and /sys report a size of 0 or 4096: read to EOF. */
	cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	buf = malloc(cap);
	if (buf == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			char *bigger;

			if (cap > max + 1) {
				rc = -EFBIG;
				goto out;
			}
			bigger = realloc(buf, cap * 2);
			if (bigger == NULL) {
				rc = -ENOMEM;
				goto out;
			}
			buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max) {
		rc = -EFBIG;
		goto out;
	}
	buf[len] = '\0';
	*buf_out = buf;
	buf = NULL;
	if (len_out != NULL)
		*len_out = len;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

int rootfs_readlink(const struct rootfs *root, const char *path, char *buf, size_t buf_len)
{
	char name[NAME_MAX + 1];
	ssize_t n;
	int dirfd;

	dirfd = walk(root, path, 0, name, sizeof(name));
	if (dirfd < 0)
		return dirfd;
	n = readlinkat(dirfd, name, buf, buf_len);
	if (n < 0)
		n = -errno;
	else if ((size_t)n >= buf_len)
		n = -ENAMETOOLONG;
	else
		buf[n] = '\0';
	close(dirfd);
	return (int)n;
}

int rootfs_stat(const struct rootfs *root, const char *path, struct stat *st)
{
	char name[NAME_MAX + 1];
	int dirfd, rc = 0;

	dirfd = walk(root, path, 1, name, sizeof(name));
	if (dirfd < 0)
		return dirfd;
	if (fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW) != 0)
		rc = -errno;
	close(dirfd);
	return rc;
}

DIR *rootfs_opendir(const struct rootfs *root, const char *path, int *err_out)
{
	DIR *dir;
	int fd = rootfs_openat(root, path, O_RDONLY | O_DIRECTORY);

	if (fd < 0) {
		*err_out = fd;
		return NULL;
	}
	dir = fdopendir(fd);
	if (dir == NULL) {
		*err_out = -errno;
		close(fd);
	}
	return dir;
}
