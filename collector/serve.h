/* SPDX-License-Identifier: Apache-2.0 */
/*
 * serve: `posture-collector serve --dir DIR [--listen ADDR:PORT] [--store
 * URL]`, the HTTPS server (see serve.c). Runs until SIGTERM or SIGINT.
 */
#ifndef POSTURE_SERVE_H
#define POSTURE_SERVE_H

#include <stddef.h>

#include "config.h"

struct serve_options {
	const char *dir;
	const char *listen;      /* ADDRESS:PORT */
	const char *store;       /* a store spec (store_spec) */
	double rate_per_second;  /* reports a device may send per second; 0: no limit */
	double rate_burst;       /* and in a burst */
	long long stale_seconds; /* the fleet summary's default */
	/* ADDRESS:PORT of a second listener where GET /metrics needs no admin
	 * token (a scraper's address, firewalled to it); NULL: none, and
	 * /metrics needs the token everywhere */
	const char *metrics_listen;
	int http1_only; /* offer HTTP/1.1 alone (no HTTP/2, so no rapid reset) */
	/* collector.ini: retention, OpenID Connect, syslog, webhooks, and the
	 * file the feed schedule reads */
	const struct collector_config *config;
};

/* 0 after a clean stop, or -1 with ERR (bad address, not a data directory,
 * cannot listen). */
int serve_run(const struct serve_options *opt, char *err, size_t err_len);

#endif
