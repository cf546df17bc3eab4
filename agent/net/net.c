/* SPDX-License-Identifier: Apache-2.0 */
/*
 * posture-net: the agent's network process.
 *
 * The root process (agent/deliver.c) starts it with one end of a socketpair
 * on fd 3 and sends IPC_CONFIG: the collector's URL and the PEM bytes of the
 * CA, the device's certificate and key. With everything it needs in memory
 * it gives up root and enters its sandbox (sandbox.h) before it opens a
 * connection; from then on it only speaks HTTPS to the collector and typed
 * messages to its parent. It holds nothing on disk: the parent owns the
 * spool, and a report is deleted there only after this process has relayed
 * the collector's 2xx. A malformed message from the parent ends this process;
 * the parent restarts it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include <uv.h>

#include <jansson.h>

#include "enroll.h"
#include "ipc.h"
#include "ipcfd.h"
#include "log.h"
#include "os.h"
#include "policysig.h"
#include "sandbox.h"
#include "transport.h"

#ifndef POSTURE_USER
#define POSTURE_USER "posture"
#endif

struct net {
	uv_loop_t *loop;
	uv_pipe_t parent;
	struct transport *transport;
	char *url; /* the collector's base URL, without a trailing slash */
	char *in;  /* bytes from the parent not yet parsed */
	size_t in_len, in_cap;
	int failed;     /* exit status */
	int closing;    /* the agent closed its socket */
	char *cert_pem; /* the device certificate in use, for renewal */
};

struct delivery {
	struct net *net;
	char name[64];
};

struct outgoing {
	uv_write_t req;
	char *frame;
};

static void on_written(uv_write_t *req, int status)
{
	struct outgoing *o = (struct outgoing *)req;

	(void)status; /* a parent that has gone is seen as EOF on the read side */
	free(o->frame);
	free(o);
}

static void send_frame(struct net *n, uint32_t type, size_t count, const char *const *values,
                       const size_t *lens)
{
	struct outgoing *o;
	size_t len = 0;
	uv_buf_t buf;

	if (n->closing)
		return; /* the agent has gone */
	o = calloc(1, sizeof(*o));
	if (o != NULL)
		o->frame = ipc_build(type, count, values, lens, &len);
	if (o == NULL || o->frame == NULL) {
		log_msg(LOG_ERR, "out of memory answering the agent");
		exit(1);
	}
	buf = uv_buf_init(o->frame, (unsigned int)len);
	if (uv_write(&o->req, (uv_stream_t *)&n->parent, &buf, 1, on_written) != 0) {
		free(o->frame);
		free(o);
	}
}

static void on_delivered(void *arg, const struct transport_response *r)
{
	struct delivery *d = arg;
	char outcome[8], status[8], retry[24], sentence[1024];
	const char *values[5] = { d->name, outcome, status, retry, sentence };
	enum ipc_outcome oc;

	sentence[0] = '\0';
	if (!r->ok) {
		oc = IPC_RETRY;
		snprintf(sentence, sizeof(sentence), "%s", r->error);
	} else if (r->status >= 200 && r->status < 300) {
		oc = IPC_DELIVERED;
	} else if (r->status == 400 || r->status == 413 || r->status == 422) {
		oc = IPC_REFUSED;
		snprintf(sentence, sizeof(sentence),
		         "the collector refused the report (HTTP %ld): %.*s", r->status,
		         (int)(r->body_len > 300 ? 300 : r->body_len), r->body);
	} else {
		oc = IPC_RETRY;
		if (r->error)
			snprintf(sentence, sizeof(sentence), "%s", r->error);
		else if (r->body_len == 0 || r->body[0] == '<')
			/* an HTML error page says no more than its status */
			snprintf(sentence, sizeof(sentence), "the collector answered HTTP %ld",
			         r->status);
		else
			snprintf(sentence, sizeof(sentence),
			         "the collector answered HTTP %ld: %.*s", r->status,
			         (int)(r->body_len > 300 ? 300 : r->body_len), r->body);
	}
	/* a response body is the collector's words: keep the log line one line */
	for (char *p = sentence; *p; p++)
		if (*p == '\n' || *p == '\r' || (unsigned char)*p < 0x20)
			*p = ' ';
	snprintf(outcome, sizeof(outcome), "%d", (int)oc);
	snprintf(status, sizeof(status), "%ld", r->ok ? r->status : 0L);
	snprintf(retry, sizeof(retry), "%ld", r->retry_after);
	send_frame(d->net, IPC_RESULT, 5, values, NULL);
	free(d);
}

