/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/browsers: every install of Safari, Chrome, Edge, Firefox, Brave,
 * Opera and Vivaldi among a Mac's app bundles (apps.c: /Applications, the
 * system's, and each user's ~/Applications), known by the bundle
 * identifier each vendor gives its app, with the version its Info.plist
 * gives (CFBundleShortVersionString). Firefox ESR has Firefox's identifier
 * and a version ending in "esr". Safari's version moves with the OS's
 * updates; it is reported as the others are.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../probe.h"
#include "../probeset.h"
#include "apps.h"

static const struct {
	const char *id, *name;
} known[] = {
	{ "com.apple.Safari", "safari" },        { "com.google.Chrome", "chrome" },
	{ "org.chromium.Chromium", "chromium" }, { "com.microsoft.edgemac", "edge" },
	{ "org.mozilla.firefox", "firefox" },    { "com.brave.Browser", "brave" },
	{ "com.operasoftware.Opera", "opera" },  { "com.vivaldi.Vivaldi", "vivaldi" },
};

struct found {
	struct browser_install *list;
	size_t n;
	int oom;
};

static void each_app(void *user, const struct darwin_app *app)
{
	struct found *f = user;
	struct browser_install *b;

	if (app->id == NULL)
		return;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (strcasecmp(app->id, known[i].id) != 0)
			continue;
		b = browser_list_add(&f->list, &f->n);
		if (b == NULL) {
			f->oom = 1;
			return;
		}
		snprintf(b->name, sizeof(b->name), "%s", known[i].name);
		snprintf(b->version, sizeof(b->version), "%s", app->version ? app->version : "");
		snprintf(b->source, sizeof(b->source), "%s",
		         strcmp(app->where, "user") == 0 ? "user-app" : "app");
		snprintf(b->path, sizeof(b->path), "%s", app->path);
		snprintf(b->package, sizeof(b->package), "%s", app->id);
		if (app->version != NULL && strstr(app->version, "esr") != NULL)
			snprintf(b->channel, sizeof(b->channel), "esr");
		return;
	}
}

int darwin_probe_browsers(const struct rootfs *root, struct browser_install **out, size_t *n_out,
                          char *err, size_t err_len)
{
	struct found f = { NULL, 0, 0 };

	darwin_each_app(root, each_app, &f);
	if (f.oom) {
		free(f.list);
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	*out = f.list;
	*n_out = f.n;
	return 0;
}
