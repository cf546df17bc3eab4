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
#include "engine.h"
#include "version.h"

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

static void prepare(const struct check *c, struct eval_ctx *ctx)
{
	engine_want_package(ctx, check_value(c, "package")->text);
}

static int compare(const char *system, const char *a, const char *b)
{
	if (strcmp(system, "rpm") == 0)
		return rpm_evr_compare(a, b);
	return deb_version_cmp_str(a, b);
}

/* The evidence, written only when the caller wants details (JSON). */
static void observe(const struct eval_ctx *ctx, struct result *r, const char *name, const char *min,
                    const struct pkg_query *q, const char *lowest)
{
	json_t *installed;
	size_t i;

	if (r->observed == NULL)
		return;
	json_object_set_new(r->observed, "package", json_string(name));
	json_object_set_new(r->observed, "package_system",
	                    ctx->pkg_system ? json_string(ctx->pkg_system) : json_null());
	json_object_set_new(r->observed, "version", lowest ? json_string(lowest) : json_null());
	json_object_set_new(r->expected, "min_version", json_string(min));
	if (q == NULL)
		return;
	installed = json_array();
	for (i = 0; i < q->n_instances; i++) {
		const struct pkg_instance *in = &q->instances[i];
		json_t *item = json_object();

		json_object_set_new(item, "version", json_string(in->version));
		json_object_set_new(item, "architecture", json_string(in->arch));
		json_object_set_new(item, "state", json_string(in->state));
		json_array_append_new(installed, item);
	}
	json_object_set_new(r->observed, "installed", installed);
}

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	const char *name = check_value(c, "package")->text;
	const char *min = check_value(c, "min_version")->text;
	const struct pkg_query *q = NULL;
	const char *lowest = NULL;
	size_t i;

	if (ctx->pkg_system == NULL) {
		observe(ctx, r, name, min, NULL, NULL);
		result_set(r, STATUS_ERROR,
		           "No dpkg or rpm package database was found, so the version of %s is "
		           "unknown.",
		           name);
		return;
	}
	q = engine_package(ctx, name);
	if (q == NULL) {
		observe(ctx, r, name, min, NULL, NULL);
		result_set(r, STATUS_ERROR, "The package database could not be read: %s.",
		           ctx->pkg_err[0] ? ctx->pkg_err : "unknown error");
		return;
	}
	for (i = 0; i < q->n_instances; i++)
		if (lowest == NULL || compare(ctx->pkg_system, q->instances[i].version, lowest) < 0)
			lowest = q->instances[i].version;
	observe(ctx, r, name, min, q, lowest);
	if (lowest == NULL) {
		result_set(r, STATUS_SKIP, "%s is not installed.", name);
		return;
	}
	if (compare(ctx->pkg_system, lowest, min) >= 0) {
		result_set(r, STATUS_PASS, "%s %s is installed, at least %s.", name, lowest, min);
		return;
	}
	result_set(r, STATUS_FAIL, "%s %s is installed, older than the required %s.", name, lowest,
	           min);
	{
		char *fix = NULL;
		char base[256];
		const char *colon = strchr(name, ':');

		snprintf(base, sizeof(base), "%.*s", colon ? (int)(colon - name) : 255, name);
		if (strcmp(ctx->pkg_system, "rpm") == 0) {
			if (asprintf(&fix, "Update %s to %s or later: sudo dnf upgrade %s", base,
			             min, base) < 0)
				fix = NULL;
		} else if (asprintf(&fix,
		                    "Update %s to %s or later: sudo apt-get update && sudo apt-get "
		                    "install --only-upgrade %s",
		                    base, min, name) < 0) {
			fix = NULL;
		}
		r->remediation = fix;
	}
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
	.prepare = prepare,
	.evaluate = evaluate,
	.default_title = default_title,
	.remediation = "Update the package with the system's package manager.",
};
