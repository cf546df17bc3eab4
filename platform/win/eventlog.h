/* SPDX-License-Identifier: Apache-2.0 */
/*
 * eventlog (Windows): where os_log_line writes (platform/win/system.c). A
 * service has no console: once the service manager runs it, its lines go
 * to the Event Log (source "Posture").
 */
#ifndef POSTURE_WIN_EVENTLOG_H
#define POSTURE_WIN_EVENTLOG_H

/* From now on, os_log_line writes to the Event Log. */
void os_log_to_system(void);

#endif
