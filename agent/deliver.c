/* SPDX-License-Identifier: Apache-2.0 */
/*
 * deliver: see deliver.h.
 *
 * One report is in flight at a time, the oldest, so the collector receives
 * a device's reports in the order they were made, and a collector that is
 * down costs one failed attempt per backoff period rather than a burst.
 */
#define _GNU_SOURCE
#include "deliver.h"
#include "attrs.h"

#include <errno.h>
#include <jansson.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "device.h"
#include "timefmt.h"
#include "enrollment.h"
#include "feedstore.h"
#include "ipc.h"
#include "log.h"
#include "netchild.h"
#include "os.h"
#include "spool.h"

#ifndef POSTURE_LIBEXECDIR
#define POSTURE_LIBEXECDIR "/usr/local/libexec/posture"
#endif

#define BACKOFF_BASE_MS 5000ull
#define BACKOFF_CAP_MS 3600000ull
#define DELIVER_MAX_REPORT (1u << 20) /* the collector's request body limit */

/* One network process and its socket. It outlives its turn as the current
 * one until the process is reaped and both handles are closed. */
struct helper {
	uv_process_t proc;
	uv_pipe_t chan;
	struct deliver *d;
	struct helper *next;
	int alive;        /* not reaped yet */
	int open_handles; /* of proc and chan */
};

struct deliver {
	uv_loop_t *loop;
	struct deliver_opts o;
	char *url, *ca_path, *pin, *proxy, *state_dir, *helper, *secret_file;
	struct spool *spool;
	struct helper *cur;     /* the one reports go to, or NULL */
	struct helper *helpers; /* every one not yet freed */
	uv_timer_t backoff;
	int backing_off;
	unsigned attempts; /* consecutive failures */
	char in_flight[64];
	char *in;
	size_t in_len, in_cap;
	char last_attempt_at[32], last_delivered_at[32], next_attempt_at[32];
	char last_error[1024];
	int enrolled;
	unsigned long delivered, failures;
	unsigned long streak;   /* delivered since the spool was last empty */
	int policy_pending;     /* a policy fetch is in flight */
	int feeds_pending;      /* a release feeds fetch is in flight */
	char feeds_etag[256];   /* of the last answer taken whole */
	unsigned feeds_refused; /* in the answer being read */
	unsigned feeds_kept;    /* in the answer being read: new feeds kept */
	int enrolling;          /* the network process is enrolling this device */
	int renew_pending;      /* it is checking whether the certificate is due */
	char enroll_id[37], enroll_host[256];
	const char *enroll_secret_used;
	char policy_etag[256];
	int stopping, pending_closes, timer_closed;
	/* the collector said this device's certificate is revoked: nothing
	 * more is sent (the reports stay in the spool) until the service is
	 * restarted or reloaded, say after an approved re-enrollment */
	int revoked;
};

struct outgoing {
	uv_write_t req;
	char *frame;
};

static void try_next(struct deliver *d);

static char *dup_opt(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void set_error(struct deliver *d, const char *fmt, ...) POSTURE_PRINTF(2, 3);

static void set_error(struct deliver *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->last_error, sizeof(d->last_error), fmt, ap);
	va_end(ap);
}

/* An untrusted collector certificate: the error names the CA the agent
 * trusts, and the fix. */
static void name_the_ca(struct deliver *d)
{
	char path[PATH_MAX];
	size_t len = strlen(d->last_error);

	if (strstr(d->last_error, "certificate is not trusted") == NULL)
		return;
	snprintf(path, sizeof(path), "%s/collector-ca.pem", d->state_dir);
	if (d->ca_path == NULL && access(path, R_OK) != 0)
		snprintf(d->last_error + len, sizeof(d->last_error) - len,
		         "; this agent trusts the system's CA store: set [collector] ca to the "
		         "collector's ca.pem");
	else
		snprintf(d->last_error + len, sizeof(d->last_error) - len,
		         "; this agent trusts the CA in %s: it must be the collector's ca.pem "
		         "(set [collector] ca, or enroll again with --ca)",
		         d->ca_path ? d->ca_path : path);
}

