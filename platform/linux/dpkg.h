/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpkg: the one reader of dpkg's status file (/var/lib/dpkg/status), for
 * package_version (packages.c) and os_patch (apt.c), with the two readings
 * of a package's state that they need. Internal to platform/linux.
 */
#ifndef POSTURE_LINUX_DPKG_H
#define POSTURE_LINUX_DPKG_H

#include <stddef.h>

#include "../probe.h"

#define DPKG_STATUS "/var/lib/dpkg/status"

struct dpkg_entry {
	const char *name; /* NUL-terminated; valid during the callback */
	size_t name_len;
	const char *version;
	size_t version_len;
	const char *arch;  /* "" when the stanza has none */
	const char *state; /* the last word of Status: "installed", "half-installed", ... */
};

/*
 * Calls FN for every stanza of ROOT's dpkg status that has a Package, a
 * Version and a Status. FN returns non-zero to stop. 0, or a negative errno
 * with ERR.
 */
int dpkg_status_each(const struct rootfs *root, int (*fn)(void *user, const struct dpkg_entry *e),
                     void *user, char *err, size_t err_len);

/* Whether the package's files are on disk at the recorded version
 * (installed, triggers-pending, triggers-awaited, half-configured,
 * unpacked): what package_version judges. half-installed is not: its
 * files may be of the old version or the new one. */
int dpkg_files_at_version(const char *state);

/* Whether apt gives the package a current version (apt-pkg's CurrentVer:
 * every state but not-installed and config-files, half-installed
 * included), so that `apt list --upgradable` can list it: what os_patch
 * counts, as apt does. */
int dpkg_apt_current(const char *state);

#endif
