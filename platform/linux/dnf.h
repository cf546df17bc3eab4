/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dnf: pending updates on dnf systems (see dnf.c). Internal to platform/linux.
 */
#ifndef POSTURE_LINUX_DNF_H
#define POSTURE_LINUX_DNF_H

#include "../probe.h"

/* Fills OUT's updates, counts and last_check from dnf's cache. */
int dnf_pending(const struct rootfs *root, struct patch_state *out, char *err, size_t err_len);

#endif