static void deliver(struct net *n, const struct ipc_field *f)
{
	static const char *const headers[] = { "Content-Type: application/json", "Expect:", NULL };
	struct delivery *d = calloc(1, sizeof(*d));
	char url[2048];

	if (d == NULL || f[0].len == 0 || f[0].len >= sizeof(d->name) ||
	    memchr(f[0].data, '\0', f[0].len) != NULL) {
		log_msg(LOG_ERR, "malformed delivery request from the agent");
		exit(1);
	}
	d->net = n;
	memcpy(d->name, f[0].data, f[0].len);
	snprintf(url, sizeof(url), "%s/v1/reports", n->url);
	if (transport_request(n->transport, url, f[1].data, f[1].len, headers, on_delivered, d) !=
	    0) {
		struct transport_response r = { .error = "out of memory starting the request" };

		on_delivered(d, &r);
	}
}

struct enrollment {
	struct net *net;
	struct enroll_keys keys;
};

static void send_enrolled(struct net *n, const char *outcome, const char *sentence, const char *key,
                          const char *cert, const char *ca, const char *policy_key)
{
	const char *values[6] = { outcome,          sentence,     key ? key : "",
		                  cert ? cert : "", ca ? ca : "", policy_key ? policy_key : "" };

	send_frame(n, IPC_ENROLLED, 6, values, NULL);
}

/* The collector's own words from an error body: {"error": "..."} or text. */
static void error_words(const struct transport_response *r, char *out, size_t out_len)
{
	json_t *doc = json_loadb(r->body, r->body_len, 0, NULL);
	const char *e = json_string_value(json_object_get(doc, "error"));

	if (e != NULL)
		snprintf(out, out_len, ": %s", e);
	else if (r->body_len > 0 && r->body[0] != '<')
		snprintf(out, out_len, ": %.*s", (int)(r->body_len > 200 ? 200 : r->body_len),
		         r->body);
	else
		out[0] = '\0';
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	json_decref(doc);
}

static void on_enrolled(void *arg, const struct transport_response *r)
{
	struct enrollment *e = arg;
	char sentence[1024], words[300], *cert = NULL, *ca = NULL, *pk = NULL;

	if (!r->ok) {
		send_enrolled(e->net, "1", r->error, NULL, NULL, NULL, NULL);
	} else if (r->status == 401 || r->status == 403) {
		error_words(r, words, sizeof(words));
		snprintf(sentence, sizeof(sentence),
		         "the collector refused the enrollment secret (HTTP %ld%s)", r->status,
		         words);
		send_enrolled(e->net, "1", sentence, NULL, NULL, NULL, NULL);
	} else if (r->status != 200 && r->status != 201) {
		error_words(r, words, sizeof(words));
		snprintf(sentence, sizeof(sentence), "the collector answered HTTP %ld%s", r->status,
		         words);
		send_enrolled(e->net, "1", sentence, NULL, NULL, NULL, NULL);
	} else if (enroll_check_answer(r->body, r->body_len, e->keys.key_pem, &cert, &ca, &pk,
	                               sentence, sizeof(sentence)) != 0) {
		send_enrolled(e->net, "1", sentence, NULL, NULL, NULL, NULL);
	} else {
		send_enrolled(e->net, "0", "enrolled", e->keys.key_pem, cert, ca, pk);
	}
	free(cert);
	free(ca);
	free(pk);
	enroll_keys_free(&e->keys);
	free(e);
}

/* IPC_ENROLL (secret, hostname, device id, owner), or a renewal (SECRET NULL:
 * the request goes with the current client certificate instead). */
static void enroll_with(struct net *n, const char *secret_in, const struct ipc_field *host_f,
                        const struct ipc_field *id_f, const struct ipc_field *owner_f);

