/* SPDX-License-Identifier: Apache-2.0 */
/*
 * posture enroll against a stand-in for the collector's POST /v1/enroll,
 * written here with OpenSSL until the collector exists (issue 5): TLS with
 * the test CA's server certificate, client certificate optional, the secret
 * compared, the CSR signed by the test CA with X509_REQ/X509 calls. Then
 * the enrolled device delivers a report to nginx, which requires a client
 * certificate from that same CA: enrollment to mutual TLS, end to end.
 * The openssl command line is the oracle for the stored key and certificate.
 */
#include "testutil.h"

#include <jansson.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>

static char *dir;
static int enroll_port, nginx_port;
static pid_t server_pid, nginx_pid;

static char *path_in(const char *name)
{
	static char paths[8][4200];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, 4200, "%s/%s", dir, name);
	return p;
}

/* Signs the PEM CSR with the test CA; the certificate as PEM (malloc'd). */
static char *sign_csr(const char *csr_pem, int other_key)
{
	BIO *b = BIO_new_mem_buf(csr_pem, -1);
	X509_REQ *req = PEM_read_bio_X509_REQ(b, NULL, NULL, NULL);
	FILE *f;
	X509 *ca, *cert = X509_new();
	EVP_PKEY *ca_key, *pub;
	BIO *out = BIO_new(BIO_s_mem());
	char *data, *pem;
	long len;

	BIO_free(b);
	if (req == NULL)
		return NULL;
	f = fopen(path_in("ca.pem"), "r");
	ca = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	f = fopen(path_in("ca.key"), "r");
	ca_key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	pub = other_key ? EVP_EC_gen("P-256") : X509_REQ_get_pubkey(req);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), (long)getpid());
	X509_set_version(cert, 2);
	X509_set_subject_name(cert, X509_REQ_get_subject_name(req));
	X509_set_issuer_name(cert, X509_get_subject_name(ca));
	X509_gmtime_adj(X509_getm_notBefore(cert), -60);
	X509_gmtime_adj(X509_getm_notAfter(cert), 30L * 86400);
	X509_set_pubkey(cert, pub);
	X509_sign(cert, ca_key, EVP_sha256());
	PEM_write_bio_X509(out, cert);
	len = BIO_get_mem_data(out, &data);
	pem = strndup(data, (size_t)len);
	BIO_free(out);
	EVP_PKEY_free(pub);
	EVP_PKEY_free(ca_key);
	X509_free(ca);
	X509_free(cert);
	X509_REQ_free(req);
	return pem;
}

