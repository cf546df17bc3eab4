/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enroll: see enroll.h.
 */
#include "enroll.h"
#include "timefmt.h"

#include <ctype.h>
#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pki.h"
#include "store.h"

static void answer_error(int code, const char *why, int *status, char **answer)
{
	json_t *doc = json_pack("{s:s}", "error", why);

	*status = code;
	*answer = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
}

static int is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (s == NULL || strlen(s) != sizeof(shape) - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The CN of CERT into OUT, or "" . */
static void common_name(X509 *cert, char *out, size_t len)
{
	out[0] = '\0';
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, out, (int)len) <
	    0)
		out[0] = '\0';
}

static char *pem_of(X509 *cert)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data = NULL, *out = NULL;
	long len;

	if (b != NULL && PEM_write_bio_X509(b, cert) == 1 &&
	    (len = BIO_get_mem_data(b, &data)) > 0 && (out = malloc((size_t)len + 1)) != NULL) {
		memcpy(out, data, (size_t)len);
		out[len] = '\0';
	}
	BIO_free(b);
	return out;
}

/* CERT's notAfter as RFC 3339 UTC into OUT (32 bytes), or "". */
static void not_after(X509 *cert, char out[32])
{
	struct tm tm;

	out[0] = '\0';
	if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1)
		time_rfc3339_tm(&tm, out, 32);
}