static void notify(struct deliver *d)
{
	if (d->o.changed)
		d->o.changed(d->o.arg);
}

static void free_deliver(struct deliver *d)
{
	free(d->url);
	free(d->ca_path);
	free(d->pin);
	free(d->proxy);
	free(d->state_dir);
	free(d->helper);
	free(d->secret_file);
	free(d->in);
	free(d);
}

static void maybe_free(struct deliver *d)
{
	if (d->stopping && d->pending_closes == 0 && d->helpers == NULL)
		free_deliver(d);
}

static void on_handle_closed(uv_handle_t *h)
{
	struct deliver *d = h->data;

	d->pending_closes--;
	maybe_free(d);
}

static void close_timer(struct deliver *d)
{
	if (d->timer_closed)
		return;
	d->timer_closed = 1;
	d->pending_closes++;
	uv_close((uv_handle_t *)&d->backoff, on_handle_closed);
}

static void on_helper_closed(uv_handle_t *handle)
{
	struct helper *h = handle->data, **pp;
	struct deliver *d = h->d;

	if (--h->open_handles > 0)
		return;
	for (pp = &d->helpers; *pp != NULL; pp = &(*pp)->next)
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	free(h);
	if (d->stopping && d->helpers == NULL)
		close_timer(d); /* the stop deadline is no longer needed */
	maybe_free(d);
}

static void kill_helper(struct helper *h)
{
	if (h != NULL && h->alive)
		uv_process_kill(&h->proc, SIGKILL);
}

/* Lets the current network process go: it sees end of file and exits. */
static void close_channel(struct deliver *d)
{
	struct helper *h = d->cur;

	if (h == NULL)
		return;
	d->cur = NULL;
	uv_read_stop((uv_stream_t *)&h->chan);
	uv_close((uv_handle_t *)&h->chan, on_helper_closed);
	d->in_len = 0;
}

/* Full jitter: a uniform delay in [0, min(cap, base * 2^attempts)]. */
static uint64_t backoff_ms(unsigned attempts)
{
	uint64_t ceiling = BACKOFF_BASE_MS << (attempts > 20 ? 20 : attempts);
	uint32_t r = 0;

	if (ceiling > BACKOFF_CAP_MS)
		ceiling = BACKOFF_CAP_MS;
	if (os_random(&r, sizeof(r)) != 0)
		r = 0x80000000u;
	return (uint64_t)((double)r / 4294967296.0 * (double)ceiling);
}

static void on_backoff(uv_timer_t *t)
{
	struct deliver *d = t->data;

	d->backing_off = 0;
	d->next_attempt_at[0] = '\0';
	try_next(d);
}

/* The attempt failed: the report stays spooled and the next try waits. */
static void failed(struct deliver *d, long retry_after_s)
{
	uint64_t delay = backoff_ms(d->attempts);
	time_t when;

	if (d->streak > 0 && !d->o.once)
		log_msg(LOG_INFO, "delivery: %lu report(s) delivered before this failure",
		        d->streak);
	d->streak = 0;
	d->attempts++;
	d->failures++;
	d->in_flight[0] = '\0';
	/* no network process idles through the backoff */
	d->policy_pending = 0;
	d->feeds_pending = 0;
	d->renew_pending = 0;
	close_channel(d);
	if (retry_after_s > 0 && (uint64_t)retry_after_s * 1000 > delay)
		delay = (uint64_t)retry_after_s * 1000;
	if (d->o.once) {
		log_msg(LOG_WARNING, "delivery: %s; %zu report(s) stay in the spool", d->last_error,
		        spool_depth(d->spool));
		notify(d);
		if (d->o.idle)
			d->o.idle(d->o.arg);
		return;
	}
	when = time(NULL) + (time_t)(delay / 1000);
	time_rfc3339(when, d->next_attempt_at);
	log_msg(LOG_WARNING,
	        "delivery: %s; %zu report(s) stay in the spool, next attempt in %llu s",
	        d->last_error, spool_depth(d->spool), (unsigned long long)(delay + 999) / 1000);
	d->backing_off = 1;
	uv_timer_start(&d->backoff, on_backoff, delay, 0);
	notify(d);
}

