/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/disks: FileVault. Whether it is on is the running Mac's to say
 * (fdesetup status, diskutil apfs list -plist: the volume group's
 * encryption state); a Mac's disk read through --root does not say it in
 * any file, and one that is readable here may have been unlocked to be
 * mounted. So on a disk the check is an error with that reason, never a
 * guess. (The native macOS build will parse fdesetup's and diskutil's
 * output here.)
 */
#include <errno.h>
#include <stdio.h>

#include "../probe.h"
#include "../probeset.h"

int darwin_probe_disk_encryption(const struct rootfs *root, struct volume **out, size_t *n_out,
                                 char *err, size_t err_len)
{
	(void)root;
	*out = NULL;
	*n_out = 0;
	snprintf(err, err_len,
	         "whether FileVault is on is known to the running Mac alone (fdesetup status); "
	         "a Mac's disk read with --root does not say");
	return -ENODATA;
}
