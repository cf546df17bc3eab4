/* SPDX-License-Identifier: Apache-2.0 */
/*
 * service: `posture run`, one libuv loop.
 *
 * It evaluates at start, then every interval with +-10% jitter (a fleet must
 * not report in lockstep), again when the policy file changes (uv_fs_event on
 * its directory, since editors replace files rather than write them) or on
 * SIGHUP, and stops on SIGTERM or SIGINT. Between evaluations it has no
 * timer but the next one. A new policy that is refused leaves the last good
 * one in force. Every report goes into the spool before anything else is
 * done with it; delivery to the collector drains the spool (transport,
 * enrollment and privilege separation are the rest of the service's issue).
 */
#define _GNU_SOURCE
#include "service.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "atomicfile.h"
#include "contract.h"
#include "config.h"
#include "confine.h"
#include "deliver.h"
#include "device.h"
#include "timefmt.h"
#include "enrollment.h"
#include "diag.h"
#include "ipc.h"
#include "log.h"
#include "os.h"
#ifndef OS_WORKER_SPAWNED
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#endif
#include "engine.h"
#include "feeddir.h"
#include "grace.h"
#include "policy.h"
#include "report.h"
#include "spool.h"
#include "statedir.h"
#include "status.h"

#ifndef POSTURE_VERSION
#define POSTURE_VERSION "0.0.0-dev"
#endif

struct service {
	uv_loop_t *loop;
	uv_timer_t schedule;
	uv_timer_t settle; /* lets a policy file finish changing before reading it */
	uv_signal_t sighup, sigterm, sigint;
	uv_fs_event_t watch;
	int watching;
	struct config cfg;
	const struct service_opts *opts;
	const char *policy_path;
	const char *state_dir;
	char policy_dir[PATH_MAX], policy_base[256];
	char feeds_kept[PATH_MAX]; /* STATE/feeds: the collector's, as fetched */
	struct policy *policy;     /* the last good one */
	struct rootfs *root;
	struct spool *spool;
	struct status_server *status; /* NULL when the socket could not be bound */
	uv_pipe_t worker_pipe;        /* the evaluation in flight, if worker_open */
	pid_t worker;
	/* a spawned worker (OS_WORKER_SPAWNED): its process, the pipe that
	 * hands it the policy, and what has ended of it */
	uv_process_t worker_proc;
	uv_pipe_t worker_in;
	uv_write_t worker_write;
	char *worker_policy; /* what is being written to it */
	int worker_eof, worker_exited, worker_closing;
	/* how it ended: the read's last status, a clean exit, a signal */
	ssize_t worker_end;
	int worker_ok, worker_signal;
	uv_async_t stop_async; /* a stop asked from another thread */
	int worker_open, again;
	char *out; /* the worker's report so far */
	size_t out_len, out_cap;
	char started_at[32];
	struct deliver *deliver; /* NULL when no collector is configured */
	json_t *last_report;
	/* the collector's signed policy, when it is the one in force */
	char collector_policy[PATH_MAX];
	long long policy_version; /* 0: none from the collector yet */
	char policy_etag[256];
	int stopping;
	/* an evaluation that runs past [agent] evaluation_timeout is stopped:
	 * the deadline, where the worker is (shared memory it writes), and,
	 * once stopped, the report of its unfinished checks made instead */
	uv_timer_t deadline;
	volatile int *progress;
	int timed_out, unfinished_at;
};

/* The release feeds an evaluation reads: [agent] feeds when set (files an
 * MDM or an admin put there), else, with a collector, the ones it serves
 * (agent/feedstore.h); none otherwise. */
static const char *feeds_dir(struct service *svc)
{
	if (svc->cfg.feeds_dir != NULL)
		return svc->cfg.feeds_dir;
	if (svc->cfg.collector_url == NULL || svc->state_dir == NULL)
		return NULL;
	snprintf(svc->feeds_kept, sizeof(svc->feeds_kept), "%s/feeds", svc->state_dir);
	return svc->feeds_kept;
}

/* Loads the policy; a refused one leaves the last good one in force. */
static int reload_policy(struct service *svc)
{
	struct policy_env env = { .pkg_system = probe_pkg_system(svc->root) };
	struct policy *p = NULL;
	struct diags d;

	diags_init(&d, svc->policy_path);
	if (policy_load(svc->policy_path, &env, &p, &d) != 0) {
		diags_print(&d, stderr);
		diags_free(&d);
		if (svc->policy != NULL)
			log_msg(LOG_WARNING,
			        "policy %s refused; the last good one (%s%s%s) stays in force",
			        svc->policy_path, svc->policy->name,
			        svc->policy->version ? " " : "",
			        svc->policy->version ? svc->policy->version : "");
		else
			log_msg(LOG_WARNING, "policy %s refused and there is no earlier one",
			        svc->policy_path);
		return -1;
	}
	diags_free(&d);
	policy_free(svc->policy);
	svc->policy = p;
	return 0;
}

static void evaluate(struct service *svc);

static json_t *string_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

/* Where delivery stands, for the status document. Nothing secret: no key,
 * no certificate body. */
static json_t *delivery_json(const struct service *svc)
{
	struct deliver_state ds;

	if (svc->deliver == NULL)
		return json_pack("{s:n, s:s}", "collector", "state", "no collector is configured");
	deliver_get_state(svc->deliver, &ds);
	return json_pack("{s:s, s:b, s:b, s:I, s:I, s:o, s:o, s:o, s:o}", "collector",
	                 svc->cfg.collector_url, "enrolled", ds.enrolled, "revoked", ds.revoked,
	                 "delivered", (json_int_t)ds.delivered, "failures", (json_int_t)ds.failures,
	                 "last_attempt_at", string_or_null(ds.last_attempt_at), "last_delivered_at",
	                 string_or_null(ds.last_delivered_at), "last_error",
	                 string_or_null(ds.last_error), "next_attempt_at",
	                 string_or_null(ds.next_attempt_at));
}

