/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: an ID token and the key set it is checked against, as
 * an OpenID Connect issuer sends them (collector/jwt.c). The input is the
 * JWK Set's JSON, a newline, then the token. Either it is refused with a
 * reason, or its claims are an object naming the issuer, the client and
 * the nonce that were asked for.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "oidc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nl = memchr(text, '\n', size);
	json_t *jwks, *claims = NULL;
	char err[512] = "";
	int rc;

	if (nl == NULL)
		return 0;
	jwks = json_loadb(text, (size_t)(nl - text), 0, NULL);
	rc = oidc_verify_id_token(nl + 1, size - (size_t)(nl + 1 - text), jwks,
	                          "https://localhost:9999", "posture", "fuzz-nonce", 1800000000,
	                          &claims, err, sizeof(err));
	if (rc == 0) {
		if (!json_is_object(claims) ||
		    strcmp(json_string_value(json_object_get(claims, "iss")),
		           "https://localhost:9999") != 0 ||
		    strcmp(json_string_value(json_object_get(claims, "nonce")), "fuzz-nonce") != 0)
			abort();
	} else if (err[0] == '\0' || claims != NULL) {
		abort(); /* refused without saying why */
	}
	json_decref(claims);
	json_decref(jwks);
	return 0;
}
