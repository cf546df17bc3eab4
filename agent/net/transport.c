/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport: see transport.h.
 *
 * One uv_poll_t per socket that libcurl asks to watch (CURLMOPT_SOCKETFUNCTION),
 * one uv_timer_t for libcurl's timeout (CURLMOPT_TIMERFUNCTION). libcurl is
 * never re-entered from its own callbacks: the timer callback only arms the
 * uv timer, and curl_multi_socket_action runs from the loop. A poll handle is
 * stopped when libcurl says the socket goes (CURL_POLL_REMOVE), before
 * libcurl closes it, and freed in its close callback.
 */
#include "transport.h"

#include <curl/curl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RESPONSE (1u << 20)

struct transport {
	uv_loop_t *loop;
	CURLM *multi;
	uv_timer_t timer;
	struct curl_blob ca, cert, key;
	char *ca_pem, *pin, *cert_pem, *key_pem, *proxy;
	long connect_timeout_s, timeout_s;
	struct request *requests; /* in flight */
	char sock_error[128];     /* what the last failed socket said (SO_ERROR) */
	int closing;
};

struct request {
	struct transport *t;
	struct request *next, **prevp;
	CURL *easy;
	struct curl_slist *headers;
	char *body; /* what we send, owned */
	char *resp;
	size_t resp_len, resp_cap, resp_max;
	int too_big;
	char errbuf[CURL_ERROR_SIZE];
	transport_done_cb done;
	void *arg;
};

struct poll_ctx {
	uv_poll_t poll;
	curl_socket_t fd;
	struct transport *t;
};

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static void check_done(struct transport *t);

static void on_poll_close(uv_handle_t *h)
{
	free(h->data);
}

static void on_poll(uv_poll_t *h, int status, int events)
{
	struct poll_ctx *ctx = h->data;
	int flags = 0, running;

	if (status < 0) {
		int soerr = 0;
		socklen_t len = sizeof(soerr);

		/* libuv says only that the socket failed; the socket says how,
		 * which the log line should carry instead of "select/poll
		 * returned error" */
		if (getsockopt(ctx->fd, SOL_SOCKET, SO_ERROR, (void *)&soerr, &len) == 0 &&
		    soerr != 0)
			snprintf(ctx->t->sock_error, sizeof(ctx->t->sock_error), "%s",
			         strerror(soerr));
		flags = CURL_CSELECT_ERR;
	}
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(ctx->t->multi, ctx->fd, flags, &running);
	check_done(ctx->t);
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct transport *t = userp;
	struct poll_ctx *ctx = socketp;
	int events = 0;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (ctx != NULL) {
			uv_poll_stop(&ctx->poll);
			uv_close((uv_handle_t *)&ctx->poll, on_poll_close);
			curl_multi_assign(t->multi, fd, NULL);
		}
		return 0;
	}
	if (ctx == NULL) {
		ctx = calloc(1, sizeof(*ctx));
		if (ctx == NULL)
			return -1;
		ctx->fd = fd;
		ctx->t = t;
		if (uv_poll_init_socket(t->loop, &ctx->poll, fd) != 0) {
			free(ctx);
			return -1;
		}
		ctx->poll.data = ctx;
		curl_multi_assign(t->multi, fd, ctx);
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= UV_READABLE;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= UV_WRITABLE;
	uv_poll_start(&ctx->poll, events, on_poll);
	return 0;
}

