/*
 * apt: pending updates on apt systems (see apt.c). Internal to platform/linux.
 */
#ifndef POSTURE_LINUX_APT_H
#define POSTURE_LINUX_APT_H

#include "../probe.h"

/* Fills OUT's updates, counts and last_check from apt's own files. */
int apt_pending(const struct rootfs *root, struct patch_state *out, char *err, size_t err_len);

#endif
