/* SPDX-License-Identifier: Apache-2.0 */
/*
 * managed (Windows): os_managed_setting (os.h), the values under
 * HKLM\SOFTWARE\Policies\Posture that the MSI writes from COLLECTOR_URL,
 * CA, COLLECTOR_PIN and ENROLL_SECRET, and that Group Policy or an MDM's
 * configuration profile may set instead. Read in the 64-bit view, where the
 * MSI (a Win64 package) writes them.
 */
#include <errno.h>
#include <stdio.h>
#include <windows.h>

#include "os.h"
#include "registry.h"

#define POLICY_KEY "SOFTWARE\\Policies\\Posture"

int os_managed_setting(const char *name, char *out, size_t out_len, char *err, size_t err_len)
{
	int rc;

	if (out_len == 0)
		return 0;
	rc = reg_string(HKEY_LOCAL_MACHINE, POLICY_KEY, name, KEY_WOW64_64KEY, out, out_len);
	if (rc == -EINVAL || rc == -ENAMETOOLONG) {
		/* there, but not what it must be: said, not ignored */
		snprintf(err, err_len, "HKLM\\%s\\%s is %s", POLICY_KEY, name,
		         rc == -EINVAL ? "not a string value (REG_SZ)"
		                       : "longer than a setting may be");
		out[0] = '\0';
		return -1;
	}
	if (rc != 0 || out[0] == '\0') {
		out[0] = '\0';
		return 0;
	}
	return 1;
}

int os_managed_setting_clear(const char *name)
{
	wchar_t wname[64];
	HKEY key;
	LONG rc;

	if (MultiByteToWideChar(CP_UTF8, 0, name, -1, wname, 64) == 0)
		return -1;
	rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Policies\\Posture", 0,
	                   KEY_SET_VALUE | KEY_WOW64_64KEY, &key);
	if (rc == ERROR_FILE_NOT_FOUND)
		return 0;
	if (rc != ERROR_SUCCESS)
		return -1;
	rc = RegDeleteValueW(key, wname);
	RegCloseKey(key);
	return rc == ERROR_SUCCESS || rc == ERROR_FILE_NOT_FOUND ? 0 : -1;
}
