/* SPDX-License-Identifier: Apache-2.0 */
/*
 * judges: the agent's half of each check type. The spec (lib/checks.h) says
 * what a policy may write; the judge asks the platform's probes and turns
 * their answer into a verdict. One judge per type of lib/checktypes.h, in
 * agent/judges/NAME.c.
 */
#ifndef POSTURE_JUDGES_H
#define POSTURE_JUDGES_H

#include "checks.h"

struct eval_ctx;
struct result;

struct check_judge {
	/* Called for every check before any is judged, so one read of a
	 * database can serve all checks that need it. Optional. */
	void (*prepare)(const struct check *c, struct eval_ctx *ctx);
	void (*evaluate)(const struct check *c, struct eval_ctx *ctx, struct result *r);
};

#define CHECK_JUDGE_DECLARE(name) extern const struct check_judge check_judge_##name;
POSTURE_CHECK_TYPES(CHECK_JUDGE_DECLARE)
#undef CHECK_JUDGE_DECLARE

/* The judge of T, a type of check_types[]. */
const struct check_judge *judge_for(const struct check_type *t);

#endif
