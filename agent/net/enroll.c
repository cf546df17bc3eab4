/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enroll: see enroll.h. OpenSSL 3 EVP and X509 interfaces only.
 */
#include "enroll.h"

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The contents of a memory BIO as a malloc'd string. */
static char *bio_text(BIO *b)
{
	char *data = NULL, *out;
	long len = BIO_get_mem_data(b, &data);

	if (len < 0 || (out = malloc((size_t)len + 1)) == NULL)
		return NULL;
	memcpy(out, data, (size_t)len);
	out[len] = '\0';
	return out;
}

int enroll_make_request(const char *device_id, struct enroll_keys *out, char *err, size_t err_len)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509_REQ *req = X509_REQ_new();
	X509_NAME *name = NULL;
	BIO *kb = BIO_new(BIO_s_mem()), *rb = BIO_new(BIO_s_mem());
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (key == NULL || req == NULL || kb == NULL || rb == NULL) {
		snprintf(err, err_len, "cannot make the device key (ECDSA P-256)");
		goto out;
	}
	name = X509_REQ_get_subject_name(req);
	if (X509_REQ_set_version(req, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)device_id,
	                               -1, -1, 0) != 1 ||
	    X509_REQ_set_pubkey(req, key) != 1 || X509_REQ_sign(req, key, EVP_sha256()) <= 0 ||
	    PEM_write_bio_X509_REQ(rb, req) != 1 ||
	    PEM_write_bio_PrivateKey(kb, key, NULL, NULL, 0, NULL, NULL) != 1) {
		snprintf(err, err_len, "cannot make the certificate request");
		goto out;
	}
	out->key_pem = bio_text(kb);
	out->csr_pem = bio_text(rb);
	if (out->key_pem == NULL || out->csr_pem == NULL) {
		snprintf(err, err_len, "out of memory");
		enroll_keys_free(out);
		goto out;
	}
	rc = 0;
out:
	BIO_free(kb);
	BIO_free(rb);
	X509_REQ_free(req);
	EVP_PKEY_free(key);
	return rc;
}

void enroll_keys_free(struct enroll_keys *k)
{
	if (k->key_pem != NULL) {
		OPENSSL_cleanse(k->key_pem, strlen(k->key_pem));
		free(k->key_pem);
	}
	free(k->csr_pem);
	memset(k, 0, sizeof(*k));
}

static X509 *read_cert(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

	BIO_free(b);
	return x;
}

int enroll_check_answer(const char *body, size_t len, const char *key_pem, char **cert_pem,
                        char **ca_pem, char **policy_key_pem, char *err, size_t err_len)
{
	json_t *doc = json_loadb(body, len, 0, NULL);
	const char *cert_s = json_string_value(json_object_get(doc, "certificate"));
	const char *ca_s = json_string_value(json_object_get(doc, "ca"));
	const char *pk_s = json_string_value(json_object_get(doc, "policy_key"));
	X509 *cert = NULL, *ca = NULL;
	EVP_PKEY *key = NULL, *ca_key = NULL, *policy_key = NULL;
	BIO *b = NULL;
	int rc = -1;

	*cert_pem = *ca_pem = *policy_key_pem = NULL;
	if (doc == NULL || cert_s == NULL || ca_s == NULL || pk_s == NULL) {
		snprintf(err, err_len,
		         "the collector's enrollment answer is not JSON with certificate, ca "
		         "and policy_key");
		goto out;
	}
	cert = read_cert(cert_s);
	ca = read_cert(ca_s);
	b = BIO_new_mem_buf(key_pem, -1);
	key = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	b = BIO_new_mem_buf(pk_s, -1);
	policy_key = b ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
	if (cert == NULL || ca == NULL) {
		snprintf(err, err_len, "the collector sent a %s that is not a PEM certificate",
		         cert == NULL ? "device certificate" : "CA");
		goto out;
	}
	if (key == NULL || X509_check_private_key(cert, key) != 1) {
		snprintf(err, err_len,
		         "the collector sent a certificate for another key than this device's");
		goto out;
	}
	ca_key = X509_get_pubkey(ca);
	if (ca_key == NULL || X509_verify(cert, ca_key) != 1) {
		snprintf(err, err_len,
		         "the collector's device certificate is not signed by the CA it sent");
		goto out;
	}
	if (policy_key == NULL || EVP_PKEY_get_id(policy_key) != EVP_PKEY_ED25519) {
		snprintf(err, err_len, "the collector's policy_key is not an Ed25519 public key");
		goto out;
	}
	*cert_pem = strdup(cert_s);
	*ca_pem = strdup(ca_s);
	*policy_key_pem = strdup(pk_s);
	if (*cert_pem == NULL || *ca_pem == NULL || *policy_key_pem == NULL) {
		snprintf(err, err_len, "out of memory");
		free(*cert_pem);
		free(*ca_pem);
		free(*policy_key_pem);
		*cert_pem = *ca_pem = *policy_key_pem = NULL;
		goto out;
	}
	rc = 0;
out:
	BIO_free(b);
	EVP_PKEY_free(policy_key);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(key);
	X509_free(cert);
	X509_free(ca);
	json_decref(doc);
	return rc;
}

int enroll_renewal_due(const char *cert_pem, long long now, long long *not_after)
{
	X509 *x = read_cert(cert_pem);
	struct tm from, to;
	long long start, end;
	int rc = -1;

	if (x == NULL)
		return -1;
	if (ASN1_TIME_to_tm(X509_get0_notBefore(x), &from) == 1 &&
	    ASN1_TIME_to_tm(X509_get0_notAfter(x), &to) == 1) {
		start = (long long)timegm(&from);
		end = (long long)timegm(&to);
		*not_after = end;
		rc = now >= end - (end - start) / 3;
	}
	X509_free(x);
	return rc;
}