static void on_result(struct deliver *d, const struct ipc_field *f)
{
	long long outcome = ipc_number(&f[1], 2), status = ipc_number(&f[2], 999),
	          retry = ipc_number(&f[3], 86400);
	char name[64];

	if (f[0].len >= sizeof(name) || outcome < 0 || status < 0 || retry < 0) {
		log_msg(LOG_ERR,
		        "delivery: malformed result from the network process; restarting it");
		kill_helper(d->cur);
		close_channel(d);
		set_error(d, "the network process sent a malformed result");
		failed(d, 0);
		return;
	}
	memcpy(name, f[0].data, f[0].len);
	name[f[0].len] = '\0';
	if (strcmp(name, d->in_flight) != 0) {
		log_msg(LOG_ERR,
		        "delivery: result for %s, which is not in flight; restarting the "
		        "network process",
		        name);
		kill_helper(d->cur);
		close_channel(d);
		set_error(d, "the network process answered for the wrong report");
		failed(d, 0);
		return;
	}
	time_now_rfc3339(d->last_attempt_at);
	if (outcome == IPC_DELIVERED) {
		int rc = spool_remove(d->spool, name);

		if (rc != 0)
			log_msg(LOG_ERR,
			        "delivery: %s delivered but not removed from the spool: %s", name,
			        strerror(-rc));
		/* the count of dropped reports travelled with this one */
		spool_take_dropped(d->spool);
		d->in_flight[0] = '\0';
		d->attempts = 0;
		d->delivered++;
		d->last_error[0] = '\0';
		time_now_rfc3339(d->last_delivered_at);
		/* a backlog is summed up rather than logged line by line */
		d->streak++;
		if (spool_depth(d->spool) == 0 || d->streak % 1000 == 0) {
			if (d->streak == 1)
				log_msg(LOG_INFO,
				        "delivery: report %s delivered (HTTP %lld); %zu waiting",
				        name, status, spool_depth(d->spool));
			else
				log_msg(
				    LOG_INFO,
				    "delivery: report %s delivered (HTTP %lld); %zu waiting, %lu "
				    "delivered in a row",
				    name, status, spool_depth(d->spool), d->streak);
			if (spool_depth(d->spool) == 0)
				d->streak = 0;
		}
		notify(d);
		try_next(d);
		return;
	}
	{
		int n = (int)(f[4].len > 900 ? 900 : f[4].len);

		set_error(d, "%.*s", n, f[4].data);
		for (char *p = d->last_error; *p; p++)
			if ((unsigned char)*p < 0x20)
				*p = ' ';
		name_the_ca(d);
	}
	if (status == 403 && strstr(d->last_error, "revoked") != NULL) {
		d->revoked = 1;
		d->in_flight[0] = '\0';
		d->failures++;
		set_error(d, "revoked: the collector says this device's certificate is revoked");
		d->next_attempt_at[0] = '\0';
		log_msg(LOG_ERR,
		        "delivery: the collector says this device's certificate is revoked; "
		        "delivery stopped, %zu report(s) kept in the spool. An admin can approve "
		        "a new enrollment (posture-collector device reenroll), then: posture "
		        "enroll, and restart the service",
		        spool_depth(d->spool));
		close_channel(d);
		notify(d);
		if (d->o.once && d->o.idle)
			d->o.idle(d->o.arg);
		return;
	}
	if (outcome == IPC_REFUSED) {
		spool_reject(d->spool, name);
		log_msg(LOG_ERR, "delivery: report %s: %s; kept in the spool's rejected/ directory",
		        name, d->last_error);
		d->in_flight[0] = '\0';
		d->failures++;
		notify(d);
		try_next(d);
		return;
	}
	failed(d, (long)retry);
}

/* The network process's answer to the enrollment that start_helper began,
 * or to its renewal check. */
