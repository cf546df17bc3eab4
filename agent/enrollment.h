/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enrollment: `posture enroll`, the root side. It hands the enrollment
 * secret to the network process (posture-net), which makes the device key
 * and certificate request, talks to the collector and checks its answer;
 * then it stores the key (0600), the certificate, the collector's CA and
 * policy-signing key and the enrollment record in the state directory, each
 * written whole (temporary file, fsync, rename), and removes a secret file
 * once it has been used. The secret is never logged.
 */
#ifndef POSTURE_ENROLLMENT_H
#define POSTURE_ENROLLMENT_H

#include <stddef.h>

#include "osdefs.h"

#define ENROLL_DEFAULT_SECRET_FILE OS_ENROLL_SECRET_PATH

struct enrollment_opts {
	const char *server;      /* https://... */
	const char *secret;      /* given on the command line, or NULL */
	const char *secret_file; /* NULL: ENROLL_DEFAULT_SECRET_FILE when SECRET is NULL */
	const char *ca_path;     /* NULL: the system's store */
	const char *pin;
	const char *proxy;
	const char *state_dir;
	const char *owner; /* who uses the device (an email, say), or NULL */
	long connect_timeout_s, timeout_s;
};

/* 0 enrolled; 1 the collector or the network refused (ERR says why); 2 the
 * request could not be made (bad options, unreadable files). */
int enrollment_run(const struct enrollment_opts *o, char *err, size_t err_len);

struct ipc_field;

/* The secret: SECRET when given, else the first line of SECRET_FILE (NULL:
 * the default file), whose path then goes to *FILE_USED. Malloc'd, or NULL
 * with ERR. */
char *enrollment_read_secret(const char *secret, const char *secret_file, const char **file_used,
                             char *err, size_t err_len);

/* This device's id (as in reports) and host name. */
void enrollment_identity(char id[37], char host[256]);

/*
 * Takes the network process's IPC_ENROLLED fields F: on success stores the
 * key, certificate, CA, policy key and enrollment.json in STATE_DIR and
 * removes SECRET_FILE (when set), with a sentence in MSG; returns 0. 1 when
 * the collector refused (MSG says why), 2 when the files cannot be written.
 */
int enrollment_store(const char *state_dir, const char *server, const char *id, const char *host,
                     const struct ipc_field *f, const char *secret_file, char *msg, size_t msg_len);

/* The collector URL recorded by the last enrollment in STATE_DIR
 * (malloc'd), or NULL. */
char *enrollment_server(const char *state_dir);

#endif
