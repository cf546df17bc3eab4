/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rootfs: every file a probe reads goes through here.
 *
 * A root is a directory that stands for "/" of the system being inspected: the
 * host itself, a mounted disk image, a container's root or a test fixture.
 * Paths are resolved one component at a time below the root's directory file
 * descriptor. Symbolic links are followed the way the inspected system would
 * follow them: an absolute target starts again at the root, a relative one
 * from the link's directory. A ".." that would climb above the root, from the
 * path or from a link, is refused with -EXDEV, so nothing outside the root is
 * ever opened, whatever the tree contains.
 *
 * This module must never read a path with the host's own resolver (open(2) on
 * a joined string), and never run a program.
 */
#ifndef POSTURE_ROOTFS_H
#define POSTURE_ROOTFS_H

#include <dirent.h>
#include <stddef.h>
#include <sys/stat.h>

struct rootfs;

/*
 * Opens DIR as the root ("/" for the host). Returns 0 and sets *out (free
 * with rootfs_close), or a negative errno with a sentence in err.
 */
int rootfs_open(struct rootfs **out, const char *dir, char *err, size_t err_len);
void rootfs_close(struct rootfs *root);

/* The directory given to rootfs_open, as given. Owned by root. */
const char *rootfs_dir(const struct rootfs *root);

/* 1 when the root is the running system's "/", so /proc describes it. */
int rootfs_is_host(const struct rootfs *root);

/* What rootfs_openat returns for a path that names a FIFO, a socket or a
 * character device: nothing a probe should read (a FIFO would stall it, a
 * device such as /dev/zero never ends). rootfs_strerror says so. */
#define EFTYPE_POSTURE ENODEV

/* strerror(3) for the errors above: ERRNUM is positive. */
const char *rootfs_strerror(int errnum);

/*
 * Opens PATH (absolute, as seen inside the root) with open(2) FLAGS
 * (O_RDONLY, O_DIRECTORY, ...; O_CLOEXEC is always added; O_CREAT is refused).
 * The open never waits (O_NONBLOCK, cleared again unless FLAGS asks for it),
 * and anything but a regular file, a directory or a block device is refused
 * with -EFTYPE_POSTURE. Returns a file descriptor the caller closes, or a
 * negative errno.
 */
int rootfs_openat(const struct rootfs *root, const char *path, int flags);

/*
 * Reads the whole of PATH into a NUL-terminated buffer that the caller frees.
 * Files larger than MAX bytes give -EFBIG. *len_out (may be NULL) gets the
 * length without the NUL. Returns 0 or a negative errno.
 */
int rootfs_read_file(const struct rootfs *root, const char *path, size_t max, char **buf_out,
                     size_t *len_out);

/*
 * Reads the target of the symbolic link PATH itself (the last component is
 * not followed) into buf, NUL-terminated. Returns the length or a negative
 * errno (-EINVAL when PATH is not a link, -ENAMETOOLONG when buf is short).
 */
int rootfs_readlink(const struct rootfs *root, const char *path, char *buf, size_t buf_len);

/* stat(2) of PATH, following links inside the root. 0 or a negative errno. */
int rootfs_stat(const struct rootfs *root, const char *path, struct stat *st);

/*
 * Opens the directory PATH for readdir(3); close it with closedir(3).
 * Returns NULL with *err_out set to a negative errno on failure.
 */
DIR *rootfs_opendir(const struct rootfs *root, const char *path, int *err_out);

#endif
