/* SPDX-License-Identifier: Apache-2.0 */
/*
 * antivirus (none): the antivirus state, not supported on this OS (probe.h).
 * One file per area, so that a port links the stubs of what it has not
 * written yet (the Linux build does: no OS register of antivirus products
 * exists there) and no stub is copied.
 */
#include <stdio.h>

#include "probe.h"
#include "probeset.h"

int native_probe_antivirus(const struct rootfs *root, struct av_state *out, char *err,
                           size_t err_len)
{
	(void)root;
	(void)out;
	return probe_unsupported(err, err_len);
}
