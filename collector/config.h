/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config: the collector's configuration file, collector.ini
 * (docs/COLLECTOR.md, "Configuration"). Which file: --config FILE; else,
 * with --dir DIR, DIR/collector.ini when it exists; else
 * /etc/posture-collector/collector.ini when it exists. Options on the
 * command line win over the file. The file's release-feed sections
 * ([fetch], [sources], [ca]) are read by feeds.c.
 */
#ifndef POSTURE_CONFIG_H
#define POSTURE_CONFIG_H

#include <stddef.h>

#define CONFIG_SYSTEM_PATH "/etc/posture-collector/collector.ini"

struct config_oidc {
	char issuer[512]; /* "": no OpenID Connect sign-in */
	char client_id[256];
	char client_secret_file[1024]; /* the client secret, read at start */
	char redirect_uri[512];        /* https://HOST:PORT/oidc/callback */
	char scopes[256];              /* default "openid email profile" */
	char role_claim[128];          /* default "groups" */
	char admin_values[512];        /* comma-separated claim values: admin */
	char viewer_values[512];       /* and viewer; "*": anyone signed in */
	char name_claim[128];          /* the actor the audit names; "email" */
	char ca[1024];                 /* CA file for the issuer ("": system's) */
};

struct collector_config {
	char path[4200]; /* the file read; "" when none */
	char dir[4096];
	char listen[256];
	char store[2048];
	char metrics_listen[256];
	int http1_only;             /* -1: not set */
	double rate;                /* -1: not set */
	long long stale_s;          /* -1: not set */
	int token_signin;           /* the admin token signs in (default 1) */
	long long retain_reports_s; /* 0: forever (default 30 days) */
	long long retain_changes_s; /* 0: forever (default 400 days) */
	struct config_oidc oidc;
	char syslog_target[512];     /* udp://HOST:PORT, tcp://HOST:PORT, unix:PATH */
	int syslog_facility;         /* RFC 5424 facility code (default 16: local0) */
	char syslog_app[49];         /* APP-NAME (default posture-collector) */
	long long webhook_timeout_s; /* per delivery (default 10 s) */
	int webhook_attempts;        /* before an event is given up (default 20) */
	char webhook_ca[1024];       /* CA file for https:// webhooks ("": system's) */
	int has_feed_sections;       /* [fetch], [sources] or [ca] */
};

/* Fills C with the defaults, then reads PATH (when not NULL). 0; 1 when
 * PATH does not exist and MUST_EXIST is 0; -1 with ERR naming the file,
 * the line and what is wrong. */
int config_load(const char *path, int must_exist, struct collector_config *c, char *err,
                size_t err_len);

/* Which file to read (see above) into OUT (""): none. */
void config_locate(const char *config_opt, const char *dir_opt, char *out, size_t out_len);

/* The file `init` writes into a data directory: every setting, commented
 * where it is the default, and the release-feed sources. */
extern const char config_default_text[];

/* "30d", "12h", "2w", "1d12h"; "off", "forever" or "0": 0. -1 otherwise. */
long long config_parse_span(const char *text);

#endif
