/* SPDX-License-Identifier: Apache-2.0 */
/*
 * proc (none): processes, not supported on this OS (probe.h). One file per
 * area, so that a port links the stubs of what it has not written yet
 * (mk/windows.mk does) and no stub is copied.
 */
#include <stdio.h>

#include "probe.h"
#include "probeset.h"

int native_probe_processes(const struct rootfs *root,
                           int (*fn)(void *user, const struct proc_entry *p), void *user, char *err,
                           size_t err_len)
{
	(void)root;
	(void)fn;
	(void)user;
	return probe_unsupported(err, err_len);
}
