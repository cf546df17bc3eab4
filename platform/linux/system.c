/* SPDX-License-Identifier: Apache-2.0 */
/*
 * system.c (Linux): the OS interface of os.h.
 */
#define _GNU_SOURCE
#include "os.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

int os_random(void *buf, size_t len)
{
	return getrandom(buf, len, GRND_NONBLOCK) == (ssize_t)len ? 0 : -1;
}

void os_release_memory(void)
{
	malloc_trim(0);
}

void os_drop_inheritable_privileges(void)
{
	/* Harmless when there are none (EINVAL on kernels before 4.3). */
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
}

int os_program_dir(char *out, size_t out_len)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	if ((size_t)snprintf(out, out_len, "%s", self) >= out_len)
		return -1;
	return 0;
}

int os_log_is_system(void)
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

void os_log_line(int priority, const char *program, const char *line)
{
	if (!os_log_is_system()) {
		os_log_console(priority, program, line);
		return;
	}
	fprintf(stderr, "<%d>%s\n", priority, line);
	fflush(stderr);
}
