/* SPDX-License-Identifier: Apache-2.0 */
/*
 * packages: what platform/linux's other probes need of the package
 * databases beyond probe.h. Internal to platform/linux.
 */
#ifndef POSTURE_LINUX_PACKAGES_H
#define POSTURE_LINUX_PACKAGES_H

#include "../probe.h"
#include "../rpmheader.h"

/* Calls FN for every package in rpm's database below ROOT. 0 or -errno. */
int rpm_each_installed(const struct rootfs *root, int (*fn)(void *user, const struct rpm_nevra *n),
                       void *user, char *err, size_t err_len);

#endif
