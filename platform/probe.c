/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe: what every OS shares of probe.h: freeing what probes return, and
 * the answer of a probe an OS does not have.
 */
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int probe_unsupported(char *err, size_t err_len)
{
	if (err != NULL && err_len > 0)
		snprintf(err, err_len, "%s", PROBE_UNSUPPORTED_TEXT);
	return PROBE_UNSUPPORTED;
}

void pkg_queries_clear(struct pkg_query *queries, size_t n_queries)
{
	size_t i, k;

	for (i = 0; i < n_queries; i++) {
		for (k = 0; k < queries[i].n_instances; k++)
			free(queries[i].instances[k].version);
		free(queries[i].instances);
		queries[i].instances = NULL;
		queries[i].n_instances = 0;
	}
}

void patch_state_free(struct patch_state *ps)
{
	size_t i;

	for (i = 0; i < ps->n_updates; i++) {
		free(ps->updates[i].name);
		free(ps->updates[i].installed);
		free(ps->updates[i].candidate);
	}
	free(ps->updates);
	memset(ps, 0, sizeof(*ps));
}

int pkg_query_add(struct pkg_query *q, const char *version, const char *arch, const char *state)
{
	struct pkg_instance *in, *grown;

	if (q->n_instances >= PKG_MAX_INSTANCES)
		return 0;
	grown = realloc(q->instances, (q->n_instances + 1) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	q->instances = grown;
	in = &q->instances[q->n_instances];
	memset(in, 0, sizeof(*in));
	in->version = strdup(version);
	if (in->version == NULL)
		return -1;
	snprintf(in->arch, sizeof(in->arch), "%s", arch);
	snprintf(in->state, sizeof(in->state), "%s", state);
	q->n_instances++;
	return 0;
}

struct browser_install *browser_list_add(struct browser_install **items, size_t *n)
{
	struct browser_install *grown = realloc(*items, (*n + 1) * sizeof(*grown));

	if (grown == NULL)
		return NULL;
	*items = grown;
	memset(&grown[*n], 0, sizeof(grown[*n]));
	return &grown[(*n)++];
}