static void on_enrolled_msg(struct deliver *d, const struct ipc_field *f)
{
	char msg[1200];
	int rc;

	if (d->renew_pending && !d->enrolling) {
		d->renew_pending = 0;
		if (f[0].len == 1 && f[0].data[0] == '2') {
			/* not due */
		} else if ((rc = enrollment_store(d->state_dir, d->url, d->enroll_id,
		                                  d->enroll_host, f, NULL, msg, sizeof(msg))) ==
		           0) {
			log_msg(LOG_INFO, "certificate renewed: %s", msg);
		} else {
			log_msg(LOG_WARNING,
			        "certificate renewal failed: %s; the current certificate stays in "
			        "use",
			        msg);
		}
		if (d->cur != NULL && !d->in_flight[0] && !d->policy_pending && !d->feeds_pending &&
		    spool_depth(d->spool) == 0)
			close_channel(d);
		return;
	}

	d->enrolling = 0;
	rc = enrollment_store(d->state_dir, d->url, d->enroll_id, d->enroll_host, f,
	                      d->enroll_secret_used, msg, sizeof(msg));
	/* this network process has no certificate: the next one will */
	close_channel(d);
	if (rc != 0) {
		set_error(d, "enrollment failed: %s", msg);
		failed(d, 0);
		return;
	}
	log_msg(LOG_INFO, "%s", msg);
	try_next(d);
}

static void on_policy_msg(struct deliver *d, const struct ipc_field *f)
{
	long long outcome = ipc_number(&f[0], 3), version = ipc_number(&f[3], LLONG_MAX / 2);
	char *sentence = ipc_strdup(&f[1]), *etag = ipc_strdup(&f[2]);

	d->policy_pending = 0;
	if (outcome < 0 || version < 0 || sentence == NULL || etag == NULL) {
		log_msg(LOG_ERR, "policy: malformed answer from the network process");
	} else {
		for (char *p = sentence; *p; p++)
			if ((unsigned char)*p < 0x20)
				*p = ' ';
		if (d->o.policy)
			d->o.policy(d->o.arg, (int)outcome, sentence, etag, version, f[4].data,
			            f[4].len);
	}
	free(sentence);
	free(etag);
	/* the network process stays only while there is work for it */
	if (d->cur != NULL && !d->in_flight[0] && !d->renew_pending && !d->feeds_pending &&
	    spool_depth(d->spool) == 0)
		close_channel(d);
}

/* IPC_FEED: one verified feed, kept unless it is a replay. */
static void on_feed_msg(struct deliver *d, const struct ipc_field *f)
{
	long long serial = ipc_number(&f[1], LLONG_MAX / 2), at = ipc_number(&f[2], LLONG_MAX / 2);
	char *name = ipc_strdup(&f[0]), why[400];
	int rc;

	if (name == NULL || serial < 0 || at < 0) {
		log_msg(LOG_ERR, "feeds: malformed feed from the network process");
		free(name);
		return;
	}
	rc =
	    feedstore_accept(d->state_dir, name, serial, at, f[3].data, f[3].len, why, sizeof(why));
	if (rc < 0) {
		log_msg(LOG_WARNING, "feeds: %s", why);
		d->feeds_refused++;
	} else if (rc > 0) {
		log_msg(LOG_INFO, "feeds: %s serial %lld kept", name, serial);
		d->feeds_kept++;
	}
	free(name);
}

