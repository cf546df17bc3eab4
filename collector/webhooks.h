/* SPDX-License-Identifier: Apache-2.0 */
/*
 * webhooks: alerts to a URL of the admin's (docs/COLLECTOR.md, "Alerts").
 * Events are recorded by the store's triggers in the transaction that made
 * them happen (a device new, compliant, non-compliant, stale or revoked; a
 * failure past its grace period), each queued for every webhook subscribed
 * to its type. `serve` delivers the queue: a JSON POST signed with
 * HMAC-SHA256 over the timestamp and the body, retried with backoff, until
 * a 2xx; the queue is in the store, so nothing is lost across a restart,
 * and a retry carries the same event id.
 */
#ifndef POSTURE_WEBHOOKS_H
#define POSTURE_WEBHOOKS_H

#include <jansson.h>
#include <stddef.h>

#include "config.h"
#include "store.h"

/* every event type, comma-separated (what `--events` takes, or "*") */
#define WEBHOOK_EVENT_TYPES                                                                  \
	"device.new,device.compliant,device.noncompliant,device.stale,device.revoked,check." \
	"overdue"

/* Subscribes URL (https://, or http:// to the loopback address) to EVENTS
 * (NULL or "*": all). Its id, the signing secret into SECRET (shown once),
 * or -1 with ERR (*REFUSED set when the input was wrong). */
long long webhooks_add(struct store *st, const char *url, const char *events, char *secret,
                       size_t secret_len, int *refused, char *err, size_t err_len);

/* [{id, url, events, created_at, pending, delivered, given_up}] of the
 * webhooks not removed. 0 or -1. */
int webhooks_list(struct store *st, json_t **out, char *err, size_t err_len);

/* 1 removed (its undelivered events are dropped), 0 no such webhook, -1. */
int webhooks_remove(struct store *st, long long id, char *err, size_t err_len);

/* Marks the devices not heard from since NOW - STALE_S as stale (each once
 * until it reports again: a device.stale event), when a webhook is
 * subscribed. How many, or -1. */
long long webhooks_scan_stale(struct store *st, long long stale_s, long long now, char *err,
                              size_t err_len);

/* Delivers what is due: at most 50 deliveries, each claimed first (so
 * collectors sharing a store do not both send it), POSTed within C's
 * timeout, then marked delivered, or due again after a backoff (5 s,
 * doubling, at most an hour), or given up after C's attempts. STOP ends it
 * between two. How many were tried, or -1 with ERR. Needs
 * curl_global_init. */
int webhooks_deliver(struct store *st, const struct collector_config *c, long long now,
                     const int *stop, char *err, size_t err_len);

/* The body a delivery POSTs for event ID (built from the event's row
 * alone, so a retry sends the same bytes). The caller frees. */
char *webhooks_body(long long id, const char *type, const char *device_id, const char *hostname,
                    const char *check_id, const char *detail, const char *at,
                    const char *created_at);

/* The signature header's value for BODY at TIMESTAMP: "v1=" and the hex
 * HMAC-SHA256 under SECRET of TIMESTAMP "." BODY. */
void webhooks_sign(const char *secret, long long timestamp, const char *body, char out[70]);

/* Drops events older than BEFORE (RFC 3339) with nothing left to deliver,
 * and their deliveries. How many events, or -1. */
long long webhooks_prune(struct store *st, const char *before, char *err, size_t err_len);

#endif
