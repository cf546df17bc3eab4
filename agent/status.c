/* SPDX-License-Identifier: Apache-2.0 */
/*
 * status: see status.h. The server writes one document per connection and
 * closes; it never reads, so a client cannot make it hold state or block.
 */
#define _GNU_SOURCE
#include "status.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct status_server {
	uv_pipe_t listener;
	char *path;
	char *doc; /* each client gets its own copy */
	unsigned n_clients;
	struct client *clients;
	int closed; /* the listener is closed; freed with the last client */
};

static void free_server_now(struct status_server *s)
{
	free(s->doc);
	free(s->path);
	free(s);
}

/* Clients that connect and never read hold a copy each; past this many at
 * once, new ones are closed unanswered, so a local user cannot make the
 * root process grow. */
#define MAX_CLIENTS 32

struct client {
	struct status_server *server;
	struct client *next, *prev; /* the server's clients being answered */
	uv_pipe_t pipe;
	uv_write_t write;
	char *buf;
};

static int connect_unix(const char *path, int *errnum)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		*errnum = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*errnum = errno;
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		*errnum = errno;
		close(fd);
		return -1;
	}
	return fd;
}

static void free_client(uv_handle_t *h)
{
	struct client *c = h->data;

	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		c->server->clients = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	if (--c->server->n_clients == 0 && c->server->closed)
		free_server_now(c->server);
	free(c->buf);
	free(c);
}

static void on_written(uv_write_t *w, int status)
{
	struct client *c = w->data;

	(void)status; /* a client that left early is not our problem */
	if (!uv_is_closing((uv_handle_t *)&c->pipe))
		uv_close((uv_handle_t *)&c->pipe, free_client);
}

static void on_connection(uv_stream_t *listener, int status)
{
	struct status_server *s = listener->data;
	struct client *c;
	uv_buf_t buf;

	if (status < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return;
	c->server = s;
	c->next = s->clients;
	if (s->clients != NULL)
		s->clients->prev = c;
	s->clients = c;
	s->n_clients++;
	uv_pipe_init(listener->loop, &c->pipe, 0);
	c->pipe.data = c;
	c->write.data = c;
	if (uv_accept(listener, (uv_stream_t *)&c->pipe) != 0 || s->n_clients > MAX_CLIENTS ||
	    (c->buf = strdup(s->doc ? s->doc : "{}\n")) == NULL) {
		uv_close((uv_handle_t *)&c->pipe, free_client);
		return;
	}
	buf = uv_buf_init(c->buf, (unsigned int)strlen(c->buf));
	if (uv_write(&c->write, (uv_stream_t *)&c->pipe, &buf, 1, on_written) != 0)
		uv_close((uv_handle_t *)&c->pipe, free_client);
}

static int make_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const char *slash = strrchr(path, '/');

	if (slash == NULL || slash == path)
		return 0;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

int status_server_start(uv_loop_t *loop, const char *path, struct status_server **out, char *err,
                        size_t errlen)
{
	struct status_server *s;
	struct stat st;
	int rc, errnum = 0, fd;

	*out = NULL;
	if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		snprintf(err, errlen, "status socket %s: path too long for a Unix socket", path);
		return -1;
	}
	if (make_parent(path) != 0) {
		snprintf(err, errlen, "status socket %s: cannot create its directory: %s", path,
		         strerror(errno));
		return -1;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "status socket %s: exists and is not a socket", path);
			return -1;
		}
		fd = connect_unix(path, &errnum);
		if (fd >= 0) {
			close(fd);
			snprintf(err, errlen, "status socket %s: another agent answers there",
			         path);
			return -1;
		}
		unlink(path); /* left by an agent that did not stop cleanly */
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL || (s->path = strdup(path)) == NULL) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	uv_pipe_init(loop, &s->listener, 0);
	s->listener.data = s;
	rc = uv_pipe_bind(&s->listener, path);
	if (rc == 0)
		rc = uv_listen((uv_stream_t *)&s->listener, 16, on_connection);
	if (rc != 0) {
		snprintf(err, errlen, "status socket %s: %s", path, uv_strerror(rc));
		status_server_stop(s);
		return -1;
	}
	chmod(path, 0666);
	*out = s;
	return 0;
}

int status_server_set(struct status_server *s, const char *json_text)
{
	size_t n = strlen(json_text);
	char *copy = malloc(n + 2);

	if (copy == NULL)
		return -1;
	memcpy(copy, json_text, n);
	copy[n] = '\n';
	copy[n + 1] = '\0';
	free(s->doc);
	s->doc = copy;
	return 0;
}

static void free_server(uv_handle_t *h)
{
	struct status_server *s = h->data;

	s->closed = 1;
	if (s->n_clients == 0)
		free_server_now(s);
}

void status_server_stop(struct status_server *s)
{
	struct client *c;

	if (s == NULL)
		return;
	unlink(s->path);
	/* a client that does not read must not hold the service's stop */
	for (c = s->clients; c != NULL; c = c->next)
		if (!uv_is_closing((uv_handle_t *)&c->pipe))
			uv_close((uv_handle_t *)&c->pipe, free_client);
	uv_close((uv_handle_t *)&s->listener, free_server);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int status_fetch(const char *path, int timeout_ms, char **text, int *errnum, char *err,
                 size_t errlen)
{
	long long deadline = now_ms() + timeout_ms;
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int fd;

	*text = NULL;
	*errnum = 0;
	fd = connect_unix(path, errnum);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(*errnum));
		return -1;
	}
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) == 0) {
			snprintf(err, errlen, "%s: the agent did not answer within %d ms", path,
			         timeout_ms);
			goto fail;
		}
		if (cap - len < 4096) {
			char *grown;

			if (cap > (64u << 20)) {
				snprintf(err, errlen, "%s: answer larger than 64 MiB", path);
				goto fail;
			}
			grown = realloc(buf, cap ? cap * 2 : 65536);
			if (grown == NULL) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
			buf = grown;
			cap = cap ? cap * 2 : 65536;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (buf == NULL)
		buf = calloc(1, 1);
	else
		buf[len] = '\0';
	*text = buf;
	return buf ? 0 : -1;
fail:
	close(fd);
	free(buf);
	return -1;
}
