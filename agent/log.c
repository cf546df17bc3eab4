/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log: see log.h.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static const char *log_name = "posture";

void log_set_name(const char *name)
{
	log_name = name;
}

int log_to_journal(void)
{
	static int known, journal;

	if (!known) {
		const char *js = getenv("JOURNAL_STREAM");
		unsigned long long dev, ino;
		struct stat st;

		known = 1;
		/* "DEV:INO" of the journal's socket, as systemd.exec(5) sets it */
		journal = js != NULL && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
		          fstat(fileno(stderr), &st) == 0 && (unsigned long long)st.st_dev == dev &&
		          (unsigned long long)st.st_ino == ino;
	}
	return journal;
}

void log_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	if (log_to_journal())
		fprintf(stderr, "<%d>", priority);
	else
		fprintf(stderr, "%s: %s", log_name,
		        priority <= LOG_ERR       ? "error: "
		        : priority == LOG_WARNING ? "warning: "
		                                  : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}
