/* SPDX-License-Identifier: Apache-2.0 */
/*
 * checks: the registry of check types.
 *
 * A check type's spec is what the policy language knows of it: its key
 * table (what a policy may write in its section), an optional validation of
 * the keys together, its default title and remediation. That is all the
 * collector needs to validate a policy it publishes, so it lives here, with
 * no OS call and no probe. Its judge, which asks the platform's probes and
 * turns their answer into a verdict, is the agent's (agent/judges.h).
 * Probes never judge; judges never read files themselves.
 *
 * The types are listed once, in checktypes.h; each has its spec in
 * lib/checks/NAME.c and its judge in agent/judges/NAME.c.
 */
#ifndef POSTURE_CHECKS_H
#define POSTURE_CHECKS_H

#include <stddef.h>

#include "checktypes.h"
#include "diag.h"
#include "keys.h"
#include "policy.h"

struct check_type {
	const char *name;
	const struct key_spec *keys; /* terminated by an entry with a NULL name */
	/* After every key parsed: checks that span keys, compiles what can be
	 * compiled into c->priv. Adds to D and returns -1 on error. */
	int (*validate)(struct check *c, const struct policy_env *env, struct diags *d);
	void (*free_priv)(void *priv);
	/* A title when the policy gives none. */
	void (*default_title)(const struct check *c, char *buf, size_t len);
	const char *remediation; /* when the policy gives none */
};

/* The `if_missing` key that several check types share: what it means when
 * the file or parameter the check reads is not there. */
extern const char *const if_missing_choices[]; /* "skip", "pass", "fail", "error" */
enum if_missing { IF_MISSING_SKIP, IF_MISSING_PASS, IF_MISSING_FAIL, IF_MISSING_ERROR };

/* NULL-terminated, in the order they are documented. */
extern const struct check_type *const check_types[];

const struct check_type *check_type_find(const char *name);

/* check_type_NAME for every NAME of checktypes.h */
#define CHECK_TYPE_DECLARE(name) extern const struct check_type check_type_##name;
POSTURE_CHECK_TYPES(CHECK_TYPE_DECLARE)
#undef CHECK_TYPE_DECLARE

/* The number of check types. */
enum {
#define CHECK_TYPE_COUNT_ONE(name) CHECK_TYPE_INDEX_##name,
	POSTURE_CHECK_TYPES(CHECK_TYPE_COUNT_ONE)
#undef CHECK_TYPE_COUNT_ONE
	    CHECK_TYPE_COUNT
};

/* The index of T in check_types[] (0 .. CHECK_TYPE_COUNT - 1). */
size_t check_type_index(const struct check_type *t);

/* The keys of a check whose minimums may say `latest` (lib/feedset.h):
 * the grace a release marked exploited gets, and the age past which a feed
 * is not used (docs/POLICY.md). */
#define FEED_KEYS                                                                                \
	{ .name = "grace_days_exploited", .kind = KEY_INT, .def = "2", .min = 0, .max = 3650 },  \
	{                                                                                        \
		.name = "max_feed_age_days", .kind = KEY_INT, .def = "10", .min = 1, .max = 3650 \
	}

#endif
