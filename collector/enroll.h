/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enroll: POST /v1/enroll without the HTTP around it. A device sends
 * {"secret", "csr", "hostname", "device_id"} and gets {"certificate", "ca",
 * "policy_key"}; a device renewing sends the same without the secret, over
 * a connection that presented its current, verified certificate. The
 * secret is compared by its SHA-256 in constant time against every
 * unrevoked, unexpired secret in the store; the CSR must prove possession of
 * a P-256 key. The certificate's CN is the device id: the identity every
 * report is stored under from then on.
 */
#ifndef POSTURE_COLLECTOR_ENROLL_H
#define POSTURE_COLLECTOR_ENROLL_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stddef.h>

struct store;

struct enroll_ctx {
	struct store *store;
	X509 *ca;
	EVP_PKEY *ca_key;
	const char *ca_pem, *policy_pub_pem;
	int cert_days; /* validity of device certificates */
};

/*
 * Handles one request BODY. PEER is the client certificate the TLS layer
 * verified against the CA, or NULL. Sets *STATUS (200, 400, 401, 403, 409
 * or 500) and *ANSWER (malloc'd JSON: the answer, or {"error": "..."}),
 * and WHAT to a sentence for the collector's log: what was issued to
 * whom, or why it was refused.
 *
 * The secret enrolls a device id that is not enrolled yet. An enrolled id
 * gets a new certificate only by renewal (the request comes over a
 * connection presenting that id's current certificate; with or without
 * the secret) or once an admin approved it (store_allow_reenroll); a
 * secret alone for an enrolled id is 409.
 */
void enroll_handle(const struct enroll_ctx *c, const char *body, size_t len, X509 *peer,
                   int *status, char **answer, char *what, size_t what_len);

/* Whether OWNER is a device owner the store takes: 1 to 254 bytes, no
 * control characters. */
int enroll_owner_ok(const char *owner);

#endif
