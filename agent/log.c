/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log: see log.h. Formats the line; the platform's log sink writes it.
 */
#define _GNU_SOURCE
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "os.h"

static const char *log_name = "posture";

void log_set_name(const char *name)
{
	log_name = name;
}

void log_msg(int priority, const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	os_log_line(priority, log_name, line != NULL ? line : fmt);
	free(line);
}
