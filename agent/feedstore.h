/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feedstore: the root process's keeping of the release feeds posture-net
 * fetched from the collector and verified (agent/net/policysig.h): each as
 * STATE/feeds/NAME, the publisher's bytes with the time the collector
 * fetched them as the file's modification time, which is how feeddir.h
 * reads any feed folder. The highest serial taken per name is kept in
 * STATE/feed-serials.json; a lower one is a replay of an older feed and is
 * refused, so what the evaluation reads never goes back in time. A feed the
 * collector stops serving stays (it grows stale, and a check needing it
 * then says so).
 */
#ifndef POSTURE_FEEDSTORE_H
#define POSTURE_FEEDSTORE_H

#include <stddef.h>

#define FEEDSTORE_DIR "feeds"

/* Keeps BODY (LEN bytes) as the feed NAME of SERIAL, fetched at FETCHED_AT
 * (Unix), in STATE_DIR. 1 stored, 0 already kept (that serial), -1 refused
 * (a replay, a name that is no plain .json file name) or failed, with WHY. */
int feedstore_accept(const char *state_dir, const char *name, long long serial,
                     long long fetched_at, const char *body, size_t len, char *why, size_t why_len);

#endif
