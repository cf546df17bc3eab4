/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lifecycle: one pass of the data lifecycle (docs/COLLECTOR.md,
 * "Retention"): the retention in force compared with the one the store
 * last saw (a change goes to the audit trail), the days before today rolled
 * up into compliance per day and check, then raw reports and state changes
 * older than their retention pruned in small transactions. `serve` runs a
 * pass an hour; `posture-collector prune` runs one now.
 */
#ifndef POSTURE_LIFECYCLE_H
#define POSTURE_LIFECYCLE_H

#include "config.h"
#include "store.h"

struct lifecycle_result {
	int days_rolled;
	struct store_pruned pruned;
	int retention_changed;
	long long events; /* webhook events done with and dropped */
};

/* ACTOR is who the audit names for a retention change. NOW: the time to
 * prune against (seconds since 1970). STOP as in store_prune_opts. The
 * reports go 200 to a transaction, each followed by a pause three times
 * its length (20 ms at least), so a prune beside ingest holds the store a
 * quarter of the time at most. 0, or -1 with ERR. */
int lifecycle_pass(struct store *st, const struct collector_config *c, const char *actor,
                   long long now, const int *stop, struct lifecycle_result *res, char *err,
                   size_t err_len);

#endif
