/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log: the service's log lines, written by the platform's log sink
 * (os_log_line, platform/os.h). On Linux that is stderr: under systemd, when
 * stderr is the journal (JOURNAL_STREAM names it), each line starts with its
 * syslog priority ("<3>") so that `journalctl -p warning` finds the
 * problems; elsewhere lines read "posture: error: ...". Nothing secret is
 * ever passed here: no enrollment secret, key or certificate body.
 */
#ifndef POSTURE_LOG_H
#define POSTURE_LOG_H

#include <syslog.h> /* LOG_ERR, LOG_WARNING, LOG_INFO */
#include "attrs.h"

void log_msg(int priority, const char *fmt, ...) POSTURE_PRINTF(2, 3);

/* The program name before each line elsewhere ("posture" by default). */
void log_set_name(const char *name);

#endif
