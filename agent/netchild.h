/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netchild: what every starter of the network process (posture-net) shares:
 * where the program is, the certificate and key files it is given, and its
 * settings message, IPC_CONFIG, built from named fields in one place, and
 * the one way it is started (netchild_spawn, on a libuv loop, so that every
 * OS libuv runs on starts it the same way). deliver.c starts it on the
 * service's loop; enrollment.c through netchild_exchange, for one blocking
 * request and answer.
 */
#ifndef POSTURE_NETCHILD_H
#define POSTURE_NETCHILD_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct netchild_config {
	const char *url;        /* the collector */
	const char *ca_pem;     /* "" or NULL: the system's trust store */
	const char *pin;        /* NULL: none */
	const char *cert_pem;   /* the device's certificate; NULL before enrollment */
	const char *key_pem;    /* its key; NULL before enrollment */
	const char *proxy;      /* NULL: HTTPS_PROXY from the environment */
	long connect_timeout_s; /* 0: 30 s */
	long timeout_s;         /* 0: 120 s */
};

/* The IPC_CONFIG frame of C (malloc'd; the caller wipes and frees it: it
 * carries the device key), its length in *LEN. NULL when out of memory. */
char *netchild_config_frame(const struct netchild_config *c, size_t *len);

/* Where posture-net is: OVERRIDE when set, else beside this program, else
 * in LIBEXECDIR. */
void netchild_path(const char *override, char *out, size_t out_len);

/* Reads a certificate or key file whole (malloc'd, the caller frees); ""
 * when PATH does not exist and OPTIONAL; NULL with ERR otherwise. */
char *netchild_read_pem(const char *path, int optional, char *err, size_t err_len);

/* Starts posture-net (netchild_path(OVERRIDE)) on LOOP, its standard input
 * and output closed, its standard error shared, and CHAN as its fd 3, the
 * channel both ends frame with lib/ipc.h. CHAN is initialised here in every
 * case; its data and PROC's are the caller's. 0, or a libuv error code with
 * ERR; then the caller still closes CHAN and PROC (uv_close). */
int netchild_spawn(uv_loop_t *loop, const char *override, uv_process_t *proc, uv_pipe_t *chan,
                   uv_exit_cb on_exit, char *err, size_t err_len);

/* One blocking exchange on a loop of its own: starts posture-net, sends it
 * C's settings, then the frame TYPE of the N values V, and waits for its
 * first answer, which is returned whole in *ANSWER (malloc'd, the caller
 * wipes and frees it; *ANSWER_LEN its length). The channel is then closed,
 * posture-net exits, and it is waited for. 0, or -1 with ERR (it could not
 * be started, or it ended or misbehaved before answering). */
int netchild_exchange(const struct netchild_config *c, const char *override, uint32_t type,
                      size_t n, const char *const *v, char **answer, size_t *answer_len, char *err,
                      size_t err_len);

#endif
