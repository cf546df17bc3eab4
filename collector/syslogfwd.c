/* SPDX-License-Identifier: Apache-2.0 */
/*
 * syslogfwd: see syslogfwd.h.
 */
#define _GNU_SOURCE
#include "syslogfwd.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

/* the structured data's id: RFC 5612's example enterprise number until
 * the project has its own */
#define SD_ID "posture@32473"
#define MAX_MESSAGE 8192
#define BATCH 200

struct syslogfwd {
	const struct collector_config *c;
	int fd;
	int stream; /* TCP: octet-counted frames */
	char hostname[256];
	long pid;
};

struct syslogfwd *syslogfwd_new(const struct collector_config *c)
{
	struct syslogfwd *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->c = c;
	f->fd = -1;
	if (gethostname(f->hostname, sizeof(f->hostname) - 1) != 0 || f->hostname[0] == '\0')
		snprintf(f->hostname, sizeof(f->hostname), "-");
	for (char *p = f->hostname; *p; p++)
		if (*p <= ' ' || *p > '~')
			*p = '-';
	f->pid = (long)getpid();
	return f;
}

void syslogfwd_free(struct syslogfwd *f)
{
	if (f == NULL)
		return;
	if (f->fd >= 0)
		close(f->fd);
	free(f);
}

static int connect_target(struct syslogfwd *f, char *err, size_t err_len)
{
	const char *t = f->c->syslog_target;
	struct timeval tv = { 5, 0 };

	if (strncmp(t, "unix:", 5) == 0) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		if (strlen(t + 5) >= sizeof(sa.sun_path)) {
			snprintf(err, err_len, "[syslog] target %s: the path is too long", t);
			return -1;
		}
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", t + 5);
		f->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (f->fd < 0 || connect(f->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
			goto fail;
		f->stream = 0;
		return 0;
	} else {
		char host[512], *colon;
		struct addrinfo hints = { .ai_family = AF_UNSPEC }, *res = NULL, *ai;
		int tcp = strncmp(t, "tcp://", 6) == 0, gai;

		snprintf(host, sizeof(host), "%s", t + 6);
		colon = strrchr(host, ':');
		if (colon == NULL) {
			snprintf(err, err_len, "[syslog] target %s: HOST:PORT", t);
			return -1;
		}
		*colon = '\0';
		if (host[0] == '[' && colon[-1] == ']') {
			colon[-1] = '\0';
			memmove(host, host + 1, strlen(host));
		}
		hints.ai_socktype = tcp ? SOCK_STREAM : SOCK_DGRAM;
		gai = getaddrinfo(host, colon + 1, &hints, &res);
		if (gai != 0) {
			snprintf(err, err_len, "[syslog] target %s: %s", t, gai_strerror(gai));
			return -1;
		}
		for (ai = res; ai != NULL; ai = ai->ai_next) {
			f->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
			if (f->fd < 0)
				continue;
			setsockopt(f->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
			if (connect(f->fd, ai->ai_addr, ai->ai_addrlen) == 0)
				break;
			close(f->fd);
			f->fd = -1;
		}
		freeaddrinfo(res);
		if (f->fd < 0) {
			snprintf(err, err_len, "[syslog] target %s: cannot connect: %s", t,
			         strerror(errno));
			return -1;
		}
		f->stream = tcp;
		return 0;
	}
fail:
	snprintf(err, err_len, "[syslog] target %s: %s", t, strerror(errno));
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	return -1;
}

/* an SD-PARAM value, escaped (RFC 5424 6.3.3) */
static size_t sd_value(char *out, size_t cap, const char *v)
{
	size_t n = 0;

	for (; v && *v && n + 2 < cap; v++) {
		if (*v == '"' || *v == '\\' || *v == ']')
			out[n++] = '\\';
		out[n++] = *v;
	}
	out[n] = '\0';
	return n;
}

/* "<PRI>1 TIMESTAMP HOSTNAME APP PROCID MSGID [SD] BOM JSON" */
static size_t message(const struct collector_config *c, const char *hostname, long pid,
                      int severity, const char *at, const char *msgid, const char *const *params,
                      const json_t *doc, char *out, size_t out_len)
{
	char *json = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS), value[600];
	int n = snprintf(out, out_len, "<%d>1 %s %s %s %ld %s [" SD_ID,
	                 c->syslog_facility * 8 + severity, at && *at ? at : "-", hostname,
	                 c->syslog_app[0] ? c->syslog_app : "-", pid, msgid);
	size_t len = n > 0 ? (size_t)n : out_len;

	for (size_t i = 0; params[i] != NULL && len < out_len; i += 2) {
		if (params[i + 1] == NULL)
			continue;
		sd_value(value, sizeof(value), params[i + 1]);
		n = snprintf(out + len, out_len - len, " %s=\"%s\"", params[i], value);
		len += n > 0 ? (size_t)n : out_len;
	}
	if (len < out_len) {
		n = snprintf(out + len, out_len - len, "] \xEF\xBB\xBF%s", json ? json : "{}");
		len += n > 0 ? (size_t)n : out_len;
	}
	free(json);
	return len < out_len ? len : 0;
}

size_t syslogfwd_audit_message(const struct collector_config *c, const char *hostname, long pid,
                               const json_t *e, char *out, size_t out_len)
{
	char seq[24];
	const char *action = json_string_value(json_object_get(e, "action"));
	const char *params[] = { "seq",    seq,
		                 "action", action,
		                 "actor",  json_string_value(json_object_get(e, "actor")),
		                 "target", json_string_value(json_object_get(e, "target")),
		                 NULL };

	snprintf(seq, sizeof(seq), "%lld",
	         (long long)json_integer_value(json_object_get(e, "seq")));
	/* notice; a refused sign-in is a warning */
	return message(c, hostname, pid, action && strcmp(action, "signin.refused") == 0 ? 4 : 5,
	               json_string_value(json_object_get(e, "at")), "audit", params, e, out,
	               out_len);
}

size_t syslogfwd_change_message(const struct collector_config *c, const char *hostname, long pid,
                                const json_t *ch, char *out, size_t out_len)
{
	const char *to = json_string_value(json_object_get(ch, "to"));
	const char *params[] = { "device", json_string_value(json_object_get(ch, "device")),
		                 "check",  json_string_value(json_object_get(ch, "check")),
		                 "from",   json_string_value(json_object_get(ch, "from")),
		                 "to",     to,
		                 NULL };
	json_t *doc = json_deep_copy(ch);
	size_t n;

	json_object_del(doc, "seq"); /* the store's own numbering */
	/* a failure is a warning, a pass information, the rest notice */
	n = message(c, hostname, pid,
	            to && (strcmp(to, "fail") == 0 || strcmp(to, "error") == 0) ? 4
	            : to && strcmp(to, "pass") == 0                             ? 6
	                                                                        : 5,
	            json_string_value(json_object_get(ch, "at")), "change", params, doc, out,
	            out_len);
	json_decref(doc);
	return n;
}

static int send_one(struct syslogfwd *f, const char *msg, size_t len, char *err, size_t err_len)
{
	char frame[MAX_MESSAGE + 16];
	size_t n = len;
	const char *p = msg;

	if (f->stream) {
		int k = snprintf(frame, sizeof(frame), "%zu ", len);

		memcpy(frame + k, msg, len);
		p = frame;
		n = (size_t)k + len;
	}
	while (n > 0) {
		ssize_t w = send(f->fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0 || (!f->stream && (size_t)w != n)) {
			snprintf(err, err_len, "[syslog] target %s: %s", f->c->syslog_target,
			         w < 0 ? strerror(errno) : "short send");
			close(f->fd);
			f->fd = -1;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* one stream (audit or changes): from the cursor NAME on, a batch */
static int pass_one(struct syslogfwd *f, struct store *st, int audit, char *err, size_t err_len)
{
	const char *name = audit ? "syslog_audit" : "syslog_changes";
	char old[64], next[32];
	json_t *list = NULL, *x;
	size_t i;
	int sent = 0;
	long long from;

	if (store_setting(st, name, NULL, old, sizeof(old), err, err_len) < 0)
		return -1;
	if (old[0] == '\0' && audit) {
		/* the audit trail is sent whole, from its first entry */
		return store_setting_swap(st, name, "", "0", err, err_len) < 0 ? -1 : 0;
	}
	if (old[0] == '\0') {
		/* the changes: from what is recorded now (the history is in
		 * `posture-collector changes`) */
		long long last = store_changes_last(st, err, err_len);

		if (last < 0)
			return -1;
		snprintf(next, sizeof(next), "%lld", last);
		return store_setting_swap(st, name, "", next, err, err_len) < 0 ? -1 : 0;
	}
	from = strtoll(old, NULL, 10);
	if ((audit ? store_audit_after(st, from, BATCH, &list, err, err_len)
	           : store_changes_after(st, from, NULL, BATCH, &list, err, err_len)) != 0)
		return -1;
	if (json_array_size(list) == 0) {
		json_decref(list);
		return 0;
	}
	/* claimed: another collector on the store sends none of these */
	snprintf(next, sizeof(next), "%lld",
	         (long long)json_integer_value(
	             json_object_get(json_array_get(list, json_array_size(list) - 1), "seq")));
	if (store_setting_swap(st, name, old, next, err, err_len) != 1) {
		json_decref(list);
		return 0;
	}
	json_array_foreach (list, i, x) {
		char msg[MAX_MESSAGE];
		size_t len =
		    audit
		        ? syslogfwd_audit_message(f->c, f->hostname, f->pid, x, msg, sizeof(msg))
		        : syslogfwd_change_message(f->c, f->hostname, f->pid, x, msg, sizeof(msg));

		if (len == 0)
			continue; /* larger than a syslog message may be: in the JSON export */
		if ((f->fd < 0 && connect_target(f, err, err_len) != 0) ||
		    send_one(f, msg, len, err, err_len) != 0) {
			/* give back what was not sent */
			char at[32], e2[256];
			long long seq = (long long)json_integer_value(json_object_get(x, "seq"));

			snprintf(at, sizeof(at), "%lld", seq - 1);
			store_setting_swap(st, name, next, at, e2, sizeof(e2));
			json_decref(list);
			return -1;
		}
		sent++;
	}
	json_decref(list);
	return sent;
}

int syslogfwd_pass(struct syslogfwd *f, struct store *st, char *err, size_t err_len)
{
	int a = pass_one(f, st, 1, err, err_len), c;

	if (a < 0)
		return -1;
	c = pass_one(f, st, 0, err, err_len);
	return c < 0 ? -1 : a + c;
}
