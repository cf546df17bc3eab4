/* SPDX-License-Identifier: Apache-2.0 */
/*
 * diag: the list of "FILE:LINE: message" errors a policy or configuration
 * file earned. Loaders add to it; the CLI prints it, ordered by line, one
 * error per line, in the compiler convention editors jump to.
 */
#ifndef POSTURE_DIAG_H
#define POSTURE_DIAG_H

#include <stddef.h>
#include "attrs.h"
#include <stdio.h>

struct diag {
	int line;
	char *msg;
};

struct diags {
	char *file;
	struct diag *items;
	size_t n_items;
	size_t cap;
};

/* Starts an empty list for errors in FILE (copied). 0 or -ENOMEM. */
int diags_init(struct diags *d, const char *file);
void diags_free(struct diags *d);

/* Adds one error. Never fails visibly: on ENOMEM the error is counted with a
 * fixed message so a refused file is still refused. */
void diags_add(struct diags *d, int line, const char *fmt, ...) POSTURE_PRINTF(3, 4);

/* Sorts by line (stable) and writes "FILE:LINE: message\n" for each. */
void diags_print(struct diags *d, FILE *out);

#endif
