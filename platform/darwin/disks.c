/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/disks: FileVault, for the boot volume group (the volume macOS
 * runs from, "/"). Whether it is on is the running Mac's to say; a Mac's
 * disk readable here may have been unlocked to be mounted, so no file on
 * it is taken for the answer. The facts are two commands' answers
 * (darwin.h: run on the Mac, or captured there and given with --captured):
 *
 * - fdesetup status decides the state, by its lines (the wording rtrouton's
 *   check_apfs_encryption extension attribute documents): "FileVault is
 *   On." on, "FileVault is Off." off, a line beginning "Encryption in
 *   progress" encrypting, "Decryption in progress" decrypting. Encrypting
 *   and decrypting do not count as encrypted (the data is not all
 *   protected yet, or no longer); each says so in the reason. Anything
 *   else is an error quoting the first line.
 * - diskutil apfs list -plist, where it is there, names the volume: in the
 *   container holding the Preboot and Recovery roles, the volume with the
 *   Data role (macOS 10.15 and later split System and Data), else the one
 *   with no role (macOS 10.13 and 10.14). Its FileVault flag must agree
 *   with fdesetup's On or Off; when it does not, the volume is unknown
 *   with both answers in the reason, never a guess between them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../probe.h"
#include "../probeset.h"
#include "darwin.h"

int darwin_probe_disk_encryption(const struct rootfs *root, struct volume **out, size_t *n_out,
                                 char *err, size_t err_len)
{
	char *text = NULL, what[256], why[512];
	size_t len = 0;
	struct volume *v;
	enum darwin_fv st;
	int rc;

	*out = NULL;
	*n_out = 0;
	rc = darwin_command_answer(root, DARWIN_FDESETUP_STATUS, 64u << 10, &text, &len, err,
	                           err_len);
	if (rc != 0)
		return rc;
	st = darwin_parse_fdesetup(text, what, sizeof(what));
	free(text);
	if (st == DARWIN_FV_UNKNOWN) {
		snprintf(err, err_len, "%s said what is not known here: \"%s\"",
		         darwin_command_line(DARWIN_FDESETUP_STATUS), what);
		return -EINVAL;
	}
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	v->kind = VOLUME_FILESYSTEM;
	v->system = 1;
	snprintf(v->mount, sizeof(v->mount), "/");
	snprintf(v->fstype, sizeof(v->fstype), "apfs");
	snprintf(v->device, sizeof(v->device), "the boot volume");
	snprintf(v->method, sizeof(v->method), st == DARWIN_FV_OFF ? "none" : "filevault");
	v->encrypted = st == DARWIN_FV_ON;
	if (st == DARWIN_FV_ENCRYPTING)
		snprintf(v->reason, sizeof(v->reason), "FileVault is still encrypting it (%s)",
		         what);
	else if (st == DARWIN_FV_DECRYPTING)
		snprintf(v->reason, sizeof(v->reason), "FileVault is decrypting it (%s)", what);

	/* diskutil names the volume, and must agree */
	if (darwin_command_answer(root, DARWIN_DISKUTIL_APFS, 16u << 20, &text, &len, why,
	                          sizeof(why)) == 0) {
		struct pl_doc *doc = NULL;

		if (pl_parse(text, len, &doc, why, sizeof(why)) == 0) {
			const struct pl_node *vol = darwin_boot_volume(pl_root(doc));
			const char *dev = vol ? pl_str(pl_get(vol, "DeviceIdentifier")) : NULL;
			const char *name = vol ? pl_str(pl_get(vol, "Name")) : NULL;
			int fv = -1;

			if (dev != NULL)
				snprintf(v->device, sizeof(v->device), "%s (%s)", dev,
				         name ? name : "unnamed");
			if (vol != NULL && pl_bool(pl_get(vol, "FileVault"), &fv) == 0 &&
			    (st == DARWIN_FV_ON || st == DARWIN_FV_OFF) &&
			    fv != (st == DARWIN_FV_ON)) {
				v->encrypted = -1;
				snprintf(
				    v->reason, sizeof(v->reason),
				    "fdesetup says \"%s\" but diskutil says FileVault is %s on %s",
				    what, fv ? "on" : "off", v->device);
			}
			pl_free(doc);
		} else {
			/* an answer given that says nothing readable: not taken on trust */
			v->encrypted = -1;
			snprintf(v->reason, sizeof(v->reason), "%s could not be read: %s",
			         darwin_command_line(DARWIN_DISKUTIL_APFS), why);
		}
		free(text);
	}
	*out = v;
	*n_out = 1;
	return 0;
}
