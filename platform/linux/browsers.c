/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: installed web browsers, every installation of each, with the
 * version the browser itself reports (`--version`), where it came from and
 * where it lives. Read from the package database (deb and rpm), snaps
 * (/snap/NAME/current/meta/snap.yaml), flatpaks (system and per user, from
 * their AppStream metainfo) and tarball installs (/opt/firefox). A package
 * version is cut to what the browser prints: no epoch, no packaging
 * revision ("131.0.6778.85-1~deb12u1" is "131.0.6778.85"). Mozilla's own
 * "firefox" packages version themselves "133.0.3~build1", so their
 * application.ini is read instead; Debian's firefox-esr package version
 * ("153.7.0esr") is what `firefox-esr --version` prints, while its
 * application.ini lacks the "esr". Nothing is executed.
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

struct known_package {
	const char *package;
	const char *browser;
	const char *channel;
	const char *dir; /* where the package installs the browser */
};

static const struct known_package packages[] = {
	{ "google-chrome-stable", "chrome", "stable", "/opt/google/chrome" },
	{ "google-chrome-beta", "chrome", "beta", "/opt/google/chrome-beta" },
	{ "google-chrome-unstable", "chrome", "dev", "/opt/google/chrome-unstable" },
	{ "chromium", "chromium", "stable", "/usr/lib/chromium" },
	{ "chromium-browser", "chromium", "stable", "/usr/lib/chromium-browser" },
	{ "microsoft-edge-stable", "edge", "stable", "/opt/microsoft/msedge" },
	{ "microsoft-edge-beta", "edge", "beta", "/opt/microsoft/msedge-beta" },
	{ "brave-browser", "brave", "stable", "/opt/brave.com/brave" },
	{ "firefox", "firefox", "stable", "/usr/lib/firefox" },
	{ "firefox-esr", "firefox", "esr", "/usr/lib/firefox-esr" },
	{ "opera-stable", "opera", "stable", "/usr/lib/x86_64-linux-gnu/opera" },
	{ "vivaldi-stable", "vivaldi", "stable", "/opt/vivaldi" },
};

/* Where a "firefox" package installs itself: Debian, Mozilla's own apt
 * repository and Arch use /usr/lib, Fedora and openSUSE /usr/lib64. */
static const char *const firefox_dirs[] = { "/usr/lib/firefox", "/usr/lib64/firefox", NULL };

static const struct {
	const char *snap;
	const char *browser;
} snaps[] = {
	{ "firefox", "firefox" }, { "chromium", "chromium" }, { "brave", "brave" },
	{ "opera", "opera" },     { "vivaldi", "vivaldi" },
};

static const struct {
	const char *app_id;
	const char *browser;
} flatpaks[] = {
	{ "org.mozilla.firefox", "firefox" }, { "org.chromium.Chromium", "chromium" },
	{ "com.google.Chrome", "chrome" },    { "com.microsoft.Edge", "edge" },
	{ "com.brave.Browser", "brave" },     { "com.opera.Opera", "opera" },
	{ "com.vivaldi.Vivaldi", "vivaldi" },
};

struct list {
	struct browser_install *items;
	size_t n;
};

static struct browser_install *add(struct list *l, const char *browser, const char *version,
                                   const char *source, const char *path, const char *channel,
                                   const char *package)
{
	struct browser_install *b = browser_list_add(&l->items, &l->n);

	if (b == NULL)
		return NULL;
	snprintf(b->name, sizeof(b->name), "%s", browser);
	snprintf(b->version, sizeof(b->version), "%s", version ? version : "");
	snprintf(b->source, sizeof(b->source), "%s", source);
	snprintf(b->path, sizeof(b->path), "%s", path);
	snprintf(b->channel, sizeof(b->channel), "%s", channel ? channel : "");
	snprintf(b->package, sizeof(b->package), "%s", package ? package : "");
	return b;
}

/* "1:133.0.3-1ubuntu1" (deb) or "133.0.3-1.fc41" (rpm) to "133.0.3". */
static void upstream_version(const char *pkg_version, char *out, size_t len)
{
	const char *p = pkg_version, *colon = strchr(p, ':'), *dash;

	if (colon != NULL)
		p = colon + 1;
	dash = strrchr(p, '-');
	snprintf(out, len, "%.*s", dash ? (int)(dash - p) : (int)strlen(p), p);
}