static void enroll(struct net *n, const struct ipc_field *f)
{
	char *secret = ipc_strdup(&f[0]);

	if (secret == NULL) {
		log_msg(LOG_ERR, "out of memory enrolling");
		exit(1);
	}
	enroll_with(n, secret, &f[1], &f[2], &f[3]);
	explicit_bzero(secret, strlen(secret));
	free(secret);
}

/* IPC_RENEW: hostname, device id. */
static void renew(struct net *n, const struct ipc_field *f)
{
	long long not_after = 0;
	int due =
	    n->cert_pem ? enroll_renewal_due(n->cert_pem, (long long)time(NULL), &not_after) : -1;
	char sentence[128];

	if (due != 1) {
		snprintf(sentence, sizeof(sentence),
		         due == 0 ? "not due" : "no certificate to renew");
		send_enrolled(n, "2", sentence, NULL, NULL, NULL, NULL); /* not attempted */
		return;
	}
	enroll_with(n, NULL, &f[0], &f[1], NULL);
}

static void enroll_with(struct net *n, const char *secret_in, const struct ipc_field *host_f,
                        const struct ipc_field *id_f, const struct ipc_field *owner_f)
{
	char *owner = owner_f && owner_f->len ? ipc_strdup(owner_f) : NULL;
	static const char *const headers[] = { "Content-Type: application/json", "Expect:", NULL };
	struct enrollment *e = calloc(1, sizeof(*e));
	char *secret = secret_in ? strdup(secret_in) : strdup(""), *host = ipc_strdup(host_f),
	     *id = ipc_strdup(id_f);
	char err[256], url[2048], *body = NULL;
	json_t *doc = NULL;

	if (e == NULL || secret == NULL || host == NULL || id == NULL) {
		log_msg(LOG_ERR, "out of memory enrolling");
		exit(1);
	}
	e->net = n;
	if (enroll_make_request(id, &e->keys, err, sizeof(err)) != 0) {
		send_enrolled(n, "1", err, NULL, NULL, NULL, NULL);
		free(e);
		goto out;
	}
	doc = secret_in ? json_pack("{s:s, s:s, s:s, s:s}", "secret", secret, "csr",
	                            e->keys.csr_pem, "hostname", host, "device_id", id)
	                : json_pack("{s:s, s:s, s:s}", "csr", e->keys.csr_pem, "hostname", host,
	                            "device_id", id);
	if (doc != NULL && owner != NULL)
		json_object_set_new(doc, "owner", json_string(owner));
	body = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	snprintf(url, sizeof(url), "%s/v1/enroll", n->url);
	if (body == NULL || transport_request(n->transport, url, body, strlen(body), headers,
	                                      on_enrolled, e) != 0) {
		struct transport_response r = { .error = "out of memory starting the request" };

		on_enrolled(e, &r);
	}
out:
	if (body != NULL) {
		explicit_bzero(body, strlen(body));
		free(body);
	}
	json_decref(doc);
	explicit_bzero(secret, strlen(secret));
	free(secret);
	free(host);
	free(id);
	free(owner);
}

struct policy_fetch {
	struct net *net;
	char *key_pem;
};

static void send_policy(struct net *n, enum ipc_policy_outcome oc, const char *sentence,
                        const char *etag, long long version, const char *text)
{
	char outcome[8], ver[24];
	const char *values[5] = { outcome, sentence, etag ? etag : "", ver, text ? text : "" };

	snprintf(outcome, sizeof(outcome), "%d", (int)oc);
	snprintf(ver, sizeof(ver), "%lld", version);
	send_frame(n, IPC_POLICY, 5, values, NULL);
}

