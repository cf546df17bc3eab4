/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/apps: the app bundles of a Mac, for packages.c and browsers.c.
 */
#ifndef POSTURE_DARWIN_APPS_H
#define POSTURE_DARWIN_APPS_H

#include "../plist.h"
#include "../rootfs.h"

struct darwin_app {
	const char *path;           /* "/Applications/Google Chrome.app" */
	const char *folder;         /* "Google Chrome" */
	const char *where;          /* "app", "system" or "user" */
	const struct pl_node *info; /* its Contents/Info.plist */
	const char *id;             /* CFBundleIdentifier, or NULL */
	const char *name;           /* CFBundleName, or NULL */
	const char *version;        /* CFBundleShortVersionString, else CFBundleVersion, or NULL */
};

/*
 * Calls FN for every app bundle whose Info.plist reads, in /Applications,
 * /Applications/Utilities, /System/Applications (and its Utilities) and
 * each user's ~/Applications (/Users/NAME/Applications, Shared left out).
 * A bundle whose Info.plist is missing or unreadable is left out.
 */
void darwin_each_app(const struct rootfs *root,
                     void (*fn)(void *user, const struct darwin_app *app), void *user);

#endif
