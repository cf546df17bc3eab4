/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: operating system identity from os-release(5), the kernel's own
 * /proc/sys/kernel entries and /etc/machine-id.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../probe.h"
#include "../probeset.h"

/* Copies an os-release value, unquoting "..." (with \" \\ \$ \` escapes) and
 * '...' as the shell would. */
static void unquote(const char *v, char *out, size_t out_len)
{
	size_t n = 0;
	char q = 0;

	if (*v == '"' || *v == '\'')
		q = *v++;
	while (*v && n + 1 < out_len) {
		if (q && *v == q)
			break;
		if (q == '"' && *v == '\\' && v[1] && strchr("\"\\$`", v[1]) != NULL)
			v++;
		out[n++] = *v++;
	}
	out[n] = '\0';
	if (!q) {
		while (n > 0 && isspace((unsigned char)out[n - 1]))
			out[--n] = '\0';
	}
}

static void first_line(char *s)
{
	char *nl = strpbrk(s, "\r\n");

	if (nl != NULL)
		*nl = '\0';
}

static void read_line_into(const struct rootfs *root, const char *path, char *out, size_t len)
{
	char *buf = NULL;

	if (rootfs_read_file(root, path, 4096, &buf, NULL) == 0) {
		char *p = buf;

		while (isspace((unsigned char)*p))
			p++;
		first_line(p);
		snprintf(out, len, "%s", p);
		free(buf);
	}
}

/* A serial number firmware vendors leave unset: no machine's own. */
static int placeholder_serial(const char *s)
{
	static const char *const unset[] = {
		"",
		"0",
		"none",
		"n/a",
		"na",
		"not specified",
		"not available",
		"default string",
		"to be filled by o.e.m.",
		"system serial number",
		"chassis serial number",
		"serial number",
		"0123456789",
		"1234567890",
		"xxxxxxxxxxxx",
	};

	for (size_t i = 0; i < sizeof(unset) / sizeof(unset[0]); i++)
		if (strcasecmp(s, unset[i]) == 0)
			return 1;
	for (const char *p = s; *p; p++)
		if (*p != '0' && *p != ' ' && *p != 'x' && *p != 'X' && *p != 'f' && *p != 'F')
			return 0;
	return 1; /* zeros, or all F's */
}

/* KEY's value in a KEY=VALUE file TEXT (systemd's state files) into OUT */
static int env_value(const char *text, const char *key, char *out, size_t out_len)
{
	size_t n = strlen(key);

	for (const char *p = text; p && *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > n && strncmp(p, key, n) == 0 && p[n] == '=') {
			snprintf(out, out_len, "%.*s", (int)(len - n - 1), p + n + 1);
			return 1;
		}
		p = end ? end + 1 : NULL;
	}
	return 0;
}

/* The user of the session active on seat0, as systemd-logind keeps it in
 * /run/systemd/seats/seat0 (ACTIVE=SESSION) and /run/systemd/sessions/
 * SESSION (USER=, CLASS=, REMOTE=; logind's session_save, and what
 * sd_seat_get_active and sd_session_get_username read); a greeter's, a
 * remote one's, or none: "". */
static void console_user(const struct rootfs *root, char *out, size_t out_len)
{
	char *seat = NULL, *session = NULL, id[64] = "", path[128], user[64] = "", klass[32] = "",
	     remote[8] = "";

	out[0] = '\0';
	if (rootfs_read_file(root, "/run/systemd/seats/seat0", 64 * 1024, &seat, NULL) != 0)
		return;
	if (env_value(seat, "ACTIVE", id, sizeof(id)) && id[0] != '\0' &&
	    strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
	        strlen(id)) {
		snprintf(path, sizeof(path), "/run/systemd/sessions/%s", id);
		if (rootfs_read_file(root, path, 64 * 1024, &session, NULL) == 0 &&
		    env_value(session, "USER", user, sizeof(user))) {
			env_value(session, "CLASS", klass, sizeof(klass));
			env_value(session, "REMOTE", remote, sizeof(remote));
			if ((klass[0] == '\0' || strcmp(klass, "user") == 0) &&
			    strcmp(remote, "1") != 0)
				snprintf(out, out_len, "%s", user);
		}
	}
	free(seat);
	free(session);
}

