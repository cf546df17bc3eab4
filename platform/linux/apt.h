/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apt: pending updates on apt systems (see apt.c). Internal to platform/linux.
 */
#ifndef POSTURE_LINUX_APT_H
#define POSTURE_LINUX_APT_H

#include "../probe.h"

/* Fills OUT's updates, counts and last_check from apt's own files. */
int apt_pending(const struct rootfs *root, struct patch_state *out, char *err, size_t err_len);

/* The last value apt's configuration (apt.conf.d in name order, then
 * apt.conf) gives KEY ("APT::Periodic::Unattended-Upgrade"), in the flat
 * KEY "VALUE"; form. 0, or -1 when no file sets it. */
int apt_config_value(const struct rootfs *root, const char *key, char *out, size_t out_len);

#endif
