/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the collector's signed release feeds (GET /v1/feeds) as
 * the network process reads them (agent/net/policysig.c): the answer, then
 * each envelope. Whatever the bytes, every envelope is refused with a
 * reason (random input cannot sign without the private key) and nothing is
 * left allocated.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "policysig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A key generated for this target only; its private half was discarded. */
static const char key_pem[] = "-----BEGIN PUBLIC KEY-----\n"
                              "MCowBQYDK2VwAyEA8cGi6G0ZNLva5o87kzC+f3QVGPUSbKekgJrUIFGcgbc=\n"
                              "-----END PUBLIC KEY-----\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *feeds = NULL, *env;
	char err[512];
	size_t i;

	err[0] = '\0';
	if (feedsig_answer((const char *)data, size, &feeds, err, sizeof(err)) != 0) {
		if (err[0] == '\0' || feeds != NULL)
			abort();
		return 0;
	}
	json_array_foreach (feeds, i, env) {
		struct feedsig f;

		err[0] = '\0';
		if (feedsig_verify(env, key_pem, &f, err, sizeof(err)) == 0)
			abort(); /* a forgery: nobody holds this key */
		if (err[0] == '\0' || f.body != NULL)
			abort();
	}
	json_decref(feeds);
	return 0;
}
