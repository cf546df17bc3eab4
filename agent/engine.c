/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine: runs the judges. See engine.h.
 */
#define _GNU_SOURCE
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks.h"
#include "judges.h"
#include "probeset.h"

/* Whether C's `os` list names the device's OS. */
static int applies_here(const struct check *c, const struct os_info *os)
{
	size_t i;

	if (os == NULL)
		return 0;
	for (i = 0; i < c->n_only_os; i++)
		if (strcmp(c->only_os[i], os->id) == 0)
			return 1;
	return 0;
}

int engine_evaluate(const struct policy *policy, const struct rootfs *root, int flags,
                    struct evaluation **out)
{
	return engine_evaluate_tracked(policy, root, flags, NULL, out);
}

/* An evaluation of POLICY with a result slot per check, none judged yet;
 * NULL for lack of memory. */
static struct evaluation *evaluation_new(const struct policy *policy)
{
	struct evaluation *ev = calloc(1, sizeof(*ev));

	if (ev == NULL)
		return NULL;
	ev->policy = policy;
	ev->results = calloc(policy->n_checks ? policy->n_checks : 1, sizeof(*ev->results));
	if (ev->results == NULL) {
		free(ev);
		return NULL;
	}
	ev->n_results = policy->n_checks;
	return ev;
}

/* Counts R's verdict into EV's summary and compliance. */
static void tally(struct evaluation *ev, const struct check *c, const struct result *r)
{
	switch (r->status) {
	case STATUS_PASS:
		ev->summary.pass++;
		break;
	case STATUS_FAIL:
		ev->summary.fail++;
		if (r->within_grace)
			ev->summary.due++; /* counts once it is due (grace.h) */
		else
			ev->compliant = 0;
		break;
	case STATUS_ERROR:
		ev->summary.error++;
		if (c->on_error == ON_ERROR_FAIL)
			ev->compliant = 0;
		break;
	case STATUS_SKIP:
		ev->summary.skip++;
		break;
	}
}

/* A result's title: the policy's, else the type's. Malloc'd. */
static char *title_of(const struct check *c)
{
	char title[512];

	if (c->title != NULL)
		snprintf(title, sizeof(title), "%s", c->title);
	else
		c->type->default_title(c, title, sizeof(title));
	return strdup(title);
}

int engine_unfinished(const struct policy *policy, int progress, long long seconds,
                      struct evaluation **out)
{
	struct evaluation *ev = evaluation_new(policy);
	const char *stuck = progress >= 0 && (size_t)progress < policy->n_checks
	                        ? policy->checks[progress].id
	                        : NULL;

	*out = NULL;
	if (ev == NULL)
		return -1;
	snprintf(ev->os_err, sizeof(ev->os_err),
	         "not read: the evaluation was stopped after %lld s", seconds);
	ev->compliant = 1;
	for (size_t i = 0; i < policy->n_checks; i++) {
		const struct check *c = &policy->checks[i];
		struct result *r = &ev->results[i];

		r->check = c;
		r->title = title_of(c);
		r->observed = json_object();
		r->expected = json_object();
		if ((int)i == progress)
			result_set(r, STATUS_ERROR,
			           "The check did not finish within %lld s: something it reads "
			           "never answered, and the evaluation was stopped.",
			           seconds);
		else if (progress < 0 || (int)i > progress)
			result_set(r, STATUS_ERROR,
			           "Not evaluated: the evaluation was stopped after %lld s, while "
			           "%s%s.",
			           seconds, stuck ? "check " : "reading the package database",
			           stuck ? stuck : "");
		else
			result_set(r, STATUS_ERROR,
			           "Evaluated, but the result was lost when the evaluation was "
			           "stopped after %lld s (check %s did not finish).",
			           seconds, stuck ? stuck : "?");
		tally(ev, c, r);
	}
	*out = ev;
	return 0;
}

int engine_evaluate_tracked(const struct policy *policy, const struct rootfs *root, int flags,
                            volatile int *progress, struct evaluation **out)
{
	return engine_evaluate_env(policy, root, flags, NULL, progress, out);
}

int engine_evaluate_env(const struct policy *policy, const struct rootfs *root, int flags,
                        const struct engine_env *env, volatile int *progress,
                        struct evaluation **out)
{
	struct eval_ctx ctx;
	struct evaluation *ev;
	size_t i;

