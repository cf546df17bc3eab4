/* SPDX-License-Identifier: Apache-2.0 */
/*
 * savehive: writes the registry key HKCU\ARGV[1] to the hive file ARGV[2]
 * with RegSaveKeyW (Wine's reg.exe has no "save"), so that the Windows
 * tests can give a second user an NTUSER.DAT that is not loaded.
 *   savehive.exe "Software\PostureBob" "C:\users\bob\NTUSER.DAT"
 */
#include <stdio.h>
#include <windows.h>

/* RegSaveKeyW needs SeBackupPrivilege held and enabled. */
static void enable_backup_privilege(void)
{
	HANDLE token;
	TOKEN_PRIVILEGES tp;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES, &token))
		return;
	tp.PrivilegeCount = 1;
	tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
	if (LookupPrivilegeValueW(NULL, L"SeBackupPrivilege", &tp.Privileges[0].Luid))
		AdjustTokenPrivileges(token, FALSE, &tp, 0, NULL, NULL);
	CloseHandle(token);
}

int wmain(int argc, wchar_t **argv)
{
	HKEY key;
	LONG rc;

	if (argc != 3) {
		fprintf(stderr, "usage: savehive KEY FILE\n");
		return 2;
	}
	rc = RegOpenKeyExW(HKEY_CURRENT_USER, argv[1], 0, KEY_READ, &key);
	if (rc != ERROR_SUCCESS) {
		fprintf(stderr, "savehive: cannot open the key: error %ld\n", (long)rc);
		return 1;
	}
	enable_backup_privilege();
	DeleteFileW(argv[2]);
	rc = RegSaveKeyW(key, argv[2], NULL);
	RegCloseKey(key);
	if (rc != ERROR_SUCCESS) {
		fprintf(stderr, "savehive: cannot save: error %ld\n", (long)rc);
		return 1;
	}
	return 0;
}
