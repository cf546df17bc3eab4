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

static int validate_name(const char *text, char *err, size_t err_len)
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

static const struct key_spec keys[] = {
	{ .name = "package", .kind = KEY_STRING, .required = 1, .validate = validate_name },
	{ .name = "min_version", .kind = KEY_VERSION, .required = 1 },
	{ .name = NULL },
};

static int validate(struct check *c, const struct policy_env *env, struct diags *d)
{
	const struct key_value *v = check_value(c, "min_version");
	struct deb_version dv;
	char deb_err[128] = "", rpm_err[256] = "";
	int deb_ok = deb_version_parse(v->text, &dv, deb_err, sizeof(deb_err)) == 0;
	int rpm_ok = rpm_version_check(v->text, rpm_err, sizeof(rpm_err)) == 0;

	if (env != NULL && env->pkg_system != NULL && strcmp(env->pkg_system, "deb") == 0) {
		if (!deb_ok) {
			diags_add(d, v->line,
			          "[check.%s] min_version: '%s' is not a valid deb version: %s",
			          c->id, v->text, deb_err);
			return -1;
		}
	} else if (env != NULL && env->pkg_system != NULL && strcmp(env->pkg_system, "rpm") == 0) {
		if (!rpm_ok) {
			diags_add(d, v->line,
			          "[check.%s] min_version: '%s' is not a valid rpm version: %s",
			          c->id, v->text, rpm_err);
			return -1;
		}
	} else if (!deb_ok && !rpm_ok) {
		diags_add(d, v->line,
		          "[check.%s] min_version: '%s' is neither a valid deb version (%s) nor a "
		          "valid rpm version (%s)",
		          c->id, v->text, deb_err, rpm_err);
		return -1;
	}
	return 0;
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
