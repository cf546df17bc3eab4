/* SPDX-License-Identifier: Apache-2.0 */
/*
 * os (none): the OS and the device id, not supported on this OS (probe.h). One file per
 * area, so that a port links the stubs of what it has not written yet
 * (mk/windows.mk does) and no stub is copied.
 */
#include <stdio.h>

#include "probe.h"
#include "probeset.h"

int native_probe_os_info(const struct rootfs *root, struct os_info *out, char *err, size_t err_len)
{
	(void)root;
	(void)out;
	return probe_unsupported(err, err_len);
}

int native_probe_machine_id(const struct rootfs *root, unsigned char id[16])
{
	(void)root;
	(void)id;
	return PROBE_UNSUPPORTED;
}
