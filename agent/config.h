/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config: the agent's own configuration, /etc/posture/posture.ini (where to
 * report, the schedule, where the policy is). Validated against key tables
 * like a policy, with the same FILE:LINE errors; a missing file at the
 * default path means "all defaults".
 */
#ifndef POSTURE_CONFIG_H
#define POSTURE_CONFIG_H

#include "diag.h"
#include "osdefs.h"

/* The OS's places (platform/OS/osdefs.h). */
#define CONFIG_DEFAULT_PATH OS_CONFIG_PATH
#define CONFIG_DEFAULT_POLICY OS_POLICY_PATH
#define CONFIG_DEFAULT_STATE_DIR OS_STATE_DIR
#define CONFIG_DEFAULT_STATUS_SOCKET OS_STATUS_SOCKET

struct config {
	char *collector_url; /* NULL when not configured */
	char *collector_ca;
	char *collector_pin;
	char *collector_proxy;          /* NULL: HTTPS_PROXY from the environment */
	char *enroll_secret_file;       /* NULL: /etc/posture/enroll-secret */
	char *owner;                    /* who uses the device, told the collector when enrolling */
	long long connect_timeout_secs; /* [collector] connect_timeout, default 30 s */
	long long timeout_secs;         /* [collector] timeout, default 120 s */
	long long interval_secs;
	long long evaluation_timeout_secs; /* [agent] evaluation_timeout, default 300 s */
	char *policy_path;
	char *state_dir;
	long long spool_max_bytes; /* [agent] spool_max_mb, default 50 MiB */
	long long spool_max_age;   /* [agent] spool_max_age, default 30 days */
	char *status_socket;       /* [agent] status_socket */
	char *feeds_dir;           /* [agent] feeds: release feeds (unsigned files); NULL none */
	/* the collector's CA handed over inline by the installer (Windows'
	 * CA property: the certificate's base64, one line), which the
	 * service writes into its state folder and names in collector_ca;
	 * NULL when none */
	char *collector_ca_base64;
};

/*
 * Loads PATH (or the default path when PATH is NULL, where a missing file is
 * not an error). Returns 0 and fills *cfg (release with config_free), or -1
 * with errors in DIAGS.
 */
int config_load(const char *path, struct config *cfg, struct diags *diags);
void config_free(struct config *cfg);

#endif
