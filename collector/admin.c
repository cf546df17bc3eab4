/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admin: see admin.h.
 */
#define _GNU_SOURCE
#include "admin.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "contract.h"
#include "timefmt.h"
#include "diag.h"
#include "pki.h"
#include "policy.h"
#include "store.h"

/* What agents sign over: agent/net/policysig.h. */
#define POLICY_CONTEXT CONTRACT_POLICY_SIGNATURE

static void path_in(char *out, size_t len, const char *dir, const char *name)
{
	snprintf(out, len, "%s/%s", dir, name);
}

static int write_secret(const char *path, const char *text, char *err, size_t err_len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	size_t len = strlen(text);

	if (fd < 0) {
		snprintf(err, err_len, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd) != 0) {
		snprintf(err, err_len, "cannot write %s", path);
		close(fd);
		return -1;
	}
	return close(fd);
}

const char *admin_actor(void)
{
	static char actor[200];
	const struct passwd *pw;
	const char *sudo = getenv("SUDO_USER");

	if (actor[0] == '\0') {
		pw = getpwuid(getuid());
		snprintf(actor, sizeof(actor), "cli uid %u (%s)%s%.64s", (unsigned)getuid(),
		         pw && pw->pw_name ? pw->pw_name : "?",
		         sudo && *sudo ? " via sudo by " : "", sudo && *sudo ? sudo : "");
	}
	return actor;
}

int admin_audit(struct store *st, const char *action, const char *target, json_t *detail)
{
	char err[512], *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	long long seq =
	    store_audit_append(st, admin_actor(), action, target, text, err, sizeof(err));

	free(text);
	json_decref(detail);
	if (seq < 0) {
		fprintf(stderr,
		        "posture-collector: error: %s %s was done, but the audit trail could not "
		        "record it: %s\n",
		        action, target, err);
		return -1;
	}
	return 0;
}

void admin_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int md_len = 0;

	EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* DIR must not exist, or be an empty directory. */
