/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lifecycle: see lifecycle.h.
 */
#include "lifecycle.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timefmt.h"
#include "webhooks.h"

/* "30d", or "forever", as the audit and the settings table keep it */
static void span_text(long long s, char *out, size_t out_len)
{
	if (s <= 0)
		snprintf(out, out_len, "forever");
	else if (s % 86400 == 0)
		snprintf(out, out_len, "%lldd", s / 86400);
	else
		snprintf(out, out_len, "%llds", s);
}

/* the setting NAME now VALUE: an audit entry when it was something else */
static int compare(struct store *st, const char *actor, const char *name, const char *value,
                   int *changed, char *err, size_t err_len)
{
	char old[64], detail[300];
	int rc = store_setting(st, name, value, old, sizeof(old), err, err_len);

	if (rc <= 0)
		return rc;
	if (old[0] == '\0') /* the first pass: nothing changed */
		return 0;
	*changed = 1;
	snprintf(detail, sizeof(detail), "{\"from\":\"%s\",\"to\":\"%s\"}", old, value);
	return store_audit_append(st, actor, "retention.change", name, detail, err, err_len) < 0
	           ? -1
	           : 0;
}

/* Between two of the prune's transactions: the writer's commits go first.
 * A pause three times as long as the batch (and at least 20 ms) keeps the
 * prune to a quarter of the store's time at most, whatever the machine. */
static void pause_after(void *arg, double batch_seconds)
{
	double s = batch_seconds * 3 < 0.02 ? 0.02 : batch_seconds * 3;
	struct timespec pause = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	(void)arg;
	nanosleep(&pause, NULL);
}

int lifecycle_pass(struct store *st, const struct collector_config *c, const char *actor,
                   long long now, const int *stop, struct lifecycle_result *res, char *err,
                   size_t err_len)
{
	char reports[64], changes[64], today[32], settle[32], rcut[32], ccut[32];
	struct store_prune_opts o = { .batch = 200, .stop = stop, .between = pause_after };

	memset(res, 0, sizeof(*res));
	span_text(c->retain_reports_s, reports, sizeof(reports));
	span_text(c->retain_changes_s, changes, sizeof(changes));
	if (compare(st, actor, "retain_reports", reports, &res->retention_changed, err, err_len) <
	        0 ||
	    compare(st, actor, "retain_changes", changes, &res->retention_changed, err, err_len) <
	        0)
		return -1;
	/* the days are rolled up first: their reports are what is pruned next */
	time_rfc3339(now, today);
	today[10] = '\0';
	/* the last two days again: agents that were offline spool their
	 * reports and send them late */
	time_rfc3339(now - 2 * 86400, settle);
	settle[10] = '\0';
	if (store_rollup(st, today, settle, &res->days_rolled, err, err_len) != 0)
		return -1;
	/* owners no one named: the console's most frequent user of 30 days */
	{
		char since[32];

		time_rfc3339(now - 30LL * 86400, since);
		since[10] = '\0';
		if (store_owners_from_console(st, since, err, err_len) < 0)
			return -1;
	}
	if (c->retain_reports_s > 0) {
		time_rfc3339(now - c->retain_reports_s, rcut);
		o.reports_before = rcut;
	}
	if (c->retain_changes_s > 0) {
		time_rfc3339(now - c->retain_changes_s, ccut);
		o.changes_before = ccut;
	}
	if (store_prune(st, &o, &res->pruned, err, err_len) != 0)
		return -1;
	/* webhook events, a month after they were delivered or given up */
	time_rfc3339(now - 30LL * 86400, rcut);
	res->events = webhooks_prune(st, rcut, err, err_len);
	return res->events < 0 ? -1 : 0;
}
