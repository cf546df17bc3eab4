/* SPDX-License-Identifier: Apache-2.0 */
/*
 * packages (none): installed packages, not supported on this OS (probe.h). One file per
 * area, so that a port links the stubs of what it has not written yet
 * (mk/windows.mk does) and no stub is copied.
 */
#include <stdio.h>

#include "probe.h"
#include "probeset.h"

const char *native_probe_pkg_system(const struct rootfs *root)
{
	(void)root;
	return NULL;
}

int native_probe_packages(const struct rootfs *root, const char *system, struct pkg_query *queries,
                          size_t n_queries, char *err, size_t err_len)
{
	(void)root;
	(void)system;
	(void)queries;
	(void)n_queries;
	return probe_unsupported(err, err_len);
}