/* IPC_FEEDS: the fetch is over. */
static void on_feeds_msg(struct deliver *d, const struct ipc_field *f)
{
	long long outcome = ipc_number(&f[0], 3);
	char *sentence = ipc_strdup(&f[1]), *etag = ipc_strdup(&f[2]);

	d->feeds_pending = 0;
	if (outcome < 0 || sentence == NULL || etag == NULL) {
		log_msg(LOG_ERR, "feeds: malformed answer from the network process");
	} else {
		for (char *p = sentence; *p; p++)
			if ((unsigned char)*p < 0x20)
				*p = ' ';
		if (outcome == IPC_POLICY_BAD || outcome == IPC_POLICY_UNREACHED)
			log_msg(LOG_WARNING, "feeds: %s; the feeds kept stay in use", sentence);
		else if (outcome == IPC_POLICY_NEW)
			log_msg(LOG_INFO, "feeds: %s", sentence);
		/* an answer with a replay in it is asked for again next time */
		if (outcome == IPC_POLICY_NEW && d->feeds_refused == 0)
			snprintf(d->feeds_etag, sizeof(d->feeds_etag), "%s", etag);
		else if (outcome != IPC_POLICY_UNCHANGED)
			d->feeds_etag[0] = '\0';
	}
	if (d->feeds_kept > 0 && d->o.feeds_kept != NULL)
		d->o.feeds_kept(d->o.arg);
	d->feeds_refused = d->feeds_kept = 0;
	free(sentence);
	free(etag);
	if (d->cur != NULL && !d->in_flight[0] && !d->renew_pending && !d->policy_pending &&
	    spool_depth(d->spool) == 0)
		close_channel(d);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct deliver *d = ((struct helper *)h->data)->d;

	(void)suggested;
	if (d->in_cap - d->in_len < 4096) {
		size_t cap = d->in_cap ? d->in_cap * 2 : 16384;
		/* a release feed is up to 8 MiB (IPC_FEED) */
		char *grown = cap <= 2 * (size_t)IPC_MAX ? realloc(d->in, cap) : NULL;

		if (grown == NULL) {
			*buf = uv_buf_init(NULL, 0);
			return;
		}
		d->in = grown;
		d->in_cap = cap;
	}
	*buf = uv_buf_init(d->in + d->in_len, (unsigned int)(d->in_cap - d->in_len));
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct helper *h = s->data;
	struct deliver *d = h->d;
	size_t off = 0;

	(void)buf;
	if (h != d->cur)
		return; /* a former network process: nothing it says counts */
	if (n < 0) {
		/* the network process went away; its exit is logged by on_exit */
		close_channel(d);
		d->policy_pending = d->renew_pending = d->feeds_pending = 0;
		if (d->enrolling && !d->stopping) {
			d->enrolling = 0;
			set_error(d, "the network process ended during the enrollment");
			failed(d, 0);
		} else if (d->in_flight[0] && !d->stopping) {
			set_error(d, "the network process ended during the delivery");
			failed(d, 0);
		}
		return;
	}
	d->in_len += (size_t)n;
	while (d->cur == h) {
		struct ipc_field f[8];
		char err[256];
		uint32_t type;
		long long used =
		    ipc_parse(d->in + off, d->in_len - off, &type, f, 8, err, sizeof(err));

		if (used == 0)
			break;
		if (used < 0 || (type != IPC_RESULT && type != IPC_POLICY && type != IPC_FEED &&
		                 type != IPC_FEEDS &&
		                 !(type == IPC_ENROLLED && (d->enrolling || d->renew_pending)))) {
			log_msg(LOG_ERR,
			        "delivery: malformed message from the network process (%s); "
			        "restarting it",
			        used < 0 ? err : "unexpected type");
			kill_helper(d->cur);
			close_channel(d);
			if (d->in_flight[0]) {
				set_error(d, "the network process misbehaved");
				failed(d, 0);
			}
			return;
		}
		off += (size_t)used;
		if (type == IPC_POLICY)
			on_policy_msg(d, f);
		else if (type == IPC_FEED)
			on_feed_msg(d, f);
		else if (type == IPC_FEEDS)
			on_feeds_msg(d, f);
		else if (type == IPC_ENROLLED)
			on_enrolled_msg(d, f);
		else
			on_result(d, f);
	}
	if (d->cur == h) {
		memmove(d->in, d->in + off, d->in_len - off);
		d->in_len -= off;
	}
}

static void on_exit_cb(uv_process_t *p, int64_t status, int signo)
{
	struct helper *h = p->data;

	h->alive = 0;
	if (status != 0 || signo != 0)
		log_msg(LOG_WARNING, "delivery: the network process ended (%s %d)",
		        signo ? "signal" : "status", signo ? signo : (int)status);
	uv_close((uv_handle_t *)p, on_helper_closed);
}

