/* SPDX-License-Identifier: Apache-2.0 */
/*
 * firewall (none): the firewall, not supported on this OS (probe.h). One file per
 * area, so that a port links the stubs of what it has not written yet
 * (mk/windows.mk does) and no stub is copied.
 */
#include <stdio.h>

#include "probe.h"
#include "probeset.h"

int native_probe_firewall(const struct rootfs *root, struct firewall_state *out, char *err,
                          size_t err_len)
{
	(void)root;
	(void)out;
	return probe_unsupported(err, err_len);
}
