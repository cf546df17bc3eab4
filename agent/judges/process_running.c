/* SPDX-License-Identifier: Apache-2.0 */
/*
 * process_running: the judge (see lib/checks/process_running.c for the keys).
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "judges.h"
#include "engine.h"

#define MAX_PIDS 16

struct scan {
	char *const *names;
	size_t n_names;
	json_t *pids;
	size_t count;
};

static int name_matches(const struct proc_entry *p, const char *name)
{
	size_t len = strlen(name);

	/* The kernel keeps the first 15 bytes of the executable's name (of the
	 * script, for one started through its #! line). */
	return strcmp(p->argv0, name) == 0 || strcmp(p->script, name) == 0 ||
	       (len <= 15 ? strcmp(p->comm, name) == 0
	                  : strlen(p->comm) == 15 && strncmp(p->comm, name, 15) == 0);
}

static int on_proc(void *user, const struct proc_entry *p)
{
	struct scan *s = user;
	size_t i;
	int hit = 0;

	if (p->state == 'Z' || p->state == 'X')
		return 0;
	for (i = 0; i < s->n_names && !hit; i++)
		hit = name_matches(p, s->names[i]);
	if (hit) {
		if (s->count < MAX_PIDS)
			json_array_append_new(s->pids, json_integer(p->pid));
		s->count++;
	}
	return 0;
}

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	int probe_rc;
	const struct key_value *names = check_value(c, "name");
	const char *name = names->text;
	int want = (int)check_value(c, "running")->num;
	size_t min_count = (size_t)check_value(c, "min_count")->num;
	struct scan s = { .names = names->items, .n_names = names->n_items, .pids = json_array() };
	json_t *name_list = json_array();
	char err[256];
	size_t i;

	for (i = 0; i < names->n_items; i++)
		json_array_append_new(name_list, json_string(names->items[i]));
	json_object_set_new(r->observed, "name", name_list);
	json_object_set_new(r->expected, "running", json_boolean(want));
	if (want)
		json_object_set_new(r->expected, "min_count", json_integer((json_int_t)min_count));
	probe_rc = probe_processes(ctx->root, on_proc, &s, err, sizeof(err));
	if (probe_rc != 0 && result_unsupported(r, probe_rc, err)) {
		json_decref(s.pids);
		return;
	}
	if (probe_rc != 0) {
		json_decref(s.pids);
		result_set(r, STATUS_ERROR, "%s.", err);
		return;
	}
	json_object_set_new(r->observed, "running", json_boolean(s.count > 0));
	json_object_set_new(r->observed, "count", json_integer((json_int_t)s.count));
	json_object_set_new(r->observed, "pids", s.pids);
	if (want && s.count >= min_count)
		result_set(r, STATUS_PASS, "%s is running (%zu process%s).", name, s.count,
		           s.count == 1 ? "" : "es");
	else if (want && s.count > 0)
		result_set(r, STATUS_FAIL, "Only %zu process%s of %s run; at least %zu must.",
		           s.count, s.count == 1 ? "" : "es", name, min_count);
	else if (want)
		result_set(r, STATUS_FAIL, "No process named %s is running.", name);
	else if (s.count > 0)
		result_set(r, STATUS_FAIL, "%s is running (%zu process%s) but must not be.", name,
		           s.count, s.count == 1 ? "" : "es");
	else
		result_set(r, STATUS_PASS, "No process named %s is running.", name);
}

const struct check_judge check_judge_process_running = {
	.evaluate = evaluate,
};