int enroll_owner_ok(const char *owner)
{
	size_t len = strlen(owner);

	if (len == 0 || len > 254)
		return 0;
	for (const unsigned char *p = (const unsigned char *)owner; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

void enroll_handle(const struct enroll_ctx *c, const char *body, size_t len, X509 *peer,
                   int *status, char **answer, char *what, size_t what_len)
{
	json_t *doc = json_loadb(body, len, 0, NULL), *out = NULL;
	const char *secret = json_string_value(json_object_get(doc, "secret"));
	const char *csr_pem = json_string_value(json_object_get(doc, "csr"));
	const char *hostname = json_string_value(json_object_get(doc, "hostname"));
	const char *device_id = json_string_value(json_object_get(doc, "device_id"));
	const char *owner = json_string_value(json_object_get(doc, "owner"));
	char cn[128], peer_cn[128] = "", err[256], serial_hex[80] = "", expires[32], why[512];
	const char *kind = "renewal";
	int approved = 0;
	X509_REQ *req = NULL;
	EVP_PKEY *pub = NULL;
	X509 *cert = NULL;
	BIO *b = NULL;
	char *cert_pem = NULL;

	*answer = NULL;
	snprintf(what, what_len, "refused: ");
	if (peer != NULL)
		common_name(peer, peer_cn, sizeof(peer_cn));
	if (!json_is_object(doc) || csr_pem == NULL) {
		answer_error(400,
		             "the body must be JSON with csr (and secret, hostname, device_id)",
		             status, answer);
		goto out;
	}
	if (hostname != NULL && strlen(hostname) > 255) {
		answer_error(400, "hostname must be at most 255 bytes", status, answer);
		goto out;
	}
	if (owner != NULL && !enroll_owner_ok(owner)) {
		answer_error(400,
		             "owner must be at most 254 bytes of printable text (the user's email, "
		             "say)",
		             status, answer);
		goto out;
	}
	if (secret != NULL &&
	    !(peer_cn[0] != '\0' && device_id && strcmp(peer_cn, device_id) == 0)) {
		unsigned char md[32];
		char hex[65];
		int state;

		EVP_Digest(secret, strlen(secret), md, NULL, EVP_sha256(), NULL);
		for (int i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		if (store_check_enroll_secret(c->store, hex) != 1) {
			answer_error(401, "invalid enrollment secret", status, answer);
			goto out;
		}
		if (!is_uuid(device_id)) {
			answer_error(400, "device_id must be the agent's device id (a UUID)",
			             status, answer);
			goto out;
		}
		snprintf(cn, sizeof(cn), "%s", device_id);
		/* the secret enrolls new devices; it never takes over an
		 * enrolled one, which renews with its own certificate or is
		 * approved by an admin first */
		state = store_enroll_state(c->store, cn, err, sizeof(err));
		if (state < 0) {
			answer_error(500, "the store failed", status, answer);
			goto out;
		}
		if (state == STORE_ENROLL_TAKEN) {
			snprintf(why, sizeof(why),
			         "device %s is already enrolled: the enrollment secret cannot take "
			         "over an enrolled device. Renew with the device's current "
			         "certificate, or have an admin approve a new enrollment "
			         "(posture-collector device reenroll --dir DIR %s)",
			         cn, cn);
			answer_error(409, why, status, answer);
			goto out;
		}
		approved = state == STORE_ENROLL_APPROVED;
		kind = approved ? "re-enrollment an admin approved" : "new device";
	} else if (peer != NULL) {
		/* a renewal: the identity is the certificate's, not the body's */
		snprintf(cn, sizeof(cn), "%s", peer_cn);
		if (cn[0] == '\0' || store_device_revoked(c->store, cn) != 0) {
			answer_error(403, "this device's certificate is revoked", status, answer);
			goto out;
		}
	} else {
		answer_error(401,
		             "an enrollment secret, or the current certificate to renew, is "
		             "required",
		             status, answer);
		goto out;
	}
	b = BIO_new_mem_buf(csr_pem, -1);
	req = b ? PEM_read_bio_X509_REQ(b, NULL, NULL, NULL) : NULL;
	pub = req ? X509_REQ_get_pubkey(req) : NULL;
	if (req == NULL || pub == NULL || X509_REQ_verify(req, pub) != 1) {
		answer_error(400, "csr is not a certificate request signed by its own key", status,
		             answer);
		goto out;
	}
	{
		char group[32] = "";
		size_t glen = 0;

		if (EVP_PKEY_get_id(pub) != EVP_PKEY_EC ||
		    EVP_PKEY_get_utf8_string_param(pub, "group", group, sizeof(group), &glen) !=
		        1 ||
		    strcmp(group, "prime256v1") != 0) {
			answer_error(400, "the device key must be ECDSA P-256", status, answer);
			goto out;
		}
	}
	cert = pki_issue(c->ca, c->ca_key, pub, cn, NULL, 0, c->cert_days, err, sizeof(err));
	cert_pem = cert ? pem_of(cert) : NULL;
	if (cert_pem == NULL) {
		answer_error(500, "cannot issue the certificate", status, answer);
		goto out;
	}
	{
		BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
		char *h = bn ? BN_bn2hex(bn) : NULL;

		snprintf(serial_hex, sizeof(serial_hex), "%s", h ? h : "");
		OPENSSL_free(h);
		BN_free(bn);
	}
	not_after(cert, expires);
	if (store_enroll_device(c->store, cn, hostname, serial_hex, expires[0] ? expires : NULL,
	                        approved, owner, err, sizeof(err)) != 0) {
		answer_error(500, "cannot record the device", status, answer);
		goto out;
	}
	out = json_pack("{s:s, s:s, s:s}", "certificate", cert_pem, "ca", c->ca_pem, "policy_key",
	                c->policy_pub_pem);
	*answer = out ? json_dumps(out, JSON_COMPACT) : NULL;
	*status = *answer ? 200 : 500;
	if (*status == 200)
		snprintf(what, what_len, "issued certificate %s to device %s (%s)", serial_hex, cn,
		         kind);
out:
	if (*status != 200) {
		json_t *e = *answer ? json_loads(*answer, 0, NULL) : NULL;

		snprintf(what, what_len, "refused (HTTP %d): %s%s%s", *status,
		         e ? json_string_value(json_object_get(e, "error")) : "?",
		         device_id && is_uuid(device_id) ? "; device_id " : "",
		         device_id && is_uuid(device_id) ? device_id : "");
		json_decref(e);
	}
	json_decref(out);
	free(cert_pem);
	X509_free(cert);
	EVP_PKEY_free(pub);
	X509_REQ_free(req);
	BIO_free(b);
	json_decref(doc);
}
