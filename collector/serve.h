/*
 * serve: `posture-collector serve --dir DIR [--listen ADDR:PORT]`, the
 * HTTPS server (see serve.c). Runs until SIGTERM or SIGINT.
 */
#ifndef POSTURE_SERVE_H
#define POSTURE_SERVE_H

#include <stddef.h>

/* 0 after a clean stop, or -1 with ERR (bad address, not a data directory,
 * cannot listen). */
int serve_run(const char *dir, const char *listen_addr, char *err, size_t err_len);

#endif
