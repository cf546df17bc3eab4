/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: UEFI Secure Boot state from the firmware's own variables, as the
 * kernel exposes them in efivarfs: SecureBoot and SetupMode in the EFI
 * global variable namespace (8be4df61-93ca-11d2-aa0d-00e098032b8c), each
 * four bytes of attributes and one byte of value. /sys/firmware without
 * efi/ means the machine booted in legacy BIOS mode, where there is no
 * Secure Boot at all; no /sys/firmware means no running kernel to ask.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../probe.h"
#include "../probeset.h"

#define GLOBAL "8be4df61-93ca-11d2-aa0d-00e098032b8c"

static int efi_byte(const struct rootfs *root, const char *name, int *out)
{
	char path[256], *buf = NULL;
	size_t len = 0;
	int rc;

	snprintf(path, sizeof(path), "/sys/firmware/efi/efivars/%s-" GLOBAL, name);
	rc = rootfs_read_file(root, path, 4096, &buf, &len);
	if (rc != 0)
		return rc;
	if (len != 5) {
		free(buf);
		return -EBADMSG;
	}
	*out = (unsigned char)buf[4];
	free(buf);
	return 0;
}

int native_probe_secure_boot(const struct rootfs *root, struct boot_state *out, char *err,
                             size_t err_len)
{
	struct stat st;
	int rc, v = 0;

	memset(out, 0, sizeof(*out));
	out->secure_boot = -1;
	out->setup_mode = -1;
	out->tpm = out->tpm_ready = -1; /* not read on Linux yet */
	if (rootfs_stat(root, "/sys/firmware/efi", &st) != 0) {
		/* A running kernel always has /sys/firmware; without it this is a
		 * disk image or a container, whose firmware cannot be seen. */
		if (rootfs_stat(root, "/sys/firmware", &st) != 0) {
			snprintf(err, err_len, "there is no /sys/firmware below %s",
			         rootfs_dir(root));
			return -ENODEV;
		}
		out->efi = 0;
		return 0;
	}
	out->efi = 1;
	rc = efi_byte(root, "SecureBoot", &v);
	if (rc == -ENOENT) {
		/* Firmware without the variable has no Secure Boot. */
		out->secure_boot = 0;
	} else if (rc != 0) {
		snprintf(err, err_len, "cannot read the SecureBoot EFI variable: %s%s",
		         rootfs_strerror(-rc), rc == -ENOENT ? "" : " (is efivarfs mounted?)");
		return rc;
	} else {
		out->secure_boot = v != 0;
	}
	if (efi_byte(root, "SetupMode", &v) == 0)
		out->setup_mode = v != 0;
	return 0;
}
