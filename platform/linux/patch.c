/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: the OS patch level. Pending updates come from the package
 * manager's files (apt.c); this file adds when updates were last checked
 * for, and whether a reboot is due: /run/reboot-required (written by
 * Debian's and Ubuntu's update hooks) or a running kernel older than the
 * newest one installed.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../probe.h"
#include "../probeset.h"
#include "vercmp.h"
#include "apt.h"
#include "dnf.h"

/* The newest kernel release in /lib/modules (every distribution installs
 * one directory per kernel there), by the package system's order. */
static void newest_installed_kernel(const struct rootfs *root, int rpm, char *out, size_t len)
{
	struct dirent *de;
	int err = 0;
	DIR *d = rootfs_opendir(root, "/lib/modules", &err);

	out[0] = '\0';
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[512];
		struct stat st;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		/* A directory left by a removed kernel holds no vmlinuz/modules.dep. */
		snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", de->d_name);
		if (rootfs_stat(root, path, &st) != 0)
			continue;
		if (out[0] == '\0' || (rpm ? rpm_evr_compare(de->d_name, out)
		                           : deb_version_cmp_str(de->d_name, out)) > 0)
			snprintf(out, len, "%s", de->d_name);
	}
	closedir(d);
}

static void reboot_state(const struct rootfs *root, struct patch_state *ps, int rpm)
{
	char *pkgs = NULL, running[128] = "", newest[256];
	struct stat st;

	if (rootfs_stat(root, "/run/reboot-required", &st) == 0) {
		ps->reboot_required = 1;
		if (rootfs_read_file(root, "/run/reboot-required.pkgs", 4096, &pkgs, NULL) == 0) {
			char *p;

			size_t len = strlen(pkgs);

			while (len > 0 && (pkgs[len - 1] == '\n' || pkgs[len - 1] == ' '))
				pkgs[--len] = '\0';
			for (p = pkgs; *p; p++)
				if (*p == '\n')
					*p = ' ';
			snprintf(ps->reboot_reason, sizeof(ps->reboot_reason),
			         "/run/reboot-required exists (for: %s)", pkgs);
			free(pkgs);
		} else {
			snprintf(ps->reboot_reason, sizeof(ps->reboot_reason),
			         "/run/reboot-required exists");
		}
		return;
	}
	{
		char *buf = NULL;

		if (rootfs_read_file(root, "/proc/sys/kernel/osrelease", 4096, &buf, NULL) == 0) {
			snprintf(running, sizeof(running), "%.*s", (int)strcspn(buf, "\n"), buf);
			free(buf);
		}
	}
	if (running[0] == '\0')
		return;
	newest_installed_kernel(root, rpm, newest, sizeof(newest));
	if (newest[0] != '\0' &&
	    (rpm ? rpm_evr_compare(newest, running) : deb_version_cmp_str(newest, running)) > 0) {
		ps->reboot_required = 1;
		snprintf(ps->reboot_reason, sizeof(ps->reboot_reason),
		         "kernel %s is installed but %s is running", newest, running);
	}
}

int native_probe_os_patch(const struct rootfs *root, struct patch_state *out, char *err,
                          size_t err_len)
{
	const char *system = native_probe_pkg_system(root);
	struct stat st;
	int rc;

	memset(out, 0, sizeof(*out));
	out->last_check = -1;
	out->last_install = -1; /* apt and dnf keep no such time */
	if (system == NULL) {
		snprintf(err, err_len, "no package manager found (neither dpkg/apt nor rpm)");
		return -ENOTSUP;
	}
	if (strcmp(system, "rpm") == 0) {
		snprintf(out->package_manager, sizeof(out->package_manager), "dnf");
		rc = dnf_pending(root, out, err, err_len);
		if (rc != 0) {
			patch_state_free(out);
			return rc;
		}
		reboot_state(root, out, 1);
		return 0;
	}
	snprintf(out->package_manager, sizeof(out->package_manager), "apt");
	rc = apt_pending(root, out, err, err_len);
	if (rc != 0) {
		patch_state_free(out);
		return rc;
	}
	/* APT::Periodic touches this after every successful update. */
	if (rootfs_stat(root, "/var/lib/apt/periodic/update-success-stamp", &st) == 0 &&
	    (long long)st.st_mtime > out->last_check - 1) {
		out->last_check = (long long)st.st_mtime;
		snprintf(out->last_check_source, sizeof(out->last_check_source),
		         "/var/lib/apt/periodic/update-success-stamp");
	}
	reboot_state(root, out, 0);
	return 0;
}
