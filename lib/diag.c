/* SPDX-License-Identifier: Apache-2.0 */
/*
 * diag: collected loader errors. See diag.h.
 */
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int diags_init(struct diags *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	d->file = strdup(file);
	return d->file == NULL ? -ENOMEM : 0;
}

void diags_free(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->n_items; i++)
		free(d->items[i].msg);
	free(d->items);
	free(d->file);
	memset(d, 0, sizeof(*d));
}

void diags_add(struct diags *d, int line, const char *fmt, ...)
{
	static char oom[] = "out of memory while reporting an error";
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (d->n_items == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct diag *items = realloc(d->items, cap * sizeof(*items));

		if (items == NULL)
			return;
		d->items = items;
		d->cap = cap;
	}
	d->items[d->n_items].line = line;
	d->items[d->n_items].msg = strdup(buf);
	if (d->items[d->n_items].msg == NULL)
		d->items[d->n_items].msg = strdup(oom);
	if (d->items[d->n_items].msg != NULL)
		d->n_items++;
}

void diags_print(struct diags *d, FILE *out)
{
	size_t i, j;

	/* Insertion sort: stable, and lists are short. */
	for (i = 1; i < d->n_items; i++) {
		struct diag cur = d->items[i];

		for (j = i; j > 0 && d->items[j - 1].line > cur.line; j--)
			d->items[j] = d->items[j - 1];
		d->items[j] = cur;
	}
	for (i = 0; i < d->n_items; i++)
		fprintf(out, "%s:%d: %s\n", d->file ? d->file : "?", d->items[i].line,
		        d->items[i].msg);
}
