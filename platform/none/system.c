/* SPDX-License-Identifier: Apache-2.0 */
/*
 * system.c (none): the OS interface of os.h in ISO C and POSIX alone, for
 * the platform-less build.
 */
#include "os.h"

#include <stdio.h>
#include <syslog.h>

int os_random(void *buf, size_t len)
{
	(void)buf;
	(void)len;
	return -1; /* callers then use no jitter rather than a weak one */
}

void os_release_memory(void)
{
}

void os_drop_inheritable_privileges(void)
{
}

int os_program_dir(char *out, size_t out_len)
{
	(void)out;
	(void)out_len;
	return -1;
}

int os_log_is_system(void)
{
	return 0;
}

void os_log_line(int priority, const char *program, const char *line)
{
	os_log_console(priority, program, line);
}
