/*
 * serve: the collector's HTTPS server, libh2o on libuv (HTTP/1.1 and HTTP/2
 * over TLS 1.2+), routing the contract's device endpoints to the modules
 * that do the work (enroll.c, reportin.c and store.c).
 *
 * A device is its certificate. h2o keeps the OpenSSL connection private, but
 * its read BIO is h2o's own and carries the h2o socket as its data, so the
 * verify callback records, per socket, the leaf certificate that OpenSSL
 * verified against the collector's CA; handlers look it up through the
 * connection's socket, and the record goes when the socket closes. Reports are committed to the
 * store before their 2xx is sent.
 */
#include "serve.h"

#include <errno.h>
#include <h2o.h>
#include <jansson.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "enroll.h"
#include "reportin.h"
#include "store.h"

#define MAX_BODY (1u << 20)

/* the verified client certificate of one TLS connection */
struct peer {
	h2o_socket_t *sock;
	X509 *cert;
	struct peer *next;
};

struct server {
	h2o_globalconf_t config;
	h2o_context_t ctx;
	h2o_accept_ctx_t accept_ctx;
	SSL_CTX *ssl;
	uv_loop_t *loop;
	uv_tcp_t listener;
	uv_signal_t sigterm, sigint;
	uv_timer_t grace;
	struct store *store;
	struct enroll_ctx enroll;
	const char *dir;
	struct peer *peers;
	unsigned long requests;
};

static struct server *the_server; /* the verify callback has no user pointer */

#if defined(__SANITIZE_ADDRESS__)
/* libh2o's context lives until exit (see serve_run); LeakSanitizer should
 * report only what is ours */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libh2o.so\n";
}
#endif

/* Drops every record of SOCK: when it closes, and when a new socket is
 * given the address of an old one, so that no connection can inherit
 * another's certificate. */
static void peer_forget(void *data)
{
	h2o_socket_t *sock = data;
	struct peer **pp = &the_server->peers;

	while (*pp != NULL) {
		struct peer *p = *pp;

		if (p->sock == sock) {
			*pp = p->next;
			X509_free(p->cert);
			free(p);
		} else {
			pp = &p->next;
		}
	}
}

static X509 *peer_of(h2o_req_t *req)
{
	h2o_socket_t *sock =
	    req->conn->callbacks->get_socket ? req->conn->callbacks->get_socket(req->conn) : NULL;

	for (struct peer *p = the_server->peers; p != NULL; p = p->next)
		if (p->sock == sock)
			return p->cert;
	return NULL;
}

static int on_verify(int ok, X509_STORE_CTX *store_ctx)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(store_ctx, SSL_get_ex_data_X509_STORE_CTX_idx());
	BIO *rbio = ssl ? SSL_get_rbio(ssl) : NULL;
	/* h2o's own BIO carries its socket (lib/common/socket.c, setup_bio) */
	h2o_socket_t *sock = rbio ? BIO_get_data(rbio) : NULL;
	X509 *cert = X509_STORE_CTX_get_current_cert(store_ctx);
	struct peer *p;

	/* a certificate that does not verify ends the handshake */
	if (!ok)
		return 0;
	if (X509_STORE_CTX_get_error_depth(store_ctx) != 0 || sock == NULL || cert == NULL)
		return 1;
	peer_forget(sock); /* one record per connection */
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return 0;
	X509_up_ref(cert);
	p->sock = sock;
	p->cert = cert;
	p->next = the_server->peers;
	the_server->peers = p;
	sock->on_close.cb = peer_forget;
	sock->on_close.data = sock;
	return 1;
}

static int respond(h2o_req_t *req, int status, const char *reason, const char *json)
{
	req->res.status = status;
	req->res.reason = reason;
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
	               H2O_STRLIT("application/json"));
	h2o_send_inline(req, json, strlen(json));
	return 0;
}

static int respond_error(h2o_req_t *req, int status, const char *reason, const char *why)
{
	json_t *doc = json_pack("{s:s}", "error", why);
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	int rc = respond(req, status, reason, text ? text : "{}");

	free(text);
	json_decref(doc);
	return rc;
}

static const char *reason_of(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	default:
		return "Internal Server Error";
	}
}

static int is_method(h2o_req_t *req, const char *m)
{
	return h2o_memis(req->method.base, req->method.len, m, strlen(m));
}

static int on_enroll(h2o_handler_t *self, h2o_req_t *req)
{
	char *answer = NULL;
	int status = 500, rc;

	(void)self;
	if (!is_method(req, "POST"))
		return respond_error(req, 405, "Method Not Allowed", "use POST");
	enroll_handle(&the_server->enroll, req->entity.base ? req->entity.base : "",
	              req->entity.len, peer_of(req), &status, &answer);
	rc = respond(req, status, reason_of(status), answer ? answer : "{}");
	free(answer);
	return rc;
}

