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

static void walk(const struct plist_node *n, int depth)
{
	long long i;
	int b;
	double t;

	if (n == NULL || depth > PLIST_MAX_DEPTH + 1)
		__builtin_trap();
	if (++walked > 100000)
		return;
	switch (n->type) {
	case PLIST_DICT:
		for (size_t k = 0; k < n->len; k++) {
			const struct plist_node *key = n->v.items[2 * k];

			if (key->type != PLIST_STRING || strlen(key->v.str) > key->len)
				__builtin_trap();
			/* the last of a repeated key is what a lookup finds */
			if (memchr(key->v.str, '\0', key->len) == NULL &&
			    plist_get(n, key->v.str) == NULL)
				__builtin_trap();
			walk(n->v.items[2 * k + 1], depth + 1);
		}
		break;
	case PLIST_ARRAY:
		for (size_t k = 0; k < n->len; k++)
			walk(n->v.items[k], depth + 1);
		break;
	case PLIST_STRING:
		if (n->v.str[n->len] != '\0')
			__builtin_trap();
		break;
	case PLIST_DATA:
		if (n->len > 0 && n->v.str == NULL)
			__builtin_trap();
		break;
	default:
		break;
	}
	(void)plist_int(n, &i);
	(void)plist_bool(n, &b);
	(void)plist_time(n, &t);
	(void)plist_str(n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plist *p;
	char err[256];

	if (plist_parse(data, size, &p, err, sizeof(err)) == 0) {
		walked = 0;
		walk(plist_root(p), 0);
		plist_free(p);
	} else if (memchr(err, '\0', sizeof(err)) == NULL || err[0] == '\0') {
		__builtin_trap(); /* a refusal always says why */
	}
	return 0;
}
