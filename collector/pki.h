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

/* PEM files: 0 or -1 with ERR. Keys are written mode 0600, certificates and
 * public keys 0644; never over an existing file. */
int pki_write_key(const char *path, EVP_PKEY *key, char *err, size_t err_len);
int pki_write_pubkey(const char *path, EVP_PKEY *key, char *err, size_t err_len);
int pki_write_cert(const char *path, X509 *cert, char *err, size_t err_len);

/* N random bytes as unpadded base64url (for tokens and secrets) into OUT
 * (at least 4 * N / 3 + 4 bytes). 0 or -1. */
int pki_random_token(size_t n, char *out, size_t out_len);

#endif