static int on_reports(h2o_handler_t *self, h2o_req_t *req)
{
	X509 *peer = peer_of(req);
	struct report_in r;
	char cn[128] = "", err[512];
	int duplicate = 0;

	(void)self;
	if (!is_method(req, "POST"))
		return respond_error(req, 405, "Method Not Allowed", "use POST");
	if (peer == NULL || X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName,
	                                              cn, (int)sizeof(cn)) <= 0)
		return respond_error(req, 401, "Unauthorized",
		                     "a device certificate from this collector's CA is required");
	if (store_device_revoked(the_server->store, cn) == 1)
		return respond_error(req, 403, "Forbidden", "this device's certificate is revoked");
	if (reportin_parse(req->entity.base ? req->entity.base : "", req->entity.len, &r, err,
	                   sizeof(err)) != 0)
		return respond_error(req, 400, "Bad Request", err);
	if (store_add_report(the_server->store, cn, &r, req->entity.base, req->entity.len,
	                     &duplicate, err, sizeof(err)) != 0) {
		reportin_free(&r);
		fprintf(stderr, "posture-collector: error: %s\n", err);
		return respond_error(req, 500, "Internal Server Error", "the store failed");
	}
	reportin_free(&r);
	/* the commit is durable: now, and only now, the 2xx */
	return duplicate ? respond(req, 200, "OK", "{\"stored\":\"already\"}")
	                 : respond(req, 201, "Created", "{\"stored\":\"now\"}");
}

static int on_policy(h2o_handler_t *self, h2o_req_t *req)
{
	char path[4200], etag[64];
	json_t *doc;
	char *text;
	ssize_t inm;
	int rc;

	(void)self;
	if (!is_method(req, "GET"))
		return respond_error(req, 405, "Method Not Allowed", "use GET");
	snprintf(path, sizeof(path), "%s/policy.json", the_server->dir);
	doc = json_load_file(path, 0, NULL);
	if (!json_is_integer(json_object_get(doc, "version"))) {
		json_decref(doc);
		return respond_error(req, 404, "Not Found", "no policy has been published");
	}
	snprintf(etag, sizeof(etag), "\"v%" JSON_INTEGER_FORMAT "\"",
	         json_integer_value(json_object_get(doc, "version")));
	inm = h2o_find_header(&req->headers, H2O_TOKEN_IF_NONE_MATCH, -1);
	if (inm != -1 && h2o_memis(req->headers.entries[inm].value.base,
	                           req->headers.entries[inm].value.len, etag, strlen(etag))) {
		json_decref(doc);
		req->res.status = 304;
		req->res.reason = "Not Modified";
		/* h2o keeps header values by reference: they must live in the pool */
		h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ETAG, NULL,
		               h2o_strdup(&req->pool, etag, strlen(etag)).base, strlen(etag));
		h2o_send_inline(req, "", 0);
		return 0;
	}
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ETAG, NULL,
	               h2o_strdup(&req->pool, etag, strlen(etag)).base, strlen(etag));
	rc = respond(req, 200, "OK", text ? text : "{}");
	free(text);
	return rc;
}

static void on_accept(uv_stream_t *listener, int status)
{
	h2o_socket_t *sock;
	uv_tcp_t *conn;

	if (status != 0)
		return;
	conn = h2o_mem_alloc(sizeof(*conn));
	uv_tcp_init(listener->loop, conn);
	if (uv_accept(listener, (uv_stream_t *)conn) != 0) {
		uv_close((uv_handle_t *)conn, (uv_close_cb)free);
		return;
	}
	sock = h2o_uv_socket_create((uv_stream_t *)conn, (uv_close_cb)free);
	peer_forget(sock); /* a new connection starts with no certificate */
	h2o_accept(&the_server->accept_ctx, sock);
}

static void on_grace_over(uv_timer_t *t)
{
	uv_stop(t->loop);
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct server *s = h->data;

	fprintf(stderr, "posture-collector: %s: stopping\n",
	        signum == SIGTERM ? "SIGTERM" : "SIGINT");
	uv_close((uv_handle_t *)&s->listener, NULL);
	/* requests in flight get a second to finish; idle connections close */
	h2o_context_request_shutdown(&s->ctx);
	uv_close((uv_handle_t *)&s->sigterm, NULL);
	uv_close((uv_handle_t *)&s->sigint, NULL);
	uv_timer_init(s->loop, &s->grace);
	s->grace.data = s;
	uv_timer_start(&s->grace, on_grace_over, 1000, 0);
}

static void register_handler(h2o_hostconf_t *host, const char *path,
                             int (*on_req)(h2o_handler_t *, h2o_req_t *))
{
	h2o_pathconf_t *pc = h2o_config_register_path(host, path, 0);
	h2o_handler_t *h = h2o_create_handler(pc, sizeof(*h));

	h->on_req = on_req;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL)
		return NULL;
	buf = calloc(1, 1 << 16);
	n = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

