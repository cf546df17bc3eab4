/* SPDX-License-Identifier: Apache-2.0 */
/*
 * logline: a log line for a person at a console, as every OS's
 * os_log_line() writes it when the log is not the system's
 * ("posture: error: ..."). See os.h.
 */
#include "os.h"

#include <stdio.h>
#include <syslog.h>

void os_log_console(int priority, const char *program, const char *line)
{
	fprintf(stderr, "%s: %s%s\n", program,
	        priority <= LOG_ERR       ? "error: "
	        : priority == LOG_WARNING ? "warning: "
	                                  : "",
	        line);
	fflush(stderr);
}
