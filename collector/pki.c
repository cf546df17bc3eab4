/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pki: see pki.h.
 */
#include "pki.h"

#include "atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

EVP_PKEY *pki_new_ec_key(void)
{
	return EVP_EC_gen("P-256");
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (ext == NULL)
		return 0;
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* A certificate skeleton: random 128-bit serial, subject CN, validity. */
static X509 *new_cert(EVP_PKEY *pubkey, const char *cn, int days)
{
	X509 *x = X509_new();
	unsigned char serial[16];
	BIGNUM *bn = NULL;

	if (x == NULL || RAND_bytes(serial, sizeof(serial)) != 1)
		goto fail;
	serial[0] &= 0x7f; /* positive */
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	if (bn == NULL || BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL ||
	    X509_set_version(x, 2) != 1 ||
	    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_UTF8,
	                               (const unsigned char *)cn, -1, -1, 0) != 1 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -300) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), (long)days * 86400) == NULL ||
	    X509_set_pubkey(x, pubkey) != 1)
		goto fail;
	BN_free(bn);
	return x;
fail:
	BN_free(bn);
	X509_free(x);
	return NULL;
}

X509 *pki_make_ca(EVP_PKEY *key, const char *cn, int days, char *err, size_t err_len)
{
	X509 *x = new_cert(key, cn, days);

	if (x == NULL || X509_set_issuer_name(x, X509_get_subject_name(x)) != 1 ||
	    !add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
	    !add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign") ||
	    !add_ext(x, x, NID_subject_key_identifier, "hash") ||
	    X509_sign(x, key, EVP_sha256()) <= 0) {
		snprintf(err, err_len, "cannot make the CA certificate");
		X509_free(x);
		return NULL;
	}
	return x;
}

static X509 *issue(X509 *ca, EVP_PKEY *ca_key, EVP_PKEY *pubkey, const char *cn,
                   const char *const *sans, int server, int days, const char *crl_uri, char *err,
                   size_t err_len)
{
	X509 *x = new_cert(pubkey, cn, days);
	char san[2048] = "", crl[600] = "";
	size_t off = 0;

	for (; sans && *sans; sans++)
		off += (size_t)snprintf(san + off, off < sizeof(san) ? sizeof(san) - off : 0,
		                        "%s%s", off ? "," : "", *sans);
	if (crl_uri)
		snprintf(crl, sizeof(crl), "URI:%s", crl_uri);
	if (x == NULL || X509_set_issuer_name(x, X509_get_subject_name(ca)) != 1 ||
	    !add_ext(x, ca, NID_basic_constraints, "critical,CA:FALSE") ||
	    !add_ext(x, ca, NID_key_usage, "critical,digitalSignature") ||
	    !add_ext(x, ca, NID_ext_key_usage, server ? "serverAuth" : "clientAuth") ||
	    !add_ext(x, ca, NID_authority_key_identifier, "keyid") ||
	    (san[0] && !add_ext(x, ca, NID_subject_alt_name, san)) ||
	    (crl[0] && !add_ext(x, ca, NID_crl_distribution_points, crl)) ||
	    X509_sign(x, ca_key, EVP_sha256()) <= 0) {
		snprintf(err, err_len, "cannot issue the certificate for %s", cn);
		X509_free(x);
		return NULL;
	}
	return x;
}

X509 *pki_issue(X509 *ca, EVP_PKEY *ca_key, EVP_PKEY *pubkey, const char *cn,
                const char *const *sans, int server, int days, char *err, size_t err_len)
{
	return issue(ca, ca_key, pubkey, cn, sans, server, days, NULL, err, err_len);
}

X509 *pki_issue_server(X509 *ca, EVP_PKEY *ca_key, EVP_PKEY *key, const char *hostname,
                       const char *crl_uri, char *err, size_t err_len)
{
	char dns[300];
	const char *sans[5];

	snprintf(dns, sizeof(dns), "DNS:%s", hostname);
	sans[0] = dns;
	sans[1] = strcmp(hostname, "localhost") != 0 ? "DNS:localhost" : "IP:::1";
	sans[2] = "IP:127.0.0.1";
	sans[3] = strcmp(hostname, "localhost") != 0 ? "IP:::1" : NULL;
	sans[4] = NULL;
	return issue(ca, ca_key, key, hostname, sans, 1, PKI_SERVER_DAYS, crl_uri, err, err_len);
}

