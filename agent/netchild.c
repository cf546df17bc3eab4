/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netchild: see netchild.h.
 */
#include "netchild.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipc.h"
#include "os.h"

#define MAX_PEM (256u << 10)

char *netchild_config_frame(const struct netchild_config *c, size_t *len)
{
	char ct[24], tt[24];
	const char *v[8];

	snprintf(ct, sizeof(ct), "%ld", c->connect_timeout_s > 0 ? c->connect_timeout_s : 30);
	snprintf(tt, sizeof(tt), "%ld", c->timeout_s > 0 ? c->timeout_s : 120);
	/* the order of enum ipc_type's IPC_CONFIG, which net.c reads */
	v[0] = c->url;
	v[1] = c->ca_pem ? c->ca_pem : "";
	v[2] = c->pin ? c->pin : "";
	v[3] = c->cert_pem ? c->cert_pem : "";
	v[4] = c->key_pem ? c->key_pem : "";
	v[5] = c->proxy ? c->proxy : "";
	v[6] = ct;
	v[7] = tt;
	return ipc_build(IPC_CONFIG, 8, v, NULL, len);
}

void netchild_path(const char *override, char *out, size_t out_len)
{
	char dir[PATH_MAX];

	if (override != NULL) {
		snprintf(out, out_len, "%s", override);
		return;
	}
	if (os_program_dir(dir, sizeof(dir)) == 0) {
		snprintf(out, out_len, "%s/posture-net" OS_EXE_SUFFIX, dir);
		if (access(out, X_OK) == 0)
			return;
	}
	snprintf(out, out_len, "%s/posture-net" OS_EXE_SUFFIX, POSTURE_LIBEXECDIR);
}

/* Reads a PEM file whole; "" (malloc'd) when PATH is absent and OPTIONAL.
 * NULL with ERR otherwise. */
