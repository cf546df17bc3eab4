/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rootfs (Windows): the calls of rootfs.h over Windows paths.
 *
 * The host's root is "/": a probe's path is then a Windows path as it is
 * ("C:\ProgramData\x" or "C:/ProgramData/x"). Any other root is a directory
 * standing for the system drive, and a path below it ("/ProgramData/x", a
 * drive letter dropped) is joined to it. Either way a ".." component is
 * refused (-EXDEV), and so is a file that is a reparse point (a symbolic
 * link or junction: -ELOOP), since the agent runs as SYSTEM and must not be
 * steered to another file by whoever could create one. Files are opened
 * with every sharing mode, so an open never waits on another program.
 */
#include "rootfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <windows.h>

/* rootfs.h's callers name open(2)'s flags; MinGW's <fcntl.h> has no
 * O_DIRECTORY, so a bit no CRT flag uses stands for it */
#ifndef O_DIRECTORY
#define O_DIRECTORY 0x10000000
#endif

struct rootfs {
	char *dir;
	int host;
};

int rootfs_open(struct rootfs **out, const char *dir, char *err, size_t err_len)
{
	struct rootfs *r;
	DWORD attr = INVALID_FILE_ATTRIBUTES;

	*out = NULL;
	if (strcmp(dir, "/") != 0) {
		wchar_t w[MAX_PATH];

		if (MultiByteToWideChar(CP_UTF8, 0, dir, -1, w, MAX_PATH) > 0)
			attr = GetFileAttributesW(w);
		if (attr == INVALID_FILE_ATTRIBUTES || !(attr & FILE_ATTRIBUTE_DIRECTORY)) {
			snprintf(err, err_len, "%s is not a directory", dir);
			return -ENOTDIR;
		}
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL || (r->dir = strdup(dir)) == NULL) {
		free(r);
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	r->host = strcmp(dir, "/") == 0;
	*out = r;
	return 0;
}

void rootfs_close(struct rootfs *root)
{
	if (root != NULL) {
		free(root->dir);
		free(root);
	}
}

const char *rootfs_dir(const struct rootfs *root)
{
	return root->dir;
}

int rootfs_is_host(const struct rootfs *root)
{
	return root->host;
}

const char *rootfs_strerror(int errnum)
{
	if (errnum == EFTYPE_POSTURE)
		return "not a regular file or directory";
	if (errnum == EXDEV)
		return "the path leaves the root";
	return strerror(errnum);
}

/* PATH as a wide Windows path below ROOT. 0 or a negative errno. */
static int resolve(const struct rootfs *root, const char *path, wchar_t *out, size_t out_len)
{
	char joined[MAX_PATH * 3];
	const char *p = path;
	int n;

	/* no ".." component, whichever separator is used */
	for (const char *c = path; *c; c++)
		if (c[0] == '.' && c[1] == '.' && (c == path || c[-1] == '/' || c[-1] == '\\') &&
		    (c[2] == '\0' || c[2] == '/' || c[2] == '\\'))
			return -EXDEV;
	if (root->host)
		n = snprintf(joined, sizeof(joined), "%s", path);
	else {
		if (((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':')
			p += 2;
		n = snprintf(joined, sizeof(joined), "%s%s%s", root->dir,
		             (*p == '/' || *p == '\\') ? "" : "/", p);
	}
	if (n < 0 || (size_t)n >= sizeof(joined))
		return -ENAMETOOLONG;
	for (char *c = joined; *c; c++)
		if (*c == '/')
			*c = '\\';
	if (MultiByteToWideChar(CP_UTF8, 0, joined, -1, out, (int)out_len) <= 0)
		return -ENAMETOOLONG;
	return 0;
}

int rootfs_openat(const struct rootfs *root, const char *path, int flags)
{
	wchar_t w[MAX_PATH * 2];
	HANDLE h;
	BY_HANDLE_FILE_INFORMATION info;
	int rc, fd;

	if (flags & O_CREAT)
		return -EINVAL;
	rc = resolve(root, path, w, sizeof(w) / sizeof(w[0]));
	if (rc != 0)
		return rc;
	h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
	                NULL, OPEN_EXISTING,
	                FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		DWORD e = GetLastError();

		return e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND ? -ENOENT
		       : e == ERROR_ACCESS_DENIED                             ? -EACCES
		                                                              : -EIO;
	}
	if (!GetFileInformationByHandle(h, &info)) {
		CloseHandle(h);
		return -EIO;
	}
	if (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) {
		CloseHandle(h);
		return -ELOOP;
	}
	if (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
		/* a directory has no CRT descriptor; callers list it with
		 * rootfs_opendir */
		CloseHandle(h);
		return (flags & O_DIRECTORY) ? -ENOTSUP : -EISDIR;
	}
	if (flags & O_DIRECTORY) {
		CloseHandle(h);
		return -ENOTDIR;
	}
	fd = _open_osfhandle((intptr_t)h, _O_RDONLY | _O_BINARY);
	if (fd < 0) {
		CloseHandle(h);
		return -EMFILE;
	}
	return fd;
}

int rootfs_read_file(const struct rootfs *root, const char *path, size_t max, char **buf_out,
                     size_t *len_out)
{
	int fd = rootfs_openat(root, path, O_RDONLY);
	size_t len = 0, cap = 4096;
	char *buf;

	*buf_out = NULL;
	if (fd < 0)
		return fd;
	buf = malloc(cap + 1);
	for (;;) {
		int n;

		if (buf == NULL) {
			_close(fd);
			return -ENOMEM;
		}
		if (len == cap) {
			char *grown;

			if (cap > max) {
				free(buf);
				_close(fd);
				return -EFBIG;
			}
			cap *= 2;
			grown = realloc(buf, cap + 1);
			if (grown == NULL)
				free(buf);
			buf = grown;
			continue;
		}
		n = _read(fd, buf + len, (unsigned)(cap - len > 65536 ? 65536 : cap - len));
		if (n < 0) {
			free(buf);
			_close(fd);
			return -EIO;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	_close(fd);
	if (len > max) {
		free(buf);
		return -EFBIG;
	}
	buf[len] = '\0';
	*buf_out = buf;
	if (len_out != NULL)
		*len_out = len;
	return 0;
}

int rootfs_readlink(const struct rootfs *root, const char *path, char *buf, size_t buf_len)
{
	(void)root;
	(void)path;
	(void)buf;
	(void)buf_len;
	return -EINVAL; /* probes read no links on Windows */
}

int rootfs_stat(const struct rootfs *root, const char *path, struct stat *st)
{
	wchar_t w[MAX_PATH * 2];
	struct _stat64 s;
	int rc = resolve(root, path, w, sizeof(w) / sizeof(w[0]));

	if (rc != 0)
		return rc;
	{
		DWORD attr = GetFileAttributesW(w);

		if (attr == INVALID_FILE_ATTRIBUTES)
			return -ENOENT;
		if (attr & FILE_ATTRIBUTE_REPARSE_POINT)
			return -ELOOP;
	}
	if (_wstat64(w, &s) != 0)
		return -errno;
	memset(st, 0, sizeof(*st));
	st->st_mode = s.st_mode;
	st->st_size = (off_t)s.st_size;
	st->st_mtime = (time_t)s.st_mtime;
	st->st_atime = (time_t)s.st_atime;
	st->st_ctime = (time_t)s.st_ctime;
	return 0;
}

DIR *rootfs_opendir(const struct rootfs *root, const char *path, int *err_out)
{
	wchar_t w[MAX_PATH * 2];
	char dir[MAX_PATH * 3];
	DIR *d;
	int rc = resolve(root, path, w, sizeof(w) / sizeof(w[0]));

	if (rc == 0 && WideCharToMultiByte(CP_ACP, 0, w, -1, dir, sizeof(dir), NULL, NULL) <= 0)
		rc = -ENAMETOOLONG;
	if (rc != 0) {
		*err_out = rc;
		return NULL;
	}
	d = opendir(dir);
	if (d == NULL)
		*err_out = -errno;
	return d;
}
