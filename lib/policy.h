/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy: loads a policy file (INI, parsed by inih) into checks whose every
 * key has been validated against its check type's key table.
 *
 * A policy is all or nothing: one bad key refuses the whole file, and the
 * caller keeps whatever policy it had before. Every error names the file, the
 * line and the key or section at fault. This module never evaluates anything.
 */
#ifndef POSTURE_POLICY_H
#define POSTURE_POLICY_H

#include <stddef.h>

#include "diag.h"
#include "keys.h"

struct check_type;

enum severity { SEVERITY_LOW, SEVERITY_MEDIUM, SEVERITY_HIGH, SEVERITY_CRITICAL };
enum on_error { ON_ERROR_REPORT, ON_ERROR_FAIL };

/* What the loader knows of the system the policy will run on. */
struct policy_env {
	/* A name in vercmp.h's pkg_schemes ("deb", "rpm", "msi", "pkg") or
	 * NULL: the version scheme package_version's min_version must follow.
	 * NULL accepts a version valid in any of them. */
	const char *pkg_system;
};

struct check {
	char *id;
	int line; /* of its [check.ID] header */
	const struct check_type *type;
	enum severity severity;
	enum on_error on_error;
	int grace_days;    /* days a failure may last before it counts; -1 none */
	char *title;       /* the policy's, or NULL */
	char *remediation; /* the policy's, or NULL */
	char **only_os;    /* os-release IDs the check applies to; NULL: all */
	size_t n_only_os;
	struct key_value *values; /* one per entry of type->keys, in table order */
	size_t n_values;
	struct key_value *extra; /* values of the type's "*" entry */
	size_t n_extra;
	void *priv; /* the type's compiled form (a regex), freed by type->free_priv */
};

struct policy {
	char *path;
	char *name;
	char *version;
	char *text; /* the file's bytes, for the report's policy_sha256 */
	size_t text_len;
	struct check *checks;
	size_t n_checks;
};

/* Policy files larger than this are refused; real ones are a few KiB. */
#define POLICY_MAX_BYTES (4u << 20)

/*
 * Reads and validates PATH. Returns 0 and sets *out (free with policy_free);
 * or -1, leaving one entry in DIAGS per error.
 */
int policy_load(const char *path, const struct policy_env *env, struct policy **out,
                struct diags *diags);

/* As policy_load, for text already in memory; NAME is used in messages. */
int policy_parse(const char *name, const char *buf, size_t len, const struct policy_env *env,
                 struct policy **out, struct diags *diags);

void policy_free(struct policy *p);

/* The value of KEY in C (declared in its type's table), never NULL for a
 * declared key: an unset optional key without a default has set == 0. */
const struct key_value *check_value(const struct check *c, const char *key);

/* Whether a minimum of C says `latest` or `latest-N` (lib/feedset.h). */
int check_uses_latest(const struct check *c);

/* Whether any check of POLICY has a `latest` minimum (feeds are read only
 * then). */
int check_any_latest(const struct policy *policy);

/* The grace period C's failures get, in days, or -1 for none: grace_days;
 * none for a check whose minimums say `latest`, where grace_days delays
 * each release instead (a device below that bar is past its grace). */
int check_failure_grace(const struct check *c);

const char *severity_name(enum severity s);

#endif
