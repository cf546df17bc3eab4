/* SPDX-License-Identifier: Apache-2.0 */
/*
 * serve: the collector's HTTPS server, libh2o on libuv (HTTP/1.1 and HTTP/2
 * over TLS 1.2+), routing the contract's endpoints to the modules that do
 * the work (enroll.c, reportin.c, store.c, fleet.c).
 *
 * A device is its certificate. h2o keeps the OpenSSL connection private, but
 * its read BIO is h2o's own and carries the h2o socket as its data, so when
 * a handshake is done (a full one, or a resumed session's) the info
 * callback records, per socket, the leaf certificate that OpenSSL verified
 * against the collector's CA; handlers look it up through the connection's
 * socket, and the record goes when the socket closes.
 *
 * Reports are checked on the loop and then handed to one writer thread
 * with its own store connection. The writer takes every report that queued
 * while it was busy and commits them together (group commit: one fsync for
 * all), then wakes the loop, which answers each request: its 2xx is sent
 * only after the commit that holds it returned. A request whose client left
 * meanwhile is forgotten (its pool's dispose callback marks it).
 */
#include "serve.h"
#include "attrs.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <h2o.h>
#include <h2o/http1.h>
#include <h2o/http2.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "contract.h"
#include "dashboard.h"
#include "diag.h"
#include "enroll.h"
#include "feeds.h"
#include "fleet.h"
#include "lifecycle.h"
#include "webhooks.h"
#include "oidc.h"
#include "syslogfwd.h"
#include "admin.h"
#include "pki.h"
#include "policy.h"
#include "reportin.h"
#include "store.h"
#include "timefmt.h"

#define MAX_BODY (1u << 20)
/* how long the store's pages are checked before serving */
#define STORE_CHECK_MS 30000
#define MAX_BATCH 256
#define RATE_BUCKETS 4096
#define PEER_BUCKETS 4096

/* the verified client certificate of one TLS connection, and its subject's
 * common name (the device id; empty when it has none), read once */
struct peer {
	h2o_socket_t *sock;
	X509 *cert;
	char cn[128];
	struct peer *next;
};

/* a report between its request and its answer */
/* a browser back from the issuer, its code to exchange off the loop */
struct oidc_job {
	h2o_req_t *req;
	struct oidc_job **back; /* in the request's pool: cleared when it goes */
	char code[1024], verifier[65], nonce[65], addr[64];
	int rc; /* oidc_finish's */
	char role[16], actor[192], err[512];
	struct oidc_job *next;
};

struct pending {
	h2o_req_t *req;
	struct pending **back; /* in the request's pool: cleared when it goes */
	char device_id[128];
	struct report_in report;
	char *body;
	size_t body_len;
	double began; /* when its batch's commit began (monotonic seconds) */
	struct store_item item;
	char *refused; /* the writer found the body no report: why (a 400) */
	int future;    /* refused: dated too far ahead of the collector's clock */
	struct pending *next;
};

/* every open connection, from accept to close: what the sweep (once a
 * second) needs to cut the ones that outstay their welcome */
struct conn_rec {
	h2o_socket_t *sock;
	uv_tcp_t *tcp;
	uint64_t accepted_ms;
	int handshaken, authenticated, cut;
	struct conn_rec *prev, *next;
};

/* Connections without a client certificate (enrollment, the dashboard,
 * anyone) may send bodies of ANON_MAX_BODY bytes at most, stay
 * ANON_LIFETIME_MS at most, and be ANON_MAX_CONNS at a time: what they can
 * make the collector hold is bounded (h2o 2.2 buffers every stream's body
 * before a handler sees it, up to 100 streams a connection). */
#define ANON_MAX_BODY (32u << 10)
#define ANON_MAX_CONNS 64
#define ANON_LIFETIME_MS 60000
#define HANDSHAKE_MS 10000
#define MAX_CONNS 16384

/* the check ids of a published policy: a report that names the policy's
 * sha256 must carry exactly these (reportin_check_ids). Kept until exit:
 * policies are published rarely, and a writer may hold one while the next
 * is made */
struct policy_ids {
	char sha256[65];
	char **ids; /* sorted */
	size_t n;
	struct policy_ids *older;
};

/* a per-device token bucket */
struct rate {
	char device_id[128];
	double tokens;
	uint64_t at_ms;
	struct rate *next;
};

/* recent failed attempts (enrollment secrets, dashboard sign-ins) from
 * one address; SCORE decays by one every FAIL_DECAY_MS */
struct failure {
	char addr[64];
	double score;
	uint64_t at_ms;
	struct failure *next;
};

#define FAIL_BUCKETS 1024
#define FAIL_MAX_TRACKED 16384
#define FAIL_LIMIT 10
#define FAIL_DECAY_MS 6000

/* a signed-in dashboard session (the cookie holds its random id) */
#define SESSION_MS (12ull * 3600 * 1000)
#define COOKIE "posture_session"
/* the OpenID Connect sign-in's state, for the browser's return */
#define OIDC_COOKIE "posture_oidc"
#define OIDC_LOGIN_SECONDS 600
#define OIDC_MAX_PENDING 10000
/* what API tokens start with (posture-collector token add) */
#define TOKEN_PREFIX "posture_"

#define N_LATENCY_BUCKETS 12
static const double latency_bounds[N_LATENCY_BUCKETS] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
	                                                  0.05,   0.1,   0.25,   0.5,   1,    2.5 };

struct metrics {
	unsigned long long stored, duplicate, enrolled, enroll_refused, policy_served, feeds_served,
	    login_refused, throttled;
	unsigned long long rejected_bad_request, rejected_no_certificate, rejected_revoked,
	    rejected_rate_limited, rejected_store_error, rejected_future;
	/* written by the writer under the queue's mutex */
	unsigned long long commits, commit_buckets[N_LATENCY_BUCKETS];
	double commit_seconds;
	unsigned long long batched_reports;
};

/* one writer thread and its store connection */
struct writer_thread {
	struct server *server;
	struct store *store;
	pthread_t thread;
};

/* SQLite takes one writer at a time; PostgreSQL commits several batches at
 * once, each on its own connection */
#define PG_WRITERS 4

struct writer {
	struct writer_thread threads[PG_WRITERS];
	int n_threads;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pending *queue, **queue_tail; /* loop -> writer */
	struct pending *done, **done_tail;   /* writer -> loop */
	uv_async_t wake;
	int stop, started;
	/* SQLite: a thread of its own copies the WAL back into the database
	 * (a checkpoint), so the writer, which every report waits for, never
	 * does; the writer wakes it when the WAL has grown CHECKPOINT_PAGES */
	struct store *checkpoint_store;
	pthread_t checkpointer;
	pthread_cond_t checkpoint_cv;
	int checkpoint_due, checkpointing;
	/* SQLite: the writer's commits do not wait for the disk; a thread of
	 * their own fsyncs the WAL for every batch committed meanwhile (one
	 * fsync for several batches), and only then are they answered, while
	 * the writer is storing the next */
	struct pending *committed, **committed_tail; /* writer -> syncer */
	pthread_t syncer;
	pthread_cond_t sync_cv;
	int syncing, sync_stop;
};

/* SQLite's own default for checkpointing after a commit: 1000 pages (4 MB) */
#define CHECKPOINT_PAGES 4000

struct server {
	h2o_globalconf_t config; /* connections with a verified client certificate */
	h2o_context_t ctx;
	h2o_accept_ctx_t accept_ctx;
	h2o_globalconf_t anon_config; /* and without one */
	h2o_context_t anon_ctx;
	h2o_accept_ctx_t anon_accept_ctx;
	struct conn_rec *conns;
	size_t n_conns, n_anon, peak_conns;
	uv_timer_t sweep;
	SSL_CTX *ssl;
	uv_loop_t *loop;
	uv_tcp_t listener;
	uv_signal_t sigterm, sigint;
	uv_timer_t grace;
	struct store *store; /* the loop's: enrollment, policy, fleet */
#ifdef POSTURE_BENCH_ANSWER_AFTER
	void *bench_pack; /* the bench's stage 3 compresses on the loop */
#endif
	struct writer writer;
	struct enroll_ctx enroll;
	const struct serve_options *opt;
	struct peer *peers[PEER_BUCKETS]; /* by socket: every request looks */
	char admin_token[128];
	json_t *policy; /* the newest signed policy, read at most once a second */
	uint64_t policy_at_ms;
	struct policy_ids *known; /* its check ids (writers read it under writer.mu) */
	struct rate *rates[RATE_BUCKETS];
	struct failure *failures[FAIL_BUCKETS];
	size_t n_failures;
	double log_tokens;   /* lines about refusals the log may take now */
	double audit_tokens; /* refused sign-ins the audit trail may take now */
	uint64_t audit_at_ms;
	unsigned long audit_suppressed;
	uint64_t log_at_ms;
	unsigned long log_suppressed;
	struct metrics m;
	/* what an unauthenticated flood could make expensive is made at most
	 * once a second and served from here: the device gauges of /metrics
	 * (a fleet summary) and the signed CRL */
	long long gauges[4]; /* active, noncompliant, stale, revoked; -1 unread */
	uint64_t gauges_at_ms;
	unsigned char *crl;
	int crl_len;
	uint64_t crl_at_ms;
	uv_tcp_t metrics_listener;
	int metrics_port; /* 0: no metrics listener */
	/* GET /v1/feeds' body, rebuilt when the store's feeds move (read at
	 * most once a second) */
	char *feeds_body;
	size_t feeds_len;
	long long feeds_mark;
	/* the scheduled `feed fetch` (feeds.ini), on a thread of its own */
	pthread_t feeder;
	pthread_mutex_t feeder_mu;
	pthread_cond_t feeder_cv;
	int feeder_started, feeder_stop; /* feeder_stop stops the pruner too */
	/* the data lifecycle, a pass an hour, on a thread of its own */
	pthread_t pruner;
	int pruner_started;
	/* webhook deliveries, on a thread of their own */
	pthread_t deliverer;
	int deliverer_started;
	/* OpenID Connect: discovery and token exchanges on a thread of their
	 * own (the issuer may be slow; the loop never waits for it) */
	struct oidc *oidc;
	pthread_t oidc_thread;
	int oidc_started;
	uv_async_t oidc_wake;
	struct oidc_job *oidc_todo, *oidc_done;
	unsigned long in_flight;
	int stopping;
	uint64_t stop_deadline_ms;
};

static struct server *the_server; /* the TLS info callback has no user pointer */

#if defined(__SANITIZE_ADDRESS__)
/* libh2o's context lives until exit (see serve_run); LeakSanitizer should
 * report only what is ours */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libh2o.so\n";
}
#endif

/* where SOCK's record is kept among the PEER_BUCKETS lists */
static size_t peer_bucket(const h2o_socket_t *sock)
{
	uint64_t v = (uint64_t)(uintptr_t)sock;

	v ^= v >> 29;
	v *= 0x9e3779b97f4a7c15ull;
	return (size_t)(v >> 40) & (PEER_BUCKETS - 1);
}

/* Drops every record of SOCK: when it closes, and when a new socket is
 * given the address of an old one, so that no connection can inherit
 * another's certificate. */
static void peer_forget(void *data)
{
	h2o_socket_t *sock = data;
	struct peer **pp = &the_server->peers[peer_bucket(sock)];

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

/* The record of the connection REQ came on, or NULL (no verified
 * certificate). */
static const struct peer *peer_of(h2o_req_t *req)
{
	h2o_socket_t *sock =
	    req->conn->callbacks->get_socket ? req->conn->callbacks->get_socket(req->conn) : NULL;

	if (sock == NULL)
		return NULL;
	for (struct peer *p = the_server->peers[peer_bucket(sock)]; p != NULL; p = p->next)
		if (p->sock == sock)
			return p;
	return NULL;
}

static X509 *peer_cert(h2o_req_t *req)
{
	const struct peer *p = peer_of(req);

	return p ? p->cert : NULL;
}

/* When a handshake is done, the connection's verified certificate is
 * recorded: the one just verified, or, when the client resumed a session
 * (TLS 1.2 session id, TLS 1.3 ticket), the one verified when the session
 * began, which OpenSSL keeps in it (no verify callback runs then). */
static void on_tls_info(const SSL *ssl, int where, int ret)
{
	BIO *rbio = SSL_get_rbio(ssl);
	/* h2o's own BIO carries its socket (lib/common/socket.c, setup_bio) */
	h2o_socket_t *sock = rbio ? BIO_get_data(rbio) : NULL;
	X509 *cert;
	struct peer *p;
	size_t b;

	(void)ret;
	if (!(where & SSL_CB_HANDSHAKE_DONE) || sock == NULL)
		return;
	cert = SSL_get0_peer_certificate(ssl);
	peer_forget(sock); /* one record per connection */
	if (cert == NULL || SSL_get_verify_result(ssl) != X509_V_OK)
		return;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return;
	X509_up_ref(cert);
	p->sock = sock;
	p->cert = cert;
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, p->cn,
	                              (int)sizeof(p->cn)) <= 0)
		p->cn[0] = '\0';
	b = peer_bucket(sock);
	p->next = the_server->peers[b];
	the_server->peers[b] = p;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* h2o keeps header values by reference: they must live in the pool */
static void add_header(h2o_req_t *req, const h2o_token_t *token, const char *value)
{
	size_t n = strlen(value);

	h2o_add_header(&req->pool, &req->res.headers, token, NULL,
	               h2o_strdup(&req->pool, value, n).base, n);
}

static int respond_as(h2o_req_t *req, int status, const char *reason, const char *type,
                      const char *body, size_t len)
{
	req->res.status = status;
	req->res.reason = reason;
	add_header(req, H2O_TOKEN_CONTENT_TYPE, type);
	add_header(req, H2O_TOKEN_CACHE_CONTROL, "no-store");
	h2o_send_inline(req, body, len);
	return 0;
}

static int respond(h2o_req_t *req, int status, const char *reason, const char *json)
{
	return respond_as(req, status, reason, "application/json", json, strlen(json));
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

static int respond_json(h2o_req_t *req, json_t *doc)
{
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	int rc;

	if (text == NULL)
		return respond_error(req, 500, "Internal Server Error", "out of memory");
	rc = respond(req, 200, "OK", text);
	free(text);
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
	case 429:
		return "Too Many Requests";
	default:
		return "Internal Server Error";
	}
}

static int is_method(h2o_req_t *req, const char *m)
{
	return h2o_memis(req->method.base, req->method.len, m, strlen(m));
}

/* The path without its query. */
static int path_is(h2o_req_t *req, const char *want)
{
	size_t len = req->query_at != SIZE_MAX ? req->query_at : req->path.len;

	return h2o_memis(req->path.base, len, want, strlen(want));
}

/* The value of query parameter NAME (undecoded: only digits and letters
 * are expected), or 0 when absent. */
static int query_param(h2o_req_t *req, const char *name, char *out, size_t out_len)
{
	const char *q, *end = req->path.base + req->path.len;
	size_t n = strlen(name);

	if (req->query_at == SIZE_MAX)
		return 0;
	for (q = req->path.base + req->query_at + 1; q < end;) {
		const char *amp = memchr(q, '&', (size_t)(end - q));
		const char *stop = amp ? amp : end;

		if ((size_t)(stop - q) > n && memcmp(q, name, n) == 0 && q[n] == '=') {
			snprintf(out, out_len, "%.*s", (int)(stop - q - (long)n - 1), q + n + 1);
			return 1;
		}
		q = stop + 1;
	}
	return 0;
}

