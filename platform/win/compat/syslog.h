/* SPDX-License-Identifier: Apache-2.0 */
/*
 * syslog.h (Windows): the priorities agent/log.h names, with POSIX's
 * values; Windows has no syslog. platform/win/system.c maps them onto the
 * Event Log's types.
 */
#ifndef POSTURE_WIN_SYSLOG_H
#define POSTURE_WIN_SYSLOG_H

#define LOG_EMERG 0
#define LOG_ALERT 1
#define LOG_CRIT 2
#define LOG_ERR 3
#define LOG_WARNING 4
#define LOG_NOTICE 5
#define LOG_INFO 6
#define LOG_DEBUG 7

#endif
