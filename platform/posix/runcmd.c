/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runcmd: see platform/runcmd.h. posix_spawn (no shell), both pipes read
 * with poll(2) against a monotonic deadline, the process group killed when
 * it passes.
 */
#define _GNU_SOURCE
#include "../runcmd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct sink {
	int fd;
	char *buf;
	size_t len, cap;
};

/* Reads what is there; 0 more to come, 1 at its end, -EFBIG past MAX,
 * -ENOMEM. */
static int drain(struct sink *s, size_t max)
{
	char chunk[4096];
	ssize_t n = read(s->fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : 1;
	if (n == 0)
		return 1;
	if (s->len + (size_t)n > max)
		return -EFBIG;
	if (s->len + (size_t)n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8192;
		char *p;

		while (cap < s->len + (size_t)n + 1)
			cap *= 2;
		p = realloc(s->buf, cap);
		if (p == NULL)
			return -ENOMEM;
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, chunk, (size_t)n);
	s->len += (size_t)n;
	s->buf[s->len] = '\0';
	return 0;
}

/* Waits for PID until DEADLINE (ms; 0: without one). 0 with *STATUS,
 * -ETIMEDOUT, or a negative errno. */
static int reap(pid_t pid, long long deadline, int *status)
{
	for (;;) {
		int st;
		pid_t w = waitpid(pid, &st, deadline ? WNOHANG : 0);

		if (w == pid) {
			*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			return 0;
		}
		if (w < 0 && errno != EINTR)
			return -errno;
		if (w == 0) {
			if (now_ms() >= deadline)
				return -ETIMEDOUT;
			usleep(10000);
		}
	}
}

int run_command(const char *const argv[], int seconds, size_t max, struct run_result *r, char *err,
                size_t err_len)
{
	int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 }, rc = 0, open_fds = 2;
	struct sink sinks[2] = { { .fd = -1 }, { .fd = -1 } };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char *const envp[] = { NULL };
	long long deadline;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (argv[0] == NULL || argv[0][0] != '/') {
		snprintf(err, err_len, "%s: a command is run by its absolute path",
		         argv[0] ? argv[0] : "(none)");
		return -EINVAL;
	}
	if (access(argv[0], X_OK) != 0) {
		rc = -errno;
		snprintf(err, err_len, "%s: %s", argv[0], strerror(errno));
		return rc;
	}
	if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
		rc = -errno;
		snprintf(err, err_len, "pipe: %s", strerror(errno));
		goto close_pipes;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
	posix_spawn_file_actions_addclose(&fa, out_pipe[0]);
	posix_spawn_file_actions_addclose(&fa, err_pipe[0]);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&attr, 0);
	rc = posix_spawn(&pid, argv[0], &fa, &attr, (char *const *)argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		snprintf(err, err_len, "%s: %s", argv[0], strerror(rc));
		rc = -rc;
		goto close_pipes;
	}
	close(out_pipe[1]);
	close(err_pipe[1]);
	out_pipe[1] = err_pipe[1] = -1;
	sinks[0].fd = out_pipe[0];
	sinks[1].fd = err_pipe[0];
	deadline = now_ms() + (long long)seconds * 1000;
	while (open_fds > 0 && rc == 0) {
		struct pollfd pfd[2];
		int n = 0, map[2];
		long long left = deadline - now_ms();

		if (left <= 0) {
			rc = -ETIMEDOUT;
			break;
		}
		for (int i = 0; i < 2; i++)
			if (sinks[i].fd >= 0) {
				pfd[n].fd = sinks[i].fd;
				pfd[n].events = POLLIN;
				map[n++] = i;
			}
		if (poll(pfd, (nfds_t)n, (int)(left > 1000 ? 1000 : left)) < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		for (int k = 0; k < n && rc == 0; k++) {
			struct sink *s = &sinks[map[k]];
			int d;

			if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			d = drain(s, max);
			if (d < 0)
				rc = d;
			else if (d == 1) {
				close(s->fd);
				s->fd = -1;
				open_fds--;
			}
		}
	}
	/* its output closed: it has until the deadline to exit (a program
	 * that closes its output and stays is stopped like one that hangs) */
	if (rc == 0)
		rc = reap(pid, deadline, &r->status);
	if (rc != 0) {
		kill(-pid, SIGKILL);
		reap(pid, 0, &r->status);
	}
	if (rc == -ETIMEDOUT)
		snprintf(err, err_len, "%s did not finish within %d s and was stopped", argv[0],
		         seconds);
	else if (rc == -EFBIG)
		snprintf(err, err_len, "%s said more than %zu bytes; its answer is not read",
		         argv[0], max);
	else if (rc != 0)
		snprintf(err, err_len, "%s: %s", argv[0], strerror(-rc));
	for (int i = 0; i < 2; i++)
		if (sinks[i].fd >= 0)
			close(sinks[i].fd);
	if (rc != 0) {
		free(sinks[0].buf);
		free(sinks[1].buf);
		return rc;
	}
	r->out = sinks[0].buf ? sinks[0].buf : strdup("");
	r->out_len = sinks[0].len;
	r->err = sinks[1].buf ? sinks[1].buf : strdup("");
	r->err_len = sinks[1].len;
	if (r->out == NULL || r->err == NULL) {
		free(r->out);
		free(r->err);
		memset(r, 0, sizeof(*r));
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	return 0;
close_pipes:
	for (int i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	return rc;
}