static void on_policy(void *arg, const struct transport_response *r)
{
	struct policy_fetch *pf = arg;
	char sentence[1024], words[300];
	long long version = 0;
	char *text = NULL;

	if (!r->ok) {
		send_policy(pf->net, IPC_POLICY_UNREACHED, r->error, NULL, 0, NULL);
	} else if (r->status == 304) {
		send_policy(pf->net, IPC_POLICY_UNCHANGED, "not modified", r->etag, 0, NULL);
	} else if (r->status == 404) {
		send_policy(pf->net, IPC_POLICY_UNCHANGED, "the collector has no policy published",
		            NULL, 0, NULL);
	} else if (r->status != 200) {
		error_words(r, words, sizeof(words));
		snprintf(sentence, sizeof(sentence),
		         "fetching the policy: the collector answered HTTP %ld%s", r->status,
		         words);
		send_policy(pf->net, IPC_POLICY_BAD, sentence, NULL, 0, NULL);
	} else if (policysig_verify(r->body, r->body_len, pf->key_pem, &version, &text, sentence,
	                            sizeof(sentence)) != 0) {
		send_policy(pf->net, IPC_POLICY_BAD, sentence, NULL, 0, NULL);
	} else {
		send_policy(pf->net, IPC_POLICY_NEW, "signature verified", r->etag, version, text);
	}
	free(text);
	free(pf->key_pem);
	free(pf);
}

/* IPC_POLICY_FETCH: ETag of the policy in force, policy-signing key. */
static void fetch_policy(struct net *n, const struct ipc_field *f)
{
	struct policy_fetch *pf = calloc(1, sizeof(*pf));
	char url[2048], inm[300];
	const char *headers[2] = { NULL, NULL };

	if (pf == NULL || (pf->key_pem = ipc_strdup(&f[1])) == NULL) {
		log_msg(LOG_ERR, "out of memory fetching the policy");
		exit(1);
	}
	pf->net = n;
	if (f[0].len > 0 && f[0].len < 256 && memchr(f[0].data, '\n', f[0].len) == NULL &&
	    memchr(f[0].data, '\r', f[0].len) == NULL) {
		snprintf(inm, sizeof(inm), "If-None-Match: %.*s", (int)f[0].len, f[0].data);
		headers[0] = inm;
	}
	snprintf(url, sizeof(url), "%s/v1/policy", n->url);
	if (transport_request(n->transport, url, NULL, 0, headers, on_policy, pf) != 0) {
		struct transport_response r = { .error = "out of memory starting the request" };

		on_policy(pf, &r);
	}
}

/* GET /v1/feeds: at most this much (the feeds of a fleet: a few MiB) */
#define FEEDS_MAX_ANSWER (48u << 20)

struct feeds_fetch {
	struct net *net;
	char *key_pem;
};

static void send_feeds(struct net *n, enum ipc_policy_outcome oc, const char *sentence,
                       const char *etag)
{
	char outcome[8];
	const char *values[3] = { outcome, sentence, etag ? etag : "" };

	snprintf(outcome, sizeof(outcome), "%d", (int)oc);
	send_frame(n, IPC_FEEDS, 3, values, NULL);
}

/* Each envelope verified on its own: one altered feed is refused (and
 * named) without costing the others. */
