/* SPDX-License-Identifier: Apache-2.0 */
/*
 * posixat (Windows): the POSIX file calls the agent's state code is written
 * with (lib/atomicfile.c, agent/spool.c, agent/enrollment.c), over the
 * Win32 file API, declared by platform/win/compat/ beside MinGW's headers.
 *
 * A directory descriptor is a CRT descriptor on a directory handle
 * (CreateFileW with FILE_FLAG_BACKUP_SEMANTICS); the *at() calls name a
 * file by the directory's final path (GetFinalPathNameByHandleW) and the
 * name, so a folder renamed under an open descriptor is followed as on
 * POSIX. Paths are UTF-8, as everywhere in the agent. Files are opened in
 * binary mode and shared for reading, writing and deletion: a report being
 * read can be replaced or removed, as on POSIX. What Windows cannot give:
 * fsync of a directory (NTFS journals its entries; renames are made with
 * MOVEFILE_WRITE_THROUGH instead), and file modes (the state folder's ACL,
 * platform/win/secdir.c, is inherited by everything in it).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <windows.h>

#define WPATH 4096

static int set_errno_from(DWORD e)
{
	switch (e) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_NAME:
		errno = ENOENT;
		break;
	case ERROR_ACCESS_DENIED:
	case ERROR_SHARING_VIOLATION:
	case ERROR_LOCK_VIOLATION:
		errno = EACCES;
		break;
	case ERROR_FILE_EXISTS:
	case ERROR_ALREADY_EXISTS:
		errno = EEXIST;
		break;
	case ERROR_DIRECTORY:
		errno = ENOTDIR;
		break;
	case ERROR_DIR_NOT_EMPTY:
		errno = ENOTEMPTY;
		break;
	case ERROR_DISK_FULL:
	case ERROR_HANDLE_DISK_FULL:
		errno = ENOSPC;
		break;
	case ERROR_FILENAME_EXCED_RANGE:
		errno = ENAMETOOLONG;
		break;
	case ERROR_INVALID_HANDLE:
		errno = EBADF;
		break;
	default:
		errno = EIO;
	}
	return -1;
}

/* The wide path of NAME in DIRFD (AT_FDCWD or an absolute NAME: NAME). */
static int at_path(int dirfd, const char *name, wchar_t *out, size_t n)
{
	size_t len = 0;
	int absolute = name[0] == '\\' || name[0] == '/' || (name[0] != '\0' && name[1] == ':');

	if (dirfd != AT_FDCWD && !absolute) {
		HANDLE h = (HANDLE)_get_osfhandle(dirfd);
		DWORD got;

		if (h == INVALID_HANDLE_VALUE) {
			errno = EBADF;
			return -1;
		}
		got = GetFinalPathNameByHandleW(h, out, (DWORD)n, FILE_NAME_NORMALIZED);
		if (got == 0)
			return set_errno_from(GetLastError());
		if (got + 2 >= n) {
			errno = ENAMETOOLONG;
			return -1;
		}
		len = got;
		if (len > 0 && out[len - 1] != L'\\')
			out[len++] = L'\\';
	}
	if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, name, -1, out + len,
	                        (int)(n - len)) == 0) {
		errno = GetLastError() == ERROR_INSUFFICIENT_BUFFER ? ENAMETOOLONG : EINVAL;
		return -1;
	}
	for (wchar_t *p = out + len; *p; p++)
		if (*p == L'/')
			*p = L'\\';
	return 0;
}

