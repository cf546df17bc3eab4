/* SPDX-License-Identifier: Apache-2.0 */
/*
 * boot (Windows): Secure Boot, as Windows records it at boot:
 *   HKLM\SYSTEM\CurrentControlSet\Control\SecureBoot\State
 *     UEFISecureBootEnabled  1 on, 0 off (Microsoft: "Secure Boot
 *     landing page"; the key exists only when the firmware is UEFI)
 * Where the key is absent, UEFI is told from BIOS as Microsoft documents
 * for GetFirmwareEnvironmentVariable: on a legacy BIOS system it fails
 * with ERROR_INVALID_FUNCTION whatever the variable (GetFirmwareType says
 * the same from Windows 8 on, but Wine lacks it).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "probe.h"
#include "registry.h"

int probe_secure_boot(const struct rootfs *root, struct boot_state *out, char *err, size_t err_len)
{
	unsigned long on;
	DWORD e;

	memset(out, 0, sizeof(*out));
	out->setup_mode = -1;
	if (!rootfs_is_host(root)) {
		snprintf(err, err_len,
		         "the Windows registry of another root cannot be read (--root)");
		return -ENOTSUP;
	}
	if (reg_dword(HKEY_LOCAL_MACHINE, "SYSTEM\\CurrentControlSet\\Control\\SecureBoot\\State",
	              "UEFISecureBootEnabled", 0, &on) == 0) {
		out->efi = 1;
		out->secure_boot = on != 0;
		return 0;
	}
	GetFirmwareEnvironmentVariableW(L"", L"{00000000-0000-0000-0000-000000000000}", NULL, 0);
	e = GetLastError();
	if (e == ERROR_INVALID_FUNCTION) {
		out->efi = 0;
		out->secure_boot = 0;
		return 0;
	}
	/* UEFI (the call fails otherwise: no such variable, or no privilege),
	 * but Windows recorded no Secure Boot state */
	out->efi = 1;
	out->secure_boot = -1;
	return 0;
}
