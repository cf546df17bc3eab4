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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../plist.h"
#include "../probe.h"
#include "../probeset.h"
#include "apps.h"

struct scan {
	const struct rootfs *root;
	struct pkg_query *queries;
	size_t n_queries;
	int oom;
};

static void add(struct scan *s, struct pkg_query *q, const char *version, const char *where)
{
	if (pkg_query_add(q, version, where, "installed") != 0)
		s->oom = 1;
}

/* The queries APP answers. */
static void each_app(void *user, const struct darwin_app *app)
{
	struct scan *s = user;

	for (size_t i = 0; app->version != NULL && i < s->n_queries; i++) {
		const char *q = s->queries[i].name;

		if ((app->id != NULL && strcasecmp(q, app->id) == 0) ||
		    (app->name != NULL && strcasecmp(q, app->name) == 0) ||
		    strcasecmp(q, app->folder) == 0)
			add(s, &s->queries[i], app->version, app->where);
	}
}

int darwin_probe_packages(const struct rootfs *root, const char *system, struct pkg_query *queries,
                          size_t n_queries, char *err, size_t err_len)
{
	struct scan s = { .root = root, .queries = queries, .n_queries = n_queries };

	(void)system;
	darwin_each_app(root, each_app, &s);
	if (s.oom) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}