static void on_stop_deadline(uv_timer_t *t)
{
	struct deliver *d = t->data;

	for (struct helper *h = d->helpers; h != NULL; h = h->next)
		if (h->alive) {
			log_msg(LOG_WARNING,
			        "delivery: the network process did not stop; killing it");
			kill_helper(h);
		}
}

static void on_written(uv_write_t *req, int status)
{
	struct outgoing *o = (struct outgoing *)req;

	(void)status; /* a failed write shows up as EOF on the read side */
	free(o->frame);
	free(o);
}

static int send_frame(struct deliver *d, char *frame, size_t len)
{
	struct outgoing *o = calloc(1, sizeof(*o));
	uv_buf_t buf = uv_buf_init(frame, (unsigned int)len);

	if (o == NULL) {
		free(frame);
		return -1;
	}
	o->frame = frame;
	if (d->cur == NULL ||
	    uv_write(&o->req, (uv_stream_t *)&d->cur->chan, &buf, 1, on_written) != 0) {
		free(frame);
		free(o);
		return -1;
	}
	return 0;
}

/* Starts posture-net and sends it its settings. 0, or -1 with last_error. */
static int start_helper(struct deliver *d)
{
	char err[512], path[PATH_MAX];
	char *ca = NULL, *cert = NULL, *key = NULL, *frame, *secret = NULL;
	struct helper *h;
	size_t len;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/collector-ca.pem", d->state_dir);
	ca =
	    netchild_read_pem(d->ca_path ? d->ca_path : path, d->ca_path == NULL, err, sizeof(err));
	snprintf(path, sizeof(path), "%s/device.crt", d->state_dir);
	cert = ca ? netchild_read_pem(path, 1, err, sizeof(err)) : NULL;
	snprintf(path, sizeof(path), "%s/device.key", d->state_dir);
	key = cert ? netchild_read_pem(path, 1, err, sizeof(err)) : NULL;
	if (key == NULL) {
		set_error(d, "%s", err);
		goto out;
	}
	d->enrolled = cert[0] != '\0' && key[0] != '\0';
	if (!d->enrolled) {
		/* MDM may have dropped an enrollment secret: enroll with it first */
		secret = enrollment_read_secret(NULL, d->secret_file, &d->enroll_secret_used, err,
		                                sizeof(err));
		if (secret == NULL) {
			set_error(
			    d,
			    "this device is not enrolled (no %s/device.crt and device.key, and "
			    "%s); run posture enroll",
			    d->state_dir, err);
			goto out;
		}
		cert[0] = key[0] = '\0';
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL) {
		set_error(d, "out of memory starting the network process");
		goto out;
	}
	h->d = d;
	h->chan.data = h;
	h->proc.data = h;
	h->open_handles = 2;
	h->next = d->helpers;
	d->helpers = h;
	d->cur = h;
	rc = netchild_spawn(d->loop, d->helper, &h->proc, &h->chan, on_exit_cb, err, sizeof(err));
	if (rc != 0) {
		set_error(d, "%s", err);
		close_channel(d);
		uv_close((uv_handle_t *)&h->proc, on_helper_closed);
		rc = -1;
		goto out;
	}
	h->alive = 1;
	{
		const struct netchild_config nc = {
			.url = d->url,
			.ca_pem = ca,
			.pin = d->pin,
			.cert_pem = cert,
			.key_pem = key,
			.proxy = d->proxy,
			.connect_timeout_s = d->o.connect_timeout_s,
			.timeout_s = d->o.timeout_s,
		};

		frame = netchild_config_frame(&nc, &len);
	}
	if (frame == NULL || send_frame(d, frame, len) != 0 ||
	    uv_read_start((uv_stream_t *)&h->chan, on_alloc, on_read) != 0) {
		set_error(d, "cannot talk to the network process");
		kill_helper(h);
		close_channel(d);
		rc = -1;
		goto out;
	}
	if (secret != NULL) {
		const char *v[4] = { secret, d->enroll_host, d->enroll_id,
			             d->o.owner ? d->o.owner : "" };

		frame = ipc_build(IPC_ENROLL, 4, v, NULL, &len);
		if (frame == NULL || send_frame(d, frame, len) != 0) {
			set_error(d, "cannot talk to the network process");
			kill_helper(h);
			close_channel(d);
			rc = -1;
			goto out;
		}
		d->enrolling = 1;
		log_msg(LOG_INFO, "not enrolled: enrolling with %s using the secret in %s", d->url,
		        d->enroll_secret_used);
	} else {
		/* posture-net renews the certificate in the last third of its life */
		const char *v[2] = { d->enroll_host, d->enroll_id };

		frame = ipc_build(IPC_RENEW, 2, v, NULL, &len);
		if (frame != NULL && send_frame(d, frame, len) == 0)
			d->renew_pending = 1;
	}
	if (secret == NULL && d->o.policy != NULL) {
		char *pk;

		snprintf(path, sizeof(path), "%s/policy-key.pem", d->state_dir);
		pk = netchild_read_pem(path, 1, err, sizeof(err));
		if (pk != NULL && pk[0] != '\0') {
			const char *v[2] = { d->policy_etag, pk };

			frame = ipc_build(IPC_POLICY_FETCH, 2, v, NULL, &len);
			if (frame != NULL && send_frame(d, frame, len) == 0)
				d->policy_pending = 1;
			if (d->o.feeds) {
				const char *fv[2] = { d->feeds_etag, pk };

				frame = ipc_build(IPC_FEEDS_FETCH, 2, fv, NULL, &len);
				if (frame != NULL && send_frame(d, frame, len) == 0)
					d->feeds_pending = 1;
			}
		}
		free(pk);
	}
	rc = 0;
out:
	if (secret != NULL) {
		explicit_bzero(secret, strlen(secret));
		free(secret);
	}
	free(ca);
	free(cert);
	if (key != NULL) {
		explicit_bzero(key, strlen(key));
		free(key);
	}
	return rc;
}