/* The session whose id the request's cookie carries, if it is live. */
/* The SHA-256 (hex) of the session cookie the request carries, in OUT:
 * 1 when it carries one of the right form (64 hex digits), else 0. */
static int session_cookie(h2o_req_t *req, char out[65])
{
	ssize_t at = -1;

	while ((at = h2o_find_header(&req->headers, H2O_TOKEN_COOKIE, at)) != -1) {
		const h2o_iovec_t *v = &req->headers.entries[at].value;
		const char *p = v->base, *end = v->base + v->len;

		while (p < end) {
			const char *semi = memchr(p, ';', (size_t)(end - p));
			const char *stop = semi ? semi : end;
			size_t hex = 0;

			while (p < stop && *p == ' ')
				p++;
			if ((size_t)(stop - p) == sizeof(COOKIE) + 64 &&
			    memcmp(p, COOKIE "=", sizeof(COOKIE)) == 0) {
				const char *id = p + sizeof(COOKIE);
				unsigned char md[32];

				while (hex < 64 && isxdigit((unsigned char)id[hex]))
					hex++;
				if (hex == 64 &&
				    EVP_Digest(id, 64, md, NULL, EVP_sha256(), NULL) == 1) {
					for (int i = 0; i < 32; i++)
						snprintf(out + 2 * i, 3, "%02x", md[i]);
					return 1;
				}
			}
			p = stop + 1;
		}
	}
	return 0;
}

/* Who makes a request, and what they may do: a viewer reads the fleet; an
 * admin also changes it (owner, retire, revoke, publish, webhooks). */
enum { ROLE_NONE = 0, ROLE_VIEWER = 1, ROLE_ADMIN = 2 };
struct principal {
	int role;
	char actor[192]; /* who the audit trail names */
};

static int role_named(const char *name)
{
	return strcmp(name, "admin") == 0    ? ROLE_ADMIN
	       : strcmp(name, "viewer") == 0 ? ROLE_VIEWER
	                                     : ROLE_NONE;
}

/* Whether the request carries a live dashboard session (its role and who
 * into P). The store holds them (their cookies' hashes), so a restart
 * keeps them, collectors on one store share them, and signing out ends one
 * everywhere at once. */
static int session_of_as(h2o_req_t *req, struct principal *p)
{
	char sha[65], role[16];

	p->role = ROLE_NONE;
	if (!session_cookie(req, sha) ||
	    store_session_get(the_server->store, sha, role, sizeof(role), p->actor,
	                      sizeof(p->actor)) != 1)
		return 0;
	p->role = role_named(role);
	return p->role != ROLE_NONE;
}

static int session_of(h2o_req_t *req)
{
	struct principal p;

	return session_of_as(req, &p);
}

/* The request's credential: Authorization: Bearer TOKEN (DIR/admin-token,
 * compared in constant time: admin; or an API token of the store's, by its
 * SHA-256: its role), else a live dashboard session. Its role (ROLE_NONE
 * when none holds), with who into P. */
static int principal_of(h2o_req_t *req, struct principal *p)
{
	const char *tok = the_server->admin_token;
	size_t tok_len = strlen(tok);
	ssize_t at = h2o_find_header(&req->headers, H2O_TOKEN_AUTHORIZATION, -1);
	const h2o_iovec_t *v;

	p->role = ROLE_NONE;
	p->actor[0] = '\0';
	if (at == -1)
		return session_of_as(req, p) ? p->role : ROLE_NONE;
	v = &req->headers.entries[at].value;
	if (v->len < 8 || !h2o_memis(v->base, 7, "Bearer ", 7))
		return ROLE_NONE;
	if (tok_len > 0 && v->len == tok_len + 7 && CRYPTO_memcmp(v->base + 7, tok, tok_len) == 0) {
		p->role = ROLE_ADMIN;
		snprintf(p->actor, sizeof(p->actor), "admin token");
	} else if (v->len > 7 + 8 && v->len < 7 + 200 &&
	           h2o_memis(v->base + 7, 8, TOKEN_PREFIX, 8)) {
		unsigned char md[32];
		char sha[65], role[16];

		EVP_Digest(v->base + 7, v->len - 7, md, NULL, EVP_sha256(), NULL);
		for (int i = 0; i < 32; i++)
			snprintf(sha + 2 * i, 3, "%02x", md[i]);
		if (store_token_get(the_server->store, sha, role, sizeof(role), p->actor,
		                    sizeof(p->actor)) == 1)
			p->role = role_named(role);
	}
	return p->role;
}

static int is_admin(h2o_req_t *req)
{
	struct principal p;

	return principal_of(req, &p) == ROLE_ADMIN;
}

/* What every dashboard response carries: nothing from elsewhere may load
 * or frame it. */
static void page_headers(h2o_req_t *req)
{
	static const char *const headers[][2] = {
		{ "content-security-policy",
		  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
		  "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri "
		  "'none'" },
		{ "x-content-type-options", "nosniff" },
		{ "x-frame-options", "DENY" },
		{ "referrer-policy", "no-referrer" },
	};

	/* names and values are constants: h2o may keep them by reference */
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		h2o_add_header_by_str(&req->pool, &req->res.headers, headers[i][0],
		                      strlen(headers[i][0]), 0, NULL, headers[i][1],
		                      strlen(headers[i][1]));
	add_header(req, H2O_TOKEN_STRICT_TRANSPORT_SECURITY, "max-age=31536000");
}

static int send_asset(h2o_req_t *req, int status, const struct dashboard_asset *a)
{
	page_headers(req);
	return respond_as(req, status, reason_of(status), a->content_type, a->data, a->len);
}

static int redirect_home(h2o_req_t *req, const char *cookie)
{
	req->res.status = 303;
	req->res.reason = "See Other";
	add_header(req, H2O_TOKEN_LOCATION, "/");
	if (cookie)
		add_header(req, H2O_TOKEN_SET_COOKIE, cookie);
	page_headers(req);
	add_header(req, H2O_TOKEN_CACHE_CONTROL, "no-store");
	h2o_send_inline(req, "", 0);
	return 0;
}

/* The token from a sign-in form (application/x-www-form-urlencoded; the
 * token is URL-safe base64, so only its field needs finding). */
static int form_token(h2o_req_t *req, char *out, size_t out_len)
{
	const char *p = req->entity.base, *end = p ? p + req->entity.len : NULL;

	while (p != NULL && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;

		if (stop - p > 6 && memcmp(p, "token=", 6) == 0 &&
		    (size_t)(stop - p - 6) < out_len) {
			memcpy(out, p + 6, (size_t)(stop - p - 6));
			out[stop - p - 6] = '\0';
			return 1;
		}
		p = stop + 1;
	}
	return 0;
}

/* The address REQ came from, as text ("?" when unknown). */
static void peer_address(h2o_req_t *req, char *out, size_t out_len)
{
	struct sockaddr_storage ss;
	socklen_t len = req->conn->callbacks->get_peername
	                    ? req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss)
	                    : 0;

	snprintf(out, out_len, "?");
	if (len == 0)
		return;
	if (ss.ss_family == AF_INET)
		uv_ip4_name((struct sockaddr_in *)&ss, out, out_len);
	else if (ss.ss_family == AF_INET6)
		uv_ip6_name((struct sockaddr_in6 *)&ss, out, out_len);
}

/* A line about a refusal, into the log: at most 10 a second (bursts of
 * 20), so that a flood of bad attempts cannot flood the log; the lines
 * left out are counted in the next one. */