/* Whether CERT names URI among its CRL distribution points. */
static int names_crl(X509 *cert, const char *uri)
{
	STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(cert, NID_crl_distribution_points, NULL, NULL);
	int found = 0;

	for (int i = 0; dps && i < sk_DIST_POINT_num(dps); i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(dps, i);

		if (dp->distpoint == NULL || dp->distpoint->type != 0)
			continue;
		for (int k = 0; k < sk_GENERAL_NAME_num(dp->distpoint->name.fullname); k++) {
			GENERAL_NAME *g = sk_GENERAL_NAME_value(dp->distpoint->name.fullname, k);

			if (g->type == GEN_URI &&
			    (size_t)ASN1_STRING_length(g->d.uniformResourceIdentifier) ==
			        strlen(uri) &&
			    memcmp(ASN1_STRING_get0_data(g->d.uniformResourceIdentifier), uri,
			           strlen(uri)) == 0)
				found = 1;
		}
	}
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	return found;
}

int pki_refresh_server_cert(const char *cert_path, const char *key_path, X509 *ca, EVP_PKEY *ca_key,
                            int port, char *err, size_t err_len)
{
	FILE *f = fopen(cert_path, "r");
	X509 *old = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	EVP_PKEY *key = NULL;
	X509 *fresh = NULL;
	char cn[256] = "", uri[400];
	time_t soon = time(NULL) + 30 * 86400;
	int rc = -1, days = 0, secs = 0;

	if (f)
		fclose(f);
	if (old == NULL || X509_NAME_get_text_by_NID(X509_get_subject_name(old), NID_commonName, cn,
	                                             (int)sizeof(cn)) <= 0) {
		snprintf(err, err_len, "cannot read the server certificate %s", cert_path);
		goto out;
	}
	snprintf(uri, sizeof(uri), "https://%s:%d/v1/crl", cn, port);
	ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(old), X509_get0_notAfter(old));
	if (names_crl(old, uri) && X509_cmp_time(X509_get0_notAfter(old), &soon) > 0 &&
	    days <= PKI_SERVER_DAYS) {
		rc = 0; /* current */
		goto out;
	}
	f = fopen(key_path, "r");
	key = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	if (f)
		fclose(f);
	if (key == NULL) {
		snprintf(err, err_len, "cannot read the server key %s", key_path);
		goto out;
	}
	/* the same key, so an agent's pin of it still holds */
	fresh = pki_issue_server(ca, ca_key, key, cn, uri, err, err_len);
	if (fresh == NULL)
		goto out;
	{
		/* replaced whole or not at all (lib/atomicfile.h) */
		BIO *mem = BIO_new(BIO_s_mem());
		char *pem = NULL;
		long pem_len = 0;
		int ok = mem != NULL && PEM_write_bio_X509(mem, fresh) == 1 &&
		         (pem_len = BIO_get_mem_data(mem, &pem)) > 0 &&
		         atomic_write_file(-1, NULL, cert_path, pem, (size_t)pem_len, 0644, err,
		                           err_len) == 0;

		if (mem == NULL || (pem_len <= 0 && err[0] == '\0'))
			snprintf(err, err_len, "cannot encode the server certificate");
		BIO_free(mem);
		if (!ok)
			goto out;
	}
	rc = 1;
out:
	X509_free(old);
	X509_free(fresh);
	EVP_PKEY_free(key);
	return rc;
}