static void on_feeds(void *arg, const struct transport_response *r)
{
	struct feeds_fetch *ff = arg;
	char sentence[1024], words[300], why[400];
	json_t *feeds = NULL, *env;
	size_t i, refused = 0, passed = 0;

	if (!r->ok) {
		send_feeds(ff->net, IPC_POLICY_UNREACHED, r->error, NULL);
	} else if (r->status == 304) {
		send_feeds(ff->net, IPC_POLICY_UNCHANGED, "not modified", r->etag);
	} else if (r->status != 200) {
		error_words(r, words, sizeof(words));
		snprintf(sentence, sizeof(sentence),
		         "fetching the release feeds: the collector answered HTTP %ld%s", r->status,
		         words);
		send_feeds(ff->net, IPC_POLICY_BAD, sentence, NULL);
	} else if (feedsig_answer(r->body, r->body_len, &feeds, sentence, sizeof(sentence)) != 0) {
		send_feeds(ff->net, IPC_POLICY_BAD, sentence, NULL);
	} else {
		sentence[0] = '\0';
		json_array_foreach (feeds, i, env) {
			struct feedsig f;
			char serial[24], at[24];
			const char *values[4] = { f.name, serial, at, NULL };
			size_t lens[4];

			if (feedsig_verify(env, ff->key_pem, &f, why, sizeof(why)) != 0) {
				size_t len = strlen(sentence);

				/* the first refusals named; the rest counted */
				if (refused++ < 3)
					snprintf(sentence + len, sizeof(sentence) - len, "%s%s",
					         len ? "; " : "refused: ", why);
				continue;
			}
			snprintf(serial, sizeof(serial), "%lld", f.serial);
			snprintf(at, sizeof(at), "%lld", f.fetched_at);
			values[3] = f.body;
			lens[0] = strlen(f.name);
			lens[1] = strlen(serial);
			lens[2] = strlen(at);
			lens[3] = f.body_len;
			send_frame(ff->net, IPC_FEED, 4, values, lens);
			feedsig_free(&f);
			passed++;
		}
		if (refused > 3) {
			size_t len = strlen(sentence);

			snprintf(sentence + len, sizeof(sentence) - len, "; and %zu more",
			         refused - 3);
		}
		if (refused == 0)
			snprintf(sentence, sizeof(sentence), "%zu feed%s, signature%s verified",
			         passed, passed == 1 ? "" : "s", passed == 1 ? "" : "s");
		/* an answer with a refused feed is not taken as the one in force:
		 * its ETag is not kept, so the next fetch asks again */
		send_feeds(ff->net, refused ? IPC_POLICY_BAD : IPC_POLICY_NEW, sentence,
		           refused ? NULL : r->etag);
		json_decref(feeds);
	}
	free(ff->key_pem);
	free(ff);
}

/* IPC_FEEDS_FETCH: ETag of the last answer, policy-signing key. */
static void fetch_feeds(struct net *n, const struct ipc_field *f)
{
	struct feeds_fetch *ff = calloc(1, sizeof(*ff));
	char url[2048], inm[300];
	const char *headers[2] = { NULL, NULL };

	if (ff == NULL || (ff->key_pem = ipc_strdup(&f[1])) == NULL) {
		log_msg(LOG_ERR, "out of memory fetching the release feeds");
		exit(1);
	}
	ff->net = n;
	if (f[0].len > 0 && f[0].len < 256 && memchr(f[0].data, '\n', f[0].len) == NULL &&
	    memchr(f[0].data, '\r', f[0].len) == NULL) {
		snprintf(inm, sizeof(inm), "If-None-Match: %.*s", (int)f[0].len, f[0].data);
		headers[0] = inm;
	}
	snprintf(url, sizeof(url), "%s/v1/feeds", n->url);
	/* the feeds' answer carries whole publishers' files */
	if (transport_request_max(n->transport, url, NULL, 0, headers, FEEDS_MAX_ANSWER, on_feeds,
	                          ff) != 0) {
		struct transport_response r = { .error = "out of memory starting the request" };

		on_feeds(ff, &r);
	}
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct net *n = h->data;

	(void)suggested;
	if (n->in_cap - n->in_len < 65536) {
		size_t cap = n->in_cap ? n->in_cap * 2 : 131072;
		char *grown = cap <= (size_t)IPC_MAX * 2 ? realloc(n->in, cap) : NULL;

		if (grown == NULL) {
			*buf = uv_buf_init(NULL, 0);
			return;
		}
		n->in = grown;
		n->in_cap = cap;
	}
	*buf = uv_buf_init(n->in + n->in_len, (unsigned int)(n->in_cap - n->in_len));
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct net *n = s->data;
	size_t off = 0;

	(void)buf;
	if (nread < 0) {
		/* the agent has gone (or stopped us): nothing is ours to save */
		uv_read_stop(s);
		n->closing = 1;
		uv_close((uv_handle_t *)&n->parent, NULL);
		transport_close(n->transport); /* callbacks run, their answers go nowhere */
		n->transport = NULL;
		return;
	}
	n->in_len += (size_t)nread;
	for (;;) {
		struct ipc_field f[8];
		char err[256];
		uint32_t type;
		long long used =
		    ipc_parse(n->in + off, n->in_len - off, &type, f, 8, err, sizeof(err));

		if (used == 0)
			break;
		if (used < 0 ||
		    (type != IPC_DELIVER && type != IPC_ENROLL && type != IPC_POLICY_FETCH &&
		     type != IPC_RENEW && type != IPC_FEEDS_FETCH)) {
			log_msg(LOG_ERR, "malformed message from the agent: %s",
			        used < 0 ? err : "unexpected type");
			exit(1);
		}
		if (type == IPC_ENROLL)
			enroll(n, f);
		else if (type == IPC_RENEW)
			renew(n, f);
		else if (type == IPC_POLICY_FETCH)
			fetch_policy(n, f);
		else if (type == IPC_FEEDS_FETCH)
			fetch_feeds(n, f);
		else
			deliver(n, f);
		off += (size_t)used;
	}
	memmove(n->in, n->in + off, n->in_len - off);
	n->in_len -= off;
}

