/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: the process list from /proc/PID/stat and /proc/PID/cmdline.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../probe.h"
#include "../probeset.h"

/* stat is "PID (COMM) STATE ...", and COMM may itself hold ") ". */
static int parse_stat(const char *buf, struct proc_entry *e)
{
	const char *open = strchr(buf, '('), *close = strrchr(buf, ')');
	size_t n;

	if (open == NULL || close == NULL || close < open || close[1] != ' ')
		return -1;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(e->comm))
		n = sizeof(e->comm) - 1;
	memcpy(e->comm, open + 1, n);
	e->comm[n] = '\0';
	e->state = close[2];
	return 0;
}

static int is_interpreter(const char *name)
{
	static const char *const names[] = { "sh",      "bash",    "dash", "zsh",    "ksh",
		                             "perl",    "ruby",    "node", "nodejs", "python",
		                             "python2", "python3", NULL };
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	/* python3.11, perl5.36 */
	return (strncmp(name, "python3.", 8) == 0 || strncmp(name, "perl5.", 6) == 0);
}

/* Fills e->argv0 and e->script from the NUL-separated command line. */
static void parse_cmdline(const char *buf, size_t len, struct proc_entry *e)
{
	const char *arg = buf, *end = buf + len, *base;

	base = strrchr(arg, '/');
	snprintf(e->argv0, sizeof(e->argv0), "%s", base ? base + 1 : arg);
	if (!is_interpreter(e->argv0))
		return;
	for (arg += strlen(arg) + 1; arg < end; arg += strlen(arg) + 1) {
		if (arg[0] == '-')
			continue;
		base = strrchr(arg, '/');
		snprintf(e->script, sizeof(e->script), "%s", base ? base + 1 : arg);
		return;
	}
}

int native_probe_processes(const struct rootfs *root,
                           int (*fn)(void *user, const struct proc_entry *p), void *user, char *err,
                           size_t err_len)
{
	struct dirent *de;
	DIR *dir;
	int rc = 0;

	dir = rootfs_opendir(root, "/proc", &rc);
	if (dir == NULL) {
		snprintf(err, err_len, "cannot list /proc: %s", rootfs_strerror(-rc));
		return rc;
	}
	while ((de = readdir(dir)) != NULL) {
		struct proc_entry e;
		char path[64], *buf = NULL;
		const char *p;
		size_t len = 0;

		for (p = de->d_name; *p && isdigit((unsigned char)*p); p++)
			;
		if (*p != '\0' || de->d_name[0] == '\0')
			continue;
		memset(&e, 0, sizeof(e));
		e.pid = (pid_t)strtol(de->d_name, NULL, 10);
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if (rootfs_read_file(root, path, 64 * 1024, &buf, NULL) != 0)
			continue; /* the process exited while we looked */
		if (parse_stat(buf, &e) != 0) {
			free(buf);
			continue;
		}
		free(buf);
		buf = NULL;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		if (rootfs_read_file(root, path, 1 << 20, &buf, &len) == 0 && len > 0)
			parse_cmdline(buf, len, &e);
		free(buf);
		if (fn(user, &e) != 0)
			break;
	}
	closedir(dir);
	return 0;
}
