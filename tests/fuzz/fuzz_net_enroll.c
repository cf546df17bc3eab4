/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the collector's answer to an enrollment as the network
 * process checks it (agent/net/enroll.c): JSON holding PEM certificates and
 * a public key, all from the network. It must accept nothing that is not a
 * certificate for the device's key signed by the CA sent with it, and never
 * crash on the way.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "enroll.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A device key generated for this target only. */
static const char key_pem[] = "-----BEGIN PRIVATE KEY-----\n"
                              "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgnE6RpY/Cj3tYUfMf\n"
                              "OyFhgvU+jF+JekbVW7jQYSTFFD2hRANCAAST8qRRH6qnti7bSdGthFJbCy1ieLPB\n"
                              "ZaD4o10G4mkPMFb1WBkUYQvbrjy2u30a8SelolfU/OWUBGF6MoOC7tAI\n"
                              "-----END PRIVATE KEY-----\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cert = NULL, *ca = NULL, *pk = NULL, err[512];

	err[0] = '\0';
	if (enroll_check_answer((const char *)data, size, key_pem, &cert, &ca, &pk, err,
	                        sizeof(err)) == 0) {
		/* only possible with a certificate for this key; keep the texts sane */
		if (cert == NULL || ca == NULL || pk == NULL)
			abort();
	} else if (err[0] == '\0' || cert != NULL || ca != NULL || pk != NULL) {
		abort();
	}
	free(cert);
	free(ca);
	free(pk);
	return 0;
}