	*out = NULL;
	ev = evaluation_new(policy);
	if (ev == NULL)
		return -1;

	memset(&ctx, 0, sizeof(ctx));
	ctx.root = root;
	ctx.feeds = env ? env->feeds : NULL;
	ctx.feeds_why = env && env->feeds_why
	                    ? env->feeds_why
	                    : "no feed folder is set (posture check --feeds DIR, or "
	                      "feeds = DIR in the agent's configuration)";
	ctx.now = env && env->now > 0 ? env->now : (long long)time(NULL);
	probeset_use(root); /* fix texts in the judged system's own words */
	ctx.pkg_system = probe_pkg_system(root);
	ctx.os_rc = probe_os_info(root, &ev->os, ev->os_err, sizeof(ev->os_err));
	ctx.os_err = ev->os_err;
	ev->os_known = ctx.os_rc == 0;
	ctx.os = ev->os_known ? &ev->os : NULL;

	if (progress != NULL)
		*progress = -1;
	for (i = 0; i < policy->n_checks; i++) {
		const struct check_judge *j = judge_for(policy->checks[i].type);

		if (j->prepare != NULL)
			j->prepare(&policy->checks[i], &ctx);
	}
	engine_sort_packages(&ctx);

	ev->compliant = 1;
	for (i = 0; i < policy->n_checks; i++) {
		const struct check *c = &policy->checks[i];
		struct result *r = &ev->results[i];

		if (progress != NULL)
			*progress = (int)i;
		r->check = c;
		if (flags & ENGINE_DETAILS) {
			r->observed = json_object();
			r->expected = json_object();
		}
		r->title = title_of(c);
		if (c->n_only_os > 0 && ctx.os == NULL &&
		    result_unsupported(r, ctx.os_rc, ctx.os_err))
			; /* an OS the platform cannot identify: not an OS the check names */
		else if (c->n_only_os > 0 && !applies_here(c, ctx.os))
			result_set(r, STATUS_SKIP,
			           "The check applies only to %s; this device runs %s.",
			           c->only_os[0], ctx.os ? ctx.os->id : "an unidentified OS");
		else
			judge_for(c->type)->evaluate(c, &ctx, r);
		if (r->message == NULL)
			result_set(r, STATUS_ERROR, "the check gave no verdict");
		/* The policy's remediation wins over the judge's, which wins over
		 * the platform's, which wins over the type's; it is given only for failures: for an
		 * error the message says what could not be read, and fixing the setting would not
		 * help. */
		if (r->status == STATUS_FAIL) {
			if (c->remediation != NULL) {
				free(r->remediation);
				r->remediation = strdup(c->remediation);
			} else if (r->remediation == NULL) {
				char fix[1024];

				r->remediation =
				    strdup(probe_fix(c->type->name, NULL, fix, sizeof(fix)) == 0
				               ? fix
				               : c->type->remediation);
			}
		} else {
			free(r->remediation);
			r->remediation = NULL;
		}
		tally(ev, c, r);
	}
	pkg_queries_clear(ctx.pkg_queries, ctx.n_pkg_queries);
	free(ctx.pkg_queries);
	probeset_use(NULL); /* the root may be closed once this returns */
	*out = ev;
	return 0;
}

void evaluation_retally(struct evaluation *ev)
{
	memset(&ev->summary, 0, sizeof(ev->summary));
	ev->compliant = 1;
	for (size_t i = 0; i < ev->n_results; i++)
		tally(ev, ev->results[i].check, &ev->results[i]);
}

void evaluation_free(struct evaluation *ev)
{
	size_t i;

	if (ev == NULL)
		return;
	for (i = 0; i < ev->n_results; i++) {
		free(ev->results[i].title);
		free(ev->results[i].message);
		free(ev->results[i].remediation);
		json_decref(ev->results[i].observed);
		json_decref(ev->results[i].expected);
	}
	free(ev->results);
	free(ev);
}

int evaluation_exit_code(const struct evaluation *ev)
{
	if (!ev->compliant)
		return 1;
	if (ev->summary.error > 0)
		return 3;
	return 0;
}
