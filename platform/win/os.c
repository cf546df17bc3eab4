/* SPDX-License-Identifier: Apache-2.0 */
/*
 * os (Windows): the OS and the machine's identity, from the registry.
 *
 *   HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion
 *     ProductName, EditionID, DisplayVersion (21H2 on; ReleaseId before),
 *     CurrentMajorVersionNumber, CurrentMinorVersionNumber,
 *     CurrentBuildNumber (CurrentBuild), UBR (the update build revision:
 *     the cumulative update installed, e.g. 10.0.22631.4460)
 *   HKLM\SOFTWARE\Microsoft\Cryptography\MachineGuid
 *     the installation's GUID, made by Setup: the device's id
 *   GetComputerNameExW(ComputerNameDnsHostname)
 *   WTSGetActiveConsoleSessionId, WTSQuerySessionInformationW(WTSUserName)
 *     the user signed in at the console (none: session 0xFFFFFFFF, or an
 *     empty name at the sign-in screen)
 *
 * The hardware's serial number (Win32_BIOS.SerialNumber) is not read: it is
 * behind WMI, which would cost every evaluation its round trip.
 *
 * ProductName still says "Windows 10" on Windows 11 (Microsoft kept the
 * value for compatibility); build 22000 and later is Windows 11, which is
 * how Microsoft's own release information tells them apart, so the pretty
 * name is corrected from the build.
 *
 * version_id is MAJOR.MINOR.BUILD ("10.0.22631") and point_version adds UBR
 * ("10.0.22631.4460"): an os_version minimum `windows = 10.0.22631.4460`
 * then means that build with at least that cumulative update.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <wtsapi32.h>

#include "probe.h"
#include "probeset.h"
#include "registry.h"

#define CURRENT_VERSION "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"

int native_probe_os_info(const struct rootfs *root, struct os_info *out, char *err, size_t err_len)
{
	char product[128] = "", display[32] = "", build[16] = "";
	unsigned long major = 0, minor = 0, ubr = 0;
	int have_ubr;

	memset(out, 0, sizeof(*out));
	if (!rootfs_is_host(root)) {
		snprintf(err, err_len,
		         "the Windows registry of another root cannot be read (--root)");
		return -ENOTSUP;
	}
	if (reg_string(HKEY_LOCAL_MACHINE, CURRENT_VERSION, "CurrentBuildNumber", 0, build,
	               sizeof(build)) != 0 &&
	    reg_string(HKEY_LOCAL_MACHINE, CURRENT_VERSION, "CurrentBuild", 0, build,
	               sizeof(build)) != 0) {
		snprintf(err, err_len, "HKLM\\" CURRENT_VERSION " has no CurrentBuildNumber");
		return -ENOENT;
	}
	if (reg_dword(HKEY_LOCAL_MACHINE, CURRENT_VERSION, "CurrentMajorVersionNumber", 0,
	              &major) != 0 ||
	    reg_dword(HKEY_LOCAL_MACHINE, CURRENT_VERSION, "CurrentMinorVersionNumber", 0,
	              &minor) != 0) {
		/* before Windows 10: CurrentVersion "6.3" */
		char cv[16] = "";

		if (reg_string(HKEY_LOCAL_MACHINE, CURRENT_VERSION, "CurrentVersion", 0, cv,
		               sizeof(cv)) != 0 ||
		    sscanf(cv, "%lu.%lu", &major, &minor) != 2) {
			snprintf(err, err_len, "HKLM\\" CURRENT_VERSION " has no version number");
			return -ENOENT;
		}
	}
	have_ubr = reg_dword(HKEY_LOCAL_MACHINE, CURRENT_VERSION, "UBR", 0, &ubr) == 0;
	reg_string(HKEY_LOCAL_MACHINE, CURRENT_VERSION, "ProductName", 0, product, sizeof(product));
	if (reg_string(HKEY_LOCAL_MACHINE, CURRENT_VERSION, "DisplayVersion", 0, display,
	               sizeof(display)) != 0)
		reg_string(HKEY_LOCAL_MACHINE, CURRENT_VERSION, "ReleaseId", 0, display,
		           sizeof(display));
	if (strtol(build, NULL, 10) >= 22000 && strncmp(product, "Windows 10", 10) == 0) {
		char fixed[128];

		snprintf(fixed, sizeof(fixed), "Windows 11%s", product + 10);
		snprintf(product, sizeof(product), "%s", fixed);
	}
	snprintf(out->family, sizeof(out->family), "windows");
	snprintf(out->id, sizeof(out->id), "windows");
	snprintf(out->name, sizeof(out->name), "%s", product[0] ? product : "Windows");
	snprintf(out->version_id, sizeof(out->version_id), "%lu.%lu.%s", major, minor, build);
	if (have_ubr)
		snprintf(out->point_version, sizeof(out->point_version), "%lu.%lu.%s.%lu", major,
		         minor, build, ubr);
	{
		char full[40];

		if (have_ubr)
			snprintf(full, sizeof(full), "%s.%lu", build, ubr);
		else
			snprintf(full, sizeof(full), "%s", build);
		snprintf(out->pretty_name, sizeof(out->pretty_name), "%s%s%s (build %s)", out->name,
		         display[0] ? " " : "", display, full);
	}
	snprintf(out->kernel, sizeof(out->kernel), "%s",
	         out->point_version[0] ? out->point_version : out->version_id);
	{
		wchar_t w[256];
		DWORD n = 256;

		if (GetComputerNameExW(ComputerNameDnsHostname, w, &n))
			WideCharToMultiByte(CP_UTF8, 0, w, -1, out->hostname, sizeof(out->hostname),
			                    NULL, NULL);
	}
	{
		DWORD session = WTSGetActiveConsoleSessionId(), bytes = 0;
		LPWSTR name = NULL;

		if (session != 0xFFFFFFFF &&
		    WTSQuerySessionInformationW(WTS_CURRENT_SERVER_HANDLE, session, WTSUserName,
		                                &name, &bytes) &&
		    name != NULL && name[0] != L'\0')
			WideCharToMultiByte(CP_UTF8, 0, name, -1, out->console_user,
			                    sizeof(out->console_user), NULL, NULL);
		if (name != NULL)
			WTSFreeMemory(name);
	}
	return 0;
}

static int hex(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

int native_probe_machine_id(const struct rootfs *root, unsigned char id[16])
{
	char guid[64];
	int n = 0;

	if (!rootfs_is_host(root))
		return -ENOTSUP;
	if (reg_string(HKEY_LOCAL_MACHINE, "SOFTWARE\\Microsoft\\Cryptography", "MachineGuid", 0,
	               guid, sizeof(guid)) != 0)
		return -ENOENT;
	/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx": its 32 hex digits in order */
	for (const char *p = guid; *p && n < 32; p++) {
		int v = hex(*p);

		if (v < 0) {
			if (*p != '-' && *p != '{' && *p != '}')
				return -EINVAL;
			continue;
		}
		if (n % 2 == 0)
			id[n / 2] = (unsigned char)(v << 4);
		else
			id[n / 2] |= (unsigned char)v;
		n++;
	}
	return n == 32 ? 0 : -EINVAL;
}

const char *native_probe_pkg_system(const struct rootfs *root)
{
	return rootfs_is_host(root) ? "msi" : NULL;
}
