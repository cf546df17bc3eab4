/* SPDX-License-Identifier: Apache-2.0 */
/*
 * disks (Windows): BitLocker's volumes, through WMI's Win32_EncryptableVolume
 * (ROOT\CIMV2\Security\MicrosoftVolumeEncryption). The class's properties
 * give ConversionStatus, ProtectionStatus, EncryptionMethod and VolumeType;
 * its methods add what the properties lack: GetConversionStatus
 * (EncryptionPercentage), GetLockStatus (LockStatus), and GetKeyProtectors
 * with GetKeyProtectorType for each (KeyProtectorTypes, {1,3}). What it all
 * means is decided by winrec_bitlocker (platform/winrec/bitlocker.c), tested
 * against captured answers. The provider needs an administrator: run as a
 * user, the namespace refuses with WBEM_E_ACCESS_DENIED, reported as such.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "probeset.h"
#include "wmi.h"

#define BITLOCKER_NS "ROOT\\CIMV2\\Security\\MicrosoftVolumeEncryption"

/* the first property NAME of a method's result, or NULL */
static const char *result_value(const struct winrec_list *r, const char *name)
{
	return r->n > 0 ? winrec_get(&r->recs[0], name) : NULL;
}

static int add_methods(void *user, struct wmi_object *obj, struct winrec_list *out)
{
	struct winrec_list r;
	char ids[16][64], types[256] = "";
	int n, i;

	(void)user;
	/* A locked volume answers none of these: the record says what it can. */
	if (wmi_call(obj, "GetConversionStatus", NULL, NULL, &r) == 0) {
		const char *pct = result_value(&r, "EncryptionPercentage");

		if (pct != NULL)
			winrec_put(out, "EncryptionPercentage", pct);
		winrec_free(&r);
	}
	if (wmi_call(obj, "GetLockStatus", NULL, NULL, &r) == 0) {
		const char *lock = result_value(&r, "LockStatus");

		if (lock != NULL)
			winrec_put(out, "LockStatus", lock);
		winrec_free(&r);
	}
	if (wmi_call(obj, "GetKeyProtectors", NULL, NULL, &r) != 0)
		return 0;
	n = result_value(&r, "VolumeKeyProtectorID")
	        ? winrec_items(result_value(&r, "VolumeKeyProtectorID"), ids, 16)
	        : 0;
	winrec_free(&r);
	for (i = 0; i < n; i++) {
		const char *t;

		if (wmi_call(obj, "GetKeyProtectorType", "VolumeKeyProtectorID", ids[i], &r) != 0)
			continue;
		t = result_value(&r, "KeyProtectorType");
		if (t != NULL) {
			size_t used = strlen(types);

			snprintf(types + used, sizeof(types) - used, "%s%s", used ? "," : "{", t);
		}
		winrec_free(&r);
	}
	if (types[0]) {
		size_t used = strlen(types);

		snprintf(types + used, sizeof(types) - used, "}");
		winrec_put(out, "KeyProtectorTypes", types);
	}
	return 0;
}

int native_probe_disk_encryption(const struct rootfs *root, struct volume **out, size_t *n_out,
                                 char *err, size_t err_len)
{
	struct winrec_list l;
	int rc;

	*out = NULL;
	*n_out = 0;
	if (!rootfs_is_host(root)) {
		snprintf(err, err_len, "BitLocker's state of another root cannot be read (--root)");
		return -ENOTSUP;
	}
	err[0] = '\0';
	rc = wmi_query(BITLOCKER_NS, "SELECT * FROM Win32_EncryptableVolume", add_methods, NULL, &l,
	               err, err_len);
	if (rc == -ENOENT) {
		snprintf(err, err_len,
		         "BitLocker's WMI provider (%s) is not on this system: it is part of "
		         "Windows 10 and 11, so this Windows lacks it or is not Windows",
		         BITLOCKER_NS);
		return rc;
	}
	if (rc != 0)
		return rc;
	rc = winrec_bitlocker(&l, out, n_out, err, err_len);
	winrec_free(&l);
	return rc;
}