/* Version= in application.ini's [App] section. */
static int application_ini_version(const struct rootfs *root, const char *dir, char *out,
                                   size_t len)
{
	char path[600], *buf = NULL, *line, *save = NULL;
	int in_app = 0, found = 0;

	snprintf(path, sizeof(path), "%s/application.ini", dir);
	if (rootfs_read_file(root, path, 65536, &buf, NULL) != 0)
		return -1;
	for (line = strtok_r(buf, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		if (line[0] == '[')
			in_app = strncmp(line, "[App]", 5) == 0;
		else if (in_app && strncmp(line, "Version=", 8) == 0) {
			snprintf(out, len, "%s", line + 8);
			found = 1;
			break;
		}
	}
	free(buf);
	return found ? 0 : -1;
}

static void from_packages(const struct rootfs *root, struct list *l)
{
	const size_t n = sizeof(packages) / sizeof(packages[0]);
	const char *system = native_probe_pkg_system(root);
	struct pkg_query q[sizeof(packages) / sizeof(packages[0])];
	char err[256];
	size_t i, k;

	if (system == NULL)
		return;
	memset(q, 0, sizeof(q));
	for (i = 0; i < n; i++)
		q[i].name = packages[i].package;
	if (native_probe_packages(root, system, q, n, err, sizeof(err)) != 0)
		return;
	for (i = 0; i < n; i++) {
		for (k = 0; k < q[i].n_instances; k++) {
			char version[128] = "", path[256];
			const char *dir = NULL;
			size_t d;

			/* Ubuntu's firefox and chromium-browser debs only install the
			 * snap ("1:1snap1-0ubuntu5"); the snap is found on its own. */
			if (strstr(q[i].instances[k].version, "snap") != NULL)
				continue;
			upstream_version(q[i].instances[k].version, version, sizeof(version));
			snprintf(path, sizeof(path), "%s", packages[i].dir);
			if (strcmp(packages[i].package, "firefox") == 0) {
				for (d = 0; dir == NULL && firefox_dirs[d] != NULL; d++) {
					char ini[300];
					struct stat st;

					snprintf(ini, sizeof(ini), "%s/application.ini",
					         firefox_dirs[d]);
					if (rootfs_stat(root, ini, &st) == 0)
						dir = firefox_dirs[d];
				}
				if (dir != NULL && application_ini_version(root, dir, version,
				                                           sizeof(version)) == 0)
					snprintf(path, sizeof(path), "%s", dir);
			}
			add(l, packages[i].browser, version, system, path, packages[i].channel,
			    packages[i].package);
		}
	}
	pkg_queries_clear(q, n);
}

/* "version: '133.0.3-1'" in snap.yaml; the snap's "-N" packaging suffix is
 * not part of what the browser prints. */
static void from_snaps(const struct rootfs *root, struct list *l)
{
	size_t i;

	for (i = 0; i < sizeof(snaps) / sizeof(snaps[0]); i++) {
		char path[256], *buf = NULL, *line, *save = NULL, version[128] = "";

		snprintf(path, sizeof(path), "/snap/%s/current/meta/snap.yaml", snaps[i].snap);
		if (rootfs_read_file(root, path, 1 << 20, &buf, NULL) != 0)
			continue;
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *v;
			size_t len;

			if (strncmp(line, "version:", 8) != 0)
				continue;
			for (v = line + 8; *v == ' '; v++)
				;
			len = strcspn(v, " #\r");
			if (len >= 2 && (v[0] == '\'' || v[0] == '"') && v[len - 1] == v[0]) {
				v++;
				len -= 2;
			}
			snprintf(version, sizeof(version), "%.*s", (int)len, v);
			break;
		}
		free(buf);
		if (strcmp(snaps[i].browser, "firefox") == 0 && strchr(version, '-') != NULL)
			*strchr(version, '-') = '\0';
		snprintf(path, sizeof(path), "/snap/%s/current", snaps[i].snap);
		add(l, snaps[i].browser, version, "snap", path, NULL, NULL);
	}
}

