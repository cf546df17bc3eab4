/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: kernel parameters from /proc/sys, named as sysctl(8) names them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../probe.h"
#include "../probeset.h"

int native_probe_sysctl(const struct rootfs *root, const char *name, char *value, size_t value_len,
                        char *err, size_t err_len)
{
	char path[512];
	char *buf = NULL, *p;
	size_t n = 0;
	int slash_form = strchr(name, '/') != NULL;
	int rc;

	if (snprintf(path, sizeof(path), "/proc/sys/%s", name) >= (int)sizeof(path)) {
		snprintf(err, err_len, "kernel parameter name is too long");
		return -ENAMETOOLONG;
	}
	/* sysctl(8): in the dotted form dots separate directories; names with
	 * a dot of their own (eth0.100) need the slash form. */
	if (!slash_form)
		for (p = path + strlen("/proc/sys/"); *p; p++)
			if (*p == '.')
				*p = '/';
	rc = rootfs_read_file(root, path, 1 << 20, &buf, NULL);
	if (rc != 0) {
		struct stat st;

		if (rc == -ENOENT && rootfs_stat(root, "/proc/sys/kernel", &st) != 0) {
			/* A disk image or a container without /proc: no kernel to
			 * ask, which is not the same as a missing parameter. */
			snprintf(err, err_len,
			         "there is no /proc/sys below %s, so kernel parameters "
			         "cannot be read there",
			         rootfs_dir(root));
			return -ENODEV;
		}
		if (rc == -ENOENT)
			snprintf(err, err_len, "the kernel has no parameter %s (%s does not exist)",
			         name, path);
		else
			snprintf(err, err_len, "cannot read %s: %s", path, rootfs_strerror(-rc));
		return rc;
	}
	/* Fold whitespace runs ("32768\t60999\n") to single spaces. */
	for (p = buf; *p && n + 1 < value_len; p++) {
		if (isspace((unsigned char)*p)) {
			while (isspace((unsigned char)p[1]))
				p++;
			if (n > 0 && p[1] != '\0')
				value[n++] = ' ';
			continue;
		}
		value[n++] = *p;
	}
	value[n] = '\0';
	free(buf);
	return 0;
}