/* What `posture status` reads: the report and the agent around it. */
static void publish_status(struct service *svc)
{
	json_t *st;
	char *text;

	if (svc->status == NULL)
		return;
	st = json_pack("{s:s, s:I, s:s, s:I, s:O, s:o}", "schema", CONTRACT_STATUS_SCHEMA, "pid",
	               (json_int_t)getpid(), "started_at", svc->started_at, "spool_waiting",
	               (json_int_t)spool_depth(svc->spool), "report",
	               svc->last_report ? svc->last_report : json_null(), "delivery",
	               delivery_json(svc));
	text = st ? json_dumps(st, JSON_COMPACT) : NULL;

	if (text == NULL || status_server_set(svc->status, text) != 0)
		log_msg(LOG_ERR, "out of memory while publishing the status");
	free(text);
	json_decref(st);
}

/* Evaluates the policy and returns the report, compact JSON (malloc'd), or
 * NULL after a log line. With UNFINISHED_AT >= -1, no probe runs: the
 * report of an evaluation stopped after TIMEOUT seconds at that point
 * (engine_unfinished). PROGRESS (may be NULL) follows the evaluation. */
static char *build_report(const struct policy *policy, struct rootfs *root, volatile int *progress,
                          int unfinished_at, long long timeout, const char *feeds_dir)
{
	struct evaluation *ev = NULL;
	struct report_meta meta;
	struct feedset feeds;
	struct engine_env eenv;
	char *text, feeds_err[400];
	json_t *doc;
	int rc;

	memset(&eenv, 0, sizeof(eenv));
	/* the feeds are read for each evaluation: a fetch may have renewed them */
	feeddir_env(unfinished_at < -1 ? feeds_dir : NULL, policy, &feeds, &eenv, feeds_err,
	            sizeof(feeds_err));
	rc = unfinished_at >= -1
	         ? engine_unfinished(policy, unfinished_at, timeout, &ev)
	         : engine_evaluate_env(policy, root, ENGINE_DETAILS, &eenv, progress, &ev);
	feedset_free(&feeds);
	if (rc != 0) {
		log_msg(LOG_ERR, "out of memory while evaluating");
		return NULL;
	}
	report_meta_init(&meta, ev, root, POSTURE_VERSION);
	doc = report_json(ev, &meta);
	text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	if (text == NULL)
		log_msg(LOG_ERR, "cannot serialise the report");
	json_decref(doc);
	evaluation_free(ev);
	return text;
}

