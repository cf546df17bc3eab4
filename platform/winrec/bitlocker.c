/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bitlocker: BitLocker's answer (Win32_EncryptableVolume, or the
 * Get-BitLockerVolume object) as the probe's volumes (winrec.h).
 *
 * The values, from Microsoft's documentation of Win32_EncryptableVolume
 * (learn.microsoft.com/windows/win32/secprov/win32-encryptablevolume and
 * its GetConversionStatus, GetProtectionStatus, GetLockStatus,
 * GetEncryptionMethod and GetKeyProtectorType methods) and of the
 * BitLocker module's BitLockerVolume (the same enumerations by name):
 *   ConversionStatus / VolumeStatus   0 FullyDecrypted, 1 FullyEncrypted,
 *       2 EncryptionInProgress, 3 DecryptionInProgress, 4 EncryptionPaused
 *       (EncryptionSuspended), 5 DecryptionPaused (DecryptionSuspended)
 *   ProtectionStatus   0 Off, 1 On, 2 Unknown (the volume is locked)
 *   LockStatus         0 Unlocked, 1 Locked
 *   EncryptionMethod   0 None, 1 AES 128 with diffuser, 2 AES 256 with
 *       diffuser, 3 AES 128, 4 AES 256, 5 hardware encryption, 6 XTS-AES 128,
 *       7 XTS-AES 256
 *   VolumeType         0 OperatingSystem, 1 FixedDataVolume, 2
 *       PortableDataVolume, 3 VirtualDataVolume ("Data" in the module)
 *   key protector types 0 Unknown, 1 Tpm, 2 ExternalKey, 3 NumericalPassword
 *       (RecoveryPassword in the module), 4 TpmPin, 5 TpmStartupKey,
 *       6 TpmPinStartupKey, 7 PublicKey, 8 Passphrase (Password), 9
 *       TpmCertificate, 10 CryptoApiNg (AdAccountOrGroup)
 *
 * A volume counts as encrypted when it is fully encrypted and protection
 * is on, or when it is locked. Fully encrypted with protection off
 * ("suspended": the key is on the disk in the clear) is not encrypted, nor
 * is a volume that is still being encrypted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "winrec/winrec.h"

/* A value given as a number or as one of NAMES (index = number); ALIASES
 * are further names, ALIAS_VALUES their numbers. -1 when absent,
 * -2 when unknown. */
static long long code(const struct winrec *r, const char *const *props, const char *const *names,
                      size_t n_names, const char *const *aliases, const int *alias_values,
                      const char **raw)
{
	const char *v = winrec_first(r, props, NULL);
	long long num;
	size_t i;

	if (raw != NULL)
		*raw = v;
	if (v == NULL)
		return -1;
	if (winrec_number(v, &num) == 0)
		return num;
	for (i = 0; i < n_names; i++)
		if (strcasecmp(v, names[i]) == 0)
			return (long long)i;
	for (i = 0; aliases != NULL && aliases[i] != NULL; i++)
		if (strcasecmp(v, aliases[i]) == 0)
			return alias_values[i];
	return -2;
}

#define N(a) (sizeof(a) / sizeof(a[0]))

static const char *const conversion_props[] = { "ConversionStatus", "VolumeStatus", NULL };
static const char *const conversion_names[] = {
	"FullyDecrypted",       "FullyEncrypted",   "EncryptionInProgress",
	"DecryptionInProgress", "EncryptionPaused", "DecryptionPaused",
};
static const char *const conversion_aliases[] = { "EncryptionSuspended", "DecryptionSuspended",
	                                          NULL };
static const int conversion_alias_values[] = { 4, 5 };

static const char *const protection_props[] = { "ProtectionStatus", NULL };
static const char *const protection_names[] = { "Off", "On", "Unknown" };

static const char *const lock_props[] = { "LockStatus", NULL };
static const char *const lock_names[] = { "Unlocked", "Locked" };

static const char *const method_props[] = { "EncryptionMethod", NULL };
static const char *const method_names[] = {
	"None",   "Aes128Diffuser", "Aes256Diffuser", "Aes128",
	"Aes256", "Hardware",       "XtsAes128",      "XtsAes256",
};
static const char *const method_short[] = {
	"none",    "aes-128-diffuser", "aes-256-diffuser", "aes-128",
	"aes-256", "hardware",         "xts-aes-128",      "xts-aes-256",
};

static const char *const type_props[] = { "VolumeType", NULL };
static const char *const type_names[] = { "OperatingSystem", "FixedDataVolume",
	                                  "PortableDataVolume", "VirtualDataVolume" };
static const char *const type_aliases[] = { "Data", NULL };
static const int type_alias_values[] = { 1 };

static const char *const protector_names[] = {
	"Unknown",          "Tpm",
	"ExternalKey",      "RecoveryPassword",
	"TpmPin",           "TpmStartupKey",
	"TpmPinStartupKey", "PublicKey",
	"Password",         "TpmCertificate",
	"AdAccountOrGroup",
};

static const char *const mount_props[] = { "DriveLetter", "MountPoint", NULL };
static const char *const device_props[] = { "DeviceID", "PersistentVolumeID", NULL };
static const char *const percent_props[] = { "EncryptionPercentage", NULL };
static const char *const protector_props[] = { "KeyProtectorTypes", "KeyProtector", NULL };

