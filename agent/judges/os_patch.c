/* SPDX-License-Identifier: Apache-2.0 */
/*
 * os_patch: the judge (see lib/checks/os_patch.c for the keys).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks.h"
#include "judges.h"
#include "device.h"
#include "timefmt.h"
#include "engine.h"

#define MAX_LISTED 100 /* updates listed in observed; the counts are exact */

/* "openssl, libssl3 and 4 more" */
static void name_list(const struct patch_state *ps, int security_only, char *buf, size_t len)
{
	size_t i, shown = 0, total = 0;

	buf[0] = '\0';
	for (i = 0; i < ps->n_updates; i++) {
		if (security_only && !ps->updates[i].security)
			continue;
		total++;
		if (shown < 5) {
			size_t used = strlen(buf);

			snprintf(buf + used, len - used, "%s%s", shown ? ", " : "",
			         ps->updates[i].name);
			shown++;
		}
	}
	if (total > shown) {
		size_t used = strlen(buf);

		snprintf(buf + used, len - used, " and %zu more", total - shown);
	}
}

static void observe(struct result *r, const struct patch_state *ps, long long days)
{
	json_t *list;
	size_t i;

	if (r->observed == NULL)
		return;
	json_object_set_new(r->observed, "package_manager", json_string(ps->package_manager));
	json_object_set_new(r->observed, "pending_updates",
	                    json_integer((json_int_t)ps->n_updates));
	json_object_set_new(r->observed, "pending_security",
	                    json_integer((json_int_t)ps->n_security));
	json_object_set_new(r->observed, "days_since_update_check",
	                    days >= 0 ? json_integer(days) : json_null());
	json_object_set_new(r->observed, "reboot_required", json_boolean(ps->reboot_required));
	if (ps->reboot_reason[0])
		json_object_set_new(r->observed, "reboot_reason", json_string(ps->reboot_reason));
	if (ps->last_check >= 0) {
		char when[32];

		time_rfc3339((time_t)ps->last_check, when);
		json_object_set_new(r->observed, "last_update_check", json_string(when));
		json_object_set_new(r->observed, "last_update_check_source",
		                    json_string(ps->last_check_source));
	}
	if (ps->last_install >= 0) {
		char when[32];

		time_rfc3339((time_t)ps->last_install, when);
		json_object_set_new(r->observed, "last_update_install", json_string(when));
	}
	list = json_array();
	for (i = 0; i < ps->n_updates && i < MAX_LISTED; i++) {
		const struct pending_update *u = &ps->updates[i];
		json_t *item = json_object();

		json_object_set_new(item, "package", json_string(u->name));
		json_object_set_new(item, "architecture", json_string(u->arch));
		json_object_set_new(item, "installed", json_string(u->installed));
		json_object_set_new(item, "candidate", json_string(u->candidate));
		json_object_set_new(item, "suite", json_string(u->archive));
		json_object_set_new(item, "security", json_boolean(u->security));
		json_array_append_new(list, item);
	}
	json_object_set_new(r->observed, "updates", list);
}

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	int probe_rc;
	const struct key_value *max_sec = check_value(c, "max_pending_security");
	const struct key_value *max_all = check_value(c, "max_pending_updates");
	const struct key_value *max_days = check_value(c, "max_days_since_update_check");
	int no_reboot = (int)check_value(c, "require_no_reboot")->num;
	struct patch_state ps;
	char err[512], why[1024] = "", names[512];
	long long days = -1;
	int failed = 0, unknown = 0, updates_due = 0;

	if (r->expected != NULL) {
		json_object_set_new(r->expected, "max_pending_security",
		                    json_integer(max_sec->num));
		if (max_all->set)
			json_object_set_new(r->expected, "max_pending_updates",
			                    json_integer(max_all->num));
		if (max_days->set)
			json_object_set_new(r->expected, "max_days_since_update_check",
			                    json_integer(max_days->num));
		json_object_set_new(r->expected, "require_no_reboot", json_boolean(no_reboot));
	}
	probe_rc = probe_os_patch_fresh(ctx->root, (int)check_value(c, "fresh_list")->num, &ps, err,
	                                sizeof(err));
	if (result_unsupported(r, probe_rc, err))
		return;
	if (probe_rc != 0) {
		result_set(r, STATUS_ERROR, "The patch level could not be read: %s.", err);
		return;
	}
	if (ps.n_indexes == 0) {
		/* Nothing to compare with: zero pending would be a guess. */
		observe(r, &ps, -1);
		if (ps.no_lists_why[0])
			result_set(r, STATUS_ERROR, "%s.", ps.no_lists_why);
		else
			result_set(
			    r, STATUS_ERROR,
			    "%s has no package lists to compare the installed packages with: "
			    "no sources are configured, or its lists were never fetched.",
			    ps.package_manager);
		{
			const struct fix_args fa = { .system = ps.package_manager };

			result_fix(r, "os_patch.no_lists", &fa);
		}
		patch_state_free(&ps);
		return;
	}
	if (ps.last_check >= 0) {
		days = ((long long)time(NULL) - ps.last_check) / 86400;
		if (days < 0)
			days = 0;
	}
	observe(r, &ps, days);

