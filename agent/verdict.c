/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verdict: what the judges call (engine.h): a result's verdict and
 * message, and the package queries that one read of the database answers
 * for every package_version check. Apart from engine.c, so that the judges
 * depend on it and the engine on the judges, never round.
 */
#define _GNU_SOURCE
#include "engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

static const char *const status_names[] = { "pass", "fail", "error", "skip" };

const char *status_name(enum status s)
{
	return status_names[s];
}

int status_from_name(const char *s)
{
	for (int i = 0; s != NULL && i < 4; i++)
		if (strcmp(s, status_names[i]) == 0)
			return i;
	return -1;
}

void result_set(struct result *r, enum status status, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	r->status = status;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	free(r->message);
	r->message = msg;
}

/* Queries are gathered unsorted during prepare(), then sorted and made
 * unique once, so a thousand package checks cost n log n, not n^2. */

void result_missing(struct result *r, long long mode, const char *fmt, ...)
{
	char what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	switch (mode) {
	case IF_MISSING_SKIP:
		result_set(r, STATUS_SKIP, "%s, so the check does not apply.", what);
		break;
	case IF_MISSING_PASS:
		result_set(r, STATUS_PASS, "%s, which the policy accepts.", what);
		break;
	case IF_MISSING_FAIL:
		result_set(r, STATUS_FAIL, "%s.", what);
		break;
	default:
		result_set(r, STATUS_ERROR, "%s.", what);
		break;
	}
}

int result_unsupported(struct result *r, int rc, const char *err)
{
	if (rc != PROBE_UNSUPPORTED)
		return 0;
	result_set(r, STATUS_SKIP, "%c%s.", err[0] >= 'a' && err[0] <= 'z' ? err[0] - 32 : err[0],
	           err + (err[0] != '\0'));
	return 1;
}

void result_fix(struct result *r, const char *topic, const struct fix_args *args)
{
	char fix[1024];

	free(r->remediation);
	r->remediation = probe_fix(topic, args, fix, sizeof(fix)) == 0 ? strdup(fix) : NULL;
}

void engine_want_package(struct eval_ctx *ctx, const char *name)
{
	if (ctx->n_pkg_queries == ctx->cap_pkg_queries) {
		size_t cap = ctx->cap_pkg_queries ? ctx->cap_pkg_queries * 2 : 16;
		struct pkg_query *q = realloc(ctx->pkg_queries, cap * sizeof(*q));

		if (q == NULL)
			return; /* engine_package() will then say it is unknown */
		ctx->pkg_queries = q;
		ctx->cap_pkg_queries = cap;
	}
	memset(&ctx->pkg_queries[ctx->n_pkg_queries], 0, sizeof(struct pkg_query));
	ctx->pkg_queries[ctx->n_pkg_queries++].name = name;
}

static int query_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pkg_query *)a)->name, ((const struct pkg_query *)b)->name);
}

void engine_sort_packages(struct eval_ctx *ctx)
{
	size_t i, n = 0;

	if (ctx->n_pkg_queries == 0)
		return;
	qsort(ctx->pkg_queries, ctx->n_pkg_queries, sizeof(struct pkg_query), query_cmp);
	for (i = 1; i < ctx->n_pkg_queries; i++)
		if (strcmp(ctx->pkg_queries[i].name, ctx->pkg_queries[n].name) != 0)
			ctx->pkg_queries[++n] = ctx->pkg_queries[i];
	ctx->n_pkg_queries = n + 1;
}

const struct pkg_query *engine_package(struct eval_ctx *ctx, const char *name)
{
	struct pkg_query key = { 0 };

	if (!ctx->pkg_done) {
		ctx->pkg_done = 1;
		ctx->pkg_rc =
		    probe_packages(ctx->root, ctx->pkg_system, ctx->pkg_queries, ctx->n_pkg_queries,
		                   ctx->pkg_err, sizeof(ctx->pkg_err));
	}
	if (ctx->pkg_rc != 0 || ctx->n_pkg_queries == 0)
		return NULL;
	key.name = name;
	return bsearch(&key, ctx->pkg_queries, ctx->n_pkg_queries, sizeof(struct pkg_query),
	               query_cmp);
}