static void on_timeout(uv_timer_t *h)
{
	struct transport *t = h->data;
	int running;

	curl_multi_socket_action(t->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(t);
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct transport *t = userp;

	(void)multi;
	if (timeout_ms < 0)
		uv_timer_stop(&t->timer);
	else
		uv_timer_start(&t->timer, on_timeout, (uint64_t)timeout_ms, 0);
	return 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
	struct request *r = userp;
	size_t len = size * n;

	if (r->resp_len + len > r->resp_max) {
		r->too_big = 1;
		return 0; /* libcurl stops the transfer with CURLE_WRITE_ERROR */
	}
	if (r->resp_len + len + 1 > r->resp_cap) {
		size_t cap = r->resp_cap ? r->resp_cap : 4096;
		char *grown;

		while (cap < r->resp_len + len + 1)
			cap *= 2;
		grown = realloc(r->resp, cap);
		if (grown == NULL)
			return 0;
		r->resp = grown;
		r->resp_cap = cap;
	}
	memcpy(r->resp + r->resp_len, data, len);
	r->resp_len += len;
	r->resp[r->resp_len] = '\0';
	return len;
}

static void request_free(struct request *r)
{
	if (r->prevp != NULL) {
		*r->prevp = r->next;
		if (r->next)
			r->next->prevp = r->prevp;
	}
	curl_slist_free_all(r->headers);
	curl_easy_cleanup(r->easy);
	free(r->body);
	free(r->resp);
	free(r);
}

/* A sentence for a failed transfer that a person can act on. */
static void describe(const struct request *r, CURLcode rc, const char *url, char *out,
                     size_t out_len)
{
	const char *detail = r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc);

	if (r->t->sock_error[0] && strstr(detail, "select/poll") != NULL)
		detail = r->t->sock_error;
	switch (rc) {
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		snprintf(out, out_len, "the connection to the collector broke: %s", detail);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		/* a certificate for another name is no question of trust: the
		 * URL names a host the collector's certificate does not */
		if (strstr(detail, "subject name") != NULL || strstr(detail, "host name") != NULL ||
		    strstr(detail, "hostname") != NULL)
			snprintf(out, out_len,
			         "the collector's certificate is not for the host in %s: %s (use a "
			         "name it was issued for: posture-collector init --hostname NAME, "
			         "localhost or 127.0.0.1)",
			         url, detail);
		else
			snprintf(out, out_len, "the collector's certificate is not trusted: %s",
			         detail);
		break;
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		snprintf(out, out_len,
		         "the collector's public key does not match the configured pin (%s)",
		         detail);
		break;
	case CURLE_SSL_CONNECT_ERROR:
		snprintf(out, out_len, "TLS handshake with %s failed: %s", url, detail);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		snprintf(out, out_len, "cannot resolve the collector's name: %s", detail);
		break;
	case CURLE_COULDNT_CONNECT: {
		long os_errno = 0;

		curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO, &os_errno);
		snprintf(out, out_len, "cannot connect to the collector: %s%s%s", detail,
		         os_errno ? ": " : "", os_errno ? strerror((int)os_errno) : "");
		break;
	}
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(out, out_len, "the collector did not answer in time: %s", detail);
		break;
	case CURLE_WRITE_ERROR:
		snprintf(out, out_len, "the collector's answer is larger than this agent takes");
		break;
	default:
		snprintf(out, out_len, "request to %s failed: %s", url, detail);
		break;
	}
}

static void check_done(struct transport *t)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(t->multi, &left)) != NULL) {
		struct transport_response resp;
		struct request *r = NULL;
		char sentence[CURL_ERROR_SIZE + 256], etag[256];
		char *url = NULL;
		curl_off_t retry = 0;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		curl_easy_getinfo(r->easy, CURLINFO_EFFECTIVE_URL, &url);
		memset(&resp, 0, sizeof(resp));
		if (m->data.result == CURLE_OK) {
			resp.ok = 1;
			curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &resp.status);
			if (curl_easy_getinfo(r->easy, CURLINFO_RETRY_AFTER, &retry) == CURLE_OK &&
			    retry > 0)
				resp.retry_after = retry > 86400 ? 86400 : (long)retry;
			{
				struct curl_header *h = NULL;

				if (curl_easy_header(r->easy, "ETag", 0, CURLH_HEADER, -1, &h) ==
				        CURLHE_OK &&
				    h != NULL && strlen(h->value) < sizeof(etag)) {
					snprintf(etag, sizeof(etag), "%s", h->value);
					resp.etag = etag;
				}
			}
			if (resp.status >= 300 && resp.status < 400 && resp.status != 304) {
				char *loc = NULL;

				curl_easy_getinfo(r->easy, CURLINFO_REDIRECT_URL, &loc);
				snprintf(
				    sentence, sizeof(sentence),
				    "the collector redirected to %s; redirects are not followed",
				    loc ? loc : "(no location)");
				resp.error = sentence;
			}
		} else {
			describe(r, m->data.result, url ? url : "the collector", sentence,
			         sizeof(sentence));
			resp.error = sentence;
		}
		resp.body = r->resp ? r->resp : "";
		resp.body_len = r->resp_len;
		curl_multi_remove_handle(t->multi, r->easy);
		t->sock_error[0] = '\0';
		r->done(r->arg, &resp);
		request_free(r);
	}
}

