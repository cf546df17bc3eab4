/* SPDX-License-Identifier: Apache-2.0 */
/*
 * package_version: the judge (see lib/checks/package_version.c for the keys).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "judges.h"
#include "engine.h"
#include "vercmp.h"

static void prepare(const struct check *c, struct eval_ctx *ctx)
{
	engine_want_package(ctx, check_value(c, "package")->text);
}

/* In the package system's own order; one the core does not know (a port
 * that forgot lib/vercmp.c's table) orders as dotted versions. */
static int compare(const char *system, const char *a, const char *b)
{
	const struct pkg_scheme *s = pkg_scheme_find(system);

	return s != NULL ? s->compare(a, b) : browser_version_compare(a, b);
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
		/* the probe says why there is none: on an OS without one, that
		 * it is not supported */
		if (engine_package(ctx, name) == NULL &&
		    result_unsupported(r, ctx->pkg_rc, ctx->pkg_err))
			return;
		result_set(r, STATUS_ERROR,
		           "No package database was found, so the version of %s is unknown.", name);
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
		const struct fix_args fa = { .system = ctx->pkg_system,
			                     .name = name,
			                     .value = min };

		result_fix(r, "package_version", &fa);
	}
}

const struct check_judge check_judge_package_version = {
	.prepare = prepare,
	.evaluate = evaluate,
};
