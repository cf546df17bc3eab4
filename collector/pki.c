/*
 * pki: see pki.h.
 */
#include "pki.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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

X509 *pki_issue(X509 *ca, EVP_PKEY *ca_key, EVP_PKEY *pubkey, const char *cn,
                const char *const *sans, int server, int days, char *err, size_t err_len)
{
	X509 *x = new_cert(pubkey, cn, days);
	char san[2048] = "";
	size_t off = 0;

	for (; sans && *sans; sans++)
		off += (size_t)snprintf(san + off, off < sizeof(san) ? sizeof(san) - off : 0,
		                        "%s%s", off ? "," : "", *sans);
	if (x == NULL || X509_set_issuer_name(x, X509_get_subject_name(ca)) != 1 ||
	    !add_ext(x, ca, NID_basic_constraints, "critical,CA:FALSE") ||
	    !add_ext(x, ca, NID_key_usage, "critical,digitalSignature") ||
	    !add_ext(x, ca, NID_ext_key_usage, server ? "serverAuth" : "clientAuth") ||
	    !add_ext(x, ca, NID_authority_key_identifier, "keyid") ||
	    (san[0] && !add_ext(x, ca, NID_subject_alt_name, san)) ||
	    X509_sign(x, ca_key, EVP_sha256()) <= 0) {
		snprintf(err, err_len, "cannot issue the certificate for %s", cn);
		X509_free(x);
		return NULL;
	}
	return x;
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
	unsigned char raw[64], b64[100];
	int len;

	if (n > sizeof(raw) || RAND_bytes(raw, (int)n) != 1)
		return -1;
	len = EVP_EncodeBlock(b64, raw, (int)n);
	OPENSSL_cleanse(raw, sizeof(raw));
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