/* The settings, read before the sandbox closes. */
static int configure(struct net *n, int fd, struct transport_config *tc, char **frame)
{
	struct ipc_field f[8];
	char err[256];
	uint32_t type;
	size_t len;
	long long used;
	char *v[8];
	int i;

	if (ipc_read_frame(fd, frame, &len) != 0) {
		log_msg(LOG_ERR, "no settings from the agent");
		return -1;
	}
	used = ipc_parse(*frame, len, &type, f, 8, err, sizeof(err));
	if (used != (long long)len || type != IPC_CONFIG) {
		log_msg(LOG_ERR, "malformed settings from the agent: %s",
		        used < 0 ? err : "unexpected type");
		return -1;
	}
	for (i = 0; i < 8; i++) {
		v[i] = ipc_strdup(&f[i]);
		if (v[i] == NULL)
			return -1;
	}
	n->url = v[0];
	while (n->url[0] && n->url[strlen(n->url) - 1] == '/')
		n->url[strlen(n->url) - 1] = '\0';
	tc->ca_pem = v[1];
	tc->pin = v[2];
	tc->cert_pem = v[3];
	n->cert_pem = strdup(v[3]);
	tc->key_pem = v[4];
	tc->proxy = v[5];
	tc->connect_timeout_s = ipc_number(&f[6], 3600);
	tc->timeout_s = ipc_number(&f[7], 86400);
	free(v[6]);
	free(v[7]);
	if (tc->connect_timeout_s <= 0 || tc->timeout_s <= 0) {
		log_msg(LOG_ERR, "malformed settings from the agent: timeouts");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct transport_config tc;
	struct net n;
	char err[512], who[64], *frame = NULL;
	int fd = 3;

	(void)argc;
	(void)argv;
	memset(&n, 0, sizeof(n));
	memset(&tc, 0, sizeof(tc));
	log_set_name("posture-net");
	os_log_is_system();
	signal(SIGPIPE, SIG_IGN);
	/* this process ends when the agent closes its socket, not on the
	 * terminal's or the service manager's signals to the whole group */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (configure(&n, fd, &tc, &frame) != 0)
		return 1;
	free(frame);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_msg(LOG_ERR, "libcurl failed to initialise");
		return 1;
	}
	if (sandbox_drop_user(POSTURE_USER, who, sizeof(who), err, sizeof(err)) != 0 ||
	    sandbox_enter(err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "%s", err);
		return 1;
	}
	n.loop = uv_default_loop();
	if (transport_open(n.loop, &tc, &n.transport, err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "%s", err);
		return 1;
	}
	/* the transport copied them; the key does not linger here */
	explicit_bzero((char *)tc.key_pem, strlen(tc.key_pem));
	free((char *)tc.ca_pem);
	free((char *)tc.pin);
	free((char *)tc.cert_pem);
	free((char *)tc.key_pem);
	free((char *)tc.proxy);
	if (uv_pipe_init(n.loop, &n.parent, 0) != 0 || uv_pipe_open(&n.parent, fd) != 0) {
		log_msg(LOG_ERR, "cannot use the agent's socket");
		return 1;
	}
	n.parent.data = &n;
	uv_read_start((uv_stream_t *)&n.parent, on_alloc, on_read);
	uv_run(n.loop, UV_RUN_DEFAULT);
	uv_loop_close(n.loop);
	curl_global_cleanup();
	free(n.in);
	free(n.url);
	free(n.cert_pem);
	return 0;
}
