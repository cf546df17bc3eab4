/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipc: the messages between the agent's root process and its unprivileged
 * network process (posture-net), over one stream socketpair.
 *
 * A message is a frame: type (u32), payload length (u32), payload; the
 * payload is a sequence of fields, each a length (u32) and that many bytes.
 * Every message type has a fixed number of fields, and a frame whose type
 * is unknown, whose length exceeds IPC_MAX or whose fields do not add up to
 * the payload exactly is malformed: as in OpenBSD's imsg users (ntpd's
 * dispatch_imsg), the receiver treats that as fatal for the peer, never as
 * something to guess at. Integers travel in host byte order: both ends are
 * the same machine and the same build.
 *
 * This module only frames and checks; it does no I/O of its own beyond the
 * blocking helpers, so it can be fuzzed as it is.
 */
#ifndef POSTURE_IPC_H
#define POSTURE_IPC_H

#include <stddef.h>
#include <stdint.h>

#define IPC_MAX (24u << 20) /* a report is at most 16 MiB (spool.c) */
#define IPC_HEADER 8u

enum ipc_type {
	/* root -> network: settings, sent once before anything else:
	 * url, ca_pem, pin, cert_pem, key_pem, proxy, connect_timeout_s,
	 * timeout_s */
	IPC_CONFIG = 1,
	/* root -> network: deliver one report: spool name, body */
	IPC_DELIVER = 2,
	/* network -> root: how a delivery ended: spool name, outcome (one of
	 * enum ipc_outcome, decimal), HTTP status, Retry-After seconds, a
	 * sentence for the log */
	IPC_RESULT = 3,
	/* root -> network: enroll: secret, hostname, device id, owner ("" for
	 * none: who uses the device, as MDM names them) (the settings carry the
	 * collector's URL and CA; no device certificate yet) */
	IPC_ENROLL = 4,
	/* network -> root: outcome ("0" enrolled, "1" failed), a sentence,
	 * key_pem, cert_pem, ca_pem, policy_key_pem ("" when failed) */
	IPC_ENROLLED = 5,
	/* root -> network: fetch the collector's signed policy: the ETag of the
	 * one in force ("" for none), the policy-signing public key (PEM) */
	IPC_POLICY_FETCH = 6,
	/* network -> root: outcome (enum ipc_policy_outcome, decimal), a
	 * sentence, ETag, version (decimal), the policy text, its signature
	 * verified ("" unless outcome is IPC_POLICY_NEW) */
	IPC_POLICY = 7,
	/* root -> network: renew the device certificate if it is in the last
	 * third of its validity: hostname, device id. Answered with
	 * IPC_ENROLLED, whose outcome "2" means not due yet. */
	IPC_RENEW = 8,
	/* root -> network: fetch the collector's signed release feeds (GET
	 * /v1/feeds): the ETag of the last answer ("" for none), the
	 * policy-signing public key (PEM) they are verified against */
	IPC_FEEDS_FETCH = 9,
	/* network -> root: one feed whose signature checked out: its name (a
	 * plain file name), serial (decimal), fetch time (Unix, decimal), the
	 * publisher's bytes. As many as the answer held, then IPC_FEEDS. */
	IPC_FEED = 10,
	/* network -> root: how the feed fetch ended: outcome (enum
	 * ipc_policy_outcome, decimal: NEW when the answer was read), a
	 * sentence (naming any feed refused), the answer's ETag */
	IPC_FEEDS = 11,
	IPC_TYPE_MAX = 11,
};

enum ipc_outcome {
	IPC_DELIVERED = 0, /* 2xx: the collector has stored it */
	IPC_RETRY = 1,     /* the network, TLS or the collector failed: try again later */
	IPC_REFUSED = 2,   /* the collector refused this report for good (400, 413, 422) */
};

enum ipc_policy_outcome {
	IPC_POLICY_NEW = 0,       /* a policy whose signature checked out */
	IPC_POLICY_UNCHANGED = 1, /* 304, or none published (404) */
	IPC_POLICY_BAD = 2,       /* refused: bad signature, malformed, an error answer */
	IPC_POLICY_UNREACHED = 3, /* not fetched: no connection, TLS failed, no answer */
};

struct ipc_field {
	const char *data; /* points into the frame; not NUL-terminated */
	uint32_t len;
};

/* The number of fields a message of TYPE has, or 0 for an unknown type. */
size_t ipc_nfields(uint32_t type);

/*
 * Looks for one whole frame at the start of BUF (LEN bytes). Returns the
 * frame's total size and sets *TYPE and FIELDS (ipc_nfields(type) of them,
 * pointing into BUF) when one is there; 0 when more bytes are needed; -1
 * when the bytes are malformed (ERR says how).
 */
long long ipc_parse(const void *buf, size_t len, uint32_t *type, struct ipc_field *fields,
                    size_t max_fields, char *err, size_t err_len);

/*
 * Builds a frame of TYPE from N strings (lengths from LENS, or strlen when
 * LENS is NULL). Returns a malloc'd frame (the caller frees) with its size
 * in *OUT_LEN, or NULL when out of memory or too large.
 */
char *ipc_build(uint32_t type, size_t n, const char *const *values, const size_t *lens,
                size_t *out_len);

/* A field as a NUL-terminated copy (malloc'd; NULL when out of memory). */
char *ipc_strdup(const struct ipc_field *f);

/* A field as an unsigned decimal no larger than MAX; -1 when it is not one. */
long long ipc_number(const struct ipc_field *f, long long max);

#endif
