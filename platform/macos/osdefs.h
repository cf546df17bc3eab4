/* SPDX-License-Identifier: Apache-2.0 */
/*
 * osdefs (macOS): where the agent's files are, and the libraries it loads
 * when first needed. See os.h. The package (installer/macos/) puts the
 * programs under /usr/local and keeps the Unix places Linux uses for the
 * configuration and state, so the MDM scripts (installer/mdm/) are the same.
 */
#ifndef POSTURE_OSDEFS_H
#define POSTURE_OSDEFS_H

/* The report's device.os.family when the OS probe says nothing. */
#define OS_FAMILY "macos"

/* what a program file's name ends with (posture-net) */
#define OS_EXE_SUFFIX ""

#define OS_CONFIG_PATH "/etc/posture/posture.ini"
#define OS_POLICY_PATH "/etc/posture/policy.ini"
#define OS_ENROLL_SECRET_PATH "/etc/posture/enroll-secret"
#define OS_STATE_DIR "/var/lib/posture"
#define OS_STATUS_SOCKET "/var/run/posture/status.sock"

/* OpenSSL 3's libcrypto (reports' ids and hashes, agent/crypto.c), as
 * Homebrew's openssl@3 installs it; found through the loader's path. */
#define OS_LIBCRYPTO "libcrypto.3.dylib"

/* The baseline policy this OS's package installs, and its file's name in
 * the source tree's policies/, for the hint a machine without a policy gets. */
#define OS_BASELINE_POLICY POSTURE_DATADIR "/policies/macos-baseline.ini"
#define OS_BASELINE_NAME "macos-baseline.ini"

#endif
