/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sysctl (none): kernel parameters, not supported on this OS (probe.h). One file per
 * area, so that a port links the stubs of what it has not written yet
 * (mk/windows.mk does) and no stub is copied.
 */
#include <stdio.h>

#include "probe.h"
#include "probeset.h"

int native_probe_sysctl(const struct rootfs *root, const char *name, char *value, size_t value_len,
                        char *err, size_t err_len)
{
	(void)root;
	(void)name;
	(void)value;
	(void)value_len;
	return probe_unsupported(err, err_len);
}