unsigned char *pki_make_crl(X509 *ca, EVP_PKEY *ca_key, const char *const *serials_hex, size_t n,
                            int *len)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *now = ASN1_TIME_set(NULL, time(NULL));
	ASN1_TIME *next = ASN1_TIME_set(NULL, time(NULL) + 86400);
	unsigned char *der = NULL;
	int ok = crl && now && next && X509_CRL_set_version(crl, X509_CRL_VERSION_2) == 1 &&
	         X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca)) == 1 &&
	         X509_CRL_set1_lastUpdate(crl, now) == 1 &&
	         X509_CRL_set1_nextUpdate(crl, next) == 1;

	for (size_t i = 0; ok && i < n; i++) {
		X509_REVOKED *r = X509_REVOKED_new();
		BIGNUM *bn = NULL;
		ASN1_INTEGER *serial = NULL;

		ok = r && BN_hex2bn(&bn, serials_hex[i]) > 0 &&
		     (serial = BN_to_ASN1_INTEGER(bn, NULL)) != NULL &&
		     X509_REVOKED_set_serialNumber(r, serial) == 1 &&
		     X509_REVOKED_set_revocationDate(r, now) == 1 &&
		     X509_CRL_add0_revoked(crl, r) == 1;
		if (ok)
			r = NULL; /* the CRL owns it */
		X509_REVOKED_free(r);
		ASN1_INTEGER_free(serial);
		BN_free(bn);
	}
	ok = ok && X509_CRL_sort(crl) == 1 && X509_CRL_sign(crl, ca_key, EVP_sha256()) > 0 &&
	     (*len = i2d_X509_CRL(crl, &der)) > 0;
	X509_CRL_free(crl);
	ASN1_TIME_free(now);
	ASN1_TIME_free(next);
	if (!ok) {
		OPENSSL_free(der);
		return NULL;
	}
	return der;
}

/* Opens PATH for a new file with MODE; never follows or replaces. */
static FILE *create(const char *path, mode_t mode, char *err, size_t err_len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	FILE *f;

	if (fd < 0) {
		snprintf(err, err_len, "cannot create %s: %s", path, strerror(errno));
		return NULL;
	}
	fchmod(fd, mode);
	f = fdopen(fd, "w");
	if (f == NULL)
		close(fd);
	return f;
}

static int finish(FILE *f, int ok, const char *path, char *err, size_t err_len)
{
	if (f == NULL)
		return -1;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		ok = 0;
	if (fclose(f) != 0)
		ok = 0;
	if (!ok) {
		snprintf(err, err_len, "cannot write %s", path);
		unlink(path);
		return -1;
	}
	return 0;
}

int pki_write_key(const char *path, EVP_PKEY *key, char *err, size_t err_len)
{
	FILE *f = create(path, 0600, err, err_len);

	return finish(f, f && PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1, path,
	              err, err_len);
}

int pki_write_pubkey(const char *path, EVP_PKEY *key, char *err, size_t err_len)
{
	FILE *f = create(path, 0644, err, err_len);

	return finish(f, f && PEM_write_PUBKEY(f, key) == 1, path, err, err_len);
}

int pki_write_cert(const char *path, X509 *cert, char *err, size_t err_len)
{
	FILE *f = create(path, 0644, err, err_len);

	return finish(f, f && PEM_write_X509(f, cert) == 1, path, err, err_len);
}

int pki_random_token(size_t n, char *out, size_t out_len)
{
	unsigned char raw[64];
	int rc;

	if (n > sizeof(raw) || RAND_bytes(raw, (int)n) != 1)
		return -1;
	rc = pki_b64url(raw, n, out, out_len);
	OPENSSL_cleanse(raw, sizeof(raw));
	return rc;
}

int pki_b64url(const unsigned char *in, size_t n, char *out, size_t out_len)
{
	unsigned char b64[100];
	int len;

	if (n > 64)
		return -1;
	len = EVP_EncodeBlock(b64, in, (int)n);
	if (len < 0 || (size_t)len >= out_len)
		return -1;
	/* base64url without padding: safe in a URL, a header and a file */
	for (int i = 0; i < len; i++)
		out[i] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : (char)b64[i];
	while (len > 0 && out[len - 1] == '=')
		len--;
	out[len] = '\0';
	OPENSSL_cleanse(b64, sizeof(b64));
	return 0;
}
