/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pki: the collector's certificates and keys, with OpenSSL 3. The collector
 * is its own CA: it signs its server certificate and every device's
 * certificate (a device is its certificate), and holds an Ed25519 key that
 * signs the policies agents fetch. Private keys are written mode 0600 and
 * never printed.
 */
#ifndef POSTURE_PKI_H
#define POSTURE_PKI_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stddef.h>

/* A new ECDSA P-256 key, or NULL. */
EVP_PKEY *pki_new_ec_key(void);

/* A self-signed CA certificate for KEY, valid DAYS days. NULL with ERR. */
X509 *pki_make_ca(EVP_PKEY *key, const char *cn, int days, char *err, size_t err_len);

/*
 * A certificate for PUBKEY with subject CN, signed by CA/CA_KEY, valid
 * DAYS days. SERVER: serverAuth and subjectAltName from SANS (a NULL-ended
 * list of "DNS:..."/"IP:..."); else clientAuth. NULL with ERR.
 */
X509 *pki_issue(X509 *ca, EVP_PKEY *ca_key, EVP_PKEY *pubkey, const char *cn,
                const char *const *sans, int server, int days, char *err, size_t err_len);

/* The server certificate's lifetime: within the 398 days browsers accept. */
#define PKI_SERVER_DAYS 397

/* The collector's server certificate for KEY and HOSTNAME (SANs: it,
 * localhost, 127.0.0.1 and ::1), valid PKI_SERVER_DAYS, naming CRL_URI as
 * its CRL distribution point (or none). NULL with ERR. */
X509 *pki_issue_server(X509 *ca, EVP_PKEY *ca_key, EVP_PKEY *key, const char *hostname,
                       const char *crl_uri, char *err, size_t err_len);

/* Keeps CERT_PATH current for serving on PORT: reissued with the same key
 * (so pins hold) when it expires within 30 days, outlives PKI_SERVER_DAYS,
 * or does not name https://CN:PORT/v1/crl. 0 current, 1 reissued, -1 with
 * ERR. */
int pki_refresh_server_cert(const char *cert_path, const char *key_path, X509 *ca, EVP_PKEY *ca_key,
                            int port, char *err, size_t err_len);

/* A DER CRL signed by CA revoking the N hex SERIALS, next update in a day;
 * free with OPENSSL_free. NULL on failure. */
unsigned char *pki_make_crl(X509 *ca, EVP_PKEY *ca_key, const char *const *serials_hex, size_t n,
                            int *len);

/* PEM files: 0 or -1 with ERR. Keys are written mode 0600, certificates and
 * public keys 0644; never over an existing file. */
int pki_write_key(const char *path, EVP_PKEY *key, char *err, size_t err_len);
int pki_write_pubkey(const char *path, EVP_PKEY *key, char *err, size_t err_len);
int pki_write_cert(const char *path, X509 *cert, char *err, size_t err_len);

/* N random bytes as unpadded base64url (for tokens and secrets) into OUT
 * (at least 4 * N / 3 + 4 bytes). 0 or -1. */
int pki_random_token(size_t n, char *out, size_t out_len);

/* LEN bytes (at most 64) of IN as unpadded base64url into OUT (at least
 * 4 * LEN / 3 + 4 bytes). 0 or -1. */
int pki_b64url(const unsigned char *in, size_t len, char *out, size_t out_len);

#endif
