/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport: HTTPS requests to the collector, libcurl's multi interface
 * driven by a libuv loop (the pattern of curl's docs/examples/multi-uv.c).
 *
 * Every request is TLS 1.2 or later, verifies the collector's certificate
 * against the configured CA (given as PEM bytes, so nothing is read from
 * disk after the process has dropped its privileges) and its host name,
 * checks the optional public-key pin, presents the device's certificate when
 * there is one, prefers HTTP/2, never follows a redirect and never speaks
 * anything but https. Only the network process links this.
 */
#ifndef POSTURE_TRANSPORT_H
#define POSTURE_TRANSPORT_H

#include <stddef.h>
#include <uv.h>

struct transport_config {
	const char *ca_pem;   /* "" or NULL: the system's store */
	const char *pin;      /* "sha256//..." or "" */
	const char *cert_pem; /* the device's certificate and key, or "" */
	const char *key_pem;
	const char *proxy; /* "" for the environment's HTTPS_PROXY, if any */
	long connect_timeout_s, timeout_s;
};

struct transport_response {
	int ok;           /* an HTTP response arrived (of any status) */
	long status;      /* its HTTP status */
	long retry_after; /* seconds from Retry-After, 0 when absent */
	const char *body; /* the response body, NUL-terminated (at most 1 MiB) */
	size_t body_len;
	const char *error; /* when !ok, or for a redirect: a sentence for the log */
	const char *etag;  /* the ETag header, or NULL */
};

typedef void (*transport_done_cb)(void *arg, const struct transport_response *r);

struct transport;

/* 0 and *OUT, or -1 with ERR. The configuration's strings are copied. */
int transport_open(uv_loop_t *loop, const struct transport_config *cfg, struct transport **out,
                   char *err, size_t err_len);

/* Starts a request (BODY NULL for a GET); DONE is called once, from the loop. */
int transport_request(struct transport *t, const char *url, const char *body, size_t body_len,
                      const char *const *headers, transport_done_cb done, void *arg);
/* transport_request taking an answer of up to MAX bytes (the default 1 MiB;
 * larger answers end the request with an error). */
int transport_request_max(struct transport *t, const char *url, const char *body, size_t body_len,
                          const char *const *headers, size_t max, transport_done_cb done,
                          void *arg);

/* Stops every request, calling each one's callback with an error (!ok), and
 * frees T once LOOP has run the close callbacks. */
void transport_close(struct transport *t);

#endif