static void protectors(const struct winrec *r, struct volume *v)
{
	char items[16][64];
	const char *raw = winrec_first(r, protector_props, NULL);
	int n, i;

	if (raw == NULL)
		return;
	n = winrec_items(raw, items, 16);
	for (i = 0; i < n; i++) {
		long long t;
		const char *name = items[i];
		size_t used = strlen(v->protectors);

		if (winrec_number(items[i], &t) == 0)
			name = t < (long long)N(protector_names) ? protector_names[t] : "Unknown";
		snprintf(v->protectors + used, sizeof(v->protectors) - used, "%s%s",
		         used ? ", " : "", name);
	}
}

static int one(const struct winrec *r, size_t index, struct volume *v, char *err, size_t err_len)
{
	const char *raw_conv, *raw_prot, *mount, *device, *pct;
	long long conv, prot, lock, method, type, percent = -1;

	memset(v, 0, sizeof(*v));
	conv = code(r, conversion_props, conversion_names, N(conversion_names), conversion_aliases,
	            conversion_alias_values, &raw_conv);
	prot =
	    code(r, protection_props, protection_names, N(protection_names), NULL, NULL, &raw_prot);
	lock = code(r, lock_props, lock_names, N(lock_names), NULL, NULL, NULL);
	method = code(r, method_props, method_names, N(method_names), NULL, NULL, NULL);
	type =
	    code(r, type_props, type_names, N(type_names), type_aliases, type_alias_values, NULL);
	mount = winrec_first(r, mount_props, NULL);
	device = winrec_first(r, device_props, NULL);
	pct = winrec_first(r, percent_props, NULL);
	if (pct != NULL && (winrec_number(pct, &percent) != 0 || percent > 100)) {
		snprintf(err, err_len, "volume %zu: EncryptionPercentage \"%s\" is not 0 to 100",
		         index + 1, pct);
		return -EINVAL;
	}
	if (mount == NULL && device == NULL) {
		snprintf(err, err_len, "volume %zu has neither a drive letter nor a device id",
		         index + 1);
		return -EINVAL;
	}
	snprintf(v->mount, sizeof(v->mount), "%s", mount ? mount : "");
	snprintf(v->device, sizeof(v->device), "%s", device ? device : "");
	v->system = type == 0;
	if (type == 2)
		v->kind = VOLUME_REMOVABLE;
	else if (!v->system && mount == NULL)
		v->kind = VOLUME_UNMOUNTED;
	else
		v->kind = VOLUME_FILESYSTEM;
	protectors(r, v);
	if (method >= 0 && method < (long long)N(method_short))
		snprintf(v->method, sizeof(v->method), "%s%s", method == 0 ? "" : "bitlocker ",
		         method_short[method]);
	else if (method != -1)
		snprintf(v->method, sizeof(v->method), "bitlocker");

	if (lock == 1 || prot == 2) {
		/* a locked volume cannot be read without its key */
		v->encrypted = 1;
		if (v->method[0] == '\0')
			snprintf(v->method, sizeof(v->method), "bitlocker");
		snprintf(v->reason, sizeof(v->reason), "locked");
		return 0;
	}
	switch (conv) {
	case 1:
		if (prot == 1) {
			v->encrypted = 1;
		} else if (prot == 0) {
			v->encrypted = 0;
			snprintf(v->reason, sizeof(v->reason),
			         "BitLocker protection is suspended: the volume's key is stored "
			         "in the clear on the disk");
		} else {
			v->encrypted = -1;
			snprintf(v->reason, sizeof(v->reason),
			         "BitLocker gave no usable protection status (%s)",
			         raw_prot ? raw_prot : "none");
		}
		break;
	case 0:
		v->encrypted = 0;
		if (v->method[0] == '\0')
			snprintf(v->method, sizeof(v->method), "none");
		break;
	case 2:
	case 4:
		v->encrypted = 0;
		if (percent >= 0)
			snprintf(v->reason, sizeof(v->reason), "BitLocker encryption %s at %lld%%",
			         conv == 2 ? "is in progress" : "is paused", percent);
		else
			snprintf(v->reason, sizeof(v->reason), "BitLocker encryption %s",
			         conv == 2 ? "is in progress" : "is paused");
		break;
	case 3:
	case 5:
		v->encrypted = 0;
		snprintf(v->reason, sizeof(v->reason), "BitLocker decryption %s",
		         conv == 3 ? "is in progress" : "is paused");
		break;
	default:
		v->encrypted = -1;
		if (raw_conv != NULL)
			snprintf(v->reason, sizeof(v->reason),
			         "BitLocker gave an unknown conversion status (%s)", raw_conv);
		else
			snprintf(v->reason, sizeof(v->reason),
			         "BitLocker gave no conversion status");
		break;
	}
	return 0;
}

int winrec_bitlocker(const struct winrec_list *l, struct volume **out, size_t *n_out, char *err,
                     size_t err_len)
{
	struct volume *v;
	size_t i;

	*out = NULL;
	*n_out = 0;
	if (l->n == 0)
		return 0;
	v = calloc(l->n, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	for (i = 0; i < l->n; i++) {
		int rc = one(&l->recs[i], i, &v[i], err, err_len);

		if (rc != 0) {
			free(v);
			return rc;
		}
	}
	*out = v;
	*n_out = l->n;
	return 0;
}
