/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the collector's signed policy document as the network
 * process reads it (agent/net/policysig.c). Whatever the bytes, verification
 * either refuses with a reason or, which random input cannot reach without
 * the private key, returns the signed text.
 */
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
	long long version = 0;
	char *text = NULL, err[512];

	err[0] = '\0';
	if (policysig_verify((const char *)data, size, key_pem, &version, &text, err,
	                     sizeof(err)) == 0)
		abort(); /* a forgery: nobody holds this key */
	if (err[0] == '\0' || text != NULL)
		abort();
	return 0;
}