int native_probe_os_info(const struct rootfs *root, struct os_info *out, char *err, size_t err_len)
{
	char *buf = NULL, *line, *save = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(out->family, sizeof(out->family), "linux");
	read_line_into(root, "/proc/sys/kernel/osrelease", out->kernel, sizeof(out->kernel));
	read_line_into(root, "/proc/sys/kernel/hostname", out->hostname, sizeof(out->hostname));
	if (out->hostname[0] == '\0')
		read_line_into(root, "/etc/hostname", out->hostname, sizeof(out->hostname));
	/* the firmware's (SMBIOS) serial number: sysfs's dmi/id, root-only,
	 * which the agent's CAP_DAC_READ_SEARCH reads */
	read_line_into(root, "/sys/class/dmi/id/product_serial", out->serial, sizeof(out->serial));
	if (placeholder_serial(out->serial))
		out->serial[0] = '\0';
	console_user(root, out->console_user, sizeof(out->console_user));

	rc = rootfs_read_file(root, "/etc/os-release", 64 * 1024, &buf, NULL);
	if (rc == -ENOENT)
		rc = rootfs_read_file(root, "/usr/lib/os-release", 64 * 1024, &buf, NULL);
	if (rc != 0) {
		snprintf(err, err_len, "cannot read /etc/os-release or /usr/lib/os-release: %s",
		         rootfs_strerror(-rc));
		return rc;
	}
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');

		while (isspace((unsigned char)*line))
			line++;
		if (*line == '#' || eq == NULL)
			continue;
		*eq = '\0';
		if (strcmp(line, "ID") == 0)
			unquote(eq + 1, out->id, sizeof(out->id));
		else if (strcmp(line, "NAME") == 0)
			unquote(eq + 1, out->name, sizeof(out->name));
		else if (strcmp(line, "PRETTY_NAME") == 0)
			unquote(eq + 1, out->pretty_name, sizeof(out->pretty_name));
		else if (strcmp(line, "VERSION_ID") == 0)
			unquote(eq + 1, out->version_id, sizeof(out->version_id));
	}
	free(buf);
	if (out->id[0] == '\0')
		snprintf(out->id, sizeof(out->id), "linux"); /* os-release(5)'s default */
	if (out->name[0] == '\0')
		snprintf(out->name, sizeof(out->name), "Linux");

	/* Debian's VERSION_ID is only the major release; the point release that
	 * says whether security updates are in is in /etc/debian_version. */
	if (strcmp(out->id, "debian") == 0) {
		char dv[64] = "";
		const char *p;

		read_line_into(root, "/etc/debian_version", dv, sizeof(dv));
		for (p = dv; *p && (isdigit((unsigned char)*p) || *p == '.'); p++)
			;
		if (dv[0] != '\0' && *p == '\0' && isdigit((unsigned char)dv[0]))
			snprintf(out->point_version, sizeof(out->point_version), "%s", dv);
	}
	return 0;
}

int native_probe_machine_id(const struct rootfs *root, unsigned char id[16])
{
	char text[64] = "";
	size_t i;

	read_line_into(root, "/etc/machine-id", text, sizeof(text));
	if (text[0] == '\0')
		read_line_into(root, "/var/lib/dbus/machine-id", text, sizeof(text));
	if (strlen(text) != 32)
		return -ENOENT; /* absent, empty, or "uninitialized" */
	for (i = 0; i < 16; i++) {
		unsigned int byte;

		if (!isxdigit((unsigned char)text[2 * i]) ||
		    !isxdigit((unsigned char)text[2 * i + 1]))
			return -EINVAL;
		if (sscanf(text + 2 * i, "%2x", &byte) != 1)
			return -EINVAL;
		id[i] = (unsigned char)byte;
	}
	return 0;
}
