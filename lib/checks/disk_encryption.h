/* SPDX-License-Identifier: Apache-2.0 */
/*
 * disk_encryption: what the check type's keys (disk_encryption.c) and its
 * judge (agent/judges/disk_encryption.c) share.
 */
#ifndef POSTURE_CHECKS_DISK_ENCRYPTION_H
#define POSTURE_CHECKS_DISK_ENCRYPTION_H

/* The values of the "scope" key, in the order of its choices. */
enum disk_scope { DISK_SCOPE_ALL, DISK_SCOPE_ROOT };

#endif