static int is_directory_handle(HANDLE h)
{
	BY_HANDLE_FILE_INFORMATION fi;

	return GetFileInformationByHandle(h, &fi) &&
	       (fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
}

static int open_wide(const wchar_t *path, int flags)
{
	DWORD access, disposition, attrs = FILE_ATTRIBUTE_NORMAL;
	DWORD share = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, (flags & O_CLOEXEC) ? FALSE : TRUE };
	HANDLE h;
	int fd, crt = 0;

	if (flags & O_DIRECTORY) {
		h = CreateFileW(
		    path, FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | READ_CONTROL | SYNCHRONIZE,
		    share, &sa, OPEN_EXISTING,
		    FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
		if (h == INVALID_HANDLE_VALUE)
			return set_errno_from(GetLastError());
		if (!is_directory_handle(h)) {
			CloseHandle(h);
			errno = ENOTDIR;
			return -1;
		}
		crt = _O_RDONLY;
	} else {
		switch (flags & (O_RDONLY | O_WRONLY | O_RDWR)) {
		case O_WRONLY:
			access = GENERIC_WRITE;
			break;
		case O_RDWR:
			access = GENERIC_READ | GENERIC_WRITE;
			break;
		default:
			access = GENERIC_READ;
			crt = _O_RDONLY;
		}
		if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
			disposition = CREATE_NEW;
		else if ((flags & (O_CREAT | O_TRUNC)) == (O_CREAT | O_TRUNC))
			disposition = CREATE_ALWAYS;
		else if (flags & O_CREAT)
			disposition = OPEN_ALWAYS;
		else if (flags & O_TRUNC)
			disposition = TRUNCATE_EXISTING;
		else
			disposition = OPEN_EXISTING;
		if (flags & O_APPEND)
			crt |= _O_APPEND;
		/* a link in the state folder is refused, not followed */
		h = CreateFileW(path, access, share, &sa, disposition,
		                attrs | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
		if (h == INVALID_HANDLE_VALUE)
			return set_errno_from(GetLastError());
		{
			BY_HANDLE_FILE_INFORMATION fi;

			if (GetFileInformationByHandle(h, &fi) &&
			    (fi.dwFileAttributes &
			     (FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DIRECTORY))) {
				CloseHandle(h);
				errno = (fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ? EISDIR
				                                                         : ELOOP;
				return -1;
			}
		}
	}
	fd = _open_osfhandle((intptr_t)h, crt);
	if (fd < 0)
		CloseHandle(h);
	return fd;
}

int posture_open(const char *path, int flags, ...)
{
	wchar_t w[WPATH];

	if (at_path(AT_FDCWD, path, w, WPATH) != 0)
		return -1;
	return open_wide(w, flags);
}

int openat(int dirfd, const char *name, int flags, ...)
{
	wchar_t w[WPATH];

	if (at_path(dirfd, name, w, WPATH) != 0)
		return -1;
	return open_wide(w, flags);
}

int fsync(int fd)
{
	HANDLE h = (HANDLE)_get_osfhandle(fd);

	if (h == INVALID_HANDLE_VALUE) {
		errno = EBADF;
		return -1;
	}
	if (is_directory_handle(h))
		return 0;
	return FlushFileBuffers(h) ? 0 : set_errno_from(GetLastError());
}

int unlinkat(int dirfd, const char *name, int flags)
{
	wchar_t w[WPATH];
	BOOL ok;

	if (at_path(dirfd, name, w, WPATH) != 0)
		return -1;
	ok = (flags & AT_REMOVEDIR) ? RemoveDirectoryW(w) : DeleteFileW(w);
	return ok ? 0 : set_errno_from(GetLastError());
}

int renameat(int olddirfd, const char *oldname, int newdirfd, const char *newname)
{
	wchar_t from[WPATH], to[WPATH];

	if (at_path(olddirfd, oldname, from, WPATH) != 0 ||
	    at_path(newdirfd, newname, to, WPATH) != 0)
		return -1;
	return MoveFileExW(from, to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)
	           ? 0
	           : set_errno_from(GetLastError());
}

int mkdirat(int dirfd, const char *name, unsigned mode)
{
	wchar_t w[WPATH];

	(void)mode;
	if (at_path(dirfd, name, w, WPATH) != 0)
		return -1;
	return CreateDirectoryW(w, NULL) ? 0 : set_errno_from(GetLastError());
}

int fchmod(int fd, unsigned mode)
{
	(void)mode;
	if ((HANDLE)_get_osfhandle(fd) == INVALID_HANDLE_VALUE) {
		errno = EBADF;
		return -1;
	}
	return 0;
}

int fstatat(int dirfd, const char *name, struct stat *st, int flags)
{
	wchar_t w[WPATH];
	WIN32_FILE_ATTRIBUTE_DATA a;
	ULARGE_INTEGER t;

	(void)flags; /* a reparse point is never followed */
	if (at_path(dirfd, name, w, WPATH) != 0)
		return -1;
	if (!GetFileAttributesExW(w, GetFileExInfoStandard, &a))
		return set_errno_from(GetLastError());
	memset(st, 0, sizeof(*st));
	if (a.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
		st->st_mode = 0;
	else if (a.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
		st->st_mode = _S_IFDIR | 0700;
	else
		st->st_mode = _S_IFREG | 0600;
	st->st_size = (off_t)(((unsigned long long)a.nFileSizeHigh << 32) | a.nFileSizeLow);
	/* 100 ns intervals since 1601 to seconds since 1970 */
	t.LowPart = a.ftLastWriteTime.dwLowDateTime;
	t.HighPart = a.ftLastWriteTime.dwHighDateTime;
	st->st_mtime = (time_t)(t.QuadPart / 10000000ULL - 11644473600ULL);
	t.LowPart = a.ftCreationTime.dwLowDateTime;
	t.HighPart = a.ftCreationTime.dwHighDateTime;
	st->st_ctime = (time_t)(t.QuadPart / 10000000ULL - 11644473600ULL);
	st->st_atime = st->st_mtime;
	st->st_nlink = 1;
	return 0;
}

DIR *fdopendir(int fd)
{
	HANDLE h = (HANDLE)_get_osfhandle(fd);
	wchar_t w[WPATH], *p = w;
	char path[WPATH * 3];
	DIR *d;
	DWORD got;

	if (h == INVALID_HANDLE_VALUE) {
		errno = EBADF;
		return NULL;
	}
	got = GetFinalPathNameByHandleW(h, w, WPATH, FILE_NAME_NORMALIZED);
	if (got == 0 || got >= WPATH) {
		set_errno_from(got == 0 ? GetLastError() : ERROR_FILENAME_EXCED_RANGE);
		return NULL;
	}
	/* the CRT's listing takes a DOS path: \\?\C:\x is C:\x */
	if (wcsncmp(p, L"\\\\?\\", 4) == 0 && p[4] != L'\0' && p[5] == L':')
		p += 4;
	if (WideCharToMultiByte(CP_ACP, 0, p, -1, path, (int)sizeof(path), NULL, NULL) == 0) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	d = opendir(path);
	if (d != NULL)
		close(fd);
	return d;
}

void explicit_bzero(void *p, size_t n)
{
	SecureZeroMemory(p, n);
}

int posture_mkdir(const char *path, unsigned mode)
{
	return mkdirat(AT_FDCWD, path, mode);
}
