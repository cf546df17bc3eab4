/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: whether updates install themselves, read from the configuration of
 * the distribution's own mechanism and of systemd's timers:
 *  - Debian/Ubuntu: unattended-upgrades installed, APT::Periodic's
 *    Update-Package-Lists and Unattended-Upgrade non-zero in apt.conf(.d),
 *    and apt-daily-upgrade.timer not disabled;
 *  - Fedora/RHEL: dnf-automatic (dnf 4) or dnf5's automatic plugin installed,
 *    apply_updates = yes in /etc/dnf/automatic.conf (or the install timer,
 *    which applies whatever the file says), and its timer enabled.
 * A timer is enabled when a link to it exists in a *.wants directory of
 * /etc/systemd/system, and not when it is masked (linked to /dev/null).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../probe.h"
#include "../probeset.h"
#include "apt.h"

static int installed(const struct rootfs *root, const char *system, const char *package)
{
	struct pkg_query q = { .name = package };
	char err[256];
	int found = 0;

	if (system == NULL || native_probe_packages(root, system, &q, 1, err, sizeof(err)) != 0)
		return 0;
	found = q.n_instances > 0;
	pkg_queries_clear(&q, 1);
	return found;
}

/* A timer or service is enabled when some *.wants or *.requires directory
 * of /etc/systemd/system, or of the vendor's unit directory, links it, and it
 * is not masked. */
static int unit_enabled(const struct rootfs *root, const char *unit)
{
	static const char *const dirs[] = { "/etc/systemd/system/timers.target.wants",
		                            "/etc/systemd/system/multi-user.target.wants",
		                            "/usr/lib/systemd/system/timers.target.wants",
		                            "/lib/systemd/system/timers.target.wants", NULL };
	char path[512], target[512];
	struct stat st;
	size_t i;

	snprintf(path, sizeof(path), "/etc/systemd/system/%s", unit);
	if (rootfs_readlink(root, path, target, sizeof(target)) >= 0 &&
	    strcmp(target, "/dev/null") == 0)
		return 0; /* masked */
	for (i = 0; dirs[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], unit);
		if (rootfs_readlink(root, path, target, sizeof(target)) >= 0 ||
		    rootfs_stat(root, path, &st) == 0)
			return 1;
	}
	return 0;
}

/* An APT::Periodic interval as a number; -1 when unset. */
static long apt_periodic(const struct rootfs *root, const char *key)
{
	char value[64];

	if (apt_config_value(root, key, value, sizeof(value)) != 0)
		return -1;
	return strtol(value, NULL, 10);
}

/* apply_updates in [commands] of dnf's automatic.conf; -1 when unset. */
static int dnf_apply_updates(const struct rootfs *root)
{
	char *buf = NULL, *line, *save = NULL;
	int in_commands = 0, value = -1;

	if (rootfs_read_file(root, "/etc/dnf/automatic.conf", 1 << 20, &buf, NULL) != 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = line, *eq;

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '[') {
			in_commands = strncmp(p, "[commands]", 10) == 0;
			continue;
		}
		eq = strchr(p, '=');
		if (!in_commands || eq == NULL || *p == '#' || *p == ';')
			continue;
		if (strncmp(p, "apply_updates", 13) == 0 &&
		    (isspace((unsigned char)p[13]) || p[13] == '=')) {
			for (eq++; isspace((unsigned char)*eq); eq++)
				;
			value = strncasecmp(eq, "yes", 3) == 0 || strncasecmp(eq, "true", 4) == 0 ||
			        strncmp(eq, "1", 1) == 0;
		}
	}
	free(buf);
	return value;
}

int native_probe_auto_updates(const struct rootfs *root, struct update_automation *out, char *err,
                              size_t err_len)
{
	const char *system = native_probe_pkg_system(root);

	(void)err;
	(void)err_len;
	memset(out, 0, sizeof(*out));
	if (system != NULL && strcmp(system, "deb") == 0) {
		long lists = apt_periodic(root, "APT::Periodic::Update-Package-Lists");
		long upgrade = apt_periodic(root, "APT::Periodic::Unattended-Upgrade");

		snprintf(out->mechanism, sizeof(out->mechanism), "unattended-upgrades");
		out->installed = installed(root, system, "unattended-upgrades");
		out->enabled = out->installed && lists > 0 && upgrade > 0;
		out->installs = out->enabled;
		out->scheduled = unit_enabled(root, "apt-daily-upgrade.timer") &&
		                 unit_enabled(root, "apt-daily.timer");
		snprintf(
		    out->detail, sizeof(out->detail),
		    "APT::Periodic::Update-Package-Lists %ld, APT::Periodic::Unattended-Upgrade "
		    "%ld",
		    lists, upgrade);
		return 0;
	}
	if (system != NULL && strcmp(system, "rpm") == 0) {
		int dnf5 = installed(root, system, "dnf5-plugin-automatic");
		int apply = dnf_apply_updates(root);

		snprintf(out->mechanism, sizeof(out->mechanism), "%s",
		         dnf5 ? "dnf5 automatic" : "dnf-automatic");
		out->installed = dnf5 || installed(root, system, "dnf-automatic");
		out->scheduled =
		    unit_enabled(root, dnf5 ? "dnf5-automatic.timer" : "dnf-automatic.timer") ||
		    unit_enabled(root, "dnf-automatic-install.timer");
		out->enabled = out->installed && out->scheduled;
		/* The install timer applies updates whatever the file says. */
		out->installs = out->enabled &&
		                (apply == 1 || unit_enabled(root, "dnf-automatic-install.timer"));
		snprintf(out->detail, sizeof(out->detail), "apply_updates = %s",
		         apply < 0 ? "(unset: no)"
		         : apply   ? "yes"
		                   : "no");
		return 0;
	}
	snprintf(out->mechanism, sizeof(out->mechanism), "none");
	snprintf(out->detail, sizeof(out->detail), "no dpkg or rpm package database");
	return 0;
}