static void try_next(struct deliver *d)
{
	char name[64], err[512];
	const char *v[2];
	size_t lens[2], len = 0, flen;
	char *data = NULL, *frame;
	int rc;

	if (d->stopping || d->backing_off || d->in_flight[0] || d->enrolling)
		return;
	if (d->revoked) {
		if (d->o.once && d->o.idle)
			d->o.idle(d->o.arg);
		return;
	}
	rc = spool_oldest(d->spool, name, &data, &len, err, sizeof(err));
	if (rc <= 0) {
		if (rc < 0)
			log_msg(LOG_ERR, "delivery: %s", err);
		/* nothing to send: the network process need not sit in memory
		 * until the next report */
		if (!d->policy_pending && !d->renew_pending && !d->feeds_pending)
			close_channel(d);
		if (d->o.once && d->o.idle)
			d->o.idle(d->o.arg);
		return;
	}
	if (len > DELIVER_MAX_REPORT) {
		/* the collector refuses bodies over 1 MiB (and over HTTP/2 only
		 * by resetting the stream): sending it would fail forever */
		log_msg(LOG_ERR,
		        "delivery: report %s is %zu bytes, more than the collector accepts (%u); "
		        "kept in the spool's rejected/ directory",
		        name, len, DELIVER_MAX_REPORT);
		free(data);
		spool_reject(d->spool, name);
		d->failures++;
		notify(d);
		try_next(d);
		return;
	}
	if (d->enroll_id[0] == '\0') {
		/* who this device is, from its own report: computing it here would
		 * map libcrypto into the long-lived process */
		json_t *doc = json_loadb(data, len, 0, NULL);
		json_t *dev = json_object_get(doc, "device");
		const char *id = json_string_value(json_object_get(dev, "id"));
		const char *host = json_string_value(json_object_get(dev, "hostname"));

		snprintf(d->enroll_id, sizeof(d->enroll_id), "%s", id ? id : "unknown");
		snprintf(d->enroll_host, sizeof(d->enroll_host), "%s", host ? host : "unknown");
		json_decref(doc);
	}
	if (d->cur == NULL && start_helper(d) != 0) {
		free(data);
		failed(d, 0);
		return;
	}
	if (d->enrolling) {
		free(data); /* the reports wait for the certificate */
		return;
	}
	v[0] = name;
	lens[0] = strlen(name);
	v[1] = data;
	lens[1] = len;
	frame = ipc_build(IPC_DELIVER, 2, v, lens, &flen);
	free(data);
	snprintf(d->in_flight, sizeof(d->in_flight), "%s", name);
	if (frame == NULL || send_frame(d, frame, flen) != 0) {
		set_error(d, "cannot hand %s to the network process", name);
		failed(d, 0);
	}
}