/* One request: reads headers and a Content-Length body, answers. */
static void serve_one(SSL *ssl)
{
	char buf[65536], *body, *answer = NULL, reply[70000];
	size_t got = 0;
	long clen = -1;
	int status = 200;
	json_t *req;
	const char *secret;

	for (;;) {
		int n = SSL_read(ssl, buf + got, (int)(sizeof(buf) - 1 - got));
		char *end, *cl;

		if (n <= 0)
			return;
		got += (size_t)n;
		buf[got] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (end == NULL)
			continue;
		cl = strcasestr(buf, "content-length:");
		clen = cl ? strtol(cl + 15, NULL, 10) : 0;
		if ((long)(got - (size_t)(end + 4 - buf)) >= clen)
			break;
	}
	body = strstr(buf, "\r\n\r\n") + 4;
	req = json_loadb(body, (size_t)clen, 0, NULL);
	secret = json_string_value(json_object_get(req, "secret"));
	if (strncmp(buf, "POST /v1/reports ", 17) == 0) {
		/* a device is its verified certificate */
		X509 *peer = SSL_get1_peer_certificate(ssl);

		status = peer != NULL && SSL_get_verify_result(ssl) == X509_V_OK ? 202 : 401;
		answer = strdup(status == 202 ? "{}" : "{\"error\":\"no client certificate\"}");
		X509_free(peer);
	} else if (strncmp(buf, "GET /v1/policy ", 15) == 0) {
		status = 404;
		answer = strdup("{\"error\":\"no policy published\"}");
	} else if (strncmp(buf, "POST /v1/enroll ", 16) != 0) {
		status = 404;
		answer = strdup("{\"error\":\"no such endpoint\"}");
	} else if (secret == NULL && json_string_value(json_object_get(req, "csr")) != NULL) {
		/* a renewal: no secret, the current certificate instead */
		X509 *peer = SSL_get1_peer_certificate(ssl);

		if (peer != NULL && SSL_get_verify_result(ssl) == X509_V_OK) {
			char *cert = sign_csr(json_string_value(json_object_get(req, "csr")), 0);
			char *ca = tu_slurp(path_in("ca.pem"));
			char *pk = tu_slurp(path_in("policy.pub"));
			json_t *a = json_pack("{s:s, s:s, s:s}", "certificate", cert ? cert : "",
			                      "ca", ca, "policy_key", pk);

			answer = json_dumps(a, JSON_COMPACT);
			json_decref(a);
			free(cert);
			free(ca);
			free(pk);
		} else {
			status = 401;
			answer = strdup("{\"error\":\"renewal needs the current certificate\"}");
		}
		X509_free(peer);
	} else if (secret == NULL ||
	           (strcmp(secret, "s3cret") != 0 && strcmp(secret, "other-key") != 0 &&
	            strcmp(secret, "rsa-policy-key") != 0)) {
		status = 401;
		answer = strdup("{\"error\":\"invalid enrollment secret\"}");
	} else {
		int other = strcmp(secret, "other-key") == 0;
		char *cert = sign_csr(json_string_value(json_object_get(req, "csr")), other);
		char *ca = tu_slurp(path_in("ca.pem"));
		char *pk = tu_slurp(
		    path_in(strcmp(secret, "rsa-policy-key") == 0 ? "rsa.pub" : "policy.pub"));
		json_t *a = json_pack("{s:s, s:s, s:s}", "certificate", cert ? cert : "", "ca", ca,
		                      "policy_key", pk);

		answer = json_dumps(a, JSON_COMPACT);
		json_decref(a);
		free(cert);
		free(ca);
		free(pk);
	}
	snprintf(reply, sizeof(reply),
	         "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
	         "Connection: close\r\n\r\n%s",
	         status, strlen(answer), answer);
	SSL_write(ssl, reply, (int)strlen(reply));
	free(answer);
	json_decref(req);
}

static pid_t serve_enroll(int p)
{
	int fd = tu_listen_loopback(p);
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

		SSL_CTX_use_certificate_file(ctx, path_in("server.pem"), SSL_FILETYPE_PEM);
		SSL_CTX_use_PrivateKey_file(ctx, path_in("server.key"), SSL_FILETYPE_PEM);
		SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
		/* client certificates asked for, not required: enrollment has none */
		SSL_CTX_load_verify_locations(ctx, path_in("ca.pem"), NULL);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
		for (;;) {
			int c = accept(fd, NULL, NULL);
			SSL *ssl;

			if (c < 0)
				continue;
			ssl = SSL_new(ctx);
			SSL_set_fd(ssl, c);
			if (SSL_accept(ssl) == 1)
				serve_one(ssl);
			SSL_shutdown(ssl);
			SSL_free(ssl);
			close(c);
		}
	}
	close(fd);
	return pid;
}

static const char nginx_conf[] =
    "daemon off;\npid %1$s/nginx.pid;\nerror_log %1$s/nginx-error.log;\nevents {}\n"
    "http {\n  access_log %1$s/access.log;\n  client_body_buffer_size 1m;\n"
    "  client_body_temp_path %1$s/body;\n  proxy_temp_path %1$s/proxy;\n"
    "  server { listen 127.0.0.1:%2$d ssl http2;\n"
    "    ssl_certificate %1$s/server.pem; ssl_certificate_key %1$s/server.key;\n"
    "    ssl_client_certificate %1$s/ca.pem; ssl_verify_client on;\n"
    "    location = /v1/reports { proxy_pass http://unix:%1$s/up.sock:/ok; } }\n"
    "  server { listen unix:%1$s/up.sock; location = /ok { return 202; } }\n}\n";

