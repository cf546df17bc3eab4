/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wua: the Windows Update Agent's pending updates as the probe's (winrec.h).
 * Properties are those of IUpdate (learn.microsoft.com/windows/win32/api/
 * wuapi/nn-wuapi-iupdate): Title, KBArticleIDs, MsrcSeverity ("Critical",
 * "Important", "Moderate", "Low", or empty), Categories.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "winrec/winrec.h"

static int msrc_rated(const char *severity)
{
	static const char *const rated[] = { "Critical", "Important", "Moderate", "Low", NULL };
	size_t i;

	for (i = 0; severity != NULL && rated[i] != NULL; i++)
		if (strcasecmp(severity, rated[i]) == 0)
			return 1;
	return 0;
}

static int by_title(const void *a, const void *b)
{
	const struct pending_update *x = a, *y = b;

	return strcmp(x->name, y->name);
}

int winrec_wua(const struct winrec_list *l, struct patch_state *ps, char *err, size_t err_len)
{
	struct pending_update *u;
	size_t i;

	if (l->n == 0)
		return 0;
	u = realloc(ps->updates, (ps->n_updates + l->n) * sizeof(*u));
	if (u == NULL)
		return -ENOMEM;
	ps->updates = u;
	for (i = 0; i < l->n; i++) {
		const struct winrec *r = &l->recs[i];
		const char *title = winrec_get(r, "Title");
		const char *kbs = winrec_get(r, "KBArticleIDs");
		const char *cls = winrec_get(r, "Classification");
		const char *cls_id = winrec_get(r, "ClassificationID");
		struct pending_update *p = &ps->updates[ps->n_updates];
		char items[4][64];
		int n_kb = kbs ? winrec_items(kbs, items, 4) : 0;

		if (title == NULL || title[0] == '\0') {
			snprintf(err, err_len, "update %zu has no Title", i + 1);
			return -EINVAL;
		}
		memset(p, 0, sizeof(*p));
		p->name = strdup(title);
		p->installed = strdup("");
		if (n_kb > 0) {
			size_t len = strlen(items[0]) + 3;

			p->candidate = malloc(len);
			if (p->candidate != NULL)
				snprintf(p->candidate, len, "KB%s", items[0]);
		} else {
			p->candidate = strdup("");
		}
		if (p->name == NULL || p->installed == NULL || p->candidate == NULL) {
			free(p->name);
			free(p->installed);
			free(p->candidate);
			return -ENOMEM;
		}
		snprintf(p->archive, sizeof(p->archive), "%s", cls ? cls : "");
		if (cls_id != NULL && cls_id[0] != '\0')
			p->security = strcasecmp(cls_id, WUA_SECURITY_UPDATES) == 0 ||
			              strcasecmp(cls_id, "{" WUA_SECURITY_UPDATES "}") == 0;
		else
			p->security = cls != NULL && strcasecmp(cls, "Security Updates") == 0;
		p->security |= msrc_rated(winrec_get(r, "MsrcSeverity"));
		ps->n_security += (size_t)p->security;
		ps->n_updates++;
	}
	qsort(ps->updates, ps->n_updates, sizeof(*ps->updates), by_title);
	return 0;
}
