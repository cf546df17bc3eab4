/* SPDX-License-Identifier: Apache-2.0 */
/*
 * deliver: the root side of delivery. It owns the spool's exit: it starts
 * the unprivileged network process (posture-net, see agent/net/net.c), hands
 * it the oldest spooled report, and removes the report only when the
 * network process relays the collector's 2xx. Failures are retried oldest
 * first, with exponential backoff and full jitter capped at an hour, and
 * never sooner than the collector's Retry-After. A report the collector
 * refuses for good (400, 413, 422) is moved to the spool's rejected/
 * directory with a log line: kept, but no longer holding up the others.
 *
 * The network process is a separate program so that the root process never
 * maps libcurl or OpenSSL and never parses a byte from the network; every
 * message from it is checked (lib/ipc.h), and a malformed one ends it.
 */
#ifndef POSTURE_DELIVER_H
#define POSTURE_DELIVER_H

#include <stddef.h>
#include <uv.h>

struct spool;
struct deliver;

struct deliver_opts {
	const char *url;            /* the collector, https://host:port */
	const char *ca_path;        /* NULL: STATE_DIR/collector-ca.pem, or the system's store */
	const char *pin;            /* NULL or "sha256//..." */
	const char *proxy;          /* NULL: HTTPS_PROXY from the environment, if set */
	const char *state_dir;      /* device.crt and device.key */
	const char *secret_file;    /* not enrolled and this exists: enroll first (NULL: default) */
	const char *owner;          /* who uses the device, sent when enrolling (NULL: none) */
	const char *helper;         /* NULL: posture-net beside this program, or in LIBEXECDIR */
	long connect_timeout_s;     /* 0: 30 */
	long timeout_s;             /* 0: 120 */
	int once;                   /* one attempt per report; stop at the first failure */
	void (*changed)(void *arg); /* called after every attempt (status refresh) */
	void (*idle)(void *arg);    /* once: called when there is nothing more to try */
	/* When set, every network process also fetches the collector's signed
	 * policy (GET /v1/policy, verified against STATE/policy-key.pem) and
	 * this gets the outcome (enum ipc_policy_outcome), a sentence, the
	 * ETag, the version and the verified text. */
	void (*policy)(void *arg, int outcome, const char *sentence, const char *etag,
	               long long version, const char *text, size_t text_len);
	/* With the policy, also the collector's signed release feeds (GET
	 * /v1/feeds), each verified by posture-net and kept in
	 * STATE/feeds (agent/feedstore.h) unless it is a replay; FEEDS_KEPT
	 * (when set) is called after a fetch that kept a new one. */
	int feeds;
	void (*feeds_kept)(void *arg);
	void *arg;
};

/* What `posture status` shows about delivery. Strings are owned by the
 * deliverer and valid until its next attempt. */
struct deliver_state {
	const char *last_attempt_at; /* RFC 3339, or "" */
	const char *last_delivered_at;
	const char *last_error; /* "" after a success */
	const char *next_attempt_at;
	int enrolled; /* a device certificate is in the state directory */
	int revoked;  /* the collector said its certificate is revoked: stopped */
	unsigned long delivered, failures;
};

int deliver_start(uv_loop_t *loop, const struct deliver_opts *o, struct spool *spool,
                  struct deliver **out, char *err, size_t err_len);

/* A new report is in the spool: send it now unless a backoff is running. */
void deliver_kick(struct deliver *d);

void deliver_get_state(const struct deliver *d, struct deliver_state *st);

/* Starts the network process, when none runs, for the collector's signed
 * policy alone (an enrolled agent with no policy yet has no report to send
 * that would start it). Does nothing when the device is not enrolled. */
void deliver_fetch_policy(struct deliver *d);

/* The ETag of the collector's policy in force, sent as If-None-Match. */
void deliver_set_policy_etag(struct deliver *d, const char *etag);

/* Stops: the network process is told to go (an unfinished delivery stays
 * in the spool), and D is freed once LOOP has closed its handles. */
void deliver_stop(struct deliver *d);

#endif
