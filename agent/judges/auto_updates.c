/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auto_updates: the judge (see lib/checks/auto_updates.c for the keys).
 */
#include <stdio.h>

#include "checks.h"
#include "judges.h"
#include "engine.h"

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	int probe_rc;
	int need_install = (int)check_value(c, "require_install")->num;
	struct update_automation u;
	char err[256];

	probe_rc = probe_auto_updates(ctx->root, &u, err, sizeof(err));
	if (result_unsupported(r, probe_rc, err))
		return;
	if (probe_rc != 0) {
		result_set(r, STATUS_ERROR, "Automatic updates could not be read: %s.", err);
		return;
	}
	json_object_set_new(r->observed, "mechanism", json_string(u.mechanism));
	json_object_set_new(r->observed, "installed", json_boolean(u.installed));
	json_object_set_new(r->observed, "enabled", json_boolean(u.enabled));
	json_object_set_new(r->observed, "installs_updates", json_boolean(u.installs));
	json_object_set_new(r->observed, "scheduled", json_boolean(u.scheduled));
	json_object_set_new(r->observed, "detail", json_string(u.detail));
	json_object_set_new(r->expected, "require_install", json_boolean(need_install));
	if (u.mechanism[0] == 'n' && u.mechanism[1] == 'o')
		result_set(r, STATUS_ERROR, "No known update mechanism: %s.", u.detail);
	else if (!u.installed)
		result_set(r, STATUS_FAIL, "%s is not installed.", u.mechanism);
	else if (!u.enabled)
		result_set(r, STATUS_FAIL, "%s is installed but not turned on (%s).", u.mechanism,
		           u.detail);
	else if (!u.scheduled)
		result_set(r, STATUS_FAIL, "%s is turned on but %s.", u.mechanism,
		           u.unscheduled[0] ? u.unscheduled : "its systemd timers are disabled");
	else if (need_install && !u.installs)
		result_set(r, STATUS_FAIL, "%s only downloads updates (%s).", u.mechanism,
		           u.detail);
	else
		result_set(r, STATUS_PASS, "%s installs updates on its timer (%s).", u.mechanism,
		           u.detail);
}

const struct check_judge check_judge_auto_updates = {
	.evaluate = evaluate,
};
