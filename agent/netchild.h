/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netchild: what every starter of the network process (posture-net) shares:
 * where the program is, the certificate and key files it is given, and its
 * settings message, IPC_CONFIG, built from named fields in one place.
 * deliver.c starts it on the service's loop; enrollment.c for one blocking
 * exchange.
 */
#ifndef POSTURE_NETCHILD_H
#define POSTURE_NETCHILD_H

#include <stddef.h>

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

#endif
