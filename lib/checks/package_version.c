/* SPDX-License-Identifier: Apache-2.0 */
/*
 * package_version: an installed package must be at least a given version,
 * in its package system's own order (dpkg's for deb, rpm's for rpm).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "vercmp.h"

/* A deb or rpm package: NAME or NAME:ARCH in their characters. */
static int deb_rpm_name(const char *text, char *err, size_t err_len)
{
	const char *p = text, *colon = strchr(text, ':');

	for (; *p && p != colon; p++) {
		if (!isalnum((unsigned char)*p) && strchr("._+-", *p) == NULL) {
			snprintf(err, err_len, "'%s' is not a package name", text);
			return -1;
		}
	}
	if (colon != NULL) {
		if (colon == text || colon[1] == '\0' || strchr(colon + 1, ':') != NULL) {
			snprintf(err, err_len, "'%s' is not NAME or NAME:ARCH", text);
			return -1;
		}
		for (p = colon + 1; *p; p++) {
			if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-') {
				snprintf(err, err_len, "'%s' has a bad architecture", text);
				return -1;
			}
		}
	}
	return 0;
}

/* Any system's: a Windows program's DisplayName or Uninstall key ("7-Zip",
 * "Mozilla Firefox (x64 en-US)") or a macOS bundle id are names too; the
 * check's validate() holds deb and rpm to their own rules. */
static int validate_name(const char *text, char *err, size_t err_len)
{
	size_t n = strlen(text);

	for (const char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			snprintf(err, err_len, "a package name has no control characters");
			return -1;
		}
	if (n == 0 || n > 255) {
		snprintf(err, err_len, "a package name is 1 to 255 bytes");
		return -1;
	}
	return 0;
}

static const struct key_spec keys[] = {
	{ .name = "package", .kind = KEY_STRING, .required = 1, .validate = validate_name },
	{ .name = "min_version", .kind = KEY_VERSION, .required = 1 },
	{ .name = NULL },
};

/* On a known package system the minimum must be one of its versions; with
 * none known (the collector, a policy lint), one of any system's. */
static int validate(struct check *c, const struct policy_env *env, struct diags *d)
{
	const struct key_value *v = check_value(c, "min_version");
	const struct pkg_scheme *only = env ? pkg_scheme_find(env->pkg_system) : NULL;
	char why[160], all[700] = "";
	size_t used = 0;

	if (only != NULL && (strcmp(only->name, "deb") == 0 || strcmp(only->name, "rpm") == 0)) {
		const struct key_value *name = check_value(c, "package");

		if (deb_rpm_name(name->text, why, sizeof(why)) != 0) {
			diags_add(d, name->line, "[check.%s] package: %s", c->id, why);
			return -1;
		}
	}
	if (only != NULL) {
		if (only->check(v->text, why, sizeof(why)) == 0)
			return 0;
		diags_add(d, v->line, "[check.%s] min_version: '%s' is not a valid %s: %s", c->id,
		          v->text, only->what, why);
		return -1;
	}
	for (const struct pkg_scheme *s = pkg_schemes; s->name != NULL; s++) {
		if (s->check(v->text, why, sizeof(why)) == 0)
			return 0;
		if (used < sizeof(all))
			used += (size_t)snprintf(all + used, sizeof(all) - used, "%s%s: %s",
			                         used ? "; " : "", s->name, why);
	}
	diags_add(d, v->line,
	          "[check.%s] min_version: '%s' is not a valid version in any package format (%s)",
	          c->id, v->text, all);
	return -1;
}

static void default_title(const struct check *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s is at least %s", check_value(c, "package")->text,
	         check_value(c, "min_version")->text);
}

const struct check_type check_type_package_version = {
	.name = "package_version",
	.keys = keys,
	.validate = validate,
	.default_title = default_title,
	.remediation = "Update the package with the system's package manager.",
};
