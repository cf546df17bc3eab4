/* SPDX-License-Identifier: Apache-2.0 */
/*
 * integrity (none): the OS's own integrity protections (System Integrity
 * Protection, Gatekeeper: macOS's), not supported on this OS (probe.h).
 */
#include <stdio.h>

#include "probe.h"
#include "probeset.h"

int native_probe_system_integrity(const struct rootfs *root, struct integrity_state *out, char *err,
                                  size_t err_len)
{
	(void)root;
	(void)out;
	return probe_unsupported(err, err_len);
}
