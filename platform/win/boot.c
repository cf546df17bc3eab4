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
 *
 * The TPM: Tbsi_GetDeviceInfo (tbs.dll, loaded when needed) says whether
 * there is one and its version (TBS_E_TPM_NOT_FOUND: none); Win32_Tpm's
 * IsReady method (ROOT\CIMV2\Security\MicrosoftTpm, administrators only)
 * whether it is ready for use, read by winrec_tpm.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "probe.h"
#include "probeset.h"
#include "registry.h"
#include "wmi.h"

#ifndef TBS_E_TPM_NOT_FOUND
#define TBS_E_TPM_NOT_FOUND 0x8028400FU
#endif

/* TPM_DEVICE_INFO of Microsoft's tbs.h, which mingw-w64's lacks */
struct tpm_device_info {
	UINT32 struct_version, tpm_version, interface_type, imp_revision;
};
typedef UINT32(WINAPI *get_device_info_fn)(UINT32 size, PVOID info);

static int add_ready(void *user, struct wmi_object *obj, struct winrec_list *out)
{
	struct winrec_list r;

	(void)user;
	if (wmi_call(obj, "IsReady", NULL, NULL, &r) == 0) {
		const char *v = r.n > 0 ? winrec_get(&r.recs[0], "IsReady") : NULL;

		if (v != NULL)
			winrec_put(out, "IsReady", v);
		winrec_free(&r);
	}
	return 0;
}

static void tpm(struct boot_state *out)
{
	HMODULE tbs = LoadLibraryExW(L"tbs.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
	struct winrec_list l;
	char err[256] = "";

	out->tpm = out->tpm_ready = -1;
	if (tbs != NULL) {
		get_device_info_fn get =
		    (get_device_info_fn)(void (*)(void))GetProcAddress(tbs, "Tbsi_GetDeviceInfo");
		struct tpm_device_info info = { 0 };

		if (get != NULL) {
			UINT32 rc = get(sizeof(info), &info);

			if (rc == 0) {
				out->tpm = 1;
				out->tpm_version = info.tpm_version == 2   ? 20
				                   : info.tpm_version == 1 ? 12
				                                           : 0;
			} else if (rc == (UINT32)TBS_E_TPM_NOT_FOUND) {
				out->tpm = 0;
				out->tpm_ready = 0;
			}
		}
		FreeLibrary(tbs);
	}
	if (out->tpm == 0)
		return;
	if (wmi_query("ROOT\\CIMV2\\Security\\MicrosoftTpm", "SELECT * FROM Win32_Tpm", add_ready,
	              NULL, &l, err, sizeof(err)) == 0) {
		/* no object: WMI sees no TPM either */
		winrec_tpm(&l, out, err, sizeof(err));
		winrec_free(&l);
	}
}

int native_probe_secure_boot(const struct rootfs *root, struct boot_state *out, char *err,
                             size_t err_len)
{
	unsigned long on;
	DWORD e;

	memset(out, 0, sizeof(*out));
	out->setup_mode = -1;
	out->tpm = out->tpm_ready = -1;
	if (!rootfs_is_host(root)) {
		snprintf(err, err_len,
		         "the Windows registry of another root cannot be read (--root)");
		return -ENOTSUP;
	}
	if (reg_dword(HKEY_LOCAL_MACHINE, "SYSTEM\\CurrentControlSet\\Control\\SecureBoot\\State",
	              "UEFISecureBootEnabled", 0, &on) == 0) {
		out->efi = 1;
		out->secure_boot = on != 0;
		tpm(out);
		return 0;
	}
	GetFirmwareEnvironmentVariableW(L"", L"{00000000-0000-0000-0000-000000000000}", NULL, 0);
	e = GetLastError();
	if (e == ERROR_INVALID_FUNCTION) {
		out->efi = 0;
		out->secure_boot = 0;
		tpm(out);
		return 0;
	}
	/* UEFI (the call fails otherwise: no such variable, or no privilege),
	 * but Windows recorded no Secure Boot state */
	out->efi = 1;
	out->secure_boot = -1;
	tpm(out);
	return 0;
}
