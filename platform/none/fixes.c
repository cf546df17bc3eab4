/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fixes (none): fix texts, not supported on this OS (probe.h). One file per
 * area, so that a port links the stubs of what it has not written yet
 * (mk/windows.mk does) and no stub is copied.
 */
#include <stdio.h>

#include "probe.h"
#include "probeset.h"

int native_probe_fix(const char *topic, const struct fix_args *args, char *out, size_t out_len)
{
	(void)topic;
	(void)args;
	(void)out;
	(void)out_len;
	return -1;
}