/* The newest <release version="..."> of an AppStream metainfo file. */
static int metainfo_version(const struct rootfs *root, const char *files_dir, const char *id,
                            char *out, size_t len)
{
	static const char *const forms[] = { "%s/share/metainfo/%s.metainfo.xml",
		                             "%s/share/metainfo/%s.appdata.xml",
		                             "%s/share/appdata/%s.appdata.xml" };
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		char path[1024], *buf = NULL, *rel, *v;

		snprintf(path, sizeof(path), forms[i], files_dir, id);
		if (rootfs_read_file(root, path, 4 << 20, &buf, NULL) != 0)
			continue;
		/* Releases are listed newest first. */
		rel = strstr(buf, "<release ");
		v = rel ? strstr(rel, "version=\"") : NULL;
		if (v != NULL && v < strchr(rel, '>')) {
			v += 9;
			snprintf(out, len, "%.*s", (int)strcspn(v, "\""), v);
			free(buf);
			return 0;
		}
		free(buf);
	}
	return -1;
}

static void flatpaks_in(const struct rootfs *root, const char *base, const char *source,
                        struct list *l)
{
	size_t i;

	for (i = 0; i < sizeof(flatpaks) / sizeof(flatpaks[0]); i++) {
		char dir[1024], version[128] = "";
		struct stat st;

		snprintf(dir, sizeof(dir), "%s/app/%s/current/active/files", base,
		         flatpaks[i].app_id);
		if (rootfs_stat(root, dir, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		metainfo_version(root, dir, flatpaks[i].app_id, version, sizeof(version));
		snprintf(dir, sizeof(dir), "%s/app/%s", base, flatpaks[i].app_id);
		add(l, flatpaks[i].browser, version, source, dir, NULL, flatpaks[i].app_id);
	}
}

/* Home directories of human accounts (UID >= 1000, a login shell). */
static void from_user_flatpaks(const struct rootfs *root, struct list *l)
{
	char *buf = NULL, *line, *save = NULL;

	if (rootfs_read_file(root, "/etc/passwd", 4 << 20, &buf, NULL) != 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[7], *p = line, base[1024];
		size_t i;

		for (i = 0; i < 7 && p != NULL; i++) {
			f[i] = p;
			p = strchr(p, ':');
			if (p != NULL)
				*p++ = '\0';
		}
		if (i < 7 || strtol(f[2], NULL, 10) < 1000 || strtol(f[2], NULL, 10) == 65534 ||
		    strstr(f[6], "nologin") != NULL || strstr(f[6], "false") != NULL)
			continue;
		snprintf(base, sizeof(base), "%s/.local/share/flatpak", f[5]);
		flatpaks_in(root, base, "flatpak-user", l);
	}
	free(buf);
}

int native_probe_browsers(const struct rootfs *root, struct browser_install **out, size_t *n_out,
                          char *err, size_t err_len)
{
	struct list l = { 0 };
	char version[128];
	struct stat st;

	(void)err;
	(void)err_len;
	from_packages(root, &l);
	from_snaps(root, &l);
	flatpaks_in(root, "/var/lib/flatpak", "flatpak", &l);
	from_user_flatpaks(root, &l);
	/* Mozilla's tarball, unpacked into /opt as its instructions say. Its
	 * application.ini has no "esr"; the update channel says whether it is. */
	if (application_ini_version(root, "/opt/firefox", version, sizeof(version)) == 0) {
		char *prefs = NULL;
		const char *channel = "release";

		if (rootfs_read_file(root, "/opt/firefox/defaults/pref/channel-prefs.js", 65536,
		                     &prefs, NULL) == 0) {
			if (strstr(prefs, "\"esr\"") != NULL) {
				channel = "esr";
				strncat(version, "esr", sizeof(version) - strlen(version) - 1);
			}
			free(prefs);
		}
		add(&l, "firefox", version, "tarball", "/opt/firefox", channel, NULL);
	}
	/* Chrome copied into /opt without its package: present, version unknown. */
	if (rootfs_stat(root, "/opt/google/chrome/chrome", &st) == 0) {
		size_t i;
		int packaged = 0;

		for (i = 0; i < l.n; i++)
			if (strcmp(l.items[i].name, "chrome") == 0 &&
			    (strcmp(l.items[i].source, "deb") == 0 ||
			     strcmp(l.items[i].source, "rpm") == 0))
				packaged = 1;
		if (!packaged)
			add(&l, "chrome", "", "tarball", "/opt/google/chrome", NULL, NULL);
	}
	*out = l.items;
	*n_out = l.n;
	return 0;
}
