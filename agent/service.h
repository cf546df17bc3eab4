/* SPDX-License-Identifier: Apache-2.0 */
/*
 * service: `posture run`, the agent as a long-running service (see
 * service.c). It never prints results; it logs to stderr (the journal).
 */
#ifndef POSTURE_SERVICE_H
#define POSTURE_SERVICE_H

struct service_opts {
	const char *config;        /* NULL: /etc/posture/posture.ini */
	const char *policy;        /* NULL: [agent] policy */
	const char *state_dir;     /* NULL: [agent] state_dir */
	const char *root;          /* NULL: "/" */
	const char *status_socket; /* NULL: [agent] status_socket */
	int once;                  /* evaluate, spool, exit */
};

/* What `posture run --once` exits with when a collector is configured but
 * not every report reached it (they stay in the spool): 0, 1 and 3 are
 * check's verdicts, 2 an unusable configuration or policy. */
#define SERVICE_EXIT_UNDELIVERED 4

/* Runs until SIGTERM or SIGINT (or once). 0 on a clean stop, 2 when the
 * configuration, state directory or first policy is unusable; with once,
 * SERVICE_EXIT_UNDELIVERED when reports stay undelivered. */
int service_run(const struct service_opts *o);

/* Asks the running service to stop as SIGTERM does, from any thread (the
 * Windows service control handler); before it runs, it stops at start. */
void service_request_stop(void);

/* `posture evaluate-worker`: the evaluation, in a process of its own, where
 * the OS cannot fork (OS_WORKER_SPAWNED, platform/OS/osdefs.h). */
int service_worker_main(int argc, char **argv);

#endif
