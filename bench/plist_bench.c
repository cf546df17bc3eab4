/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/plist_bench.c: platform/plist.c beside libplist (Debian's
 * libplist 2.2) on the same files, for the choice between them:
 *   plist_bench ours|libplist ROUNDS FILE...
 * parses every FILE ROUNDS times (files read into memory first) and walks
 * each tree to its leaves, then prints the time per parse. Peak memory is
 * measured around it (bench/plist.sh, /usr/bin/time).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <plist/plist.h>

#include "plist.h"

static size_t leaves;

static void walk_ours(const struct pl_node *n)
{
	if (n->type == PL_DICT)
		for (size_t i = 0; i < n->len; i++)
			walk_ours(n->v.items[2 * i + 1]);
	else if (n->type == PL_ARRAY)
		for (size_t i = 0; i < n->len; i++)
			walk_ours(n->v.items[i]);
	else
		leaves++;
}

static void walk_lib(plist_t n)
{
	plist_type t = plist_get_node_type(n);

	if (t == PLIST_DICT) {
		plist_dict_iter it = NULL;
		char *key = NULL;
		plist_t v = NULL;

		plist_dict_new_iter(n, &it);
		for (;;) {
			plist_dict_next_item(n, it, &key, &v);
			if (v == NULL)
				break;
			walk_lib(v);
			free(key);
			key = NULL;
		}
		free(it);
	} else if (t == PLIST_ARRAY) {
		for (uint32_t i = 0; i < plist_array_get_size(n); i++)
			walk_lib(plist_array_get_item(n, i));
	} else {
		leaves++;
	}
}

int main(int argc, char **argv)
{
	int lib, rounds;
	struct timespec a, b;
	char **bufs;
	size_t *lens, files, parses = 0;

	if (argc < 4)
		return 2;
	lib = strcmp(argv[1], "libplist") == 0;
	rounds = atoi(argv[2]);
	files = (size_t)(argc - 3);
	bufs = calloc(files, sizeof(*bufs));
	lens = calloc(files, sizeof(*lens));
	for (size_t i = 0; i < files; i++) {
		FILE *f = fopen(argv[3 + i], "rb");

		if (f == NULL)
			return 1;
		fseek(f, 0, SEEK_END);
		lens[i] = (size_t)ftell(f);
		fseek(f, 0, SEEK_SET);
		bufs[i] = malloc(lens[i]);
		if (fread(bufs[i], 1, lens[i], f) != lens[i])
			return 1;
		fclose(f);
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < files; i++) {
			if (lib) {
				plist_t p = NULL;

				if (memcmp(bufs[i], "bplist", 6) == 0)
					plist_from_bin(bufs[i], (uint32_t)lens[i], &p);
				else
					plist_from_xml(bufs[i], (uint32_t)lens[i], &p);
				if (p == NULL)
					continue;
				walk_lib(p);
				plist_free(p);
			} else {
				struct pl_doc *p;
				char err[256];

				if (pl_parse(bufs[i], lens[i], &p, err, sizeof(err)) != 0)
					continue;
				walk_ours(pl_root(p));
				pl_free(p);
			}
			parses++;
		}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%s: %zu parses, %.2f us each, %zu leaves walked\n", lib ? "libplist" : "ours", parses,
	       ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / 1e3 /
	           (double)(parses ? parses : 1),
	       leaves);
	return 0;
}