int transport_open(uv_loop_t *loop, const struct transport_config *cfg, struct transport **out,
                   char *err, size_t err_len)
{
	struct transport *t = calloc(1, sizeof(*t));

	if (t == NULL)
		goto oom;
	t->loop = loop;
	t->ca_pem = dup_or_empty(cfg->ca_pem);
	t->pin = dup_or_empty(cfg->pin);
	t->cert_pem = dup_or_empty(cfg->cert_pem);
	t->key_pem = dup_or_empty(cfg->key_pem);
	t->proxy = dup_or_empty(cfg->proxy);
	if (!t->ca_pem || !t->pin || !t->cert_pem || !t->key_pem || !t->proxy)
		goto oom;
	t->connect_timeout_s = cfg->connect_timeout_s;
	t->timeout_s = cfg->timeout_s;
	t->ca = (struct curl_blob){ t->ca_pem, strlen(t->ca_pem), CURL_BLOB_NOCOPY };
	t->cert = (struct curl_blob){ t->cert_pem, strlen(t->cert_pem), CURL_BLOB_NOCOPY };
	t->key = (struct curl_blob){ t->key_pem, strlen(t->key_pem), CURL_BLOB_NOCOPY };
	t->multi = curl_multi_init();
	if (t->multi == NULL)
		goto oom;
	uv_timer_init(loop, &t->timer);
	t->timer.data = t;
	curl_multi_setopt(t->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(t->multi, CURLMOPT_SOCKETDATA, t);
	curl_multi_setopt(t->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(t->multi, CURLMOPT_TIMERDATA, t);
	*out = t;
	return 0;
oom:
	snprintf(err, err_len, "out of memory setting up the transport");
	if (t != NULL) {
		free(t->ca_pem);
		free(t->pin);
		free(t->cert_pem);
		free(t->key_pem);
		free(t->proxy);
	}
	free(t);
	return -1;
}

int transport_request(struct transport *t, const char *url, const char *body, size_t body_len,
                      const char *const *headers, transport_done_cb done, void *arg)
{
	return transport_request_max(t, url, body, body_len, headers, MAX_RESPONSE, done, arg);
}

int transport_request_max(struct transport *t, const char *url, const char *body, size_t body_len,
                          const char *const *headers, size_t max, transport_done_cb done, void *arg)
{
	struct request *r = calloc(1, sizeof(*r));
	CURL *e;

	if (r == NULL || t->closing)
		goto fail;
	r->resp_max = max;
	r->t = t;
	r->done = done;
	r->arg = arg;
	r->easy = e = curl_easy_init();
	if (e == NULL)
		goto fail;
	for (; headers && *headers; headers++) {
		struct curl_slist *l = curl_slist_append(r->headers, *headers);

		if (l == NULL)
			goto fail;
		r->headers = l;
	}
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (t->ca.len > 0) {
		/* the configured CA only, not the system's store beside it */
		curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &t->ca);
		curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	}
	if (t->pin[0])
		curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, t->pin);
	if (t->cert.len > 0 && t->key.len > 0) {
		curl_easy_setopt(e, CURLOPT_SSLCERT_BLOB, &t->cert);
		curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
		curl_easy_setopt(e, CURLOPT_SSLKEY_BLOB, &t->key);
		curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
	}
	if (t->proxy[0])
		curl_easy_setopt(e, CURLOPT_PROXY, t->proxy);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, t->connect_timeout_s);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, t->timeout_s);
	/* a collector that stops answering mid-transfer: less than one byte a
	 * second for the connect timeout ends it before the overall one */
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, t->connect_timeout_s);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "posture-agent");
	if (body != NULL) {
		r->body = malloc(body_len ? body_len : 1);
		if (r->body == NULL)
			goto fail;
		memcpy(r->body, body, body_len);
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
	if (r->headers)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
	if (curl_multi_add_handle(t->multi, e) != CURLM_OK)
		goto fail;
	r->next = t->requests;
	if (r->next)
		r->next->prevp = &r->next;
	r->prevp = &t->requests;
	t->requests = r;
	return 0;
fail:
	if (r != NULL)
		request_free(r);
	return -1;
}

static void on_timer_close(uv_handle_t *h)
{
	struct transport *t = h->data;

	curl_multi_cleanup(t->multi);
	free(t->ca_pem);
	free(t->pin);
	free(t->cert_pem);
	free(t->key_pem);
	free(t->proxy);
	free(t);
}

void transport_close(struct transport *t)
{
	if (t == NULL)
		return;
	t->closing = 1;
	while (t->requests != NULL) {
		struct request *r = t->requests;
		struct transport_response resp = { .error = "the request was stopped", .body = "" };

		curl_multi_remove_handle(t->multi, r->easy);
		r->done(r->arg, &resp); /* so that the caller can free what it holds */
		request_free(r);
	}
	uv_close((uv_handle_t *)&t->timer, on_timer_close);
}
