/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/packages: package_version on a Mac, against its applications: the
 * bundles in /Applications, /Applications/Utilities, /System/Applications,
 * /System/Applications/Utilities and each user's ~/Applications. A query
 * names an app by its bundle identifier (CFBundleIdentifier,
 * "com.google.Chrome") or its name (CFBundleName, or the bundle's folder
 * without ".app": "Google Chrome"), either compared without regard to
 * case; its version is CFBundleShortVersionString (else CFBundleVersion),
 * from the bundle's Contents/Info.plist, as Finder's Get Info shows it.
 * The instance's arch says where it is: "system", "app" or "user".
 * Installer receipts (/var/db/receipts) are not read yet.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../plist.h"
#include "../probe.h"
#include "../probeset.h"

struct scan {
	const struct rootfs *root;
	struct pkg_query *queries;
	size_t n_queries;
	int oom;
};

static void add(struct scan *s, struct pkg_query *q, const char *version, const char *where)
{
	struct pkg_instance *in;

	if (q->n_instances >= PKG_MAX_INSTANCES)
		return;
	if (q->instances == NULL) {
		q->instances = calloc(PKG_MAX_INSTANCES, sizeof(*q->instances));
		if (q->instances == NULL) {
			s->oom = 1;
			return;
		}
	}
	in = &q->instances[q->n_instances];
	in->version = strdup(version);
	if (in->version == NULL) {
		s->oom = 1;
		return;
	}
	snprintf(in->arch, sizeof(in->arch), "%s", where);
	snprintf(in->state, sizeof(in->state), "installed");
	q->n_instances++;
}

/* The bundle DIR/NAME (NAME ends in ".app"): every query it answers. */
static void bundle(struct scan *s, const char *dir, const char *name, const char *where)
{
	char path[1024], why[256], folder[256];
	char *text = NULL;
	size_t len = 0;
	struct pl_doc *doc = NULL;
	const struct pl_node *top;
	const char *id, *bname, *version;

	snprintf(path, sizeof(path), "%s/%s/Contents/Info.plist", dir, name);
	if (rootfs_read_file(s->root, path, 4u << 20, &text, &len) != 0)
		return;
	if (pl_parse(text, len, &doc, why, sizeof(why)) != 0) {
		free(text);
		return;
	}
	free(text);
	top = pl_root(doc);
	id = pl_str(pl_get(top, "CFBundleIdentifier"));
	bname = pl_str(pl_get(top, "CFBundleName"));
	version = pl_str(pl_get(top, "CFBundleShortVersionString"));
	if (version == NULL || version[0] == '\0')
		version = pl_str(pl_get(top, "CFBundleVersion"));
	snprintf(folder, sizeof(folder), "%.*s", (int)(strlen(name) - 4), name);
	for (size_t i = 0; version != NULL && version[0] != '\0' && i < s->n_queries; i++) {
		const char *q = s->queries[i].name;

		if ((id != NULL && strcasecmp(q, id) == 0) ||
		    (bname != NULL && strcasecmp(q, bname) == 0) || strcasecmp(q, folder) == 0)
			add(s, &s->queries[i], version, where);
	}
	pl_free(doc);
}

/* Every NAME.app in DIR. */
static void folder_of_apps(struct scan *s, const char *dir, const char *where)
{
	int rc = 0;
	DIR *d = rootfs_opendir(s->root, dir, &rc);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] != '.' && l > 4 && strcmp(de->d_name + l - 4, ".app") == 0)
			bundle(s, dir, de->d_name, where);
	}
	closedir(d);
}

int darwin_probe_packages(const struct rootfs *root, const char *system, struct pkg_query *queries,
                          size_t n_queries, char *err, size_t err_len)
{
	struct scan s = { .root = root, .queries = queries, .n_queries = n_queries };
	static const struct {
		const char *dir, *where;
	} places[] = {
		{ "/Applications", "app" },
		{ "/Applications/Utilities", "app" },
		{ "/System/Applications", "system" },
		{ "/System/Applications/Utilities", "system" },
	};
	int rc = 0;
	DIR *users;
	struct dirent *de;

	(void)system;
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++)
		folder_of_apps(&s, places[i].dir, places[i].where);
	users = rootfs_opendir(root, "/Users", &rc);
	while (users != NULL && (de = readdir(users)) != NULL) {
		char dir[512];

		if (de->d_name[0] == '.' || strcmp(de->d_name, "Shared") == 0)
			continue;
		snprintf(dir, sizeof(dir), "/Users/%s/Applications", de->d_name);
		folder_of_apps(&s, dir, "user");
	}
	if (users != NULL)
		closedir(users);
	if (s.oom) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}