static int setup(void **state)
{
	char cmd[4400];
	FILE *f;

	(void)state;
	dir = tu_mkdtemp();
	chmod(dir, 0755);
	snprintf(cmd, sizeof(cmd), "sh tests/tls/make-certs.sh %s", dir);
	assert_int_equal(system(cmd), 0);
	enroll_port = 24000 + (int)(getpid() % 4000) * 4;
	nginx_port = enroll_port + 1;
	server_pid = serve_enroll(enroll_port);
	f = fopen(path_in("nginx.conf"), "w");
	fprintf(f, nginx_conf, dir, nginx_port);
	fclose(f);
	nginx_pid = fork();
	if (nginx_pid == 0) {
		execlp("nginx", "nginx", "-q", "-c", path_in("nginx.conf"), "-p", dir,
		       (char *)NULL);
		_exit(127);
	}
	usleep(300000);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kill(server_pid, SIGKILL);
	waitpid(server_pid, NULL, 0);
	kill(nginx_pid, SIGTERM);
	waitpid(nginx_pid, NULL, 0);
	tu_rm_rf(dir);
	free(dir);
	return 0;
}

/* posture enroll with SECRET into a fresh state directory NAME. */
static int enroll(const char *name, const char *secret, const char *secret_file, char **err)
{
	char server[64], state_dir[4300], opt[4400];
	char *argv[12];
	int argc = 0;

	snprintf(server, sizeof(server), "https://localhost:%d", enroll_port);
	snprintf(state_dir, sizeof(state_dir), "%s/%s", dir, name);
	argv[argc++] = (char *)tu_posture();
	argv[argc++] = "enroll";
	argv[argc++] = "--config";
	argv[argc++] = "/dev/null";
	argv[argc++] = "--server";
	argv[argc++] = server;
	argv[argc++] = "--ca";
	argv[argc++] = path_in("ca.pem");
	argv[argc++] = "--state-dir";
	argv[argc++] = state_dir;
	if (secret != NULL)
		snprintf(opt, sizeof(opt), "--secret=%s", secret);
	else
		snprintf(opt, sizeof(opt), "--secret-file=%s", secret_file);
	argv[argc++] = opt;
	argv[argc] = NULL;
	return tu_run(argv, NULL, err);
}

static void wrong_secret(void **state)
{
	char *err = NULL, key[4300];

	(void)state;
	assert_int_equal(enroll("wrong", "guess", NULL, &err), 1);
	assert_true(tu_matches("^posture: error: enrollment failed: the collector refused the "
	                       "enrollment secret \\(HTTP 401: invalid enrollment secret\\)\n$",
	                       err));
	assert_null(strstr(err, "guess")); /* the secret is never printed */
	snprintf(key, sizeof(key), "%s/wrong/device.key", dir);
	assert_int_not_equal(access(key, F_OK), 0);
	free(err);
}

static void certificate_for_another_key(void **state)
{
	char *err = NULL;

	(void)state;
	assert_int_equal(enroll("other", "other-key", NULL, &err), 1);
	assert_true(tu_matches("enrollment failed: the collector sent a certificate for another "
	                       "key than this device's",
	                       err));
	free(err);
}

static void policy_key_not_ed25519(void **state)
{
	char *err = NULL;

	(void)state;
	assert_int_equal(enroll("rsa", "rsa-policy-key", NULL, &err), 1);
	assert_true(
	    tu_matches("enrollment failed: the collector's policy_key is not an Ed25519", err));
	free(err);
}

/* The secret from a file (as MDM drops it), removed after use; the key is
 * 0600 and matches the certificate by openssl's own reading; and the device
 * then delivers over mutual TLS with what it was given. */
