/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpkg: see dpkg.h.
 */
#define _GNU_SOURCE
#include "dpkg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../deb822.h"

enum { F_PACKAGE, F_STATUS, F_VERSION, F_ARCH };
static const char *const fields[] = { "Package", "Status", "Version", "Architecture" };

struct each {
	int (*fn)(void *user, const struct dpkg_entry *e);
	void *user;
};

static int on_stanza(void *user, const struct deb822_stanza *s)
{
	struct each *each = user;
	struct dpkg_entry e;
	const char *status = s->values[F_STATUS], *state;

	if (s->values[F_PACKAGE] == NULL || s->values[F_VERSION] == NULL || status == NULL)
		return 0;
	/* "want flag state": the state is the last word */
	state = strrchr(status, ' ');
	e.name = s->values[F_PACKAGE];
	e.name_len = s->lens[F_PACKAGE];
	e.version = s->values[F_VERSION];
	e.version_len = s->lens[F_VERSION];
	e.arch = s->values[F_ARCH] ? s->values[F_ARCH] : "";
	e.state = state ? state + 1 : status;
	return each->fn(each->user, &e);
}

int dpkg_status_each(const struct rootfs *root, int (*fn)(void *user, const struct dpkg_entry *e),
                     void *user, char *err, size_t err_len)
{
	struct each each = { fn, user };
	int fd = rootfs_openat(root, DPKG_STATUS, O_RDONLY), rc;

	if (fd < 0) {
		snprintf(err, err_len, "cannot open %s: %s", DPKG_STATUS, rootfs_strerror(-fd));
		return fd;
	}
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	rc = deb822_parse(deb822_read_fd, &fd, fields, 4, on_stanza, &each);
	close(fd);
	if (rc != 0)
		snprintf(err, err_len, "cannot read %s: %s", DPKG_STATUS, rootfs_strerror(-rc));
	return rc;
}

int dpkg_files_at_version(const char *state)
{
	static const char *const present[] = { "installed",        "triggers-pending",
		                               "triggers-awaited", "half-configured",
		                               "unpacked",         NULL };
	size_t i;

	for (i = 0; present[i] != NULL; i++)
		if (strcmp(state, present[i]) == 0)
			return 1;
	return 0;
}

int dpkg_apt_current(const char *state)
{
	return strcmp(state, "not-installed") != 0 && strcmp(state, "config-files") != 0;
}