int deliver_start(uv_loop_t *loop, const struct deliver_opts *o, struct spool *spool,
                  struct deliver **out, char *err, size_t err_len)
{
	struct deliver *d = calloc(1, sizeof(*d));

	if (d == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	d->loop = loop;
	d->o = *o;
	d->spool = spool;
	d->url = dup_opt(o->url);
	d->ca_path = dup_opt(o->ca_path);
	d->pin = dup_opt(o->pin);
	d->proxy = dup_opt(o->proxy);
	d->state_dir = dup_opt(o->state_dir);
	d->helper = dup_opt(o->helper);
	d->secret_file = dup_opt(o->secret_file);
	if (d->url == NULL || d->state_dir == NULL || strncmp(d->url, "https://", 8) != 0) {
		snprintf(err, err_len, "the collector's url must start with https://");
		free_deliver(d);
		return -1;
	}
	uv_timer_init(loop, &d->backoff);
	d->backoff.data = d;
	*out = d;
	return 0;
}

void deliver_kick(struct deliver *d)
{
	if (d != NULL)
		try_next(d);
}

void deliver_fetch_policy(struct deliver *d)
{
	char path[PATH_MAX];
	json_t *rec;

	if (d == NULL || d->stopping || d->cur != NULL || d->revoked)
		return;
	/* who this device is, from its enrollment record (there is no report
	 * to read it from yet); a device not enrolled has no policy to fetch */
	snprintf(path, sizeof(path), "%s/enrollment.json", d->state_dir);
	rec = json_load_file(path, 0, NULL);
	if (d->enroll_id[0] == '\0' && json_string_value(json_object_get(rec, "device_id"))) {
		const char *host = json_string_value(json_object_get(rec, "hostname"));

		snprintf(d->enroll_id, sizeof(d->enroll_id), "%s",
		         json_string_value(json_object_get(rec, "device_id")));
		snprintf(d->enroll_host, sizeof(d->enroll_host), "%s", host ? host : "unknown");
	}
	json_decref(rec);
	if (d->enroll_id[0] == '\0')
		return;
	if (start_helper(d) != 0)
		failed(d, 0);
}

void deliver_get_state(const struct deliver *d, struct deliver_state *st)
{
	st->last_attempt_at = d->last_attempt_at;
	st->last_delivered_at = d->last_delivered_at;
	st->last_error = d->last_error;
	st->next_attempt_at = d->next_attempt_at;
	st->enrolled = d->enrolled;
	st->revoked = d->revoked;
	st->delivered = d->delivered;
	st->failures = d->failures;
}

void deliver_set_policy_etag(struct deliver *d, const char *etag)
{
	if (d != NULL)
		snprintf(d->policy_etag, sizeof(d->policy_etag), "%s", etag ? etag : "");
}

void deliver_stop(struct deliver *d)
{
	if (d == NULL || d->stopping)
		return;
	d->stopping = 1;
	uv_timer_stop(&d->backoff);
	close_channel(d); /* posture-net sees end of file and exits */
	if (d->helpers != NULL)
		/* D lives until every network process has been reaped, which
		 * must be soon */
		uv_timer_start(&d->backoff, on_stop_deadline, 5000, 0);
	else
		close_timer(d);
}