#ifdef OS_WORKER_SPAWNED
/* posture evaluate-worker: see start_worker. */
int service_worker_main(int argc, char **argv)
{
	const char *name = "policy", *root_dir = "/", *token = NULL, *feeds_dir = NULL;
	int unfinished_at = -2;
	long long timeout = 0;
	char *buf = NULL, *text, err[512];
	size_t len = 0, cap = 0;
	struct rootfs *root = NULL;
	struct policy *policy = NULL;
	struct policy_env env = { 0 };
	struct diags d;
	volatile int *progress = NULL;
	int rc = 1;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--policy-name") == 0)
			name = argv[i + 1];
		else if (strcmp(argv[i], "--root") == 0)
			root_dir = argv[i + 1];
		else if (strcmp(argv[i], "--unfinished-at") == 0)
			unfinished_at = (int)strtol(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--timeout") == 0)
			timeout = strtoll(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--progress") == 0)
			token = argv[i + 1];
		else if (strcmp(argv[i], "--feeds") == 0)
			feeds_dir = argv[i + 1];
	}
	/* the policy in force, from the service */
	for (;;) {
		size_t n;

		if (cap - len < 65536) {
			char *grown = cap > POLICY_MAX_BYTES ? NULL : realloc(buf, cap + 262144);

			if (grown == NULL) {
				log_msg(LOG_ERR, "evaluation: the policy handed over is too large");
				goto out;
			}
			buf = grown;
			cap += 262144;
		}
		n = fread(buf + len, 1, cap - len, stdin);
		len += n;
		if (n == 0)
			break;
	}
	if (rootfs_open(&root, root_dir, err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "evaluation: %s", err);
		goto out;
	}
	env.pkg_system = probe_pkg_system(root);
	diags_init(&d, name);
	if (policy_parse(name, buf, len, &env, &policy, &d) != 0) {
		diags_print(&d, stderr);
		diags_free(&d);
		log_msg(LOG_ERR, "evaluation: the policy handed over was refused");
		goto out;
	}
	diags_free(&d);
	if (token != NULL)
		progress = os_progress_attach(token);
	text = build_report(policy, root, progress, unfinished_at, timeout, feeds_dir);
	if (text != NULL && fwrite(text, 1, strlen(text), stdout) == strlen(text) &&
	    fflush(stdout) == 0)
		rc = 0;
	free(text);
out:
	free(buf);
	policy_free(policy);
	rootfs_close(root);
	return rc;
}
#endif

/* The policy's grace periods over a report (grace.h), with the first
 * failures kept in the state folder. Only the agent's own system has them:
 * a service watching another root (--root) keeps none. */
static void apply_grace(struct service *svc, json_t *doc)
{
	struct grace_book b;
	char err[512];

	if (!grace_wanted(svc->policy) || !rootfs_is_host(svc->root))
		return;
	if (grace_load(svc->state_dir, &b, err, sizeof(err)) != 0)
		log_msg(LOG_WARNING, "grace periods: %s", err);
	if (grace_apply_doc(doc, svc->policy, &b, (long long)time(NULL)) == 0 &&
	    grace_save(svc->state_dir, &b, err, sizeof(err)) != 0)
		log_msg(LOG_WARNING, "grace periods not kept: %s; failures will count at once",
		        err);
	grace_book_free(&b);
}

/* Takes a report from an evaluation: the spool first, then the status. */
static void accept_report(struct service *svc, const char *report_text)
{
	json_t *doc = json_loads(report_text, 0, NULL);
	json_t *summary = json_object_get(doc, "summary");
	char *text = NULL, err[256], name[64];

	if (doc == NULL || report_json_exit_code(doc) < 0) {
		log_msg(LOG_ERR, "the evaluation returned no report");
		json_decref(doc);
		return;
	}
	apply_grace(svc, doc);
	summary = json_object_get(doc, "summary");
	json_object_set_new(doc, "dropped_reports",
	                    json_integer((json_int_t)spool_dropped(svc->spool)));
	text = json_dumps(doc, JSON_COMPACT);
	if (text == NULL)
		log_msg(LOG_ERR, "cannot serialise the report");
	else if (spool_put(svc->spool, text, strlen(text), name, err, sizeof(err)) != 0)
		log_msg(LOG_ERR, "report not spooled: %s", err);
	else
		log_msg(LOG_INFO,
		        "evaluated %s: %" JSON_INTEGER_FORMAT " pass, %" JSON_INTEGER_FORMAT
		        " fail, %" JSON_INTEGER_FORMAT " error, %" JSON_INTEGER_FORMAT
		        " skip; report %s spooled (%zu waiting%s)",
		        json_string_value(json_object_get(json_object_get(doc, "policy"), "name")),
		        json_integer_value(json_object_get(summary, "pass")),
		        json_integer_value(json_object_get(summary, "fail")),
		        json_integer_value(json_object_get(summary, "error")),
		        json_integer_value(json_object_get(summary, "skip")),
		        json_string_value(json_object_get(doc, "report_id")),
		        spool_depth(svc->spool),
		        svc->cfg.collector_url ? "" : "; no collector is configured");
	json_decref(svc->last_report);
	svc->last_report = json_incref(doc);
	publish_status(svc);
	free(text);
	json_decref(doc);
	deliver_kick(svc->deliver);
}

static void on_delivery_changed(void *arg)
{
	publish_status(arg);
}

/*
 * In the service each evaluation runs in a forked worker that writes its
 * report to a pipe and exits: the long-lived process never holds the
 * probes' memory or maps libcrypto (see bench/RESULTS.md), and a probe that
 * crashes costs one evaluation, not the service. One worker at a time; a
 * trigger during one runs again after it.
 */
static void on_worker_close(uv_handle_t *h)
{
	struct service *svc = h->data;

	if (--svc->worker_closing > 0)
		return;
	svc->worker_open = 0;
	if (svc->again && !svc->stopping) {
		svc->again = 0;
		evaluate(svc);
	}
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct service *svc = h->data;

	(void)suggested;
	if (svc->out_cap - svc->out_len < 65536) {
		size_t cap = svc->out_cap ? svc->out_cap * 2 : 262144;
		char *grown = realloc(svc->out, cap);

		if (grown == NULL) {
			*buf = uv_buf_init(NULL, 0);
			return;
		}
		svc->out = grown;
		svc->out_cap = cap;
	}
	*buf =
	    uv_buf_init(svc->out + svc->out_len, (unsigned int)(svc->out_cap - svc->out_len - 1));
}

/* The worker's output has ended and the worker with it: what it gave is
 * taken, or why not is said. */
static void worker_done(struct service *svc)
{
	if (svc->timed_out) {
		/* what it was doing when stopped; a worker of its own writes the
		 * report that says so (formatting a report maps what the service
		 * itself never holds) */
		svc->timed_out = 0;
		svc->unfinished_at = svc->progress ? *svc->progress : -1;
		svc->again = 1;
	} else if (svc->worker_end == UV_EOF && svc->worker_ok && svc->out_len > 0) {
		svc->out[svc->out_len] = '\0';
		accept_report(svc, svc->out);
	} else if (svc->worker_signal != 0) {
		log_msg(LOG_ERR, "the evaluation died of signal %d; nothing was spooled",
		        svc->worker_signal);
	} else {
		log_msg(LOG_ERR, "the evaluation failed; nothing was spooled");
	}
	free(svc->out);
	svc->out = NULL;
	svc->out_len = svc->out_cap = 0;
	os_release_memory();
	svc->worker_closing = 1;
#ifdef OS_WORKER_SPAWNED
	svc->worker_closing = 2;
	uv_close((uv_handle_t *)&svc->worker_proc, on_worker_close);
#endif
	uv_close((uv_handle_t *)&svc->worker_pipe, on_worker_close);
}

static void on_worker_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct service *svc = s->data;

	(void)buf;
	if (n > 0) {
		svc->out_len += (size_t)n;
		return;
	}
	if (n == 0)
		return;
	/* EOF (or a broken pipe): the worker is done */
	uv_read_stop(s);
	uv_timer_stop(&svc->deadline);
	svc->worker_end = n;
	svc->worker_eof = 1;
#ifdef OS_WORKER_SPAWNED
	if (svc->worker_exited)
		worker_done(svc);
#else
	{
		int wstatus = 0;

		while (waitpid(svc->worker, &wstatus, 0) < 0 && errno == EINTR)
			;
		svc->worker_ok = WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0;
		svc->worker_signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
	}
	worker_done(svc);
#endif
}

/* The evaluation ran past its deadline: stopped. */
static void on_deadline(uv_timer_t *t)
{
	struct service *svc = t->data;
	int at = svc->progress ? *svc->progress : -1;

	if (!svc->worker_open)
		return;
	log_msg(LOG_ERR,
	        "the evaluation did not finish within %lld s (stuck in %s%s); stopped it, and "
	        "its checks are reported as errors",
	        svc->cfg.evaluation_timeout_secs,
	        at >= 0 && (size_t)at < svc->policy->n_checks ? "check " : "the package queries",
	        at >= 0 && (size_t)at < svc->policy->n_checks ? svc->policy->checks[at].id : "");
	svc->timed_out = 1;
#ifdef OS_WORKER_SPAWNED
	uv_process_kill(&svc->worker_proc, SIGKILL);
#else
	kill(svc->worker, SIGKILL);
#endif
}

