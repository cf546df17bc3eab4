/* SPDX-License-Identifier: Apache-2.0 */
/*
 * checks: the registry of check types.
 *
 * A check type is a key table (what a policy may write in its section), an
 * optional validation of the keys together, and a judge that asks the
 * platform's probes for data and turns it into a verdict. Probes never judge;
 * judges never read files themselves. Adding a type is one file in agent/
 * (check_NAME.c) and one entry in check_types[].
 */
#ifndef POSTURE_CHECKS_H
#define POSTURE_CHECKS_H

#include <stddef.h>

#include "diag.h"
#include "keys.h"
#include "policy.h"

struct eval_ctx;
struct result;

struct check_type {
	const char *name;
	const struct key_spec *keys; /* terminated by an entry with a NULL name */
	/* After every key parsed: checks that span keys, compiles what can be
	 * compiled into c->priv. Adds to D and returns -1 on error. */
	int (*validate)(struct check *c, const struct policy_env *env, struct diags *d);
	void (*free_priv)(void *priv);
	/* Called for every check before any is judged, so one read of a
	 * database can serve all checks that need it. */
	void (*prepare)(const struct check *c, struct eval_ctx *ctx);
	void (*evaluate)(const struct check *c, struct eval_ctx *ctx, struct result *r);
	/* A title when the policy gives none. */
	void (*default_title)(const struct check *c, char *buf, size_t len);
	const char *remediation; /* when the policy gives none */
};

/* NULL-terminated, in the order they are documented. */
extern const struct check_type *const check_types[];

const struct check_type *check_type_find(const char *name);

extern const struct check_type check_type_os_patch;
extern const struct check_type check_type_browser_version;
extern const struct check_type check_type_disk_encryption;
extern const struct check_type check_type_screen_lock;
extern const struct check_type check_type_secure_boot;
extern const struct check_type check_type_auto_updates;
extern const struct check_type check_type_firewall;
extern const struct check_type check_type_package_version;
extern const struct check_type check_type_os_version;
extern const struct check_type check_type_file_content;
extern const struct check_type check_type_file_age;
extern const struct check_type check_type_sysctl;
extern const struct check_type check_type_process_running;

#endif
