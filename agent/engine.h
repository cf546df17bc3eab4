/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine: evaluates a loaded policy against a root and keeps the verdicts.
 *
 * It runs every check type's prepare step, then each judge in policy order,
 * and derives the summary, compliance and exit code that the contract fixes.
 * It neither prints nor serialises; report.c does that.
 */
#ifndef POSTURE_ENGINE_H
#define POSTURE_ENGINE_H

#include <jansson.h>
#include "attrs.h"
#include <stddef.h>

#include "policy.h"
#include "probe.h"

enum status { STATUS_PASS, STATUS_FAIL, STATUS_ERROR, STATUS_SKIP };

struct result {
	const struct check *check;
	enum status status;
	char *title;
	char *message;
	char *remediation;
	json_t *observed; /* an object, owned */
	json_t *expected; /* an object, owned */
	/* grace (grace.h): when the check was first seen failing and when its
	 * failure counts; 0 when it has no grace running */
	long long first_failed, due_at;
	int within_grace; /* a failure not yet due: the device stays compliant */
};

struct summary {
	size_t pass, fail, error, skip;
	size_t due; /* failures within their grace, among fail */
};

struct evaluation {
	const struct policy *policy;
	struct os_info os; /* of the root, read once for every check */
	int os_known;      /* 0 when os-release could not be read */
	char os_err[256];
	struct result *results; /* one per check, in policy order */
	size_t n_results;
	struct summary summary;
	int compliant;
};

/* What judges share during one evaluation. */
struct feedset;

/* What the judges of `latest` minimums need (lib/feedset.h). */
struct engine_env {
	const struct feedset *feeds; /* NULL when none were given */
	const char *feeds_why;       /* then why: no folder set, or it could not be read */
	long long now;               /* the time judged at; 0 for the clock */
};

struct eval_ctx {
	const struct rootfs *root;
	const struct feedset *feeds; /* as struct engine_env */
	const char *feeds_why;
	long long now;
	const char *pkg_system;   /* a vercmp.h pkg_schemes name, or NULL */
	const struct os_info *os; /* NULL when unknown */
	int os_rc;                /* probe_os_info's answer: 0 or a negative errno */
	const char *os_err;       /* its sentence when not 0 */
	/* Package queries gathered by prepare(), answered in one pass. */
	struct pkg_query *pkg_queries;
	size_t n_pkg_queries;
	size_t cap_pkg_queries;
	int pkg_done;
	int pkg_rc;
	char pkg_err[256];
};

/* Flags of engine_evaluate(). */
#define ENGINE_DETAILS 1 /* fill observed and expected (JSON reports need them) */

/*
 * Evaluates every check of POLICY below ROOT. Returns 0 and sets *out (free
 * with evaluation_free); the evaluation points into POLICY, which must
 * outlive it. Fails only for lack of memory.
 *
 * Without ENGINE_DETAILS, observed and expected stay NULL: judges still call
 * json_object_set_new() on them, which with a NULL object frees the value
 * and does nothing else, so a text report does not pay for building JSON
 * objects it never prints.
 */
int engine_evaluate(const struct policy *policy, const struct rootfs *root, int flags,
                    struct evaluation **out);

/* As engine_evaluate, and before each step it stores where it is in
 * *PROGRESS (may be NULL): -1 while the package queries run, else the index
 * of the check being judged. The service's worker points it at memory the
 * service shares, so that a worker stopped for taking too long still says
 * which check it was stuck in. */
int engine_evaluate_tracked(const struct policy *policy, const struct rootfs *root, int flags,
                            volatile int *progress, struct evaluation **out);
/* As engine_evaluate_tracked, with ENV (NULL: no feeds, the clock). */
int engine_evaluate_env(const struct policy *policy, const struct rootfs *root, int flags,
                        const struct engine_env *env, volatile int *progress,
                        struct evaluation **out);

/*
 * An evaluation of POLICY that was stopped after SECONDS while it was at
 * PROGRESS (as above): no probe runs, and every check is an error that says
 * why: the one it was stuck in did not finish, the ones after it were not
 * evaluated, and the ones before it lost their results with the stopped
 * worker. 0 and *OUT (evaluation_free), or -1 for lack of memory.
 */
int engine_unfinished(const struct policy *policy, int progress, long long seconds,
                      struct evaluation **out);
/* Counts EV's summary and compliance anew from its results (after grace
 * changed which failures count). */
void evaluation_retally(struct evaluation *ev);

void evaluation_free(struct evaluation *ev);

/* The contract's exit code: 0 compliant and no errors, 1 not compliant, 3
 * compliant but some check could not be evaluated. */
int evaluation_exit_code(const struct evaluation *ev);

/* For judges: sets status and a one-sentence message. */
void result_set(struct result *r, enum status status, const char *fmt, ...) POSTURE_PRINTF(3, 4);

/* Sets R's verdict by MODE (enum if_missing, lib/checks.h) for what is
 * missing, formatted from FMT ("%s does not exist"). */
void result_missing(struct result *r, long long mode, const char *fmt, ...) POSTURE_PRINTF(3, 4);

/* For judges: when RC, a probe's answer, is PROBE_UNSUPPORTED, sets R to
 * skip with the probe's ERR ("not supported on this OS") and returns 1;
 * returns 0 otherwise. */
int result_unsupported(struct result *r, int rc, const char *err);

/* For judges: R's remediation from the platform's words for TOPIC
 * (probe_fix); left unset when the platform has none, so that the type's
 * own stands. */
void result_fix(struct result *r, const char *topic, const struct fix_args *args);

/* For package judges: registers NAME before evaluation; the answer after. */
void engine_want_package(struct eval_ctx *ctx, const char *name);
const struct pkg_query *engine_package(struct eval_ctx *ctx, const char *name);
/* For the engine: sorts the registered names and drops repeats, once,
 * after every prepare(). */
void engine_sort_packages(struct eval_ctx *ctx);

const char *status_name(enum status s);
/* The status named S ("pass", ...), or -1. */
int status_from_name(const char *s);

#endif
