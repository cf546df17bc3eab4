/*
 * process_running: a process must (or must not) run, by name: the kernel's
 * short name (15 characters at most) or the base name of argv[0], so that
 * interpreters' scripts and long names are found too. Zombies do not count.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "engine.h"

#define MAX_PIDS 16

static const struct key_spec keys[] = {
	{.name = "name", .kind = KEY_STRING, .required = 1},
	{.name = "running", .kind = KEY_BOOL, .def = "true"},
	{.name = NULL},
};

struct scan {
	const char *name;
	json_t *pids;
	size_t count;
};

static int on_proc(void *user, const struct proc_entry *p)
{
	struct scan *s = user;
	size_t len = strlen(s->name);
	int hit;

	if (p->state == 'Z' || p->state == 'X')
		return 0;
	/* The kernel keeps the first 15 bytes of the executable's name. */
	hit = strcmp(p->argv0, s->name) == 0 ||
	      (len <= 15 ? strcmp(p->comm, s->name) == 0
	                 : strlen(p->comm) == 15 && strncmp(p->comm, s->name, 15) == 0);
	if (hit) {
		if (s->count < MAX_PIDS)
			json_array_append_new(s->pids, json_integer(p->pid));
		s->count++;
	}
	return 0;
}

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	const char *name = check_value(c, "name")->text;
	int want = (int)check_value(c, "running")->num;
	struct scan s = {.name = name, .pids = json_array()};
	char err[256];

	json_object_set_new(r->observed, "name", json_string(name));
	json_object_set_new(r->expected, "running", json_boolean(want));
	if (probe_processes(ctx->root, on_proc, &s, err, sizeof(err)) != 0) {
		json_decref(s.pids);
		result_set(r, STATUS_ERROR, "%s.", err);
		return;
	}
	json_object_set_new(r->observed, "running", json_boolean(s.count > 0));
	json_object_set_new(r->observed, "count", json_integer((json_int_t)s.count));
	json_object_set_new(r->observed, "pids", s.pids);
	if (want && s.count > 0)
		result_set(r, STATUS_PASS, "%s is running (%zu process%s).", name, s.count,
		           s.count == 1 ? "" : "es");
	else if (want)
		result_set(r, STATUS_FAIL, "No process named %s is running.", name);
	else if (s.count > 0)
		result_set(r, STATUS_FAIL, "%s is running (%zu process%s) but must not be.", name,
		           s.count, s.count == 1 ? "" : "es");
	else
		result_set(r, STATUS_PASS, "No process named %s is running.", name);
}

static void default_title(const struct check *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s is %s", check_value(c, "name")->text,
	         check_value(c, "running")->num ? "running" : "not running");
}

const struct check_type check_type_process_running = {
	.name = "process_running",
	.keys = keys,
	.evaluate = evaluate,
	.default_title = default_title,
	.remediation = "Start (or stop) the program as the policy requires, and enable its "
	               "service so it survives a reboot.",
};
