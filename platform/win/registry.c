/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry: see registry.h.
 */
#include "registry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int wide(const char *s, wchar_t *out, int out_len)
{
	return MultiByteToWideChar(CP_UTF8, 0, s, -1, out, out_len) > 0 ? 0 : -ENAMETOOLONG;
}

static int open_key(HKEY root, const char *path, REGSAM view, HKEY *key)
{
	wchar_t w[512];
	LONG rc;

	if (wide(path, w, 512) != 0)
		return -ENAMETOOLONG;
	rc = RegOpenKeyExW(root, w, 0, KEY_READ | view, key);
	if (rc == ERROR_FILE_NOT_FOUND || rc == ERROR_PATH_NOT_FOUND)
		return -ENOENT;
	return rc == ERROR_SUCCESS ? 0 : -EACCES;
}

/* The value NAME of KEY, read whole (malloc'd, NUL-terminated as wide). */
static int query(HKEY key, const char *name, DWORD *type, BYTE **data, DWORD *size)
{
	wchar_t w[256];
	LONG rc;

	*data = NULL;
	if (wide(name, w, 256) != 0)
		return -ENAMETOOLONG;
	rc = RegQueryValueExW(key, w, NULL, type, NULL, size);
	if (rc == ERROR_FILE_NOT_FOUND)
		return -ENOENT;
	if (rc != ERROR_SUCCESS || *size > (1u << 20))
		return -EINVAL;
	*data = calloc(1, *size + sizeof(wchar_t) * 2);
	if (*data == NULL)
		return -ENOMEM;
	rc = RegQueryValueExW(key, w, NULL, type, *data, size);
	if (rc != ERROR_SUCCESS) {
		free(*data);
		*data = NULL;
		return rc == ERROR_FILE_NOT_FOUND ? -ENOENT : -EINVAL;
	}
	return 0;
}

/* The value NAME of ROOT\PATH, as query() reads it. */
static int read_value(HKEY root, const char *path, const char *name, REGSAM view, DWORD *type,
                      BYTE **data, DWORD *size)
{
	HKEY key;
	int rc = open_key(root, path, view, &key);

	if (rc != 0)
		return rc;
	rc = query(key, name, type, data, size);
	RegCloseKey(key);
	return rc;
}

int reg_string(HKEY root, const char *path, const char *name, REGSAM view, char *out,
               size_t out_len)
{
	DWORD type = 0, size = 0;
	BYTE *data;
	int rc = read_value(root, path, name, view, &type, &data, &size);

	if (rc != 0)
		return rc;
	if (type != REG_SZ && type != REG_EXPAND_SZ)
		rc = -EINVAL;
	else if (WideCharToMultiByte(CP_UTF8, 0, (wchar_t *)data, -1, out, (int)out_len, NULL,
	                             NULL) <= 0)
		rc = -ENAMETOOLONG;
	free(data);
	return rc;
}

int reg_dword(HKEY root, const char *path, const char *name, REGSAM view, unsigned long *out)
{
	DWORD type = 0, size = 0;
	BYTE *data;
	int rc = read_value(root, path, name, view, &type, &data, &size);

	if (rc != 0)
		return rc;
	if (type == REG_DWORD && size == 4) {
		DWORD v;

		memcpy(&v, data, 4);
		*out = v;
	} else if (type == REG_SZ) {
		char text[32], *end;

		if (WideCharToMultiByte(CP_UTF8, 0, (wchar_t *)data, -1, text, sizeof(text), NULL,
		                        NULL) <= 0 ||
		    text[0] < '0' || text[0] > '9')
			rc = -EINVAL;
		else {
			*out = strtoul(text, &end, 10);
			if (*end != '\0')
				rc = -EINVAL;
		}
	} else
		rc = -EINVAL;
	free(data);
	return rc;
}

int reg_exists(HKEY root, const char *path, REGSAM view)
{
	HKEY key;

	if (open_key(root, path, view, &key) != 0)
		return 0;
	RegCloseKey(key);
	return 1;
}

int reg_each_subkey(HKEY root, const char *path, REGSAM view,
                    int (*fn)(void *user, const char *name), void *user)
{
	HKEY key;
	int rc = open_key(root, path, view, &key);

	if (rc != 0)
		return rc;
	for (DWORD i = 0;; i++) {
		wchar_t w[256];
		char name[768];
		DWORD len = 256;
		LONG e = RegEnumKeyExW(key, i, w, &len, NULL, NULL, NULL, NULL);

		if (e == ERROR_NO_MORE_ITEMS)
			break;
		if (e != ERROR_SUCCESS)
			continue; /* a name longer than a key name can be: skip it */
		if (WideCharToMultiByte(CP_UTF8, 0, w, -1, name, sizeof(name), NULL, NULL) <= 0)
			continue;
		if (fn(user, name) != 0)
			break;
	}
	RegCloseKey(key);
	return 0;
}