static void log_refusal(const char *fmt, ...) POSTURE_PRINTF(1, 2);
static void log_refusal(const char *fmt, ...)
{
	struct server *s = the_server;
	uint64_t now = now_ms();
	va_list ap;

	s->log_tokens += (double)(now - s->log_at_ms) / 100.0;
	if (s->log_tokens > 20)
		s->log_tokens = 20;
	s->log_at_ms = now;
	if (s->log_tokens < 1) {
		s->log_suppressed++;
		return;
	}
	s->log_tokens -= 1;
	va_start(ap, fmt);
	fputs("posture-collector: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (s->log_suppressed > 0)
		fprintf(stderr, " (%lu more such lines left out)", s->log_suppressed);
	fputc('\n', stderr);
	s->log_suppressed = 0;
}

/* Appends to the audit trail from the loop (its store connection); a
 * failure is logged, never fatal to the request. */
static void audit(const char *actor, const char *action, const char *target, json_t *detail)
{
	char err[512], *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

	if (store_audit_append(the_server->store, actor, action, target, text, err, sizeof(err)) <
	    0)
		fprintf(stderr, "posture-collector: error: audit trail: %s %s not recorded: %s\n",
		        action, target, err);
	free(text);
	json_decref(detail);
}

/* A refused sign-in goes to the audit trail, at most 20 at once and one a
 * minute after that (the rest counted in the next entry): a flood of
 * wrong tokens from many addresses cannot grow the trail without bound. */
static void audit_refused(const char *addr)
{
	struct server *s = the_server;
	uint64_t now = now_ms();
	char actor[96];

	s->audit_tokens += (double)(now - s->audit_at_ms) / 60000.0;
	if (s->audit_tokens > 20 || s->audit_at_ms == 0)
		s->audit_tokens = 20;
	s->audit_at_ms = now;
	if (s->audit_tokens < 1) {
		s->audit_suppressed++;
		return;
	}
	s->audit_tokens -= 1;
	snprintf(actor, sizeof(actor), "dashboard from %s", addr);
	audit(actor, "signin.refused", "admin token",
	      json_pack("{s:s, s:I}", "reason", "wrong admin token", "refusals_not_recorded_before",
	                (json_int_t)s->audit_suppressed));
	s->audit_suppressed = 0;
}

/* ADDR's record of failures, decayed to now; created when CREATE (NULL
 * when it has none, or the table is full). */
static struct failure *failure_of(const char *addr, int create)
{
	struct server *s = the_server;
	uint64_t now = now_ms(), h = 5381;
	struct failure *f, **at;

	for (const char *p = addr; *p; p++)
		h = h * 33 + (unsigned char)*p;
	/* records that have decayed to nothing go on the way */
	for (at = &s->failures[h % FAIL_BUCKETS]; (f = *at) != NULL;) {
		f->score -= (double)(now - f->at_ms) / FAIL_DECAY_MS;
		f->at_ms = now;
		if (f->score <= 0 && strcmp(f->addr, addr) != 0) {
			*at = f->next;
			free(f);
			s->n_failures--;
			continue;
		}
		if (strcmp(f->addr, addr) == 0) {
			if (f->score < 0)
				f->score = 0;
			return f;
		}
		at = &f->next;
	}
	if (!create || s->n_failures >= FAIL_MAX_TRACKED || (f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	snprintf(f->addr, sizeof(f->addr), "%s", addr);
	f->at_ms = now;
	f->next = s->failures[h % FAIL_BUCKETS];
	s->failures[h % FAIL_BUCKETS] = f;
	s->n_failures++;
	return f;
}

/* Whether ADDR failed too often lately to be heard now (FAIL_LIMIT
 * failures, forgiven at one every FAIL_DECAY_MS). */
static int throttled(const char *addr)
{
	const struct failure *f = failure_of(addr, 0);

	return f != NULL && f->score >= FAIL_LIMIT;
}

/* One more failure from ADDR; the score stops at twice the limit, so an
 * address that stops trying is heard again within two minutes. */
static void failed_from(const char *addr)
{
	struct failure *f = failure_of(addr, 1);

	if (f != NULL && f->score < 2 * FAIL_LIMIT)
		f->score += 1;
}

static int refuse_throttled(h2o_req_t *req, const char *addr, const char *what)
{
	/* trying while throttled counts too: hammering keeps it shut */
	failed_from(addr);
	the_server->m.throttled++;
	log_refusal("%s from %s: refused unheard, too many failures from that address lately", what,
	            addr);
	add_header(req, H2O_TOKEN_RETRY_AFTER, "60");
	return respond_error(req, 429, "Too Many Requests",
	                     "too many failed attempts from this address; wait a minute");
}

static void name_thread(const char *name);
static int query_text(h2o_req_t *req, const char *name, char *out, size_t out_len);

/* A new dashboard session for ACTOR with ROLE: its cookie header into
 * COOKIE. 0, or -1 (logged). */
static int session_start(const char *actor, const char *role, char *cookie, size_t cookie_len)
{
	char id[65], sha[65], err[256];
	unsigned char raw[32], md[32];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
	for (int i = 0; i < 32; i++)
		snprintf(id + 2 * i, 3, "%02x", raw[i]);
	EVP_Digest(id, 64, md, NULL, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(sha + 2 * i, 3, "%02x", md[i]);
	if (store_session_add(the_server->store, sha, (long long)(SESSION_MS / 1000), actor, role,
	                      err, sizeof(err)) != 0) {
		fprintf(stderr, "posture-collector: error: sessions: %s\n", err);
		return -1;
	}
	snprintf(cookie, cookie_len,
	         COOKIE "=%s; Path=/; Max-Age=%llu; HttpOnly; Secure; SameSite=Strict", id,
	         (unsigned long long)(SESSION_MS / 1000));
	OPENSSL_cleanse(id, sizeof(id));
	return 0;
}

static void on_oidc_job_gone(void *data)
{
	struct oidc_job **slot = data;

	if (*slot != NULL)
		(*slot)->req = NULL;
}

/* The OpenID Connect worker: discovers the issuer (again every ten
 * seconds until it answers), then exchanges each code queued. */
static void *oidc_main(void *arg)
{
	struct server *s = arg;
	char err[512], said[512] = "";

	name_thread("posture-oidc");
	pthread_mutex_lock(&s->feeder_mu);
	while (!s->feeder_stop) {
		struct oidc_job *job = s->oidc_todo;

		if (!oidc_ready(s->oidc)) {
			int rc;

			pthread_mutex_unlock(&s->feeder_mu);
			rc = oidc_discover(s->oidc, err, sizeof(err));
			if (rc != 0 && strcmp(err, said) != 0)
				fprintf(stderr,
				        "posture-collector: error: oidc: %s (tried again every "
				        "10 s; sign-in with it waits)\n",
				        err);
			else if (rc == 0)
				fprintf(stderr, "posture-collector: oidc: %s discovered\n",
				        s->opt->config->oidc.issuer);
			snprintf(said, sizeof(said), "%s", rc ? err : "");
			pthread_mutex_lock(&s->feeder_mu);
			if (rc != 0 && !s->feeder_stop) {
				struct timespec until;

				clock_gettime(CLOCK_REALTIME, &until);
				until.tv_sec += 10;
				pthread_cond_timedwait(&s->feeder_cv, &s->feeder_mu, &until);
			}
			continue;
		}
		if (job == NULL) {
			pthread_cond_wait(&s->feeder_cv, &s->feeder_mu);
			continue;
		}
		s->oidc_todo = job->next;
		pthread_mutex_unlock(&s->feeder_mu);
		job->rc = oidc_finish(s->oidc, job->code, job->verifier, job->nonce, job->role,
		                      sizeof(job->role), job->actor, sizeof(job->actor), job->err,
		                      sizeof(job->err));
		OPENSSL_cleanse(job->code, sizeof(job->code));
		OPENSSL_cleanse(job->verifier, sizeof(job->verifier));
		pthread_mutex_lock(&s->feeder_mu);
		job->next = s->oidc_done;
		s->oidc_done = job;
		uv_async_send(&s->oidc_wake);
	}
	pthread_mutex_unlock(&s->feeder_mu);
	return NULL;
}

/* on the loop: each finished sign-in answered */
static void on_oidc_done(uv_async_t *h)
{
	struct server *s = h->data;
	struct oidc_job *list;

	pthread_mutex_lock(&s->feeder_mu);
	list = s->oidc_done;
	s->oidc_done = NULL;
	pthread_mutex_unlock(&s->feeder_mu);
	while (list != NULL) {
		struct oidc_job *job = list;
		h2o_req_t *req = job->req;
		char cookie[256], actor[300];

		list = job->next;
		if (req != NULL)
			*job->back = NULL;
		snprintf(actor, sizeof(actor), "dashboard %s from %s", job->actor, job->addr);
		if (job->rc != 0) {
			s->m.login_refused++;
			log_refusal("dashboard sign-in from %s with OpenID Connect: refused: %s",
			            job->addr, job->err);
			audit_refused(job->addr);
			if (req != NULL) {
				page_headers(req);
				respond_error(req, job->rc == 1 ? 403 : 502,
				              job->rc == 1 ? "Forbidden" : "Bad Gateway", job->err);
			}
		} else if (session_start(actor, job->role, cookie, sizeof(cookie)) != 0) {
			if (req != NULL)
				respond_error(req, 500, "Internal Server Error", "no session");
		} else {
			audit(actor, "signin", "oidc", json_pack("{s:s}", "role", job->role));
			if (req != NULL) {
				add_header(req, H2O_TOKEN_SET_COOKIE,
				           OIDC_COOKIE
				           "=; Path=/oidc; Max-Age=0; HttpOnly; Secure; "
				           "SameSite=Lax");
				redirect_home(req, h2o_strdup(&req->pool, cookie, SIZE_MAX).base);
			}
		}
		free(job);
	}
}

/* The OpenID Connect state cookie's value into OUT (64 bytes at most) */
static int oidc_cookie(h2o_req_t *req, char *out, size_t out_len)
{
	ssize_t at = -1;

	while ((at = h2o_find_header(&req->headers, H2O_TOKEN_COOKIE, at)) != -1) {
		const h2o_iovec_t *v = &req->headers.entries[at].value;
		const char *p = v->base, *end = v->base + v->len;

		while (p < end) {
			const char *semi = memchr(p, ';', (size_t)(end - p));
			const char *stop = semi ? semi : end;

			while (p < stop && *p == ' ')
				p++;
			if ((size_t)(stop - p) > sizeof(OIDC_COOKIE) &&
			    memcmp(p, OIDC_COOKIE "=", sizeof(OIDC_COOKIE)) == 0 &&
			    (size_t)(stop - p) - sizeof(OIDC_COOKIE) < out_len) {
				size_t n = (size_t)(stop - p) - sizeof(OIDC_COOKIE);

				memcpy(out, p + sizeof(OIDC_COOKIE), n);
				out[n] = '\0';
				return 1;
			}
			p = stop + 1;
		}
	}
	return 0;
}

/* GET /oidc/login: off to the issuer; GET /oidc/callback: back from it */
static int on_oidc(h2o_handler_t *self, h2o_req_t *req)
{
	struct server *s = the_server;
	char addr[64], err[512];

	(void)self;
	if (s->oidc == NULL)
		return respond_error(req, 404, "Not Found",
		                     "OpenID Connect is not set up ([oidc] in collector.ini)");
	if (!is_method(req, "GET"))
		return respond_error(req, 405, "Method Not Allowed", "use GET");
	peer_address(req, addr, sizeof(addr));
	if (throttled(addr))
		return refuse_throttled(req, addr, "dashboard sign-in");
	if (path_is(req, "/oidc/login")) {
		struct oidc_start st;
		char sha[65], cookie[200];
		int rc;

		if (oidc_begin(s->oidc, &st, err, sizeof(err)) != 0) {
			add_header(req, H2O_TOKEN_RETRY_AFTER, "10");
			return respond_error(req, 503, "Service Unavailable", err);
		}
		admin_sha256_hex(st.state, strlen(st.state), sha);
		rc = store_oidc_begin(s->store, sha, st.verifier, st.nonce, OIDC_LOGIN_SECONDS,
		                      OIDC_MAX_PENDING, err, sizeof(err));
		OPENSSL_cleanse(st.verifier, sizeof(st.verifier));
		if (rc != 0) {
			if (rc < 0)
				fprintf(stderr, "posture-collector: error: oidc: %s\n", err);
			add_header(req, H2O_TOKEN_RETRY_AFTER, "60");
			return respond_error(req, 503, "Service Unavailable",
			                     "too many sign-ins under way; try again in a minute");
		}
		snprintf(cookie, sizeof(cookie),
		         OIDC_COOKIE "=%s; Path=/oidc; Max-Age=%d; HttpOnly; Secure; SameSite=Lax",
		         st.state, OIDC_LOGIN_SECONDS);
		req->res.status = 302;
		req->res.reason = "Found";
		add_header(req, H2O_TOKEN_SET_COOKIE,
		           h2o_strdup(&req->pool, cookie, SIZE_MAX).base);
		add_header(req, H2O_TOKEN_LOCATION, h2o_strdup(&req->pool, st.url, SIZE_MAX).base);
		add_header(req, H2O_TOKEN_CACHE_CONTROL, "no-store");
		page_headers(req);
		h2o_send_inline(req, "", 0);
		return 0;
	}
	if (path_is(req, "/oidc/callback")) {
		char state[128] = "", mine[128] = "", code[1024] = "", sha[65], issuer_err[200];
		struct oidc_job *job;
		int got;

		if (query_text(req, "error", issuer_err, sizeof(issuer_err))) {
			failed_from(addr);
			log_refusal("dashboard sign-in from %s: the issuer said %s", addr,
			            issuer_err);
			return respond_error(req, 401, "Unauthorized",
			                     "the issuer refused the sign-in");
		}
		if (!query_text(req, "state", state, sizeof(state)) ||
		    !query_text(req, "code", code, sizeof(code)) || code[0] == '\0' ||
		    !oidc_cookie(req, mine, sizeof(mine)) || strlen(mine) != strlen(state) ||
		    CRYPTO_memcmp(mine, state, strlen(state)) != 0) {
			failed_from(addr);
			log_refusal("dashboard sign-in from %s: a return from the issuer that this "
			            "browser did not start",
			            addr);
			return respond_error(
			    req, 400, "Bad Request",
			    "this sign-in was not started in this browser; start again");
		}
		admin_sha256_hex(state, strlen(state), sha);
		job = calloc(1, sizeof(*job));
		if (job == NULL)
			return respond_error(req, 500, "Internal Server Error", "out of memory");
		got = store_oidc_take(s->store, sha, job->verifier, sizeof(job->verifier),
		                      job->nonce, sizeof(job->nonce), err, sizeof(err));
		if (got != 1) {
			free(job);
			if (got < 0)
				fprintf(stderr, "posture-collector: error: oidc: %s\n", err);
			failed_from(addr);
			return respond_error(
			    req, 400, "Bad Request",
			    "this sign-in expired or was used already; start again");
		}
		snprintf(job->code, sizeof(job->code), "%s", code);
		snprintf(job->addr, sizeof(job->addr), "%s", addr);
		job->req = req;
		job->back = h2o_mem_alloc_shared(&req->pool, sizeof(*job->back), on_oidc_job_gone);
		*job->back = job;
		pthread_mutex_lock(&s->feeder_mu);
		job->next = s->oidc_todo;
		s->oidc_todo = job;
		pthread_cond_broadcast(&s->feeder_cv);
		pthread_mutex_unlock(&s->feeder_mu);
		return 0; /* answered by on_oidc_done */
	}
	return respond_error(req, 404, "Not Found", "GET /oidc/login");
}

/* what the sign-in page offers here */
static int login_flags(void)
{
	return (the_server->oidc != NULL ? DASHBOARD_LOGIN_OIDC : 0) |
	       (the_server->opt->config->token_signin ? 0 : DASHBOARD_LOGIN_NO_TOKEN);
}

/* GET / (the dashboard, or the sign-in page), GET /assets/..., POST /login,
 * POST /logout. */
static int on_dashboard(h2o_handler_t *self, h2o_req_t *req)
{
	struct server *s = the_server;
	size_t len = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
	const struct dashboard_asset *a;

	(void)self;
	if (path_is(req, "/login")) {
		char token[160] = "", cookie[256], id[65], sha[65], actor[96], err[256];
		unsigned char raw[32], md[32];
		size_t tok_len = strlen(s->admin_token);

		char addr[64];

		if (!is_method(req, "POST"))
			return redirect_home(req, NULL);
		peer_address(req, addr, sizeof(addr));
		if (throttled(addr))
			return refuse_throttled(req, addr, "dashboard sign-in");
		if (!s->opt->config->token_signin)
			return send_asset(
			    req, 403, dashboard_login(login_flags() | DASHBOARD_LOGIN_TOKEN_OFF));
		if (!form_token(req, token, sizeof(token)) || strlen(token) != tok_len ||
		    CRYPTO_memcmp(token, s->admin_token, tok_len) != 0) {
			OPENSSL_cleanse(token, sizeof(token));
			s->m.login_refused++;
			failed_from(addr);
			log_refusal("dashboard sign-in from %s: refused, wrong admin token", addr);
			audit_refused(addr);
			return send_asset(req, 401,
			                  dashboard_login(login_flags() | DASHBOARD_LOGIN_FAILED));
		}
		OPENSSL_cleanse(token, sizeof(token));
		if (RAND_bytes(raw, sizeof(raw)) != 1)
			return respond_error(req, 500, "Internal Server Error", "no session");
		for (int i = 0; i < 32; i++)
			snprintf(id + 2 * i, 3, "%02x", raw[i]);
		EVP_Digest(id, 64, md, NULL, EVP_sha256(), NULL);
		for (int i = 0; i < 32; i++)
			snprintf(sha + 2 * i, 3, "%02x", md[i]);
		snprintf(actor, sizeof(actor), "dashboard from %s", addr);
		if (store_session_add(s->store, sha, (long long)(SESSION_MS / 1000), actor, "admin",
		                      err, sizeof(err)) != 0) {
			fprintf(stderr, "posture-collector: error: sessions: %s\n", err);
			return respond_error(req, 500, "Internal Server Error", "no session");
		}
		snprintf(cookie, sizeof(cookie),
		         COOKIE "=%s; Path=/; Max-Age=%llu; HttpOnly; Secure; SameSite=Strict", id,
		         (unsigned long long)(SESSION_MS / 1000));
		OPENSSL_cleanse(id, sizeof(id));
		audit(actor, "signin", "admin token", NULL);
		return redirect_home(req, cookie);
	}
	if (path_is(req, "/logout")) {
		char sha[65], err[256];

		if (!is_method(req, "POST"))
			return redirect_home(req, NULL);
		if (session_cookie(req, sha) &&
		    store_session_end(s->store, sha, err, sizeof(err)) != 0)
			fprintf(stderr, "posture-collector: error: sessions: %s\n", err);
		return redirect_home(req, COOKIE "=; Path=/; Max-Age=0; HttpOnly; Secure; "
		                                 "SameSite=Strict");
	}
	if (!is_method(req, "GET") && !is_method(req, "HEAD"))
		return respond_error(req, 405, "Method Not Allowed", "use GET");
	if (path_is(req, "/favicon.ico")) { /* browsers ask; there is none */
		req->res.status = 204;
		req->res.reason = "No Content";
		h2o_send_inline(req, "", 0);
		return 0;
	}
	a = dashboard_asset(req->path.base, len);
	if (a == NULL)
		return respond_error(req, 404, "Not Found", "no such page");
	if (len == 1 && !session_of(req))
		return send_asset(req, 200, dashboard_login(login_flags()));
	return send_asset(req, 200, a);
}

static int refuse_admin(h2o_req_t *req)
{
	add_header(req, H2O_TOKEN_WWW_AUTHENTICATE, "Bearer realm=\"posture-collector\"");
	return respond_error(req, 401, "Unauthorized",
	                     "sign in, or send the admin token or an API token "
	                     "(Authorization: Bearer TOKEN)");
}

static int on_enroll(h2o_handler_t *self, h2o_req_t *req)
{
	char *answer = NULL, addr[64], what[768];
	int status = 500, rc;

	(void)self;
	if (!is_method(req, "POST"))
		return respond_error(req, 405, "Method Not Allowed", "use POST");
	peer_address(req, addr, sizeof(addr));
	if (throttled(addr))
		return refuse_throttled(req, addr, "enrollment");
	enroll_handle(&the_server->enroll, req->entity.base ? req->entity.base : "",
	              req->entity.len, peer_cert(req), &status, &answer, what, sizeof(what));
	if (status == 200) {
		the_server->m.enrolled++;
		/* every certificate issued is in the log, unthrottled */
		fprintf(stderr, "posture-collector: enrollment from %s: %s\n", addr, what);
	} else {
		the_server->m.enroll_refused++;
		if (status == 401 || status == 409)
			failed_from(addr);
		log_refusal("enrollment from %s: %s", addr, what);
	}
	rc = respond(req, status, reason_of(status), answer ? answer : "{}");
	free(answer);
	return rc;
}

/* Whether DEVICE may send one more report now (token bucket). */
static int rate_allows(const char *device_id)
{
	struct server *s = the_server;
	const struct serve_options *o = s->opt;
	uint64_t now = now_ms(), h = 5381;
	struct rate *r;

	if (o->rate_per_second <= 0)
		return 1;
	for (const char *p = device_id; *p; p++)
		h = h * 33 + (unsigned char)*p;
	/* the device's bucket; on the way, devices whose buckets have filled
	 * up again go (a full bucket is what a device without one gets), so
	 * the table holds the devices sending now, not every device ever */
	for (struct rate **at = &s->rates[h % RATE_BUCKETS]; (r = *at) != NULL;) {
		if (strcmp(r->device_id, device_id) == 0)
			break;
		if (r->tokens + (double)(now - r->at_ms) / 1000.0 * o->rate_per_second >=
		    o->rate_burst) {
			*at = r->next;
			free(r);
			continue;
		}
		at = &r->next;
	}
	if (r == NULL) {
		r = calloc(1, sizeof(*r));
		if (r == NULL)
			return 1;
		snprintf(r->device_id, sizeof(r->device_id), "%s", device_id);
		r->tokens = o->rate_burst;
		r->at_ms = now;
		r->next = s->rates[h % RATE_BUCKETS];
		s->rates[h % RATE_BUCKETS] = r;
	}
	r->tokens += (double)(now - r->at_ms) / 1000.0 * o->rate_per_second;
	if (r->tokens > o->rate_burst)
		r->tokens = o->rate_burst;
	r->at_ms = now;
	if (r->tokens < 1)
		return 0;
	r->tokens -= 1;
	return 1;
}

static void pending_free(struct pending *p)
{
	reportin_free(&p->report);
	free(p->body);
	free(p->refused);
	free(p);
}

/* The request's pool is going (answered, or its client left). */
static void on_request_gone(void *data)
{
	struct pending **slot = data;

	if (*slot != NULL)
		(*slot)->req = NULL;
}

/* A batch's commit took TOOK seconds, until durable (under the writer's
 * lock). */
static void record_commit(struct server *s, double took)
{
	s->m.commits++;
	s->m.commit_seconds += took;
	for (int b = 0; b < N_LATENCY_BUCKETS; b++)
		if (took <= latency_bounds[b])
			s->m.commit_buckets[b]++;
}

/* The calling thread's name, as top -H and /proc/PID/task/TID/comm show
 * it (15 bytes at most). */
static void name_thread(const char *name)
{
#ifdef __linux__
	prctl(PR_SET_NAME, name, 0, 0, 0);
#else
	(void)name;
#endif
}

static void *writer_main(void *arg)
{
	struct writer_thread *self = arg;
	struct server *s = self->server;
	struct writer *w = &s->writer;
	struct store_item items[MAX_BATCH];
	struct pending *batch[MAX_BATCH];
	size_t stored_as[MAX_BATCH]; /* items[k] is batch[stored_as[k]] */
	const struct policy_ids *known;
	char err[512];

	name_thread("posture-writer");
	for (;;) {
		struct timespec t0, t1;
		size_t n = 0, valid = 0;
		double took;

		pthread_mutex_lock(&w->mu);
		while (w->queue == NULL && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->queue == NULL) { /* stopping, and nothing left */
			pthread_mutex_unlock(&w->mu);
			break;
		}
		/* everything that queued while the last commit ran */
		while (w->queue != NULL && n < MAX_BATCH) {
			batch[n] = w->queue;
			w->queue = w->queue->next;
			batch[n]->next = NULL;
			n++;
		}
		if (w->queue == NULL)
			w->queue_tail = &w->queue;
		known = s->known;
		pthread_mutex_unlock(&w->mu);

		/* validated here, not on the event loop: the loop is the one
		 * thread every request passes through twice, and each report's
		 * validation there made it the stage the others waited on; here
		 * it runs beside the loop (bench/RESULTS.md). A body that is no
		 * report is answered 400 with the reason, and not stored */
		for (size_t i = 0; i < n; i++) {
			struct pending *p = batch[i];

			if (reportin_parse(p->body, p->body_len, &p->report, err, sizeof(err)) !=
			        0 ||
			    (p->future = reportin_check_time(&p->report, (long long)time(NULL), err,
			                                     sizeof(err)) != 0) ||
			    reportin_check_ids(&p->report, known ? known->sha256 : NULL,
			                       known ? (const char *const *)known->ids : NULL,
			                       known ? known->n : 0, err, sizeof(err)) != 0) {
				p->refused = strdup(err);
				if (p->refused == NULL)
					p->item.outcome = STORE_FAILED;
				continue;
			}
			p->item.report = &p->report;
			items[valid] = p->item;
			stored_as[valid++] = i;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (valid > 0) {
			int rc = store_add_reports(self->store, items, valid, err, sizeof(err));
			size_t failed = 0;

			/* a failed report is any of the batch, not only the first */
			for (size_t i = 0; i < valid; i++)
				failed += items[i].outcome == STORE_FAILED;
			if (rc != 0 || failed > 0)
				fprintf(
				    stderr,
				    "posture-collector: error: %zu of %zu reports not stored: %s\n",
				    failed, valid, err);
		}
		for (size_t k = 0; k < valid; k++)
			batch[stored_as[k]]->item.outcome = items[k].outcome;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

		pthread_mutex_lock(&w->mu);
		for (size_t i = 0; i < n; i++) {
			batch[i]->began = (double)t0.tv_sec + (double)t0.tv_nsec / 1e9;
			if (w->syncing) { /* answered once the syncer's fsync returns */
				*w->committed_tail = batch[i];
				w->committed_tail = &batch[i]->next;
			} else {
				*w->done_tail = batch[i];
				w->done_tail = &batch[i]->next;
			}
		}
		if (w->checkpointing && store_wal_pages(self->store) >= CHECKPOINT_PAGES) {
			w->checkpoint_due = 1;
			pthread_cond_signal(&w->checkpoint_cv);
		}
		s->m.batched_reports += valid;
		if (w->syncing) {
			pthread_cond_signal(&w->sync_cv);
		} else {
			record_commit(s, took);
		}
		pthread_mutex_unlock(&w->mu);
		if (!w->syncing)
			uv_async_send(&w->wake);
	}
	return NULL;
}

static double mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* SQLite: every batch the writer committed since the last fsync of the
 * WAL is made durable by the next one, then answered. */
static void *syncer_main(void *arg)
{
	struct server *s = arg;
	struct writer *w = &s->writer;
	char err[512];
	int fd = -1;

	name_thread("posture-sync");
	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct pending *list;
		double done, last = -1;
		int rc;

		while (w->committed == NULL && !w->sync_stop)
			pthread_cond_wait(&w->sync_cv, &w->mu);
		if (w->committed == NULL)
			break;
		list = w->committed;
		w->committed = NULL;
		w->committed_tail = &w->committed;
		pthread_mutex_unlock(&w->mu);
		rc = store_wal_sync(s->opt->store, &fd, err, sizeof(err));
		done = mono_now();
		if (rc != 0)
			fprintf(stderr, "posture-collector: error: reports not made durable: %s\n",
			        err);
		pthread_mutex_lock(&w->mu);
		while (list != NULL) {
			struct pending *p = list;

			list = p->next;
			p->next = NULL;
			/* not on the disk: the agent is told to send it again */
			if (rc != 0 &&
			    (p->item.outcome == STORE_STORED || p->item.outcome == STORE_DUPLICATE))
				p->item.outcome = STORE_FAILED;
			if (p->began != last) { /* the first report of a batch */
				record_commit(s, done - p->began);
				last = p->began;
			}
			*w->done_tail = p;
			w->done_tail = &p->next;
		}
		pthread_mutex_unlock(&w->mu);
		uv_async_send(&w->wake);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* On the loop: answer every report the writer is done with. */
static void on_written(uv_async_t *h)
{
	struct server *s = h->data;
	struct writer *w = &s->writer;
	struct pending *list;

	pthread_mutex_lock(&w->mu);
	list = w->done;
	w->done = NULL;
	w->done_tail = &w->done;
	pthread_mutex_unlock(&w->mu);
	while (list != NULL) {
		struct pending *p = list;
		h2o_req_t *req = p->req;

		list = p->next;
		s->in_flight--;
		if (p->refused != NULL) {
			if (p->future)
				s->m.rejected_future++;
			else
				s->m.rejected_bad_request++;
			if (req != NULL) {
				*p->back = NULL;
				respond_error(req, 400, "Bad Request", p->refused);
			}
			pending_free(p);
			continue;
		}
		switch (p->item.outcome) {
		case STORE_STORED:
			s->m.stored++;
			break;
		case STORE_DUPLICATE:
			s->m.duplicate++;
			break;
		case STORE_REVOKED:
			s->m.rejected_revoked++;
			break;
		default:
			s->m.rejected_store_error++;
			break;
		}
		if (req != NULL) {
			*p->back = NULL;
			/* the commit is durable: now, and only now, the 2xx */
			switch (p->item.outcome) {
			case STORE_STORED:
				respond(req, 201, "Created", "{\"stored\":\"now\"}");
				break;
			case STORE_DUPLICATE:
				respond(req, 200, "OK", "{\"stored\":\"already\"}");
				break;
			case STORE_REVOKED:
				respond_error(req, 403, "Forbidden",
				              "this device's certificate is revoked");
				break;
			default:
				add_header(req, H2O_TOKEN_RETRY_AFTER, "30");
				respond_error(req, 503, "Service Unavailable",
				              "the store failed; send again later");
				break;
			}
		}
		pending_free(p);
	}
}

/* bench/collector.sh measures where the rate goes with builds of the
 * collector that answer a report without storing it, after a stage of its
 * way in: 1, the client certificate and the rate limit (TLS and HTTP alone);
 * 2, the body copied and validated; 3, compressed too (which the server
 * leaves to its writer; this build does it here, to time it). Only bench
 * builds define this (make bench-layers); nothing that stores reports does. */
#ifdef POSTURE_BENCH_ANSWER_AFTER
#define BENCH_ANSWER(stage, req, p)                                                            \
	do {                                                                                   \
		if (POSTURE_BENCH_ANSWER_AFTER == (stage)) {                                   \
			if ((p) != NULL)                                                       \
				pending_free(p);                                               \
			return respond((req), 201, "Created", "{\"stored\":\"not (bench)\"}"); \
		}                                                                              \
	} while (0)
#else
#define BENCH_ANSWER(stage, req, p) ((void)0)
#endif

static int on_reports(h2o_handler_t *self, h2o_req_t *req)
{
	struct server *s = the_server;
	struct writer *w = &s->writer;
	const struct peer *peer = peer_of(req);
	struct pending *p;
#ifdef POSTURE_BENCH_ANSWER_AFTER
	char err[512];
#endif

	(void)self;
	if (!is_method(req, "POST"))
		return respond_error(req, 405, "Method Not Allowed", "use POST");
	if (peer == NULL || peer->cn[0] == '\0') {
		s->m.rejected_no_certificate++;
		return respond_error(req, 401, "Unauthorized",
		                     "a device certificate from this collector's CA is required");
	}
	if (!rate_allows(peer->cn)) {
		s->m.rejected_rate_limited++;
		add_header(req, H2O_TOKEN_RETRY_AFTER, "1");
		return respond_error(req, 429, "Too Many Requests",
		                     "this device sends reports faster than the collector's limit");
	}
	BENCH_ANSWER(1, req, (struct pending *)NULL);
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return respond_error(req, 500, "Internal Server Error", "out of memory");
	/* the writer works on a copy of the body, which outlives the request;
	 * the parsed report points into that copy (its observed values) */
	p->body = malloc(req->entity.len ? req->entity.len : 1);
	if (p->body == NULL) {
		free(p);
		return respond_error(req, 500, "Internal Server Error", "out of memory");
	}
	if (req->entity.len > 0)
		memcpy(p->body, req->entity.base, req->entity.len);
	p->body_len = req->entity.len;
	snprintf(p->device_id, sizeof(p->device_id), "%s", peer->cn);
	p->item.device_id = p->device_id;
	p->item.body = p->body;
	p->item.body_len = p->body_len;
	/* the writer validates the body (writer_main); the bench's stage
	 * builds, which answer here, validate it here */
#ifdef POSTURE_BENCH_ANSWER_AFTER
	if (reportin_parse(p->body, p->body_len, &p->report, err, sizeof(err)) != 0) {
		pending_free(p);
		s->m.rejected_bad_request++;
		return respond_error(req, 400, "Bad Request", err);
	}
#endif
	BENCH_ANSWER(2, req, p);
	/* the writer compresses the body: the busier it is, the more reports
	 * each of its commits takes, and the fewer pages each report writes */
#ifdef POSTURE_BENCH_ANSWER_AFTER
	if (POSTURE_BENCH_ANSWER_AFTER == 3) { /* what compressing costs */
		void *packed = NULL;
		size_t packed_len = 0;

		if (store_pack(&s->bench_pack, NULL, 0, p->body, p->body_len, &packed, &packed_len,
		               err, sizeof(err)) == 0)
			free(packed);
	}
#endif
	BENCH_ANSWER(3, req, p);
	p->req = req;
	p->back = h2o_mem_alloc_shared(&req->pool, sizeof(*p->back), on_request_gone);
	*p->back = p;
	s->in_flight++;
	pthread_mutex_lock(&w->mu);
	*w->queue_tail = p;
	w->queue_tail = &p->next;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The check ids of the published policy DOC (parsed by the agent's own
 * engine, as it was when published) become what reports naming it must
 * carry. */
static void learn_policy_ids(struct server *s, const json_t *doc)
{
	const char *text = json_string_value(json_object_get(doc, "policy"));
	const char *sha = json_string_value(json_object_get(doc, "sha256"));
	struct policy_env env = { .pkg_system = NULL };
	struct policy *p = NULL;
	struct policy_ids *k;
	struct diags d;

	if (text == NULL || sha == NULL || strlen(sha) != 64)
		return;
	diags_init(&d, "published policy");
	if (policy_parse("published policy", text, strlen(text), &env, &p, &d) != 0 ||
	    (k = calloc(1, sizeof(*k))) == NULL) {
		diags_free(&d);
		policy_free(p);
		return;
	}
	diags_free(&d);
	snprintf(k->sha256, sizeof(k->sha256), "%s", sha);
	k->ids = calloc(p->n_checks ? p->n_checks : 1, sizeof(*k->ids));
	for (size_t i = 0; k->ids != NULL && i < p->n_checks; i++)
		if ((k->ids[k->n] = strdup(p->checks[i].id)) != NULL)
			k->n++;
	policy_free(p);
	if (k->ids == NULL || k->n == 0) {
		free(k->ids);
		free(k);
		return;
	}
	qsort(k->ids, k->n, sizeof(*k->ids), by_string);
	pthread_mutex_lock(&s->writer.mu);
	k->older = s->known;
	s->known = k;
	pthread_mutex_unlock(&s->writer.mu);
}

/* The newest signed policy, from the store at most once a second (several
 * collectors may publish into one PostgreSQL). */
static json_t *current_policy(void)
{
	struct server *s = the_server;
	uint64_t now = now_ms();
	char err[256];

	if (s->policy == NULL || now - s->policy_at_ms >= 1000) {
		json_t *doc = NULL;

		if (store_current_policy(s->store, &doc, err, sizeof(err)) < 0) {
			fprintf(stderr, "posture-collector: error: %s\n", err);
			return s->policy; /* the last one read stays good */
		}
		if (doc != NULL && json_integer_value(json_object_get(doc, "version")) !=
		                       json_integer_value(json_object_get(s->policy, "version")))
			learn_policy_ids(s, doc);
		json_decref(s->policy);
		s->policy = doc;
		s->policy_at_ms = now;
	}
	return s->policy;
}

/* A GET by an enrolled device that is not revoked: 1, or 0 with *REFUSED
 * the answer already given (405, 401, 403). */
static int device_get_allowed(h2o_req_t *req, int *refused)
{
	const struct peer *peer;

	if (!is_method(req, "GET")) {
		*refused = respond_error(req, 405, "Method Not Allowed", "use GET");
		return 0;
	}
	peer = peer_of(req);
	if (peer == NULL || peer->cn[0] == '\0') {
		*refused =
		    respond_error(req, 401, "Unauthorized",
		                  "a device certificate from this collector's CA is required");
		return 0;
	}
	if (store_device_revoked(the_server->store, peer->cn) != 0) {
		the_server->m.rejected_revoked++;
		*refused =
		    respond_error(req, 403, "Forbidden", "this device's certificate is revoked");
		return 0;
	}
	return 1;
}

static int on_policy(h2o_handler_t *self, h2o_req_t *req)
{
	char etag[64];
	json_t *doc;
	char *text;
	ssize_t inm;
	int rc, refused = 0;

	(void)self;
	if (!device_get_allowed(req, &refused))
		return refused;
	doc = current_policy();
	if (doc == NULL)
		return respond_error(req, 404, "Not Found", "no policy has been published");
	snprintf(etag, sizeof(etag), "\"v%" JSON_INTEGER_FORMAT "\"",
	         json_integer_value(json_object_get(doc, "version")));
	the_server->m.policy_served++;
	inm = h2o_find_header(&req->headers, H2O_TOKEN_IF_NONE_MATCH, -1);
	if (inm != -1 && h2o_memis(req->headers.entries[inm].value.base,
	                           req->headers.entries[inm].value.len, etag, strlen(etag))) {
		req->res.status = 304;
		req->res.reason = "Not Modified";
		add_header(req, H2O_TOKEN_ETAG, etag);
		h2o_send_inline(req, "", 0);
		return 0;
	}
	text = json_dumps(doc, JSON_COMPACT);
	add_header(req, H2O_TOKEN_ETAG, etag);
	rc = respond(req, 200, "OK", text ? text : "{}");
	free(text);
	return rc;
}

/* The signed feeds in force, {"format": "posture.feeds/1", "feeds":
 * [envelope, ...]} (collector/feeds.h), rebuilt only when a feed was
 * added or replaced: each request asks the store only for the highest
 * serial (an index's last entry; requests come from enrolled devices
 * alone). NULL when the store cannot be read and nothing was built yet. */
static const char *current_feeds(size_t *len, long long *mark)
{
	struct server *s = the_server;

	{
		long long m = store_feeds_mark(s->store);

		if (m >= 0 && (s->feeds_body == NULL || m != s->feeds_mark)) {
			json_t *list = NULL, *f;
			char err[256], *body = NULL;
			size_t i, cap = 64, n;

			if (store_feeds(s->store, 1, &list, err, sizeof(err)) != 0) {
				fprintf(stderr, "posture-collector: error: feeds: %s\n", err);
				return s->feeds_body;
			}
			json_array_foreach (list, i, f)
				cap += json_string_length(json_object_get(f, "envelope")) + 1;
			body = malloc(cap);
			if (body != NULL) {
				n = (size_t)snprintf(body, cap, "{\"format\":\"%s\",\"feeds\":[",
				                     CONTRACT_FEEDS_FORMAT);
				/* each envelope is the JSON text the store keeps */
				json_array_foreach (list, i, f) {
					json_t *e = json_object_get(f, "envelope");

					if (i > 0)
						body[n++] = ',';
					memcpy(body + n, json_string_value(e),
					       json_string_length(e));
					n += json_string_length(e);
				}
				memcpy(body + n, "]}", 3);
				free(s->feeds_body);
				s->feeds_body = body;
				s->feeds_len = n + 2;
				s->feeds_mark = m;
			}
			json_decref(list);
		}
	}
	*len = s->feeds_len;
	*mark = s->feeds_mark;
	return s->feeds_body;
}

/* GET /v1/feeds: for enrolled devices, as GET /v1/policy; ETag/304. */
static int on_feeds(h2o_handler_t *self, h2o_req_t *req)
{
	const char *body;
	char etag[64];
	long long mark = 0;
	size_t len = 0;
	ssize_t inm;
	int refused = 0;

	(void)self;
	if (!device_get_allowed(req, &refused))
		return refused;
	body = current_feeds(&len, &mark);
	if (body == NULL)
		return respond_error(req, 503, "Service Unavailable",
		                     "the store's feeds cannot be read now; try later");
	snprintf(etag, sizeof(etag), "\"feeds-%lld\"", mark);
	the_server->m.feeds_served++;
	add_header(req, H2O_TOKEN_ETAG, etag);
	inm = h2o_find_header(&req->headers, H2O_TOKEN_IF_NONE_MATCH, -1);
	if (inm != -1 && h2o_memis(req->headers.entries[inm].value.base,
	                           req->headers.entries[inm].value.len, etag, strlen(etag))) {
		req->res.status = 304;
		req->res.reason = "Not Modified";
		h2o_send_inline(req, "", 0);
		return 0;
	}
	return respond_as(req, 200, "OK", "application/json", body, len);
}

/* GET /v1/fleet/summary[?stale=7d&limit=100&days=30], /v1/fleet/devices
 * and /v1/fleet/devices/ID: the admin's reading of the store. */
/* VALUE as a whole number from LO to HI, or -1. */
/* query_param, %XX and '+' decoded: 0 when absent or malformed (a bad
 * escape, a NUL byte), else 1. */
static int query_text(h2o_req_t *req, const char *name, char *out, size_t out_len)
{
	char raw[1024];
	size_t n = 0;

	if (!query_param(req, name, raw, sizeof(raw)))
		return 0;
	for (const char *p = raw; *p && n + 1 < out_len; p++) {
		if (*p == '+') {
			out[n++] = ' ';
		} else if (*p == '%') {
			int hi = isxdigit((unsigned char)p[1]) ? p[1] : -1;
			int lo = hi >= 0 && isxdigit((unsigned char)p[2]) ? p[2] : -1;
			int v;

			if (lo < 0)
				return 0;
			v = (hi <= '9' ? hi - '0' : (hi | 0x20) - 'a' + 10) * 16 +
			    (lo <= '9' ? lo - '0' : (lo | 0x20) - 'a' + 10);
			if (v == 0)
				return 0;
			out[n++] = (char)v;
			p += 2;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	return 1;
}

static long bounded(const char *value, long lo, long hi)
{
	char *end;
	long v = strtol(value, &end, 10);

	return *value != '\0' && *end == '\0' && v >= lo && v <= hi ? v : -1;
}

/* POST /v1/fleet/webhooks {"url": "...", "events": "..."} and
 * POST /v1/fleet/webhooks/ID/remove */
static int on_webhooks_post(h2o_req_t *req, const char *rest, json_t *body, const char *actor)
{
	struct server *s = the_server;
	char err[1024], id_s[24];

	if (*rest == '\0') {
		const char *url = json_string_value(json_object_get(body, "url"));
		const char *events = json_string_value(json_object_get(body, "events"));
		char secret[100], *text;
		int refused = 0;
		long long id;
		json_t *doc;
		int rc;

		if (url == NULL)
			return respond_error(req, 400, "Bad Request",
			                     "the body is {\"url\": \"https://...\", \"events\": "
			                     "\"device.noncompliant,...\"} (events: default all)");
		id = webhooks_add(s->store, url, events, secret, sizeof(secret), &refused, err,
		                  sizeof(err));
		if (id < 0) {
			if (refused)
				return respond_error(req, 400, "Bad Request", err);
			fprintf(stderr, "posture-collector: error: %s\n", err);
			return respond_error(req, 500, "Internal Server Error", "the store failed");
		}
		snprintf(id_s, sizeof(id_s), "%lld", id);
		audit(actor, "webhook.add", id_s,
		      json_pack("{s:s, s:s}", "url", url, "events", events ? events : "*"));
		doc = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "url", url, "events",
		                events ? events : "*", "secret", secret);
		OPENSSL_cleanse(secret, sizeof(secret));
		text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
		json_decref(doc);
		rc = text ? respond(req, 201, "Created", text)
		          : respond_error(req, 500, "Internal Server Error", "out of memory");
		if (text)
			OPENSSL_cleanse(text, strlen(text));
		free(text);
		return rc;
	} else {
		char *end;
		long long id = strtoll(rest + 1, &end, 10);
		int done;

		if (rest[0] != '/' || id <= 0 || strcmp(end, "/remove") != 0)
			return respond_error(req, 404, "Not Found",
			                     "POST /v1/fleet/webhooks/ID/remove");
		done = webhooks_remove(s->store, id, err, sizeof(err));
		if (done < 0) {
			fprintf(stderr, "posture-collector: error: %s\n", err);
			return respond_error(req, 500, "Internal Server Error", "the store failed");
		}
		if (done == 0)
			return respond_error(req, 404, "Not Found", "no such webhook");
		snprintf(id_s, sizeof(id_s), "%lld", id);
		audit(actor, "webhook.remove", id_s, NULL);
		return respond(req, 200, "OK", "{\"done\":true}");
	}
}

/* POST /v1/fleet/policy {"text": "[policy]..."}: published as `policy
 * publish` does; a refused policy's FILE:LINE errors come back */
static int on_policy_post(h2o_req_t *req, json_t *body, const char *actor)
{
	struct server *s = the_server;
	const char *text = json_string_value(json_object_get(body, "text"));
	char err[1024], *diag = NULL, out[64];
	size_t diag_len = 0;
	FILE *mem;
	int refused = 0;
	long long version;

	if (text == NULL)
		return respond_error(req, 400, "Bad Request",
		                     "the body is {\"text\": \"the policy's INI text\"}");
	mem = open_memstream(&diag, &diag_len);
	if (mem == NULL)
		return respond_error(req, 500, "Internal Server Error", "out of memory");
	version = admin_publish_text(s->opt->dir, s->opt->store, "policy", text, strlen(text),
	                             actor, mem, &refused, err, sizeof(err));
	fclose(mem);
	if (version < 0) {
		json_t *doc =
		    json_pack("{s:s, s:s}", "error", err, "diagnostics", diag ? diag : "");
		char *t = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
		int rc = refused
		             ? respond(req, 422, "Unprocessable Content", t ? t : "{}")
		             : respond_error(req, 500, "Internal Server Error", "not published");

		if (!refused)
			fprintf(stderr, "posture-collector: error: policy publish: %s\n", err);
		free(t);
		json_decref(doc);
		free(diag);
		return rc;
	}
	free(diag);
	s->policy_at_ms = 0; /* read the new one at once */
	snprintf(out, sizeof(out), "{\"version\":%lld}", version);
	return respond(req, 200, "OK", out);
}

/* An admin's changes, each recorded in the audit trail, over JSON bodies
 * only (a form from another site cannot send one, and the session cookie
 * is SameSite=Strict):
 *   POST /v1/fleet/devices/ID/owner {"owner": "..."}
 *   POST /v1/fleet/devices/ID/retire, /v1/fleet/devices/ID/revoke
 *   POST /v1/fleet/webhooks, /v1/fleet/webhooks/ID/remove
 *   POST /v1/fleet/policy */
static int on_fleet_post(h2o_req_t *req, const struct principal *who)
{
	struct server *s = the_server;
	size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
	char path[400], actor[300], addr[64], err[512], *id, *what;
	ssize_t ct = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
	json_t *body = NULL;
	int done;

	if (ct == -1 || req->headers.entries[ct].value.len < 16 ||
	    !h2o_memis(req->headers.entries[ct].value.base, 16, "application/json", 16))
		return respond_error(req, 415, "Unsupported Media Type",
		                     "the body must be application/json");
	peer_address(req, addr, sizeof(addr));
	snprintf(actor, sizeof(actor), "%s from %s", who->actor, addr);
	if (plen >= 16 && h2o_memis(req->path.base, 16, "/v1/fleet/policy", 16) && plen == 16) {
		int rc;

		body =
		    json_loadb(req->entity.base ? req->entity.base : "", req->entity.len, 0, NULL);
		rc = on_policy_post(req, body, actor);
		json_decref(body);
		return rc;
	}
	if (plen >= 18 && plen < sizeof(path) &&
	    h2o_memis(req->path.base, 18, "/v1/fleet/webhooks", 18)) {
		int rc;

		memcpy(path, req->path.base + 18, plen - 18);
		path[plen - 18] = '\0';
		body =
		    json_loadb(req->entity.base ? req->entity.base : "", req->entity.len, 0, NULL);
		rc = on_webhooks_post(req, path, body, actor);
		json_decref(body);
		return rc;
	}
	if (plen <= 18 || plen >= sizeof(path) ||
	    !h2o_memis(req->path.base, 18, "/v1/fleet/devices/", 18))
		return respond_error(req, 405, "Method Not Allowed", "use GET");
	memcpy(path, req->path.base + 18, plen - 18);
	path[plen - 18] = '\0';
	what = strrchr(path, '/');
	if (what == NULL || (strcmp(what, "/owner") != 0 && strcmp(what, "/retire") != 0 &&
	                     strcmp(what, "/revoke") != 0))
		return respond_error(req, 404, "Not Found",
		                     "POST .../owner, .../retire or .../revoke");
	*what++ = '\0';
	id = path;
	if (strcmp(what, "revoke") == 0) {
		done = store_revoke_device(s->store, id, err, sizeof(err));
		if (done > 0)
			audit(actor, "device.revoke", id, NULL);
	} else if (strcmp(what, "owner") == 0) {
		const char *owner;

		body =
		    json_loadb(req->entity.base ? req->entity.base : "", req->entity.len, 0, NULL);
		owner = json_string_value(json_object_get(body, "owner"));
		if (owner == NULL || (*owner != '\0' && !enroll_owner_ok(owner))) {
			json_decref(body);
			return respond_error(
			    req, 400, "Bad Request",
			    "the body is {\"owner\": \"...\"}: at most 254 bytes of "
			    "printable text, or \"\" to clear it");
		}
		done = store_set_owner(s->store, id, owner, err, sizeof(err));
		if (done > 0)
			audit(actor, "device.owner", id, json_pack("{s:s}", "owner", owner));
		json_decref(body);
	} else {
		done = store_retire_device(s->store, id, err, sizeof(err));
		if (done > 0)
			audit(actor, "device.retire", id, NULL);
	}
	if (done < 0) {
		fprintf(stderr, "posture-collector: error: %s\n", err);
		return respond_error(req, 500, "Internal Server Error", "the store failed");
	}
	if (done == 0)
		return respond_error(req, 404, "Not Found", "no such device");
	return respond(req, 200, "OK", "{\"done\":true}");
}

static int on_fleet(h2o_handler_t *self, h2o_req_t *req)
{
	struct server *s = the_server;
	struct principal who;
	char value[64], err[512];
	json_t *doc = NULL;
	int rc;

	(void)self;
	if (principal_of(req, &who) == ROLE_NONE)
		return refuse_admin(req);
	if (is_method(req, "POST")) {
		if (who.role != ROLE_ADMIN)
			return respond_error(req, 403, "Forbidden",
			                     "this changes the fleet: it needs the admin role");
		return on_fleet_post(req, &who);
	}
	if (!is_method(req, "GET"))
		return respond_error(req, 405, "Method Not Allowed", "use GET or POST");
	if (path_is(req, "/v1/fleet/whoami")) {
		doc = json_pack("{s:s, s:s}", "actor", who.actor, "role",
		                who.role == ROLE_ADMIN ? "admin" : "viewer");
		rc = doc ? 0 : -1;
	} else if (path_is(req, "/v1/fleet/webhooks")) {
		if (who.role != ROLE_ADMIN)
			return respond_error(req, 403, "Forbidden", "webhooks need the admin role");
		rc = webhooks_list(s->store, &doc, err, sizeof(err));
	} else if (path_is(req, "/v1/fleet/summary")) {
		struct fleet_options o = { .stale_seconds = s->opt->stale_seconds,
			                   .limit = 100,
			                   .days = 30 };

		if (query_param(req, "stale", value, sizeof(value)) &&
		    (o.stale_seconds = fleet_parse_duration(value)) < 0)
			return respond_error(req, 400, "Bad Request",
			                     "stale must be a duration such as 7d, 12h or 2w");
		if (query_param(req, "limit", value, sizeof(value)) &&
		    (o.limit = (int)bounded(value, 1, 100000)) < 0)
			return respond_error(req, 400, "Bad Request",
			                     "limit must be between 1 and 100000");
		if (query_param(req, "days", value, sizeof(value)) &&
		    (o.days = (int)bounded(value, 1, 3660)) < 0)
			return respond_error(req, 400, "Bad Request",
			                     "days must be between 1 and 3660");
		rc = fleet_summary(s->store, &o, &doc, err, sizeof(err));
	} else if (path_is(req, "/v1/fleet/devices")) {
		rc = store_devices(s->store, &doc, err, sizeof(err));
	} else if (path_is(req, "/v1/fleet/review")) {
		long long stale = 30 * 86400;

		if (query_param(req, "stale", value, sizeof(value)) &&
		    (stale = fleet_parse_duration(value)) < 0)
			return respond_error(req, 400, "Bad Request",
			                     "stale must be a duration such as 30d, 12h or 2w");
		rc = fleet_review(s->store, stale, 0, &doc, err, sizeof(err));
	} else if (path_is(req, "/v1/fleet/inventory")) {
		char q[300] = "", state[32] = "", check[200] = "", status[32] = "", os[100] = "",
		     sort[32] = "", order[8] = "", page[16] = "", per_page[16] = "",
		     owner[256] = "";
		struct fleet_inventory_query iq = { .q = q,
			                            .owner = owner,
			                            .state = state,
			                            .check = check,
			                            .status = status,
			                            .os = os,
			                            .sort = sort,
			                            .stale_seconds = s->opt->stale_seconds };

		query_text(req, "q", q, sizeof(q));
		query_text(req, "state", state, sizeof(state));
		query_text(req, "check", check, sizeof(check));
		query_text(req, "status", status, sizeof(status));
		query_text(req, "os", os, sizeof(os));
		query_text(req, "owner", owner, sizeof(owner));
		query_text(req, "sort", sort, sizeof(sort));
		query_text(req, "order", order, sizeof(order));
		if (query_param(req, "stale", value, sizeof(value)) &&
		    (iq.stale_seconds = fleet_parse_duration(value)) < 0)
			return respond_error(req, 400, "Bad Request",
			                     "stale must be a duration such as 7d, 12h or 2w");
		if ((query_param(req, "page", page, sizeof(page)) &&
		     (iq.page = (int)bounded(page, 1, 1000000)) < 0) ||
		    (query_param(req, "per_page", per_page, sizeof(per_page)) &&
		     (iq.per_page = (int)bounded(per_page, 1, 1000)) < 0))
			return respond_error(req, 400, "Bad Request",
			                     "page is 1 or more, per_page 1 to 1000");
		if (order[0] && strcmp(order, "asc") != 0 && strcmp(order, "desc") != 0)
			return respond_error(req, 400, "Bad Request", "order is asc or desc");
		iq.descending = strcmp(order, "desc") == 0;
		/* format=csv or json: every match, as a file to keep (the page's
		 * export of its current view) */
		if (query_param(req, "format", value, sizeof(value))) {
			if (strcmp(value, "csv") != 0 && strcmp(value, "json") != 0)
				return respond_error(req, 400, "Bad Request",
				                     "format is csv or json");
			iq.all = 1;
		}
		rc = fleet_inventory(s->store, &iq, &doc, err, sizeof(err));
		if (rc == -2)
			return respond_error(req, 400, "Bad Request", err);
		if (rc == 0 && iq.all) {
			int csv = strcmp(value, "csv") == 0;
			char *text = NULL;
			size_t len = 0;

			if (csv ? fleet_inventory_csv(doc, &text, &len) != 0
			        : (text = json_dumps(doc, JSON_INDENT(1))) == NULL) {
				json_decref(doc);
				return respond_error(req, 500, "Internal Server Error",
				                     "out of memory");
			}
			if (!csv)
				len = strlen(text);
			{
				char actor[300], addr[64];
				json_int_t rows =
				    (json_int_t)json_array_size(json_object_get(doc, "devices"));

				json_decref(doc);
				peer_address(req, addr, sizeof(addr));
				snprintf(actor, sizeof(actor), "%s from %s", who.actor, addr);
				audit(actor, "export", "inventory",
				      json_pack("{s:s, s:I}", "format", csv ? "csv" : "json",
				                "rows", rows));
			}
			add_header(req, H2O_TOKEN_CONTENT_DISPOSITION,
			           csv ? "attachment; filename=\"devices.csv\""
			               : "attachment; filename=\"devices.json\"");
			rc = respond_as(req, 200, "OK",
			                csv ? "text/csv; charset=utf-8" : "application/json", text,
			                len);
			free(text);
			return rc;
		}
	} else if (req->path.len > 18 && h2o_memis(req->path.base, 18, "/v1/fleet/devices/", 18)) {
		size_t len = (req->query_at != SIZE_MAX ? req->query_at : req->path.len) - 18;
		char id[300], *rid;

		if (len == 0 || len >= sizeof(id))
			return respond_error(req, 404, "Not Found", "no such device");
		memcpy(id, req->path.base + 18, len);
		id[len] = '\0';
		/* /v1/fleet/devices/ID/reports/REPORT_ID: a stored report, byte
		 * for byte as the device sent it */
		if ((rid = strstr(id, "/reports/")) != NULL) {
			char *body = NULL;
			size_t body_len = 0;

			*rid = '\0';
			rid += 9;
			rc = store_device_report_body(s->store, id, rid, &body, &body_len, err,
			                              sizeof(err));
			if (rc == 0)
				return respond_error(req, 404, "Not Found",
				                     "no such report of that device");
			if (rc > 0) {
				rc = respond_as(req, 200, "OK", "application/json", body, body_len);
				free(body);
				return rc;
			}
			fprintf(stderr, "posture-collector: error: %s\n", err);
			return respond_error(req, 500, "Internal Server Error", "the store failed");
		}
		rc = fleet_device(s->store, id, 200, &doc, err, sizeof(err));
		if (rc == 0)
			return respond_error(req, 404, "Not Found", "no such device");
		rc = rc < 0 ? -1 : 0;
	} else {
		return respond_error(req, 404, "Not Found", "no such fleet resource");
	}
	if (rc != 0) {
		fprintf(stderr, "posture-collector: error: %s\n", err);
		return respond_error(req, 500, "Internal Server Error", "the store failed");
	}
	rc = respond_json(req, doc);
	json_decref(doc);
	return rc;
}

/* GET /v1/crl: the CA's certificate revocation list (DER), naming the
 * revoked devices' certificates; the server certificate points here. */
static int on_crl(h2o_handler_t *self, h2o_req_t *req)
{
	struct server *s = the_server;
	char **serials = NULL, err[256];
	size_t n = 0;
	unsigned char *der;
	int len = 0;

	(void)self;
	if (!is_method(req, "GET") && !is_method(req, "HEAD"))
		return respond_error(req, 405, "Method Not Allowed", "use GET");
	/* signed at most once a second (anyone may ask, as often as they
	 * like); a revocation is on it within a second */
	if (s->crl == NULL || now_ms() - s->crl_at_ms >= 1000) {
		if (store_revoked_serials(s->store, &serials, &n, err, sizeof(err)) != 0) {
			fprintf(stderr, "posture-collector: error: %s\n", err);
			return respond_error(req, 500, "Internal Server Error", "the store failed");
		}
		der = pki_make_crl(s->enroll.ca, s->enroll.ca_key, (const char *const *)serials, n,
		                   &len);
		while (n > 0)
			free(serials[--n]);
		free(serials);
		if (der == NULL)
			return respond_error(req, 500, "Internal Server Error",
			                     "cannot sign the CRL");
		OPENSSL_free(s->crl);
		s->crl = der;
		s->crl_len = len;
		s->crl_at_ms = now_ms();
	}
	req->res.status = 200;
	req->res.reason = "OK";
	add_header(req, H2O_TOKEN_CONTENT_TYPE, "application/pkix-crl");
	add_header(req, H2O_TOKEN_CACHE_CONTROL, "max-age=60");
	/* h2o sends from the pool's copy */
	h2o_send_inline(req, (const char *)s->crl, (size_t)s->crl_len);
	return 0;
}

/* The port REQ arrived on (this end of its connection), or 0. */
static int local_port(h2o_req_t *req)
{
	struct sockaddr_storage ss;
	socklen_t len = req->conn->callbacks->get_sockname
	                    ? req->conn->callbacks->get_sockname(req->conn, (struct sockaddr *)&ss)
	                    : 0;

	if (len == 0)
		return 0;
	return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
	                                      : ((struct sockaddr_in *)&ss)->sin_port);
}

/* The device gauges, from a fleet summary made at most once a second. */
static void device_gauges(struct server *s, long long out[4])
{
	if (s->gauges_at_ms == 0 || now_ms() - s->gauges_at_ms >= 1000) {
		struct fleet_options o = { .stale_seconds = s->opt->stale_seconds,
			                   .limit = 1,
			                   .days = 1 };
		static const char *const names[4] = { "active", "noncompliant", "stale",
			                              "revoked" };
		json_t *summary = NULL;
		char err[256];

		if (fleet_summary(s->store, &o, &summary, err, sizeof(err)) == 0) {
			json_t *d = json_object_get(summary, "devices");

			for (int i = 0; i < 4; i++)
				s->gauges[i] = json_integer_value(json_object_get(d, names[i]));
			json_decref(summary);
		} else {
			fprintf(stderr, "posture-collector: error: %s\n", err);
			for (int i = 0; i < 4; i++)
				s->gauges[i] = -1;
		}
		s->gauges_at_ms = now_ms();
	}
	memcpy(out, s->gauges, sizeof(s->gauges));
}

/* GET /metrics: the Prometheus text format (version 0.0.4). */
static int on_metrics(h2o_handler_t *self, h2o_req_t *req)
{
	struct server *s = the_server;
	struct metrics m;
	char *text = NULL;
	size_t len = 0;
	long long gauges[4];
	FILE *out;

	(void)self;
	if (!is_method(req, "GET"))
		return respond_error(req, 405, "Method Not Allowed", "use GET");
	/* the admin token, or the metrics listener (--metrics-listen) */
	if (!(s->metrics_port != 0 && local_port(req) == s->metrics_port) && !is_admin(req))
		return refuse_admin(req);
	pthread_mutex_lock(&s->writer.mu);
	m = s->m;
	pthread_mutex_unlock(&s->writer.mu);
	out = open_memstream(&text, &len);
	if (out == NULL)
		return respond_error(req, 500, "Internal Server Error", "out of memory");
	fputs("# HELP posture_reports_received_total Reports accepted, by whether they were new.\n"
	      "# TYPE posture_reports_received_total counter\n",
	      out);
	fprintf(out, "posture_reports_received_total{outcome=\"stored\"} %llu\n", m.stored);
	fprintf(out, "posture_reports_received_total{outcome=\"duplicate\"} %llu\n", m.duplicate);
	fputs("# HELP posture_reports_rejected_total Reports refused, by reason.\n"
	      "# TYPE posture_reports_rejected_total counter\n",
	      out);
	fprintf(out, "posture_reports_rejected_total{reason=\"bad_request\"} %llu\n",
	        m.rejected_bad_request);
	fprintf(out, "posture_reports_rejected_total{reason=\"no_certificate\"} %llu\n",
	        m.rejected_no_certificate);
	fprintf(out, "posture_reports_rejected_total{reason=\"revoked\"} %llu\n",
	        m.rejected_revoked);
	fprintf(out, "posture_reports_rejected_total{reason=\"rate_limited\"} %llu\n",
	        m.rejected_rate_limited);
	fprintf(out, "posture_reports_rejected_total{reason=\"store_error\"} %llu\n",
	        m.rejected_store_error);
	fprintf(out, "posture_reports_rejected_total{reason=\"future\"} %llu\n", m.rejected_future);
	fputs("# HELP posture_enrollments_total Enrollment requests, by result.\n"
	      "# TYPE posture_enrollments_total counter\n",
	      out);
	fprintf(out, "posture_enrollments_total{result=\"issued\"} %llu\n", m.enrolled);
	fprintf(out, "posture_enrollments_total{result=\"refused\"} %llu\n", m.enroll_refused);
	fputs("# HELP posture_dashboard_logins_refused_total Dashboard sign-ins with a wrong "
	      "token.\n# TYPE posture_dashboard_logins_refused_total counter\n",
	      out);
	fprintf(out, "posture_dashboard_logins_refused_total %llu\n", m.login_refused);
	fputs("# HELP posture_throttled_total Enrollments and sign-ins refused unheard: too many "
	      "failures from their address lately.\n# TYPE posture_throttled_total counter\n",
	      out);
	fprintf(out, "posture_throttled_total %llu\n", m.throttled);
	fputs("# HELP posture_store_commit_seconds Time to commit one batch of reports durably.\n"
	      "# TYPE posture_store_commit_seconds histogram\n",
	      out);
	/* the buckets count every commit at or under their bound: cumulative,
	 * as Prometheus wants them */
	for (int b = 0; b < N_LATENCY_BUCKETS; b++)
		fprintf(out, "posture_store_commit_seconds_bucket{le=\"%g\"} %llu\n",
		        latency_bounds[b], m.commit_buckets[b]);
	fprintf(out, "posture_store_commit_seconds_bucket{le=\"+Inf\"} %llu\n", m.commits);
	fprintf(out, "posture_store_commit_seconds_sum %.6f\n", m.commit_seconds);
	fprintf(out, "posture_store_commit_seconds_count %llu\n", m.commits);
	fputs(
	    "# HELP posture_store_batched_reports_total Reports committed (commits share fsyncs).\n"
	    "# TYPE posture_store_batched_reports_total counter\n",
	    out);
	fprintf(out, "posture_store_batched_reports_total %llu\n", m.batched_reports);
	device_gauges(s, gauges);
	if (gauges[0] >= 0) {
		fputs("# HELP posture_devices Devices by state (read at most once a second).\n"
		      "# TYPE posture_devices gauge\n",
		      out);
		fprintf(out, "posture_devices{state=\"active\"} %lld\n", gauges[0]);
		fprintf(out, "posture_devices{state=\"noncompliant\"} %lld\n", gauges[1]);
		fprintf(out, "posture_devices{state=\"stale\"} %lld\n", gauges[2]);
		fprintf(out, "posture_devices{state=\"revoked\"} %lld\n", gauges[3]);
		fputs("# HELP posture_noncompliant_devices Active devices whose newest report is "
		      "not compliant.\n# TYPE posture_noncompliant_devices gauge\n",
		      out);
		fprintf(out, "posture_noncompliant_devices %lld\n", gauges[1]);
	}
	fclose(out);
	respond_as(req, 200, "OK", "text/plain; version=0.0.4; charset=utf-8", text, len);
	free(text);
	return 0;
}

/* A connection closed: its certificate record and its place in the list
 * go. */
static void on_sock_close(void *data)
{
	struct conn_rec *c = data;
	struct server *s = the_server;

	peer_forget(c->sock);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->n_conns--;
	if (c->handshaken && !c->authenticated)
		s->n_anon--;
	free(c);
}

/* Ends connection C from outside h2o: its reads see the end, and h2o
 * closes it as it would any connection its client closed. */
static void cut(struct conn_rec *c)
{
	uv_os_fd_t fd;

	if (c->cut)
		return;
	c->cut = 1;
	if (uv_fileno((uv_handle_t *)c->tcp, &fd) == 0)
		shutdown(fd, SHUT_RDWR);
}

/* The TLS handshake is done (or failed): the connection goes to the h2o
 * context for its kind, with a client certificate or without, as
 * h2o_accept would have handed it on (lib/core/util.c). */
static void on_handshake(h2o_socket_t *sock, const char *err)
{
	struct server *s = the_server;
	struct conn_rec *c = sock->data;
	h2o_accept_ctx_t *actx;
	h2o_iovec_t proto;
	struct timeval now;

	sock->data = NULL;
	if (err != NULL || c->cut) {
		h2o_socket_close(sock);
		return;
	}
	c->handshaken = 1;
	for (const struct peer *p = s->peers[peer_bucket(sock)]; p != NULL; p = p->next)
		if (p->sock == sock && p->cn[0] != '\0')
			c->authenticated = 1;
	if (!c->authenticated) {
		if (s->n_anon >= ANON_MAX_CONNS) {
			c->handshaken = 0; /* not counted */
			log_refusal("a connection without a client certificate closed: %d such "
			            "connections are open already",
			            ANON_MAX_CONNS);
			h2o_socket_close(sock);
			return;
		}
		s->n_anon++;
	}
	actx = c->authenticated ? &s->accept_ctx : &s->anon_accept_ctx;
	gettimeofday(&now, NULL);
	proto = h2o_socket_ssl_get_selected_protocol(sock);
	for (const h2o_iovec_t *ident = h2o_http2_alpn_protocols; ident->len != 0; ident++)
		if (proto.len == ident->len && memcmp(proto.base, ident->base, proto.len) == 0) {
			h2o_http2_accept(actx, sock, now);
			return;
		}
	h2o_http1_accept(actx, sock, now);
}

/* Once a second: cut handshakes older than HANDSHAKE_MS and connections
 * without a client certificate older than ANON_LIFETIME_MS (a slow body
 * trickled a byte at a time keeps HTTP/2's idle timeout from firing);
 * give memory back to the system once the connections have halved. */
static json_t *current_policy(void);

static void on_sweep(uv_timer_t *t)
{
	struct server *s = t->data;
	uint64_t now = now_ms();

	(void)current_policy(); /* what reports must carry follows what is published */
	for (struct conn_rec *c = s->conns; c != NULL; c = c->next) {
		uint64_t age = now - c->accepted_ms;

		if ((!c->handshaken && age > HANDSHAKE_MS) ||
		    (c->handshaken && !c->authenticated && age > ANON_LIFETIME_MS))
			cut(c);
	}
	if (s->n_conns > s->peak_conns)
		s->peak_conns = s->n_conns;
	if (s->peak_conns >= 64 && s->n_conns < s->peak_conns / 2) {
#ifdef __GLIBC__
		malloc_trim(0);
#endif
		s->peak_conns = s->n_conns;
	}
}

static void on_accept(uv_stream_t *listener, int status)
{
	struct server *s = the_server;
	h2o_socket_t *sock;
	uv_tcp_t *conn;
	struct conn_rec *c;

	if (status != 0)
		return;
	conn = h2o_mem_alloc(sizeof(*conn));
	uv_tcp_init(listener->loop, conn);
	if (uv_accept(listener, (uv_stream_t *)conn) != 0 || s->n_conns >= MAX_CONNS ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		uv_close((uv_handle_t *)conn, (uv_close_cb)free);
		return;
	}
	/* an answer goes out when it is written, not when the client has
	 * acknowledged the last one (Nagle's wait; nginx's tcp_nodelay) */
	uv_tcp_nodelay(conn, 1);
	sock = h2o_uv_socket_create((uv_stream_t *)conn, (uv_close_cb)free);
	peer_forget(sock); /* a new connection starts with no certificate */
	c->sock = sock;
	c->tcp = conn;
	c->accepted_ms = now_ms();
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->n_conns++;
	sock->on_close.cb = on_sock_close;
	sock->on_close.data = c;
	sock->data = c;
	h2o_socket_ssl_handshake(sock, s->ssl, NULL, on_handshake);
}

/* Every 50 ms after SIGTERM: stop once no report waits for its commit, or
 * at the deadline. */
static void on_grace_tick(uv_timer_t *t)
{
	struct server *s = t->data;

	if (s->in_flight == 0 || now_ms() >= s->stop_deadline_ms)
		uv_stop(t->loop);
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct server *s = h->data;

	fprintf(stderr, "posture-collector: %s: stopping\n",
	        signum == SIGTERM ? "SIGTERM" : "SIGINT");
	s->stopping = 1;
	uv_close((uv_handle_t *)&s->listener, NULL);
	if (s->metrics_port != 0)
		uv_close((uv_handle_t *)&s->metrics_listener, NULL);
	/* requests in flight get up to five seconds to be committed and
	 * answered; idle connections close */
	h2o_context_request_shutdown(&s->ctx);
	h2o_context_request_shutdown(&s->anon_ctx);
	uv_close((uv_handle_t *)&s->sweep, NULL);
	uv_close((uv_handle_t *)&s->sigterm, NULL);
	uv_close((uv_handle_t *)&s->sigint, NULL);
	uv_timer_init(s->loop, &s->grace);
	s->grace.data = s;
	s->stop_deadline_ms = now_ms() + 5000;
	uv_timer_start(&s->grace, on_grace_tick, 100, 50);
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

static void *checkpointer_main(void *arg)
{
	struct server *s = arg;
	struct writer *w = &s->writer;
	char err[512];

	name_thread("posture-ckpt");
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		struct timespec until;

		/* woken by the writer, or once a second for what is left */
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		if (!w->checkpoint_due)
			pthread_cond_timedwait(&w->checkpoint_cv, &w->mu, &until);
		if (w->stop)
			break;
		w->checkpoint_due = 0;
		pthread_mutex_unlock(&w->mu);
		if (store_checkpoint(w->checkpoint_store, err, sizeof(err)) != 0)
			fprintf(stderr, "posture-collector: warning: checkpoint: %s\n", err);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void writer_stop(struct server *s);

/* The scheduled `feed fetch`: about once a minute, each source of
 * feeds.ini (read again each time, so an edit needs no restart) whose feed
 * in the store is missing or older than [fetch] every is fetched; a source
 * that failed is tried again an hour later at the soonest (sooner when
 * every is shorter). Several collectors sharing a store each fetch; the
 * newest serial wins, and serials never repeat (store_add_feed). */
static void on_feeder_fetched(void *arg, const struct feeds_source *src, long long serial,
                              const char *error)
{
	char err[512], detail[1200];

	if (error != NULL) {
		fprintf(stderr, "posture-collector: error: feed fetch: %s: %s\n", src->name, error);
		return;
	}
	fprintf(stderr, "posture-collector: feed fetch: %s stored as serial %lld\n", src->name,
	        serial);
	{
		json_t *d = json_pack("{s:I, s:s}", "serial", (json_int_t)serial, "url", src->url);
		char *text = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

		snprintf(detail, sizeof(detail), "%s", text ? text : "{}");
		free(text);
		json_decref(d);
	}
	if (store_audit_append(arg, "serve feed schedule", "feed.fetch", src->name, detail, err,
	                       sizeof(err)) < 0)
		fprintf(stderr,
		        "posture-collector: error: audit trail: feed.fetch %s not recorded: %s\n",
		        src->name, err);
}

static long long fetched_at_of(json_t *list, const char *name)
{
	size_t i;
	json_t *f;
	long long t = -1;

	json_array_foreach (list, i, f) {
		const char *n = json_string_value(json_object_get(f, "name"));
		const char *at = json_string_value(json_object_get(f, "fetched_at"));

		if (n != NULL && strcmp(n, name) == 0 && at != NULL &&
		    time_parse_rfc3339(at, &t) == 0)
			return t;
	}
	return -1;
}

static void *feeder_main(void *arg)
{
	struct server *s = arg;
	struct feeds_config *c = malloc(sizeof(*c)), *due = malloc(sizeof(*due));
	struct {
		char name[64];
		long long at;
	} tried[FEEDS_MAX_SOURCES];
	size_t n_tried = 0;
	struct store *st = NULL;
	char err[1400], said[1400] = "";

	name_thread("posture-feeds");
	pthread_mutex_lock(&s->feeder_mu);
	while (!s->feeder_stop && c != NULL && due != NULL) {
		long long now = (long long)time(NULL);
		json_t *list = NULL;
		int got;

		pthread_mutex_unlock(&s->feeder_mu);
		got = feeds_config_load(s->opt->config->path, s->opt->dir, c, err, sizeof(err));
		if (got > 0 && c->n > 0 && c->every_s > 0 && st == NULL &&
		    store_open(s->opt->store, 0, &st, err, sizeof(err)) != 0) {
			st = NULL;
			got = -1;
		}
		if (got < 0 && strcmp(err, said) != 0) /* said once, not every minute */
			fprintf(stderr, "posture-collector: error: feed fetch: %s\n", err);
		snprintf(said, sizeof(said), "%s", got < 0 ? err : "");
		if (got > 0 && c->n > 0 && c->every_s > 0 &&
		    store_feeds(st, 0, &list, err, sizeof(err)) == 0) {
			long long retry = c->every_s < 3600 ? c->every_s : 3600;

			*due = *c;
			due->n = 0;
			for (size_t i = 0; i < c->n; i++) {
				long long at = fetched_at_of(list, c->src[i].name);
				size_t k;

				for (k = 0; k < n_tried; k++)
					if (strcmp(tried[k].name, c->src[i].name) == 0)
						break;
				if ((at >= 0 && at + c->every_s > now) ||
				    (k < n_tried && tried[k].at + retry > now))
					continue;
				if (k == n_tried) {
					if (n_tried == FEEDS_MAX_SOURCES)
						continue;
					snprintf(tried[n_tried++].name, sizeof(tried[0].name), "%s",
					         c->src[i].name);
				}
				tried[k].at = now;
				due->src[due->n++] = c->src[i];
			}
			due->stop = &s->feeder_stop;
			if (due->n > 0)
				feeds_fetch(s->opt->dir, st, due, on_feeder_fetched, st);
		}
		json_decref(list);
		pthread_mutex_lock(&s->feeder_mu);
		if (!s->feeder_stop) {
			struct timespec until;

			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 60;
			pthread_cond_timedwait(&s->feeder_cv, &s->feeder_mu, &until);
		}
	}
	pthread_mutex_unlock(&s->feeder_mu);
	store_close(st);
	free(c);
	free(due);
	return NULL;
}

/* With feeder_mu held: waits SECONDS, or until serve stops (nonzero then).
 * Other threads' wake-ups (a sign-in queued) do not cut the wait short. */
static int background_wait(struct server *s, int seconds)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	while (!s->feeder_stop && pthread_cond_timedwait(&s->feeder_cv, &s->feeder_mu, &until) == 0)
		;
	return s->feeder_stop;
}

/* The data lifecycle (lifecycle.c): a pass a minute after start, then one
 * an hour; each outcome that did something is a line of the log. A stop
 * ends a pass between two transactions. */
static void *pruner_main(void *arg)
{
	struct server *s = arg;
	struct store *st = NULL;
	char err[1024], said[1024] = "";
	int wait_s = 60;

	name_thread("posture-prune");
	pthread_mutex_lock(&s->feeder_mu);
	for (;;) {
		struct lifecycle_result res;
		int rc;

		if (background_wait(s, wait_s))
			break;
		pthread_mutex_unlock(&s->feeder_mu);
		wait_s = 3600;
		rc =
		    st != NULL || store_open(s->opt->store, 0, &st, err, sizeof(err)) == 0 ? 0 : -1;
		if (rc == 0)
			rc = lifecycle_pass(st, s->opt->config, "serve retention",
			                    (long long)time(NULL), &s->feeder_stop, &res, err,
			                    sizeof(err));
		if (rc != 0 && strcmp(err, said) != 0) {
			fprintf(stderr, "posture-collector: error: retention: %s\n", err);
			snprintf(said, sizeof(said), "%s", err);
		} else if (rc == 0) {
			said[0] = '\0';
			if (res.days_rolled || res.pruned.reports || res.pruned.changes)
				fprintf(
				    stderr,
				    "posture-collector: retention: rolled up %d days; pruned %lld "
				    "reports and %lld state changes\n",
				    res.days_rolled, res.pruned.reports, res.pruned.changes);
		}
		pthread_mutex_lock(&s->feeder_mu);
	}
	pthread_mutex_unlock(&s->feeder_mu);
	store_close(st);
	return NULL;
}

/* Webhooks (webhooks.c): each second what is due is delivered; each minute
 * the devices gone stale are marked (an event each). Only while a webhook
 * is subscribed does either touch more than one row. */
static void *deliverer_main(void *arg)
{
	struct server *s = arg;
	struct store *st = NULL;
	char err[1024], said[1024] = "";
	long long scanned_at = 0;

	struct syslogfwd *fwd =
	    s->opt->config->syslog_target[0] ? syslogfwd_new(s->opt->config) : NULL;
	char said_syslog[1024] = "";

	name_thread("posture-hooks");
	pthread_mutex_lock(&s->feeder_mu);
	for (;;) {
		long long now;
		int rc;

		if (background_wait(s, 1))
			break;
		pthread_mutex_unlock(&s->feeder_mu);
		now = (long long)time(NULL);
		rc =
		    st != NULL || store_open(s->opt->store, 0, &st, err, sizeof(err)) == 0 ? 0 : -1;
		if (rc == 0 && now - scanned_at >= 60) {
			scanned_at = now;
			rc = webhooks_scan_stale(st, s->opt->stale_seconds, now, err, sizeof(err)) <
			             0
			         ? -1
			         : 0;
		}
		if (rc == 0)
			rc = webhooks_deliver(st, s->opt->config, now, &s->feeder_stop, err,
			                      sizeof(err)) < 0
			         ? -1
			         : 0;
		if (rc != 0 && strcmp(err, said) != 0) {
			fprintf(stderr, "posture-collector: error: webhooks: %s\n", err);
			snprintf(said, sizeof(said), "%s", err);
		} else if (rc == 0) {
			said[0] = '\0';
		}
		/* and the audit trail and state changes to syslog, as they come */
		for (int round = 0; fwd != NULL && st != NULL && round < 20 && !s->feeder_stop;
		     round++) {
			char serr[1024];
			int sent = syslogfwd_pass(fwd, st, serr, sizeof(serr));

			if (sent < 0 && strcmp(serr, said_syslog) != 0) {
				fprintf(stderr,
				        "posture-collector: error: syslog: %s (sent later)\n",
				        serr);
				snprintf(said_syslog, sizeof(said_syslog), "%s", serr);
			} else if (sent >= 0) {
				said_syslog[0] = '\0';
			}
			if (sent <= 0)
				break;
		}
		if (rc != 0 && st != NULL) { /* a store gone away: open it afresh */
			store_close(st);
			st = NULL;
		}
		pthread_mutex_lock(&s->feeder_mu);
	}
	pthread_mutex_unlock(&s->feeder_mu);
	syslogfwd_free(fwd);
	store_close(st);
	return NULL;
}

static void feeder_start(struct server *s, int curl_ready)
{
	pthread_mutex_init(&s->feeder_mu, NULL);
	pthread_cond_init(&s->feeder_cv, NULL);
	s->feeder_started = curl_ready && pthread_create(&s->feeder, NULL, feeder_main, s) == 0;
	if (!s->feeder_started)
		fprintf(stderr,
		        "posture-collector: error: cannot start the feed fetcher%s; feeds "
		        "are fetched only by `feed fetch`\n",
		        curl_ready ? "" : " (libcurl failed to initialise)");
	s->deliverer_started =
	    curl_ready && pthread_create(&s->deliverer, NULL, deliverer_main, s) == 0;
	if (!s->deliverer_started)
		fprintf(stderr, "posture-collector: error: cannot start webhook deliveries; events "
		                "stay queued in the store\n");
	if (s->oidc != NULL) {
		s->oidc_started =
		    curl_ready && pthread_create(&s->oidc_thread, NULL, oidc_main, s) == 0;
		if (!s->oidc_started)
			fprintf(stderr,
			        "posture-collector: error: cannot start OpenID Connect; its "
			        "sign-in is off\n");
	}
	s->pruner_started = pthread_create(&s->pruner, NULL, pruner_main, s) == 0;
	if (!s->pruner_started)
		fprintf(stderr, "posture-collector: error: cannot start the pruner; run "
		                "`posture-collector prune` from cron\n");
}

static void feeder_end(struct server *s)
{
	pthread_mutex_lock(&s->feeder_mu);
	__atomic_store_n(&s->feeder_stop, 1, __ATOMIC_RELAXED); /* a download stops too */
	pthread_cond_broadcast(&s->feeder_cv);
	pthread_mutex_unlock(&s->feeder_mu);
	if (s->feeder_started)
		pthread_join(s->feeder, NULL);
	if (s->pruner_started)
		pthread_join(s->pruner, NULL);
	if (s->deliverer_started)
		pthread_join(s->deliverer, NULL);
	s->deliverer_started = 0;
	if (s->oidc_started)
		pthread_join(s->oidc_thread, NULL);
	s->oidc_started = 0;
	/* sign-ins not finished or not answered: their browsers start again */
	for (struct oidc_job *lists[2] = { s->oidc_todo, s->oidc_done }, **l = lists; l < lists + 2;
	     l++)
		while (*l != NULL) {
			struct oidc_job *job = *l;

			*l = job->next;
			if (job->req != NULL)
				*job->back = NULL;
			OPENSSL_cleanse(job, sizeof(*job));
			free(job);
		}
	s->oidc_todo = s->oidc_done = NULL;
	s->feeder_started = 0;
	s->pruner_started = 0;
}

static int writer_start(struct server *s, char *err, size_t err_len)
{
	struct writer *w = &s->writer;
	int want = strcmp(store_kind(s->store), "postgresql") == 0 ? PG_WRITERS : 1;

	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->queue_tail = &w->queue;
	w->done_tail = &w->done;
	uv_async_init(s->loop, &w->wake, on_written);
	w->wake.data = s;
	pthread_cond_init(&w->checkpoint_cv, NULL);
	pthread_cond_init(&w->sync_cv, NULL);
	w->committed_tail = &w->committed;
	w->started = 1;
	if (want == 1 && strcmp(store_kind(s->store), "sqlite") == 0) {
		if (store_open(s->opt->store, 0, &w->checkpoint_store, err, err_len) != 0)
			goto fail;
		if (pthread_create(&w->checkpointer, NULL, checkpointer_main, s) != 0) {
			snprintf(err, err_len, "cannot start the store's checkpoint thread");
			store_close(w->checkpoint_store);
			w->checkpoint_store = NULL;
			goto fail;
		}
		w->checkpointing = 1;
		if (pthread_create(&w->syncer, NULL, syncer_main, s) != 0) {
			snprintf(err, err_len, "cannot start the store's sync thread");
			goto fail;
		}
		w->syncing = 1;
	}
	for (int i = 0; i < want; i++) {
		struct writer_thread *t = &w->threads[i];

		t->server = s;
		if (store_open(s->opt->store, 0, &t->store, err, err_len) != 0)
			goto fail;
		store_tune_writer(t->store);
		if (w->checkpointing)
			store_defer_checkpoints(t->store);
		if (w->syncing)
			store_defer_sync(t->store);
		if (pthread_create(&t->thread, NULL, writer_main, t) != 0) {
			snprintf(err, err_len, "cannot start the store's writer thread");
			store_close(t->store);
			t->store = NULL;
			goto fail;
		}
		w->n_threads++;
	}
	return 0;
fail:
	writer_stop(s);
	return -1;
}

static void writer_stop(struct server *s)
{
	struct writer *w = &s->writer;

	if (!w->started)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_cond_broadcast(&w->checkpoint_cv);
	for (int i = 0; i < w->n_threads; i++) {
		pthread_join(w->threads[i].thread, NULL);
		store_close(w->threads[i].store);
		w->threads[i].store = NULL;
	}
	w->n_threads = 0;
	/* the writers are done: what they committed is synced and answered */
	if (w->syncing) {
		pthread_mutex_lock(&w->mu);
		w->sync_stop = 1;
		pthread_cond_signal(&w->sync_cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->syncer, NULL);
		w->syncing = 0;
	}
	if (w->checkpointing) {
		pthread_join(w->checkpointer, NULL);
		w->checkpointing = 0;
	}
	/* the last connection to close checkpoints what is left */
	store_close(w->checkpoint_store);
	w->checkpoint_store = NULL;
	/* what was committed but not answered: the agents send it again and
	 * get 200 (already stored) */
	while (w->done != NULL) {
		struct pending *p = w->done;

		w->done = p->next;
		if (p->req != NULL)
			*p->back = NULL;
		pending_free(p);
	}
	w->started = 0;
}

/* SPEC, ADDRESS:PORT (IPv6 in brackets), into *ADDR and *PORT; 0, or -1
 * with ERR naming the option WHAT. */
static int parse_listen(const char *spec, const char *what, struct sockaddr_storage *addr,
                        int *port, char *err, size_t err_len)
{
	const char *colon = strrchr(spec, ':');
	char host[256];

	*port = colon ? (int)bounded(colon + 1, 1, 65535) : -1;
	if (*port < 0) {
		snprintf(err, err_len, "%s must be ADDRESS:PORT (a port from 1 to 65535), not %s",
		         what, spec);
		return -1;
	}
	snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	memset(addr, 0, sizeof(*addr));
	if (uv_ip4_addr(host, *port, (struct sockaddr_in *)addr) != 0 &&
	    uv_ip6_addr(host, *port, (struct sockaddr_in6 *)addr) != 0) {
		snprintf(err, err_len, "%s: %s is not an IP address", what, host);
		return -1;
	}
	return 0;
}

int serve_run(const struct serve_options *opt, char *err, size_t err_len)
{
	struct server s;
	h2o_hostconf_t *host;
	char path[4200];
	struct sockaddr_storage addr, metrics_addr;
	int port, rc = -1;
	const char *dir = opt->dir;
	char *token;
	FILE *f;

	memset(&s, 0, sizeof(s));
	the_server = &s;
	s.opt = opt;
	signal(SIGPIPE, SIG_IGN);
	if (parse_listen(opt->listen, "--listen", &addr, &port, err, err_len) != 0 ||
	    (opt->metrics_listen != NULL &&
	     parse_listen(opt->metrics_listen, "--metrics-listen", &metrics_addr, &s.metrics_port,
	                  err, err_len) != 0))
		return -1;
	if (s.metrics_port == port) {
		snprintf(err, err_len, "--metrics-listen needs a port of its own, not %d", port);
		return -1;
	}
	if (store_open(opt->store, 0, &s.store, err, err_len) != 0)
		return -1;
	/* a damaged store is not served: reports acknowledged into it could
	 * be lost, and what it answers could be wrong */
	{
		int checked = store_check(s.store, opt->store, STORE_CHECK_MS, err, err_len);

		if (checked == 1 || checked < 0) {
			store_close(s.store);
			return -1;
		}
		if (checked == 2)
			fprintf(stderr,
			        "posture-collector: warning: the store's check did not finish in "
			        "%d s; serving without it\n",
			        STORE_CHECK_MS / 1000);
	}
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
	snprintf(path, sizeof(path), "%s/admin-token", dir);
	token = slurp(path);
	if (token != NULL) {
		token[strcspn(token, "\r\n")] = '\0';
		snprintf(s.admin_token, sizeof(s.admin_token), "%s", token);
		OPENSSL_cleanse(token, strlen(token));
		free(token);
	}
	if (s.enroll.ca == NULL || s.enroll.ca_key == NULL || s.enroll.ca_pem == NULL ||
	    s.enroll.policy_pub_pem == NULL || strlen(s.admin_token) < 16) {
		snprintf(err, err_len,
		         "%s is not a collector data directory (posture-collector init)", dir);
		goto out;
	}
	/* the server certificate: current, within 398 days, naming its CRL */
	{
		char key_path[4200];
		int r;

		snprintf(path, sizeof(path), "%s/server.pem", dir);
		snprintf(key_path, sizeof(key_path), "%s/server.key", dir);
		r = pki_refresh_server_cert(path, key_path, s.enroll.ca, s.enroll.ca_key, port, err,
		                            err_len);
		if (r < 0)
			goto out;
		if (r == 1)
			fprintf(stderr,
			        "posture-collector: server certificate reissued (same key) for "
			        "%d days, naming https://...:%d/v1/crl\n",
			        PKI_SERVER_DAYS, port);
	}
	/* TLS 1.2+, modern ciphers, client certificates asked for (enrollment
	 * comes without one) and verified against the CA */
	s.ssl = SSL_CTX_new(TLS_server_method());
	SSL_CTX_set_min_proto_version(s.ssl, TLS1_2_VERSION);
	SSL_CTX_set_cipher_list(s.ssl, "ECDHE+AESGCM:ECDHE+CHACHA20");
	SSL_CTX_set_options(s.ssl, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
	                               SSL_OP_CIPHER_SERVER_PREFERENCE);
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
	SSL_CTX_set_verify(s.ssl, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_info_callback(s.ssl, on_tls_info);
	/* sessions resume (a TLS 1.2 session id, a TLS 1.3 ticket): OpenSSL
	 * refuses to resume a session whose client certificate was asked
	 * for unless the context names the sessions it may resume */
	SSL_CTX_set_session_id_context(s.ssl, (const unsigned char *)"posture-collector", 17);
	/* HTTP/2 unless the admin turned it off: libh2o 2.2 runs a handler for
	 * each stream a client resets (CVE-2023-44487); every handler that an
	 * unauthenticated client reaches is cheap (bench/RESULTS.md), and
	 * --http1-only takes the attack away altogether */
	if (!opt->http1_only)
		h2o_ssl_register_alpn_protocols(s.ssl, h2o_http2_alpn_protocols);

	s.loop = uv_default_loop();
	for (int anon = 0; anon < 2; anon++) {
		h2o_globalconf_t *conf = anon ? &s.anon_config : &s.config;
		h2o_context_t *ctx = anon ? &s.anon_ctx : &s.ctx;
		h2o_accept_ctx_t *actx = anon ? &s.anon_accept_ctx : &s.accept_ctx;

		h2o_config_init(conf);
		/* a device's report may be 1 MiB; nothing sent without a
		 * client certificate needs more than a few KiB */
		conf->max_request_entity_size = anon ? ANON_MAX_BODY : MAX_BODY;
		/* slow clients: an HTTP/1 request's header and body, and an
		 * idle HTTP/2 connection each get ten seconds (the handshake:
		 * on_sweep) */
		conf->handshake_timeout = HANDSHAKE_MS;
		conf->http1.req_timeout = 10000;
		conf->http2.idle_timeout = 10000;
		host = h2o_config_register_host(conf, h2o_iovec_init(H2O_STRLIT("default")), 65535);
		register_handler(host, "/v1/enroll", on_enroll);
		register_handler(host, "/v1/reports", on_reports);
		register_handler(host, "/v1/policy", on_policy);
		register_handler(host, "/v1/feeds", on_feeds);
		register_handler(host, "/v1/fleet", on_fleet);
		register_handler(host, "/v1/crl", on_crl);
		register_handler(host, "/metrics", on_metrics);
		register_handler(host, "/oidc", on_oidc);
		register_handler(host, "/", on_dashboard);
		h2o_context_init(ctx, s.loop, conf);
		actx->ctx = ctx;
		actx->hosts = conf->hosts;
		actx->ssl_ctx = s.ssl;
	}
	uv_timer_init(s.loop, &s.sweep);
	s.sweep.data = &s;
	uv_timer_start(&s.sweep, on_sweep, 1000, 1000);
	if (opt->config->oidc.issuer[0] != '\0') {
		if (oidc_new(&opt->config->oidc, &s.oidc, err, err_len) != 0)
			goto out;
		uv_async_init(s.loop, &s.oidc_wake, on_oidc_done);
		s.oidc_wake.data = &s;
	}
	if (writer_start(&s, err, err_len) != 0)
		goto out;
	feeder_start(&s, curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK);
	uv_tcp_init(s.loop, &s.listener);
	if (uv_tcp_bind(&s.listener, (struct sockaddr *)&addr, 0) != 0 ||
	    uv_listen((uv_stream_t *)&s.listener, 511, on_accept) != 0) {
		snprintf(err, err_len, "cannot listen on %s: %s", opt->listen, strerror(errno));
		goto out;
	}
	if (s.metrics_port != 0) {
		uv_tcp_init(s.loop, &s.metrics_listener);
		if (uv_tcp_bind(&s.metrics_listener, (struct sockaddr *)&metrics_addr, 0) != 0 ||
		    uv_listen((uv_stream_t *)&s.metrics_listener, 64, on_accept) != 0) {
			snprintf(err, err_len, "cannot listen on %s: %s", opt->metrics_listen,
			         strerror(errno));
			goto out;
		}
	}
	(void)current_policy(); /* and what reports must carry, from the start */
	uv_signal_init(s.loop, &s.sigterm);
	uv_signal_init(s.loop, &s.sigint);
	s.sigterm.data = s.sigint.data = &s;
	uv_signal_start(&s.sigterm, on_signal, SIGTERM);
	uv_signal_start(&s.sigint, on_signal, SIGINT);
	fprintf(stderr, "posture-collector: serving %s (%s store) on https://%s\n", dir,
	        store_kind(s.store), opt->listen);
	if (s.metrics_port != 0)
		fprintf(stderr,
		        "posture-collector: /metrics without the admin token on https://%s\n",
		        opt->metrics_listen);
	uv_run(s.loop, UV_RUN_DEFAULT);
	/* h2o 2.2's context cannot be disposed while any connection lingers
	 * (it asserts), so the process ends with it; what is ours is freed */
	rc = 0;
out:
	feeder_end(&s);
	writer_stop(&s);
	oidc_free(s.oidc);
	free(s.feeds_body);
	for (size_t b = 0; b < PEER_BUCKETS; b++)
		while (s.peers[b] != NULL) {
			struct peer *p = s.peers[b];

			s.peers[b] = p->next;
			X509_free(p->cert);
			free(p);
		}
	for (int b = 0; b < RATE_BUCKETS; b++)
		while (s.rates[b] != NULL) {
			struct rate *r = s.rates[b];

			s.rates[b] = r->next;
			free(r);
		}
	for (int b = 0; b < FAIL_BUCKETS; b++)
		while (s.failures[b] != NULL) {
			struct failure *gone = s.failures[b];

			s.failures[b] = gone->next;
			free(gone);
		}
	json_decref(s.policy);
	while (s.known != NULL) {
		struct policy_ids *k = s.known;

		s.known = k->older;
		for (size_t i = 0; i < k->n; i++)
			free(k->ids[i]);
		free(k->ids);
		free(k);
	}
	OPENSSL_free(s.crl);
	SSL_CTX_free(s.ssl);
	store_close(s.store);
#ifdef POSTURE_BENCH_ANSWER_AFTER
	store_pack_free(s.bench_pack);
#endif
	X509_free(s.enroll.ca);
	EVP_PKEY_free(s.enroll.ca_key);
	free((char *)s.enroll.ca_pem);
	free((char *)s.enroll.policy_pub_pem);
	OPENSSL_cleanse(s.admin_token, sizeof(s.admin_token));
	return rc;
}