char *netchild_read_pem(const char *path, int optional, char *err, size_t err_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf;
	ssize_t n;

	if (fd < 0) {
		if (optional && errno == ENOENT)
			return strdup("");
		snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || st.st_size > (off_t)MAX_PEM) {
		snprintf(err, err_len, "%s is not a certificate or key file (too large)", path);
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	n = buf ? read(fd, buf, (size_t)st.st_size) : -1;
	close(fd);
	if (n != st.st_size) {
		snprintf(err, err_len, "cannot read %s", path);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

int netchild_spawn(uv_loop_t *loop, const char *override, uv_process_t *proc, uv_pipe_t *chan,
                   uv_exit_cb on_exit, char *err, size_t err_len)
{
	char helper[PATH_MAX];
	uv_process_options_t po;
	uv_stdio_container_t stdio[4];
	char *args[2];
	int rc;

	netchild_path(override, helper, sizeof(helper));
	args[0] = helper;
	args[1] = NULL;
	memset(&po, 0, sizeof(po));
	memset(stdio, 0, sizeof(stdio));
	stdio[0].flags = UV_IGNORE;
	stdio[1].flags = UV_IGNORE;
	stdio[2].flags = UV_INHERIT_FD;
	stdio[2].data.fd = 2;
	stdio[3].flags = UV_CREATE_PIPE | UV_READABLE_PIPE | UV_WRITABLE_PIPE;
	stdio[3].data.stream = (uv_stream_t *)chan;
	po.file = helper;
	po.args = args;
	po.exit_cb = on_exit;
	po.stdio = stdio;
	po.stdio_count = 4;
	{
		void *data = chan->data; /* the caller's, set before the handle exists */

		uv_pipe_init(loop, chan, 0);
		chan->data = data;
	}
	rc = uv_spawn(loop, proc, &po);
	if (rc != 0)
		snprintf(err, err_len, "cannot start the network process %s: %s", helper,
		         uv_strerror(rc));
	return rc;
}

/* The state of one netchild_exchange. */
struct exchange {
	uv_process_t proc;
	uv_pipe_t chan;
	uv_write_t req[2];
	char *frames[2];
	size_t lens[2];
	char *in;      /* what posture-net has said so far */
	size_t in_len; /* bytes in IN */
	size_t in_cap;
	size_t answer_len; /* the whole first frame's length, once its header is in */
	int answered;      /* a whole frame is in */
	int failed;        /* the channel broke or the frame was malformed */
	char err[256];
};

static void ex_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct exchange *x = h->data;

	(void)suggested;
	if (x->in_cap - x->in_len < 4096) {
		size_t cap = x->in_cap ? x->in_cap * 2 : 16384;
		char *grown = cap <= (size_t)IPC_MAX + IPC_HEADER ? malloc(cap) : NULL;

		if (grown == NULL) {
			*buf = uv_buf_init(NULL, 0);
			return;
		}
		/* copy, not realloc: the old buffer may hold key material */
		if (x->in != NULL) {
			memcpy(grown, x->in, x->in_len);
			explicit_bzero(x->in, x->in_cap);
			free(x->in);
		}
		x->in = grown;
		x->in_cap = cap;
	}
	*buf = uv_buf_init(x->in + x->in_len, (unsigned int)(x->in_cap - x->in_len));
}

static void ex_close_chan(struct exchange *x)
{
	if (!uv_is_closing((uv_handle_t *)&x->chan))
		uv_close((uv_handle_t *)&x->chan, NULL);
}

static void ex_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct exchange *x = s->data;
	struct ipc_field f[8];
	uint32_t type;
	long long used;

	(void)buf;
	if (n == UV_ENOBUFS) {
		snprintf(x->err, sizeof(x->err), "the network process's answer is too large");
		x->failed = 1;
		ex_close_chan(x);
		return;
	}
	if (n < 0) {
		snprintf(x->err, sizeof(x->err), "the network process ended before answering");
		x->failed = 1;
		ex_close_chan(x);
		return;
	}
	x->in_len += (size_t)n;
	char why[160];

	used = ipc_parse(x->in, x->in_len, &type, f, 8, why, sizeof(why));
	if (used == 0)
		return; /* not whole yet */
	if (used < 0) {
		snprintf(x->err, sizeof(x->err), "malformed answer from the network process: %s",
		         why);
		x->failed = 1;
	} else {
		x->answered = 1;
		x->answer_len = (size_t)used;
	}
	/* posture-net sees end of file and exits */
	ex_close_chan(x);
}

static void ex_exit(uv_process_t *p, int64_t status, int signo)
{
	(void)status;
	(void)signo;
	uv_close((uv_handle_t *)p, NULL);
}

int netchild_exchange(const struct netchild_config *c, const char *override, uint32_t type,
                      size_t n, const char *const *v, char **answer, size_t *answer_len, char *err,
                      size_t err_len)
{
	struct exchange *x = calloc(1, sizeof(*x));
	uv_loop_t loop;
	int rc = -1, started;

	*answer = NULL;
	*answer_len = 0;
	if (x == NULL || uv_loop_init(&loop) != 0) {
		snprintf(err, err_len, "out of memory starting the network process");
		free(x);
		return -1;
	}
	x->chan.data = x;
	x->proc.data = x;
	started = netchild_spawn(&loop, override, &x->proc, &x->chan, ex_exit, err, err_len) == 0;
	if (!started) {
		uv_close((uv_handle_t *)&x->proc, NULL);
		ex_close_chan(x);
	} else {
		x->frames[0] = netchild_config_frame(c, &x->lens[0]);
		x->frames[1] = ipc_build(type, n, v, NULL, &x->lens[1]);
		for (int i = 0; i < 2 && !x->failed; i++) {
			uv_buf_t b = uv_buf_init(x->frames[i], (unsigned int)x->lens[i]);

			if (x->frames[i] == NULL ||
			    uv_write(&x->req[i], (uv_stream_t *)&x->chan, &b, 1, NULL) != 0)
				x->failed = 1;
		}
		if (x->failed || uv_read_start((uv_stream_t *)&x->chan, ex_alloc, ex_read) != 0) {
			snprintf(x->err, sizeof(x->err), "cannot talk to the network process");
			x->failed = 1;
			uv_process_kill(&x->proc, SIGKILL);
			ex_close_chan(x);
		}
	}
	/* runs until posture-net has answered, its channel is closed and it has
	 * exited: every handle closed */
	uv_run(&loop, UV_RUN_DEFAULT);
	if (started && x->answered && !x->failed) {
		*answer = x->in;
		*answer_len = x->answer_len;
		x->in = NULL;
		rc = 0;
	} else if (started)
		snprintf(err, err_len, "%s",
		         x->err[0] ? x->err : "the network process ended before answering");
	for (int i = 0; i < 2; i++)
		if (x->frames[i] != NULL) {
			explicit_bzero(x->frames[i], x->lens[i]);
			free(x->frames[i]);
		}
	if (x->in != NULL) {
		explicit_bzero(x->in, x->in_cap);
		free(x->in);
	}
	uv_loop_close(&loop);
	free(x);
	return rc;
}