#define WHY(...)                                                                     \
	do {                                                                         \
		size_t used_ = strlen(why);                                          \
		snprintf(why + used_, sizeof(why) - used_, "%s", used_ ? "; " : ""); \
		used_ = strlen(why);                                                 \
		snprintf(why + used_, sizeof(why) - used_, __VA_ARGS__);             \
	} while (0)
	if ((long long)ps.n_security > max_sec->num) {
		name_list(&ps, 1, names, sizeof(names));
		WHY("%zu security update%s pending (%s), at most %lld allowed", ps.n_security,
		    ps.n_security == 1 ? " is" : "s are", names, max_sec->num);
		failed = updates_due = 1;
	}
	if (max_all->set && (long long)ps.n_updates > max_all->num) {
		name_list(&ps, 0, names, sizeof(names));
		WHY("%zu update%s pending (%s), at most %lld allowed", ps.n_updates,
		    ps.n_updates == 1 ? " is" : "s are", names, max_all->num);
		failed = updates_due = 1;
	}
	if (max_days->set && days < 0) {
		WHY("when updates were last checked for is unknown");
		unknown = 1;
	} else if (max_days->set && days > max_days->num) {
		WHY("updates were last checked for %lld days ago, more than %lld", days,
		    max_days->num);
		failed = updates_due = 1;
	}
	if (no_reboot && ps.reboot_required) {
		WHY("a reboot is required: %s", ps.reboot_reason);
		failed = 1;
	}
#undef WHY
	if (failed) {
		result_set(r, STATUS_FAIL, "%c%s.", why[0] - 32 * (why[0] >= 'a' && why[0] <= 'z'),
		           why + 1);
		const struct fix_args fa = { .system = ps.package_manager,
			                     .flag = ps.reboot_required && no_reboot };

		result_fix(r, updates_due ? "os_patch.install" : "os_patch.reboot", &fa);
	} else if (unknown) {
		result_set(r, STATUS_ERROR, "%c%s.", why[0] - 32 * (why[0] >= 'a' && why[0] <= 'z'),
		           why + 1);
	} else {
		result_set(r, STATUS_PASS,
		           "%zu update%s pending, %zu of them security; updates checked %s%s.",
		           ps.n_updates, ps.n_updates == 1 ? "" : "s", ps.n_security,
		           days < 0    ? "at an unknown time"
		           : days == 0 ? "today"
		                       : "",
		           days > 0 ? (days == 1 ? "1 day ago" : "days ago") : "");
	}
	patch_state_free(&ps);
}

const struct check_judge check_judge_os_patch = {
	.evaluate = evaluate,
};
