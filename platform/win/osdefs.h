/* SPDX-License-Identifier: Apache-2.0 */
/*
 * osdefs (Windows): where the agent's files are. See os.h. The paths are
 * those the MSI (installer/windows/posture.wxs) lays out; %ProgramData% is
 * C:\ProgramData on every supported Windows.
 */
#ifndef POSTURE_OSDEFS_H
#define POSTURE_OSDEFS_H

/* The report's device.os.family when the OS probe says nothing. */
#define OS_FAMILY "windows"

/* what a program file's name ends with (posture-net.exe) */
#define OS_EXE_SUFFIX ".exe"

/* Windows cannot fork: the evaluation worker is posture.exe started again
 * (agent/service.c, os_progress_page in os.h) */
#define OS_WORKER_SPAWNED 1

#define OS_DATA_DIR "C:\\ProgramData\\Posture"
#define OS_CONFIG_PATH "C:\\ProgramData\\Posture\\posture.ini"
#define OS_POLICY_PATH "C:\\ProgramData\\Posture\\policy.ini"
#define OS_ENROLL_SECRET_PATH "C:\\ProgramData\\Posture\\enroll-secret"
#define OS_STATE_DIR "C:\\ProgramData\\Posture\\state"
#define OS_STATUS_SOCKET "\\\\.\\pipe\\posture-status"

/* No OS_LIBCRYPTO: the agent's hashes and random bytes are CNG's
 * (platform/win/crypto.c); OpenSSL serves posture-net.exe alone. */

/* The baseline policy this OS's package installs, and its file's name in
 * the source tree's policies/, for the hint a machine without a policy gets
 * (quoted: Program Files has a space). */
#define OS_BASELINE_POLICY "\"" POSTURE_DATADIR "\\policies\\windows-baseline.ini\""
#define OS_BASELINE_NAME "windows-baseline.ini"

#endif