static void enrolled_then_delivers(void **state)
{
	char *err = NULL, secret_file[4300], cmd[9000], conf[4300], text[2048];
	char *out = NULL;
	struct stat st;

	(void)state;
	snprintf(secret_file, sizeof(secret_file), "%s/enroll-secret", dir);
	tu_write(dir, "enroll-secret", "s3cret\n");
	assert_int_equal(enroll("good", NULL, secret_file, &err), 0);
	assert_true(tu_matches("^posture: enrolled with https://localhost:[0-9]+ as device "
	                       "[0-9a-f-]{36} \\(.*\\); certificate in .*/good/device.crt\n$",
	                       err));
	free(err);
	assert_int_not_equal(access(secret_file, F_OK), 0);
	assert_int_equal(stat(path_in("good/device.key"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(cmd, sizeof(cmd),
	         "test \"$(openssl x509 -in %1$s/good/device.crt -noout -pubkey)\" = "
	         "\"$(openssl pkey -in %1$s/good/device.key -pubout)\" && "
	         "openssl verify -CAfile %1$s/good/collector-ca.pem %1$s/good/device.crt "
	         ">/dev/null && cmp -s %1$s/good/policy-key.pem %1$s/policy.pub",
	         dir);
	assert_int_equal(system(cmd), 0);
	/* no [collector] ca: the CA that enrollment stored is the one trusted;
	 * the collector's reports endpoint is nginx, on another port */
	snprintf(text, sizeof(text),
	         "[collector]\nurl = https://localhost:%d\n[agent]\nstate_dir = %s/good\n",
	         nginx_port, dir);
	tu_write(dir, "good.ini", text);
	snprintf(conf, sizeof(conf), "%s/good.ini", dir);
	tu_write(dir, "policy.ini",
	         "[policy]\nname = enrolled\n[check.os]\ntype = os_version\ndebian = 12\n");
	{
		char *argv[] = {
			(char *)tu_posture(),  "run", "--once", "--config", conf, "--policy",
			path_in("policy.ini"), NULL
		};

		assert_int_equal(tu_run(argv, &out, &err), 0);
	}
	if (strstr(err, "delivered (HTTP 202); 0 waiting") == NULL)
		fprintf(stderr, "%s", err);
	assert_non_null(strstr(err, "delivered (HTTP 202); 0 waiting"));
	free(err);
	free(out);
}

/*
 * posture run on a device that is not enrolled, with a secret file dropped
 * by MDM: it enrolls by itself, removes the secret, and delivers its first
 * report with the new certificate.
 */
static void service_enrolls_by_itself(void **state)
{
	char conf[4300], text[2048], logpath[4300], secret_file[4300];
	pid_t pid;
	int delivered = 0;

	(void)state;
	mkdir(path_in("auto"), 0700);
	snprintf(secret_file, sizeof(secret_file), "%s/auto/enroll-secret", dir);
	tu_write(dir, "auto/enroll-secret", "s3cret\n");
	snprintf(text, sizeof(text),
	         "[collector]\nurl = https://localhost:%d\nca = %s/ca.pem\n"
	         "enroll_secret_file = %s\n[agent]\nstate_dir = %s/auto/state\n"
	         "status_socket = %s/auto/s.sock\n",
	         enroll_port, dir, secret_file, dir, dir);
	tu_write(dir, "auto/posture.ini", text);
	tu_write(dir, "auto/policy.ini",
	         "[policy]\nname = auto\n[check.os]\ntype = os_version\ndebian = 12\n");
	snprintf(conf, sizeof(conf), "%s/auto/posture.ini", dir);
	snprintf(logpath, sizeof(logpath), "%s/auto/agent.log", dir);
	pid = fork();
	if (pid == 0) {
		int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);

		dup2(fd, 2);
		execl(tu_posture(), tu_posture(), "run", "--config", conf, "--policy",
		      path_in("auto/policy.ini"), (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 1000 && !delivered; i++) {
		char *log = tu_slurp(logpath);

		delivered = strstr(log, "delivered (HTTP 202); 0 waiting") != NULL;
		free(log);
		if (!delivered)
			usleep(10000);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	{
		char *log = tu_slurp(logpath);

		if (!delivered)
			fprintf(stderr, "%s", log);
		assert_true(delivered);
		assert_true(
		    tu_matches("not enrolled: enrolling with https://localhost:[0-9]+ using "
		               "the secret in .*/auto/enroll-secret",
		               log));
		assert_true(
		    tu_matches("posture: enrolled with https://localhost:[0-9]+ as device", log));
		assert_null(strstr(log, "s3cret"));
		free(log);
	}
	assert_int_not_equal(access(secret_file, F_OK), 0);
	assert_int_equal(access(path_in("auto/state/device.crt"), F_OK), 0);
}

/*
 * A device whose certificate is in the last third of its validity (made by
 * openssl ca: 29 of 30 days gone) renews it with the current certificate, no
 * secret: a new key and a certificate that openssl verifies, valid for the
 * full period again.
 */
static void certificate_renewed_before_expiry(void **state)
{
	char cmd[9000], text[2048], conf[4300], logpath[4300], start[32], end[32];
	time_t now = time(NULL), t;
	struct tm tm;
	pid_t pid;
	int renewed = 0;

	(void)state;
	mkdir(path_in("renew"), 0700);
	mkdir(path_in("renew/state"), 0700);
	t = now - 29 * 86400;
	gmtime_r(&t, &tm);
	strftime(start, sizeof(start), "%Y%m%d%H%M%SZ", &tm);
	t = now + 86400;
	gmtime_r(&t, &tm);
	strftime(end, sizeof(end), "%Y%m%d%H%M%SZ", &tm);
	snprintf(
	    cmd, sizeof(cmd),
	    "cd %1$s && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	    "-keyout renew/state/device.key -out renew.csr -subj /CN=renewing 2>/dev/null && "
	    "openssl ca -batch -config ca-db/ca.cnf -cert ca.pem -keyfile ca.key -in renew.csr "
	    "-out renew/state/device.crt -startdate %2$s -enddate %3$s -notext 2>/dev/null",
	    dir, start, end);
	assert_int_equal(system(cmd), 0);
	snprintf(text, sizeof(text),
	         "[collector]\nurl = https://localhost:%d\nca = %s/ca.pem\n[agent]\n"
	         "state_dir = %s/renew/state\nstatus_socket = %s/renew/s.sock\n",
	         enroll_port, dir, dir, dir);
	tu_write(dir, "renew/posture.ini", text);
	tu_write(dir, "renew/policy.ini",
	         "[policy]\nname = renew\n[check.os]\ntype = os_version\ndebian = 12\n");
	snprintf(conf, sizeof(conf), "%s/renew/posture.ini", dir);
	snprintf(logpath, sizeof(logpath), "%s/renew/agent.log", dir);
	pid = fork();
	if (pid == 0) {
		int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);

		dup2(fd, 2);
		execl(tu_posture(), tu_posture(), "run", "--config", conf, "--policy",
		      path_in("renew/policy.ini"), (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 1000 && !renewed; i++) {
		char *log = tu_slurp(logpath);

		renewed = strstr(log, "certificate renewed") != NULL;
		free(log);
		if (!renewed)
			usleep(10000);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	if (!renewed) {
		char *log = tu_slurp(logpath);

		fprintf(stderr, "%s", log);
		free(log);
	}
	assert_true(renewed);
	/* openssl: the new certificate is for the new key, verifies, and runs
	 * for about 30 days from now (-checkend 25 days) */
	snprintf(cmd, sizeof(cmd),
	         "cd %1$s/renew/state && test \"$(openssl x509 -in device.crt -noout -pubkey)\" = "
	         "\"$(openssl pkey -in device.key -pubout)\" && openssl verify -CAfile %1$s/ca.pem "
	         "device.crt >/dev/null && openssl x509 -in device.crt -noout -checkend 2160000 "
	         ">/dev/null",
	         dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wrong_secret),
		cmocka_unit_test(certificate_for_another_key),
		cmocka_unit_test(policy_key_not_ed25519),
		cmocka_unit_test(enrolled_then_delivers),
		cmocka_unit_test(service_enrolls_by_itself),
		cmocka_unit_test(certificate_renewed_before_expiry),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
