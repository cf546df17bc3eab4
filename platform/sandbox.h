/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sandbox: what the network process gives up before it reads a byte from the
 * network. As root it becomes the `posture` system user (or `nobody`), with
 * no supplementary groups and no way back; then PR_SET_NO_NEW_PRIVS, and on
 * Linux a seccomp allow-list (libseccomp) of the system calls that libuv,
 * libcurl, OpenSSL and the resolver need. Anything else fails with EPERM
 * rather than killing the process, so an unexpected call in a library update
 * shows as an error in the log, not as lost reports.
 */
#ifndef POSTURE_SANDBOX_H
#define POSTURE_SANDBOX_H

#include <stddef.h>

/* Drops root (when the process has it) to USER, or to "nobody" when USER
 * does not exist. 0, or -1 with ERR. *WHO gets the user now in force. */
int sandbox_drop_user(const char *user, char *who, size_t who_len, char *err, size_t err_len);

/* No new privileges, then the system-call filter. 0, or -1 with ERR. */
int sandbox_enter(char *err, size_t err_len);

#endif