#ifdef OS_WORKER_SPAWNED
static void on_worker_exit(uv_process_t *p, int64_t status, int signo)
{
	struct service *svc = p->data;

	svc->worker_exited = 1;
	svc->worker_ok = status == 0 && signo == 0;
	/* TerminateProcess (the deadline's kill) is no signal on Windows */
	svc->worker_signal = signo;
	if (svc->worker_eof)
		worker_done(svc);
}

static void on_worker_in_closed(uv_handle_t *h)
{
	(void)h;
}

static void on_policy_written(uv_write_t *req, int status)
{
	struct service *svc = req->data;

	(void)status; /* a worker that could not read it fails, and says so */
	free(svc->worker_policy);
	svc->worker_policy = NULL;
	uv_close((uv_handle_t *)&svc->worker_in, on_worker_in_closed);
}

/*
 * Where a process cannot fork, the worker is this program started again
 * (`posture evaluate-worker`, service_worker_main): it is handed the policy
 * in force, byte for byte, on its standard input (so a policy file changed
 * or refused since is not what it judges), writes the report to its
 * standard output, and writes its progress in the page the OS shares with
 * it (os_progress_page). It is what the forked worker is, in a process of
 * its own.
 */
static int start_worker(struct service *svc, int unfinished_at)
{
	char exe[PATH_MAX], ua[16], timeout[24], token[64];
	size_t exe_len = sizeof(exe);
	char *args[16]; /* 14 at most, and the NULL */
	int n = 0, rc;
	uv_process_options_t po;
	uv_stdio_container_t io[3];
	uv_buf_t policy_buf;

	if (uv_exepath(exe, &exe_len) != 0) {
		log_msg(LOG_ERR, "cannot start an evaluation: this program's path is unknown");
		return -1;
	}
	snprintf(ua, sizeof(ua), "%d", unfinished_at);
	snprintf(timeout, sizeof(timeout), "%lld", svc->cfg.evaluation_timeout_secs);
	args[n++] = exe;
	args[n++] = "evaluate-worker";
	args[n++] = "--policy-name";
	args[n++] = svc->policy->path ? svc->policy->path : (char *)svc->policy_path;
	args[n++] = "--root";
	args[n++] = (char *)(svc->opts->root ? svc->opts->root : "/");
	args[n++] = "--unfinished-at";
	args[n++] = ua;
	args[n++] = "--timeout";
	args[n++] = timeout;
	if (svc->progress != NULL && os_progress_token(token, sizeof(token)) == 0) {
		args[n++] = "--progress";
		args[n++] = token;
	}
	if (feeds_dir(svc) != NULL) {
		args[n++] = "--feeds";
		args[n++] = (char *)feeds_dir(svc);
	}
	args[n] = NULL;
	uv_pipe_init(svc->loop, &svc->worker_in, 0);
	uv_pipe_init(svc->loop, &svc->worker_pipe, 0);
	svc->worker_in.data = svc->worker_pipe.data = svc->worker_proc.data = svc;
	memset(&po, 0, sizeof(po));
	memset(io, 0, sizeof(io));
	io[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
	io[0].data.stream = (uv_stream_t *)&svc->worker_in;
	io[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
	io[1].data.stream = (uv_stream_t *)&svc->worker_pipe;
	io[2].flags = UV_INHERIT_FD;
	io[2].data.fd = 2;
	po.file = exe;
	po.args = args;
	po.stdio = io;
	po.stdio_count = 3;
	po.exit_cb = on_worker_exit;
	po.flags = UV_PROCESS_WINDOWS_HIDE;
	os_progress_inherit(1);
	rc = uv_spawn(svc->loop, &svc->worker_proc, &po);
	os_progress_inherit(0);
	svc->worker_open = 1;
	if (rc != 0) {
		log_msg(LOG_ERR, "cannot start an evaluation: %s: %s", exe, uv_strerror(rc));
		uv_close((uv_handle_t *)&svc->worker_in, on_worker_in_closed);
		svc->worker_closing = 2;
		uv_close((uv_handle_t *)&svc->worker_proc, on_worker_close);
		uv_close((uv_handle_t *)&svc->worker_pipe, on_worker_close);
		return -1;
	}
	/* a copy: the policy in force may be replaced while it is written */
	free(svc->worker_policy);
	svc->worker_policy = malloc(svc->policy->text_len + 1);
	if (svc->worker_policy != NULL)
		memcpy(svc->worker_policy, svc->policy->text, svc->policy->text_len);
	policy_buf = uv_buf_init(svc->worker_policy, (unsigned int)svc->policy->text_len);
	svc->worker_write.data = svc;
	if (svc->worker_policy == NULL ||
	    uv_write(&svc->worker_write, (uv_stream_t *)&svc->worker_in, &policy_buf, 1,
	             on_policy_written) != 0)
		uv_close((uv_handle_t *)&svc->worker_in, on_worker_in_closed);
	if (uv_read_start((uv_stream_t *)&svc->worker_pipe, on_alloc, on_worker_read) != 0) {
		log_msg(LOG_ERR, "cannot read the evaluation");
		uv_process_kill(&svc->worker_proc, SIGKILL);
		svc->worker_end = UV_EOF;
		svc->worker_eof = 1;
	}
	return 0;
}
#else
/*
 * The worker is a fork: it has the policy in force in its memory, writes
 * the report into a pipe and its progress into the page shared with it.
 */
static int start_worker(struct service *svc, int unfinished_at)
{
	sigset_t all, old;
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) != 0) {
		log_msg(LOG_ERR, "cannot start an evaluation: pipe: %s", strerror(errno));
		return -1;
	}
	fflush(stderr);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid != 0)
		sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		log_msg(LOG_ERR, "cannot start an evaluation: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		char *text;
		size_t off = 0, len;

		/* libuv's handlers would report the worker's signals to the
		 * service's loop through their shared pipe; signals stay blocked
		 * until they are reset */
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(fds[0]);
		/* it parses what any user may write: it keeps only what reading
		 * needs (platform/confine.h) */
		{
			char why[256];

			if (confine_worker(why, sizeof(why)) != 0) {
				log_msg(LOG_ERR, "the evaluation cannot be confined: %s; not run",
				        why);
				_exit(1);
			}
		}
		text = build_report(svc->policy, svc->root, svc->progress, unfinished_at,
		                    svc->cfg.evaluation_timeout_secs, feeds_dir(svc));
		if (text == NULL)
			_exit(1);
		len = strlen(text);
		while (off < len) {
			ssize_t w = write(fds[1], text + off, len - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	svc->worker = pid;
	uv_pipe_init(svc->loop, &svc->worker_pipe, 0);
	svc->worker_pipe.data = svc;
	svc->worker_open = 1;
	if (uv_pipe_open(&svc->worker_pipe, fds[0]) != 0 ||
	    uv_read_start((uv_stream_t *)&svc->worker_pipe, on_alloc, on_worker_read) != 0) {
		log_msg(LOG_ERR, "cannot read the evaluation");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		svc->worker_closing = 1;
		uv_close((uv_handle_t *)&svc->worker_pipe, on_worker_close);
		return -1;
	}
	return 0;
}
#endif

static void evaluate(struct service *svc)
{
	int unfinished_at = -2;

	if (svc->policy == NULL)
		return;
	if (svc->loop == NULL) { /* --once: in this process */
		char *text = build_report(svc->policy, svc->root, NULL, -2, 0, feeds_dir(svc));

		if (text != NULL)
			accept_report(svc, text);
		free(text);
		return;
	}
	if (svc->worker_open) {
		svc->again = 1;
		return;
	}
	if (svc->unfinished_at >= -1) { /* this run reports the stopped one */
		unfinished_at = svc->unfinished_at;
		svc->unfinished_at = -2;
	}
	svc->worker_eof = svc->worker_exited = 0;
	svc->worker_ok = svc->worker_signal = 0;
	svc->worker_end = 0;
	if (start_worker(svc, unfinished_at) != 0)
		return;
	uv_timer_start(&svc->deadline, on_deadline,
	               (uint64_t)svc->cfg.evaluation_timeout_secs * 1000, 0);
}

/* The next run: interval +-10%, from the kernel's generator (OpenSSL's
 * would map libcrypto into the long-lived process for four bytes). */
static uint64_t next_delay_ms(const struct service *svc)
{
	uint64_t base = (uint64_t)svc->cfg.interval_secs * 1000;
	uint32_t r = 0;

	if (os_random(&r, sizeof(r)) != 0)
		r = 0x80000000u; /* no jitter rather than a weak one */
	return base * 9 / 10 + (uint64_t)((double)r / 4294967296.0 * (double)(base / 5));
}

static void on_schedule(uv_timer_t *t)
{
	struct service *svc = t->data;

	if (svc->policy == NULL) /* still waiting for the collector's */
		deliver_fetch_policy(svc->deliver);
	evaluate(svc);
	uv_timer_start(&svc->schedule, on_schedule, next_delay_ms(svc), 0);
}

static void on_settled(uv_timer_t *t)
{
	struct service *svc = t->data;

	log_msg(LOG_INFO, "policy %s changed", svc->policy_path);
	if (reload_policy(svc) == 0)
		evaluate(svc);
}

static void on_policy_event(uv_fs_event_t *h, const char *filename, int events, int status)
{
	struct service *svc = h->data;

	(void)events;
	if (status < 0 || filename == NULL || strcmp(filename, svc->policy_base) != 0)
		return;
	/* Several events come for one save; act once, a moment later. */
	uv_timer_start(&svc->settle, on_settled, 200, 0);
}

static void on_close(uv_handle_t *h)
{
	(void)h;
}

/* A stop asked from another thread (the Windows service control
 * handler): the running service's async handle, under a lock, since the
 * service may be stopping on its own at the same moment. */
static uv_once_t stop_once = UV_ONCE_INIT;
static uv_mutex_t stop_lock;
static struct service *stop_target;
static int stop_early; /* asked before the loop ran */

static void init_stop_lock(void)
{
	uv_mutex_init(&stop_lock);
}

void service_request_stop(void)
{
	uv_once(&stop_once, init_stop_lock);
	uv_mutex_lock(&stop_lock);
	if (stop_target != NULL)
		uv_async_send(&stop_target->stop_async);
	else
		stop_early = 1;
	uv_mutex_unlock(&stop_lock);
}

static void stop(struct service *svc)
{
	if (svc->stopping)
		return;
	svc->stopping = 1;
	uv_once(&stop_once, init_stop_lock);
	uv_mutex_lock(&stop_lock);
	stop_target = NULL;
	uv_mutex_unlock(&stop_lock);
	uv_close((uv_handle_t *)&svc->stop_async, on_close);
#ifdef OS_WORKER_SPAWNED
	/* the service manager waits for the stop: an evaluation in flight is
	 * given up (the next start evaluates again) */
	if (svc->worker_open && svc->worker_closing == 0 && !svc->worker_exited)
		uv_process_kill(&svc->worker_proc, SIGKILL);
#endif
	uv_close((uv_handle_t *)&svc->deadline, on_close);
	uv_close((uv_handle_t *)&svc->schedule, on_close);
	uv_close((uv_handle_t *)&svc->settle, on_close);
	uv_close((uv_handle_t *)&svc->sighup, on_close);
	uv_close((uv_handle_t *)&svc->sigterm, on_close);
	uv_close((uv_handle_t *)&svc->sigint, on_close);
	if (svc->watching)
		uv_close((uv_handle_t *)&svc->watch, on_close);
	status_server_stop(svc->status);
	svc->status = NULL;
	deliver_stop(svc->deliver);
	svc->deliver = NULL;
}

static void delivery_opts(const struct service *svc, const char *state_dir, struct deliver_opts *d)
{
	memset(d, 0, sizeof(*d));
	d->url = svc->cfg.collector_url;
	d->ca_path = svc->cfg.collector_ca;
	d->pin = svc->cfg.collector_pin;
	d->proxy = svc->cfg.collector_proxy;
	d->state_dir = state_dir;
	d->helper = getenv("POSTURE_NET_HELPER");
	d->secret_file = svc->cfg.enroll_secret_file;
	d->owner = svc->cfg.owner;
	d->connect_timeout_s = (long)svc->cfg.connect_timeout_secs;
	d->timeout_s = (long)svc->cfg.timeout_secs;
	d->arg = (void *)svc;
}

/*
 * A policy from the collector, its signature already verified by the
 * network process against the key pinned at enrollment. It must be newer
 * than the one in force (an older signed policy is a replay) and valid for
 * this agent's own engine; then it is stored whole in the state directory
 * and takes over. Anything else leaves the last good policy in force.
 */
static void on_collector_policy(void *arg, int outcome, const char *sentence, const char *etag,
                                long long version, const char *text, size_t text_len)
{
	struct service *svc = arg;
	struct policy_env env = { .pkg_system = probe_pkg_system(svc->root) };
	struct policy *p = NULL;
	struct diags d;
	char name[64], err[512];
	json_t *record;
	char *record_text;

	if (outcome == IPC_POLICY_UNCHANGED)
		return;
	if (outcome == IPC_POLICY_UNREACHED) {
		/* the network failed: nothing was refused */
		log_msg(LOG_WARNING, "policy from the collector not fetched: %s; %s stays in force",
		        sentence, svc->policy ? svc->policy_path : "no policy");
		return;
	}
	if (outcome != IPC_POLICY_NEW) {
		log_msg(LOG_WARNING, "policy from the collector refused: %s; %s stays in force",
		        sentence, svc->policy ? svc->policy_path : "no policy");
		return;
	}
	if (svc->opts->policy != NULL) {
		log_msg(LOG_INFO,
		        "policy version %lld from the collector not used: --policy %s was given",
		        version, svc->opts->policy);
		return;
	}
	if (version <= svc->policy_version) {
		log_msg(LOG_WARNING,
		        "policy version %lld from the collector refused: not newer than version "
		        "%lld in force (a replayed policy?)",
		        version, svc->policy_version);
		return;
	}
	snprintf(name, sizeof(name), "collector policy version %lld", version);
	diags_init(&d, name);
	if (policy_parse(name, text, text_len, &env, &p, &d) != 0) {
		diags_print(&d, stderr);
		diags_free(&d);
		log_msg(LOG_WARNING,
		        "policy version %lld from the collector refused; %s stays in force",
		        version, svc->policy_path);
		return;
	}
	diags_free(&d);
	record = json_pack("{s:I, s:s}", "version", (json_int_t)version, "etag", etag);
	record_text = record ? json_dumps(record, JSON_COMPACT) : NULL;
	if (record_text == NULL ||
	    atomic_write_file(-1, svc->state_dir, "policy.ini", text, text_len, 0644, err,
	                      sizeof(err)) != 0 ||
	    atomic_write_file(-1, svc->state_dir, "policy.json", record_text, strlen(record_text),
	                      0644, err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "policy version %lld from the collector not stored: %s", version,
		        record_text ? err : "out of memory");
		policy_free(p);
		free(record_text);
		json_decref(record);
		return;
	}
	free(record_text);
	json_decref(record);
	policy_free(svc->policy);
	svc->policy = p;
	svc->policy_version = version;
	snprintf(svc->policy_etag, sizeof(svc->policy_etag), "%s", etag);
	snprintf(svc->collector_policy, sizeof(svc->collector_policy), "%s/policy.ini",
	         svc->state_dir);
	svc->policy_path = svc->collector_policy;
	deliver_set_policy_etag(svc->deliver, etag);
	log_msg(LOG_INFO, "policy version %lld from the collector (%s) is in force", version,
	        p->name);
	evaluate(svc);
}

static void swap_str(char **a, char **b)
{
	char *t = *a;

	*a = *b;
	*b = t;
}

/* New feeds from the collector: a policy judging by them is judged again
 * now, rather than at the next interval (an agent's first report would
 * otherwise say its browsers could not be judged). */
static void on_feeds_kept(void *arg)
{
	struct service *svc = arg;

	if (svc->policy != NULL && svc->cfg.feeds_dir == NULL && check_any_latest(svc->policy)) {
		log_msg(LOG_INFO, "feeds: new release feeds; evaluating again");
		evaluate(svc);
	}
}

/* (Re)starts delivery with the current settings. */
static void start_delivery(struct service *svc)
{
	struct deliver_opts dopts;
	char err[512];

	deliver_stop(svc->deliver);
	svc->deliver = NULL;
	if (svc->cfg.collector_url != NULL) {
		delivery_opts(svc, svc->state_dir, &dopts);
		dopts.changed = on_delivery_changed;
		dopts.policy = on_collector_policy;
		dopts.feeds = 1;
		dopts.feeds_kept = on_feeds_kept;
		if (deliver_start(svc->loop, &dopts, svc->spool, &svc->deliver, err, sizeof(err)) !=
		    0)
			log_msg(LOG_ERR, "delivery: %s; reports stay in the spool", err);
		deliver_set_policy_etag(svc->deliver, svc->policy_etag);
	}
	publish_status(svc);
	deliver_kick(svc->deliver);
	if (svc->policy == NULL)
		deliver_fetch_policy(svc->deliver);
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct service *svc = h->data;

	if (signum == SIGHUP) {
		struct config fresh;
		struct diags d;

		log_msg(LOG_INFO, "SIGHUP: reloading the configuration and the policy");
		diags_init(&d, svc->opts->config ? svc->opts->config : CONFIG_DEFAULT_PATH);
		if (config_load(svc->opts->config, &fresh, &d) == 0) {
			svc->cfg.interval_secs = fresh.interval_secs;
			svc->cfg.connect_timeout_secs = fresh.connect_timeout_secs;
			svc->cfg.timeout_secs = fresh.timeout_secs;
			swap_str(&svc->cfg.collector_url, &fresh.collector_url);
			swap_str(&svc->cfg.collector_ca, &fresh.collector_ca);
			swap_str(&svc->cfg.collector_pin, &fresh.collector_pin);
			swap_str(&svc->cfg.collector_proxy, &fresh.collector_proxy);
			if (svc->cfg.collector_url == NULL)
				svc->cfg.collector_url = enrollment_server(svc->state_dir);
			config_free(&fresh);
			/* a new collector, CA or certificate: a new network process */
			start_delivery(svc);
		} else {
			diags_print(&d, stderr);
			log_msg(LOG_WARNING,
			        "configuration refused; the last good one stays in force");
		}
		diags_free(&d);
		if (reload_policy(svc) == 0)
			evaluate(svc);
		return;
	}
	log_msg(LOG_INFO, "%s: stopping", signum == SIGTERM ? "SIGTERM" : "SIGINT");
	stop(svc);
}

static void on_stop_async(uv_async_t *a)
{
	log_msg(LOG_INFO, "the service manager asked to stop: stopping");
	stop(a->data);
}

static void on_once_idle(void *arg)
{
	struct service *svc = arg;

	deliver_stop(svc->deliver);
	svc->deliver = NULL;
}

/* --once: every spooled report, oldest first, one attempt each; the first
 * failure leaves the rest in the spool for the next run. */
static void deliver_once(struct service *svc, const char *state_dir)
{
	struct deliver_opts dopts;
	char err[512];

	svc->loop = uv_default_loop();
	delivery_opts(svc, state_dir, &dopts);
	dopts.once = 1;
	dopts.idle = on_once_idle;
	if (deliver_start(svc->loop, &dopts, svc->spool, &svc->deliver, err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "delivery: %s; reports stay in the spool", err);
		return;
	}
	deliver_kick(svc->deliver);
	uv_run(svc->loop, UV_RUN_DEFAULT);
	uv_loop_close(svc->loop);
}

/*
 * What the installer or an MDM handed over in managed settings (os.h) and
 * only the service may keep: the enrollment secret goes from the registry,
 * which every local user can read, into the state folder, which only
 * SYSTEM and Administrators can, and the registry value is removed at once;
 * enrollment then uses and removes the file as on Linux. An inline CA
 * certificate becomes a PEM file there. Both are named in CFG.
 */
static void adopt_managed(struct config *cfg, const char *state_dir)
{
	char v[8192], err[512], path[PATH_MAX];
	int rc;

	if (cfg->collector_ca_base64 != NULL) {
		const char *b = cfg->collector_ca_base64;
		size_t n = strlen(b), len = 0, cap = n + n / 64 + 80;
		char *pem = malloc(cap);

		if (pem != NULL && strspn(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                             "0123456789+/=") == n) {
			len += (size_t)snprintf(pem, cap, "-----BEGIN CERTIFICATE-----\n");
			for (size_t i = 0; i < n; i += 64)
				len += (size_t)snprintf(pem + len, cap - len, "%.64s\n", b + i);
			len +=
			    (size_t)snprintf(pem + len, cap - len, "-----END CERTIFICATE-----\n");
			snprintf(path, sizeof(path), "%s/managed-ca.pem", state_dir);
			if (atomic_write_file(-1, state_dir, "managed-ca.pem", pem, len, 0644, err,
			                      sizeof(err)) == 0) {
				free(cfg->collector_ca);
				cfg->collector_ca = strdup(path);
			} else {
				log_msg(LOG_ERR, "the managed CA certificate not stored: %s", err);
			}
		} else {
			log_msg(LOG_ERR, "the managed CollectorCa is neither a path nor a "
			                 "certificate in base64 (one line, no header); ignored");
		}
		free(pem);
	}
	rc = os_managed_setting("EnrollSecret", v, sizeof(v), err, sizeof(err));
	if (rc < 0)
		log_msg(LOG_ERR, "the managed enrollment secret is not usable: %s", err);
	if (rc == 1) {
		snprintf(path, sizeof(path), "%s/enroll-secret", state_dir);
		if (atomic_write_file(-1, state_dir, "enroll-secret", v, strlen(v), 0600, err,
		                      sizeof(err)) != 0) {
			log_msg(LOG_ERR, "the managed enrollment secret not stored: %s", err);
		} else {
			free(cfg->enroll_secret_file);
			cfg->enroll_secret_file = strdup(path);
			if (os_managed_setting_clear("EnrollSecret") != 0)
				log_msg(LOG_WARNING,
				        "the enrollment secret could not be removed from the "
				        "managed settings; remove it by hand");
			else
				log_msg(LOG_INFO, "the managed enrollment secret moved into %s",
				        path);
		}
		explicit_bzero(v, sizeof(v));
	}
}

int service_run(const struct service_opts *o)
{
	struct service svc;
	struct diags d;
	char err[512], spool_dir[PATH_MAX];
	const char *state_dir;
	int rc = 2;

	memset(&svc, 0, sizeof(svc));
	svc.opts = o;
	/* Run by systemd as the posture user with ambient capabilities (see
	 * installer/systemd/posture.service), the service keeps them for its
	 * evaluations (forked) but not for programs it starts: posture-net is
	 * executed with none. */
	os_drop_inheritable_privileges();
	diags_init(&d, o->config ? o->config : CONFIG_DEFAULT_PATH);
	if (config_load(o->config, &svc.cfg, &d) != 0) {
		diags_print(&d, stderr);
		diags_free(&d);
		return 2;
	}
	diags_free(&d);
	svc.policy_path = o->policy ? o->policy : svc.cfg.policy_path;
	state_dir = o->state_dir ? o->state_dir : svc.cfg.state_dir;
	svc.state_dir = state_dir;
	if (svc.cfg.collector_url == NULL)
		/* posture enroll --server recorded where the collector is */
		svc.cfg.collector_url = enrollment_server(state_dir);
	if (os_make_private_dir(state_dir, err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "cannot create the state directory %s: %s", state_dir, err);
		goto out;
	}
	if (statedir_check(state_dir, err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "state directory: %s", err);
		goto out;
	}
	if (os_protect_data_dir(err, sizeof(err)) != 0)
		log_msg(LOG_WARNING, "%s; local users may be able to add files beside posture.ini",
		        err);
	adopt_managed(&svc.cfg, state_dir);
	snprintf(spool_dir, sizeof(spool_dir), "%s/spool", state_dir);
	if (spool_open(spool_dir, svc.cfg.spool_max_bytes, svc.cfg.spool_max_age, &svc.spool, err,
	               sizeof(err)) != 0) {
		log_msg(LOG_ERR, "%s", err);
		goto out;
	}
	if (rootfs_open(&svc.root, o->root ? o->root : "/", err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "%s", err);
		goto out;
	}
	if (!o->once && o->policy == NULL) {
		/* a policy the collector sent earlier takes over from the local one */
		snprintf(svc.collector_policy, sizeof(svc.collector_policy), "%s/policy.ini",
		         state_dir);
		if (statedir_collector_policy(state_dir, svc.collector_policy,
		                              sizeof(svc.collector_policy), &svc.policy_version,
		                              svc.policy_etag, sizeof(svc.policy_etag)) == 1)
			svc.policy_path = svc.collector_policy;
		else
			svc.policy_version = 0;
	}
	if (!o->once && o->policy == NULL && svc.policy_version == 0 &&
	    svc.cfg.collector_url != NULL && access(svc.policy_path, F_OK) != 0 &&
	    errno == ENOENT) {
		/* enrolled, with no local policy: the collector's signed one
		 * will come with the first delivery, and evaluation starts then */
		log_msg(
		    LOG_INFO,
		    "no local policy (%s does not exist): waiting for the signed policy from %s",
		    svc.policy_path, svc.cfg.collector_url);
	} else if (reload_policy(&svc) != 0) {
		goto out;
	}
	if (o->once) {
		evaluate(&svc);
		rc = 0;
		if (svc.cfg.collector_url != NULL) {
			deliver_once(&svc, state_dir);
			/* a script must be able to tell that the collector does
			 * not have the reports yet (they are kept) */
			if (spool_depth(svc.spool) > 0) {
				/* the reason was logged as the error it is; this
				 * line says what it leaves */
				log_msg(
				    LOG_INFO,
				    "delivery to %s did not complete: %zu report(s) stay in the "
				    "spool for the next run (exit %d)",
				    svc.cfg.collector_url, spool_depth(svc.spool),
				    SERVICE_EXIT_UNDELIVERED);
				rc = SERVICE_EXIT_UNDELIVERED;
			}
		}
		goto out;
	}

	svc.loop = uv_default_loop();
	uv_timer_init(svc.loop, &svc.deadline);
	svc.deadline.data = &svc;
	svc.unfinished_at = -2;
	/* one page the workers write where they are, and the service reads */
#ifdef OS_WORKER_SPAWNED
	svc.progress = os_progress_page();
#else
	{
		void *page =
		    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		svc.progress = page == MAP_FAILED ? NULL : page;
	}
#endif
	uv_async_init(svc.loop, &svc.stop_async, on_stop_async);
	svc.stop_async.data = &svc;
	uv_once(&stop_once, init_stop_lock);
	uv_mutex_lock(&stop_lock);
	stop_target = &svc;
	if (stop_early)
		uv_async_send(&svc.stop_async);
	uv_mutex_unlock(&stop_lock);
	uv_timer_init(svc.loop, &svc.schedule);
	uv_timer_init(svc.loop, &svc.settle);
	svc.schedule.data = svc.settle.data = &svc;
	uv_signal_init(svc.loop, &svc.sighup);
	uv_signal_init(svc.loop, &svc.sigterm);
	uv_signal_init(svc.loop, &svc.sigint);
	svc.sighup.data = svc.sigterm.data = svc.sigint.data = &svc;
	uv_signal_start(&svc.sighup, on_signal, SIGHUP);
	uv_signal_start(&svc.sigterm, on_signal, SIGTERM);
	uv_signal_start(&svc.sigint, on_signal, SIGINT);
	{
		const char *slash = strrchr(svc.policy_path, '/');

		snprintf(svc.policy_dir, sizeof(svc.policy_dir), "%.*s",
		         slash ? (int)(slash - svc.policy_path) : 1, slash ? svc.policy_path : ".");
		if (svc.policy_dir[0] == '\0')
			snprintf(svc.policy_dir, sizeof(svc.policy_dir), "/");
		snprintf(svc.policy_base, sizeof(svc.policy_base), "%s",
		         slash ? slash + 1 : svc.policy_path);
	}
	if (uv_fs_event_init(svc.loop, &svc.watch) == 0) {
		svc.watch.data = &svc;
		svc.watching =
		    uv_fs_event_start(&svc.watch, on_policy_event, svc.policy_dir, 0) == 0;
		if (!svc.watching)
			uv_close((uv_handle_t *)&svc.watch, on_close);
	}
	{
		const char *sock = o->status_socket ? o->status_socket : svc.cfg.status_socket;

		time_now_rfc3339(svc.started_at);
		if (status_server_start(svc.loop, sock, &svc.status, err, sizeof(err)) != 0)
			log_msg(LOG_WARNING, "%s; posture status will evaluate on its own", err);
	}
	log_msg(LOG_INFO, "running: policy %s, every %llds +-10%%, spool %s, collector %s",
	        svc.policy_path, svc.cfg.interval_secs, spool_dir,
	        svc.cfg.collector_url ? svc.cfg.collector_url : "none configured");
	start_delivery(&svc);
	evaluate(&svc);
	uv_timer_start(&svc.schedule, on_schedule, next_delay_ms(&svc), 0);
	uv_run(svc.loop, UV_RUN_DEFAULT);
	uv_loop_close(svc.loop);
	rc = 0;
out:
	json_decref(svc.last_report);
	policy_free(svc.policy);
	rootfs_close(svc.root);
	spool_close(svc.spool);
	config_free(&svc.cfg);
	return rc;
}