static int prepare_dir(const char *dir, char *err, size_t err_len)
{
	DIR *d;
	struct dirent *de;

	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != EEXIST) {
		snprintf(err, err_len, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	d = opendir(dir);
	if (d == NULL) {
		snprintf(err, err_len, "%s exists and is not a directory I can read", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
			closedir(d);
			snprintf(err, err_len,
			         "%s already holds a collector (or other files); refusing to "
			         "overwrite it",
			         dir);
			return -1;
		}
	closedir(d);
	chmod(dir, 0700);
	return 0;
}

int admin_init(const char *dir, const char *hostname, const char *store_url, char *secret_out,
               size_t secret_len, char *err, size_t err_len)
{
	char path[PATH_MAX], cn[300], token[100], hash[65];
	EVP_PKEY *ca_key = NULL, *server_key = NULL, *policy_key = NULL;
	X509 *ca = NULL, *server = NULL;
	struct store *st = NULL;
	int rc = -1;

	if (prepare_dir(dir, err, err_len) != 0)
		return -1;
	ca_key = pki_new_ec_key();
	server_key = pki_new_ec_key();
	policy_key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (ca_key == NULL || server_key == NULL || policy_key == NULL) {
		snprintf(err, err_len, "cannot make keys");
		goto out;
	}
	snprintf(cn, sizeof(cn), "Posture collector CA (%s)", hostname);
	ca = pki_make_ca(ca_key, cn, 3650, err, err_len);
	if (ca == NULL)
		goto out;
	server = pki_issue_server(ca, ca_key, server_key, hostname, NULL, err, err_len);
	if (server == NULL)
		goto out;
	path_in(path, sizeof(path), dir, "ca.key");
	if (pki_write_key(path, ca_key, err, err_len) != 0)
		goto out;
	path_in(path, sizeof(path), dir, "ca.pem");
	if (pki_write_cert(path, ca, err, err_len) != 0)
		goto out;
	path_in(path, sizeof(path), dir, "server.key");
	if (pki_write_key(path, server_key, err, err_len) != 0)
		goto out;
	path_in(path, sizeof(path), dir, "server.pem");
	if (pki_write_cert(path, server, err, err_len) != 0)
		goto out;
	path_in(path, sizeof(path), dir, "policy.key");
	if (pki_write_key(path, policy_key, err, err_len) != 0)
		goto out;
	path_in(path, sizeof(path), dir, "policy.pub");
	if (pki_write_pubkey(path, policy_key, err, err_len) != 0)
		goto out;
	path_in(path, sizeof(path), dir, "admin-token");
	if (pki_random_token(32, token, sizeof(token)) != 0 ||
	    write_secret(path, token, err, err_len) != 0)
		goto out;
	if (store_url != NULL && *store_url != '\0') {
		/* the URL (which may hold a password) is how the other commands
		 * find the store */
		path_in(path, sizeof(path), dir, "store-url");
		if (write_secret(path, store_url, err, err_len) != 0 ||
		    store_open(store_url, 0, &st, err, err_len) != 0)
			goto out;
	} else {
		path_in(path, sizeof(path), dir, "collector.db");
		if (store_open(path, 1, &st, err, err_len) != 0)
			goto out;
		chmod(path, 0600);
	}
	path_in(path, sizeof(path), dir, "enroll-secret");
	if (pki_random_token(24, token, sizeof(token)) != 0)
		goto out;
	admin_sha256_hex(token, strlen(token), hash);
	if (store_add_enroll_secret(st, hash, NULL, err, err_len) < 0 ||
	    write_secret(path, token, err, err_len) != 0)
		goto out;
	admin_audit(st, "collector.init", hostname, json_pack("{s:s}", "dir", dir));
	snprintf(secret_out, secret_len, "%s", token);
	rc = 0;
out:
	OPENSSL_cleanse(token, sizeof(token));
	store_close(st);
	X509_free(ca);
	X509_free(server);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(server_key);
	EVP_PKEY_free(policy_key);
	return rc;
}

char *admin_read_file(const char *path, size_t max, size_t *len, char *err, size_t err_len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (f == NULL) {
		snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(max + 1);
	*len = buf ? fread(buf, 1, max + 1, f) : 0;
	fclose(f);
	if (buf == NULL || *len > max) {
		snprintf(err, err_len, "%s is larger than %zu bytes", path, max);
		free(buf);
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}

int admin_policy_key_sign(const char *dir, const char *head, const char *text, size_t len,
                          char *sig_b64, char *err, size_t err_len)
{
	char path[PATH_MAX], *msg = NULL;
	unsigned char sig[64];
	size_t sig_len = sizeof(sig), head_len = strlen(head);
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *ctx = NULL;
	FILE *f;
	int rc = -1;

	path_in(path, sizeof(path), dir, "policy.key");
	f = fopen(path, "r");
	key = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	if (f != NULL)
		fclose(f);
	if (key == NULL || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
		snprintf(err, err_len, "%s is not the collector's Ed25519 policy key", path);
		goto out;
	}
	msg = malloc(head_len + len);
	ctx = EVP_MD_CTX_new();
	if (msg == NULL || ctx == NULL) {
		snprintf(err, err_len, "out of memory");
		goto out;
	}
	memcpy(msg, head, head_len);
	memcpy(msg + head_len, text, len);
	if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) != 1 ||
	    EVP_DigestSign(ctx, sig, &sig_len, (unsigned char *)msg, head_len + len) != 1 ||
	    EVP_EncodeBlock((unsigned char *)sig_b64, sig, (int)sig_len) <= 0) {
		snprintf(err, err_len, "cannot sign with %s", path);
		goto out;
	}
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	free(msg);
	EVP_PKEY_free(key);
	return rc;
}

long long admin_publish(const char *dir, const char *store_spec_text, const char *file,
                        int *refused, char *err, size_t err_len)
{
	size_t len = 0;
	char *text = admin_read_file(file, POLICY_MAX_BYTES, &len, err, err_len);
	long long version;

	*refused = 0;
	if (text == NULL)
		return -1;
	version = admin_publish_text(dir, store_spec_text, file, text, len, admin_actor(), stderr,
	                             refused, err, err_len);
	free(text);
	return version;
}

long long admin_publish_text(const char *dir, const char *store_spec_text, const char *label,
                             const char *text, size_t len, const char *actor, FILE *diag,
                             int *refused, char *err, size_t err_len)
{
	char path[PATH_MAX], head[64], sha[65], sig_b64[100];
	struct policy_env env = { .pkg_system = NULL };
	struct policy *p = NULL;
	struct store *st = NULL;
	struct diags d;
	long long version = -1;

	*refused = 0;
	if (len > POLICY_MAX_BYTES || memchr(text, '\0', len) != NULL) {
		snprintf(err, err_len, "%s %s; not a policy file", label,
		         len > POLICY_MAX_BYTES ? "is too large" : "holds a NUL byte");
		*refused = 1;
		goto out;
	}
	/* the agent's own engine: a policy it would refuse is never published */
	diags_init(&d, label);
	if (policy_parse(label, text, len, &env, &p, &d) != 0) {
		diags_print(&d, diag);
		diags_free(&d);
		snprintf(err, err_len, "%s refused; nothing was published", label);
		*refused = 1;
		goto out;
	}
	diags_free(&d);
	store_spec(dir, store_spec_text, path, sizeof(path));
	if (store_open(path, 0, &st, err, err_len) != 0)
		goto out;
	version = store_policy_version(st);
	if (version < 0) {
		snprintf(err, err_len, "cannot read the published versions");
		goto out;
	}
	version++;
	snprintf(head, sizeof(head), "%s%lld\n", POLICY_CONTEXT, version);
	if (admin_policy_key_sign(dir, head, text, len, sig_b64, err, err_len) != 0) {
		version = -1;
		goto out;
	}
	admin_sha256_hex(text, len, sha);
	if (store_add_policy(st, version, p->name, sha, text, sig_b64, err, err_len) != 0) {
		version = -1;
		goto out;
	}
	{
		json_t *detail = json_pack("{s:I, s:s, s:s}", "version", (json_int_t)version,
		                           "sha256", sha, "file", label);
		char *dt = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		char aerr[256];

		if (store_audit_append(st, actor, "policy.publish", p->name, dt ? dt : "{}", aerr,
		                       sizeof(aerr)) < 0)
			fprintf(
			    stderr,
			    "posture-collector: error: audit trail: policy.publish not recorded: "
			    "%s\n",
			    aerr);
		free(dt);
		json_decref(detail);
	}
out:
	store_close(st);
	policy_free(p);
	return version;
}

long long admin_secret_add(const char *store_spec_text, long long expires_seconds, char *secret_out,
                           size_t secret_len, char *expires_out, size_t expires_len, char *err,
                           size_t err_len)
{
	struct store *st = NULL;
	char token[100], hash[65], expires[32] = "";
	long long id = -1;

	if (store_open(store_spec_text, 0, &st, err, err_len) != 0)
		return -1;
	if (expires_seconds > 0) {
		time_rfc3339(time(NULL) + (time_t)expires_seconds, expires);
	}
	if (pki_random_token(24, token, sizeof(token)) != 0) {
		snprintf(err, err_len, "cannot make a secret");
		goto out;
	}
	admin_sha256_hex(token, strlen(token), hash);
	id = store_add_enroll_secret(st, hash, expires[0] ? expires : NULL, err, err_len);
	if (id >= 0) {
		char id_s[24];

		snprintf(id_s, sizeof(id_s), "%lld", id);
		admin_audit(st, "secret.add", id_s,
		            json_pack("{s:s}", "expires", expires[0] ? expires : "never"));
		snprintf(secret_out, secret_len, "%s", token);
		snprintf(expires_out, expires_len, "%s", expires[0] ? expires : "never");
	}
out:
	OPENSSL_cleanse(token, sizeof(token));
	store_close(st);
	return id;
}
