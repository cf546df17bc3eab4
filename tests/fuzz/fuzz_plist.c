/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: platform/plist.c, binary and XML property lists. Every
 * node of a list read is walked (shared binary objects once per path, to a
 * bounded count), each string must be as long as it says and terminated,
 * each dictionary key a string, and the lookups must agree with the walk. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walked;

static void walk(const struct pl_node *n, int depth)
{
	long long i;
	int b;
	double t;

	if (n == NULL || depth > PL_MAX_DEPTH + 1)
		__builtin_trap();
	if (++walked > 100000)
		return;
	switch (n->type) {
	case PL_DICT:
		for (size_t k = 0; k < n->len; k++) {
			const struct pl_node *key = n->v.items[2 * k];

			if (key->type != PL_STRING || strlen(key->v.str) > key->len)
				__builtin_trap();
			/* the last of a repeated key is what a lookup finds */
			if (memchr(key->v.str, '\0', key->len) == NULL &&
			    pl_get(n, key->v.str) == NULL)
				__builtin_trap();
			walk(n->v.items[2 * k + 1], depth + 1);
		}
		break;
	case PL_ARRAY:
		for (size_t k = 0; k < n->len; k++)
			walk(n->v.items[k], depth + 1);
		break;
	case PL_STRING:
		if (n->v.str[n->len] != '\0')
			__builtin_trap();
		break;
	case PL_DATA:
		if (n->len > 0 && n->v.str == NULL)
			__builtin_trap();
		break;
	default:
		break;
	}
	(void)pl_int(n, &i);
	(void)pl_bool(n, &b);
	(void)pl_time(n, &t);
	(void)pl_str(n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl_doc *p;
	char err[256];

	if (pl_parse(data, size, &p, err, sizeof(err)) == 0) {
		walked = 0;
		walk(pl_root(p), 0);
		pl_free(p);
	} else if (memchr(err, '\0', sizeof(err)) == NULL || err[0] == '\0') {
		__builtin_trap(); /* a refusal always says why */
	}
	return 0;
}
