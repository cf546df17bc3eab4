/* SPDX-License-Identifier: Apache-2.0 */
/*
 * system.c (macOS): the OS interface of os.h. Logs go to the unified log
 * (os_log, subsystem com.posture.agent, category the program) when the
 * agent runs under launchd, and to the terminal otherwise; launchd's
 * StandardErrorPath (installer/macos/com.posture.agent.plist) keeps what
 * reaches stderr before that. NOT BUILT OR RUN ON THIS PROJECT'S CI: no Mac
 * (README.md, "What was not run here").
 */
#include "os.h"

#include <limits.h>
#include <mach-o/dyld.h>
#include <os/log.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

int os_random(void *buf, size_t len)
{
	arc4random_buf(buf, len);
	return 0;
}

void os_release_memory(void)
{
	/* macOS's allocator returns freed pages to the system by itself */
}

void os_drop_inheritable_privileges(void)
{
	/* macOS has no ambient capabilities to clear */
}

int os_program_dir(char *out, size_t out_len)
{
	char self[4096], real[PATH_MAX];
	uint32_t size = sizeof(self);
	char *slash;

	if (_NSGetExecutablePath(self, &size) != 0 || realpath(self, real) == NULL)
		return -1;
	slash = strrchr(real, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	if ((size_t)snprintf(out, out_len, "%s", real) >= out_len)
		return -1;
	return 0;
}

int os_log_is_system(void)
{
	/* launchd is process 1 and every daemon's parent */
	return getppid() == 1;
}

void os_log_line(int priority, const char *program, const char *line)
{
	static os_log_t log;
	os_log_type_t type;

	if (!os_log_is_system()) {
		os_log_console(priority, program, line);
		return;
	}
	if (log == NULL)
		log = os_log_create("com.posture.agent", program);
	type = priority <= LOG_ERR      ? OS_LOG_TYPE_ERROR
	       : priority <= LOG_NOTICE ? OS_LOG_TYPE_DEFAULT
	       : priority == LOG_INFO   ? OS_LOG_TYPE_INFO
	                                : OS_LOG_TYPE_DEBUG;
	/* %{public}s: the agent's lines hold no secret, and an admin reading
	 * `log show --predicate 'subsystem == "com.posture.agent"'` needs them */
	os_log_with_type(log, type, "%{public}s", line);
}
