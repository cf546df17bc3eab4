/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enroll: the network process's half of enrollment. It makes the device's
 * key (ECDSA P-256) and a certificate request for it, and checks what the
 * collector sends back: a certificate for exactly that key, signed by the CA
 * that comes with it, and an Ed25519 policy-signing key. The key never
 * leaves this process except to the root process, which stores it (0600).
 */
#ifndef POSTURE_ENROLL_H
#define POSTURE_ENROLL_H

#include <stddef.h>

struct enroll_keys {
	char *key_pem; /* PKCS#8, unencrypted (the file is 0600, root's) */
	char *csr_pem;
};

/* Makes the key and a request with CN=DEVICE_ID. 0, or -1 with ERR. */
int enroll_make_request(const char *device_id, struct enroll_keys *out, char *err, size_t err_len);
void enroll_keys_free(struct enroll_keys *k);

/*
 * Checks the collector's answer (the JSON body of a 200 to POST /v1/enroll:
 * {"certificate", "ca", "policy_key"}) against KEY_PEM. Returns 0 and the
 * three PEM texts (malloc'd) or -1 with ERR.
 */
int enroll_check_answer(const char *body, size_t len, const char *key_pem, char **cert_pem,
                        char **ca_pem, char **policy_key_pem, char *err, size_t err_len);

/* Whether CERT_PEM is in the last third of its validity (or already
 * expired), when it is time to renew; *NOT_AFTER gets its end (Unix time).
 * 1 due, 0 not yet, -1 when CERT_PEM is not a certificate. */
int enroll_renewal_due(const char *cert_pem, long long now, long long *not_after);

#endif