int serve_run(const char *dir, const char *listen_addr, char *err, size_t err_len)
{
	struct server s;
	h2o_hostconf_t *host;
	char path[4200], host_part[256];
	struct sockaddr_storage addr;
	int port, rc = -1;
	const char *colon = strrchr(listen_addr, ':');
	FILE *f;

	memset(&s, 0, sizeof(s));
	the_server = &s;
	s.dir = dir;
	signal(SIGPIPE, SIG_IGN);
	port = colon ? (int)strtol(colon + 1, NULL, 10) : 0;
	if (port <= 0 || port > 65535) {
		snprintf(err, err_len, "--listen must be ADDRESS:PORT");
		return -1;
	}
	snprintf(host_part, sizeof(host_part), "%.*s", (int)(colon - listen_addr), listen_addr);
	if (uv_ip4_addr(host_part, port, (struct sockaddr_in *)&addr) != 0 &&
	    uv_ip6_addr(host_part, port, (struct sockaddr_in6 *)&addr) != 0) {
		snprintf(err, err_len, "--listen: %s is not an IP address", host_part);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/collector.db", dir);
	if (store_open_sqlite(path, 0, &s.store, err, err_len) != 0)
		return -1;
	/* what enrollment signs with and hands out */
	snprintf(path, sizeof(path), "%s/ca.pem", dir);
	f = fopen(path, "r");
	s.enroll.ca = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	if (f)
		fclose(f);
	snprintf(path, sizeof(path), "%s/ca.key", dir);
	f = fopen(path, "r");
	s.enroll.ca_key = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	if (f)
		fclose(f);
	snprintf(path, sizeof(path), "%s/ca.pem", dir);
	s.enroll.ca_pem = slurp(path);
	snprintf(path, sizeof(path), "%s/policy.pub", dir);
	s.enroll.policy_pub_pem = slurp(path);
	s.enroll.store = s.store;
	s.enroll.cert_days = 90;
	if (s.enroll.ca == NULL || s.enroll.ca_key == NULL || s.enroll.ca_pem == NULL ||
	    s.enroll.policy_pub_pem == NULL) {
		snprintf(err, err_len,
		         "%s is not a collector data directory (posture-collector init)", dir);
		goto out;
	}
	/* TLS 1.2+, modern ciphers, client certificates asked for (enrollment
	 * comes without one) and verified against the CA */
	s.ssl = SSL_CTX_new(TLS_server_method());
	SSL_CTX_set_min_proto_version(s.ssl, TLS1_2_VERSION);
	SSL_CTX_set_cipher_list(s.ssl, "ECDHE+AESGCM:ECDHE+CHACHA20");
	SSL_CTX_set_options(s.ssl, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
	snprintf(path, sizeof(path), "%s/server.pem", dir);
	if (SSL_CTX_use_certificate_chain_file(s.ssl, path) != 1) {
		snprintf(err, err_len, "cannot load %s", path);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/server.key", dir);
	if (SSL_CTX_use_PrivateKey_file(s.ssl, path, SSL_FILETYPE_PEM) != 1) {
		snprintf(err, err_len, "cannot load %s", path);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/ca.pem", dir);
	SSL_CTX_load_verify_locations(s.ssl, path, NULL);
	SSL_CTX_set_verify(s.ssl, SSL_VERIFY_PEER, on_verify);
	h2o_ssl_register_alpn_protocols(s.ssl, h2o_http2_alpn_protocols);

	h2o_config_init(&s.config);
	s.config.max_request_entity_size = MAX_BODY;
	host = h2o_config_register_host(&s.config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
	register_handler(host, "/v1/enroll", on_enroll);
	register_handler(host, "/v1/reports", on_reports);
	register_handler(host, "/v1/policy", on_policy);
	s.loop = uv_default_loop();
	h2o_context_init(&s.ctx, s.loop, &s.config);
	s.accept_ctx.ctx = &s.ctx;
	s.accept_ctx.hosts = s.config.hosts;
	s.accept_ctx.ssl_ctx = s.ssl;
	uv_tcp_init(s.loop, &s.listener);
	if (uv_tcp_bind(&s.listener, (struct sockaddr *)&addr, 0) != 0 ||
	    uv_listen((uv_stream_t *)&s.listener, 128, on_accept) != 0) {
		snprintf(err, err_len, "cannot listen on %s: %s", listen_addr, strerror(errno));
		goto out;
	}
	uv_signal_init(s.loop, &s.sigterm);
	uv_signal_init(s.loop, &s.sigint);
	s.sigterm.data = s.sigint.data = &s;
	uv_signal_start(&s.sigterm, on_signal, SIGTERM);
	uv_signal_start(&s.sigint, on_signal, SIGINT);
	fprintf(stderr, "posture-collector: serving %s on https://%s\n", dir, listen_addr);
	uv_run(s.loop, UV_RUN_DEFAULT);
	/* h2o 2.2's context cannot be disposed while any connection lingers
	 * (it asserts), so the process ends with it; what is ours is freed */
	rc = 0;
out:
	while (s.peers != NULL) {
		struct peer *p = s.peers;

		s.peers = p->next;
		X509_free(p->cert);
		free(p);
	}
	SSL_CTX_free(s.ssl);
	store_close(s.store);
	X509_free(s.enroll.ca);
	EVP_PKEY_free(s.enroll.ca_key);
	free((char *)s.enroll.ca_pem);
	free((char *)s.enroll.policy_pub_pem);
	return rc;
}
