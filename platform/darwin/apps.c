/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/apps: see apps.h.
 */
#include "apps.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bundle(const struct rootfs *root, const char *dir, const char *name, const char *where,
                   void (*fn)(void *, const struct darwin_app *), void *user)
{
	char path[1024], info[1100], why[256], folder[256];
	char *text = NULL;
	size_t len = 0;
	struct pl_doc *doc = NULL;
	struct darwin_app app;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(info, sizeof(info), "%s/Contents/Info.plist", path);
	if (rootfs_read_file(root, info, 4u << 20, &text, &len) != 0)
		return;
	if (pl_parse(text, len, &doc, why, sizeof(why)) != 0) {
		free(text);
		return;
	}
	free(text);
	snprintf(folder, sizeof(folder), "%.*s", (int)(strlen(name) - 4), name);
	memset(&app, 0, sizeof(app));
	app.path = path;
	app.folder = folder;
	app.where = where;
	app.info = pl_root(doc);
	app.id = pl_str(pl_get(app.info, "CFBundleIdentifier"));
	app.name = pl_str(pl_get(app.info, "CFBundleName"));
	app.version = pl_str(pl_get(app.info, "CFBundleShortVersionString"));
	if (app.version == NULL || app.version[0] == '\0')
		app.version = pl_str(pl_get(app.info, "CFBundleVersion"));
	if (app.version != NULL && app.version[0] == '\0')
		app.version = NULL;
	fn(user, &app);
	pl_free(doc);
}

static void folder_of_apps(const struct rootfs *root, const char *dir, const char *where,
                           void (*fn)(void *, const struct darwin_app *), void *user)
{
	int rc = 0;
	DIR *d = rootfs_opendir(root, dir, &rc);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] != '.' && l > 4 && strcmp(de->d_name + l - 4, ".app") == 0)
			bundle(root, dir, de->d_name, where, fn, user);
	}
	closedir(d);
}

void darwin_each_app(const struct rootfs *root,
                     void (*fn)(void *user, const struct darwin_app *app), void *user)
{
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

	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++)
		folder_of_apps(root, places[i].dir, places[i].where, fn, user);
	users = rootfs_opendir(root, "/Users", &rc);
	while (users != NULL && (de = readdir(users)) != NULL) {
		char dir[512];

		if (de->d_name[0] == '.' || strcmp(de->d_name, "Shared") == 0)
			continue;
		snprintf(dir, sizeof(dir), "/Users/%s/Applications", de->d_name);
		folder_of_apps(root, dir, "user", fn, user);
	}
	if (users != NULL)
		closedir(users);
}
