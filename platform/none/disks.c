/* SPDX-License-Identifier: Apache-2.0 */
/*
 * disks (none): disk encryption, not supported on this OS (probe.h). One file per
 * area, so that a port links the stubs of what it has not written yet
 * (mk/windows.mk does) and no stub is copied.
 */
#include <stdio.h>

#include "probe.h"
#include "probeset.h"

int native_probe_disk_encryption(const struct rootfs *root, struct volume **out, size_t *n_out,
                                 char *err, size_t err_len)
{
	(void)root;
	*out = NULL;
	*n_out = 0;
	return probe_unsupported(err, err_len);
}
