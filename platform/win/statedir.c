/* SPDX-License-Identifier: Apache-2.0 */
/*
 * os_dir_trusted and os_make_private_dir (os.h) on Windows: the directory's owner and DACL, read
 * from the open handle (so the folder judged is the one the agent uses),
 * judged by secdir.c's rule: no one but SYSTEM, Administrators and
 * TrustedInstaller may write to it, own it or change its ACL.
 */
#include <io.h>
#include <stdio.h>
#include <windows.h>
#include <aclapi.h>

#include "os.h"
#include "secdir.h"

int os_dir_trusted(int fd, const char *path, char *err, size_t err_len)
{
	HANDLE h = (HANDLE)_get_osfhandle(fd);
	PSECURITY_DESCRIPTOR sd = NULL;
	DWORD rc;
	int verdict;

	if (h == INVALID_HANDLE_VALUE) {
		snprintf(err, err_len, "cannot inspect %s: not an open directory", path);
		return -1;
	}
	rc = GetSecurityInfo(h, SE_FILE_OBJECT,
	                     OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, NULL, NULL,
	                     NULL, NULL, &sd);
	if (rc != ERROR_SUCCESS) {
		snprintf(err, err_len, "cannot read the permissions of %s (error %lu)", path,
		         (unsigned long)rc);
		return -1;
	}
	verdict = secdir_judge(path, sd, err, err_len);
	LocalFree(sd);
	return verdict;
}

int os_make_private_dir(const char *dir, char *err, size_t err_len)
{
	return secdir_create(dir, err, err_len);
}

int os_protect_data_dir(char *err, size_t err_len)
{
	return secdir_protect_data(OS_DATA_DIR, err, err_len);
}
