/* SPDX-License-Identifier: Apache-2.0 */
/*
 * osdefs (Linux): where the agent's files are, and the names of the
 * libraries it loads when first needed. See os.h.
 */
#ifndef POSTURE_OSDEFS_H
#define POSTURE_OSDEFS_H

/* The report's device.os.family when the OS probe says nothing. */
#define OS_FAMILY "linux"

/* what a program file's name ends with (posture-net) */
#define OS_EXE_SUFFIX ""

#define OS_CONFIG_PATH "/etc/posture/posture.ini"
#define OS_POLICY_PATH "/etc/posture/policy.ini"
#define OS_ENROLL_SECRET_PATH "/etc/posture/enroll-secret"
#define OS_STATE_DIR "/var/lib/posture"
#define OS_STATUS_SOCKET "/run/posture/status.sock"

/* OpenSSL 3's libcrypto (reports' ids and hashes, agent/crypto.c). */
#define OS_LIBCRYPTO "libcrypto.so.3"

/* The baseline policy this OS's package installs, and its file's name in
 * the source tree's policies/, for the hint a machine without a policy gets. */
#define OS_BASELINE_POLICY POSTURE_DATADIR "/policies/baseline.ini"
#define OS_BASELINE_NAME "baseline.ini"

#endif
