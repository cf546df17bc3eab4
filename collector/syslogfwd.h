/* SPDX-License-Identifier: Apache-2.0 */
/*
 * syslogfwd: the audit trail and each device's state changes, as they are
 * recorded, to a SIEM's syslog receiver (docs/COLLECTOR.md, "Export to a
 * SIEM"): RFC 5424 messages (structured data and a JSON line), over UDP,
 * TCP (RFC 6587 octet counting) or a local datagram socket. What was sent
 * is kept in the store (a cursor each for the audit trail and the changes,
 * moved only by the collector that sends), so collectors sharing a store
 * send each once, and a restart resumes where it stopped.
 */
#ifndef POSTURE_SYSLOGFWD_H
#define POSTURE_SYSLOGFWD_H

#include <jansson.h>
#include <stddef.h>

#include "config.h"
#include "store.h"

struct syslogfwd;

/* A forwarder for C's [syslog] target (nothing is connected yet). */
struct syslogfwd *syslogfwd_new(const struct collector_config *c);
void syslogfwd_free(struct syslogfwd *f);

/* Sends what was recorded since the last pass (the first pass sends the
 * audit trail from its start, and the state changes from then on: their
 * history is in the JSON export). How many messages, or -1 with ERR (what
 * was not sent is sent on a later pass). */
int syslogfwd_pass(struct syslogfwd *f, struct store *st, char *err, size_t err_len);

/* The RFC 5424 message for an audit entry or a state change (as
 * store_audit_after and store_changes_after give them) into OUT: its
 * length, or 0 when it does not fit. */
size_t syslogfwd_audit_message(const struct collector_config *c, const char *hostname, long pid,
                               const json_t *entry, char *out, size_t out_len);
size_t syslogfwd_change_message(const struct collector_config *c, const char *hostname, long pid,
                                const json_t *change, char *out, size_t out_len);

#endif
