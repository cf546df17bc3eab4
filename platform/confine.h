/* SPDX-License-Identifier: Apache-2.0 */
/*
 * confine: what the evaluation worker may still do once it starts. The
 * worker parses files any user may write (desktop settings, package
 * databases), so it keeps only what reading them needs: no capability but
 * reading any file (CAP_DAC_READ_SEARCH) and reading the firewall's rules
 * (CAP_NET_ADMIN, over netlink), no way to gain privileges again
 * (no_new_privs), and a system-call filter that refuses running programs
 * and any socket but netlink and local ones. The same two capabilities are
 * all the service has under systemd, so its verdicts are the same.
 *
 * One implementation per OS (platform/OS/confine.c); an OS without one
 * confines nothing and says so.
 */
#ifndef POSTURE_CONFINE_H
#define POSTURE_CONFINE_H

#include <stddef.h>

/* Confines the calling process for good. 0, or -1 with a sentence in ERR
 * (the caller must not evaluate then). */
int confine_worker(char *err, size_t err_len);

#endif
