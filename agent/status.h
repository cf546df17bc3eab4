/* SPDX-License-Identifier: Apache-2.0 */
/*
 * status: the running agent's local status endpoint, a Unix socket.
 *
 * A client connects and reads one JSON document, then end of file; it sends
 * nothing. The document is {"schema": "posture.status/1", "pid": N,
 * "started_at": T, "spool_waiting": N, "report": R}, where R is the last
 * report (the contract's "posture.report/1") or null before the first
 * evaluation. The socket is world-connectable: it tells the person at the
 * machine what the agent would tell the collector, and accepts no input.
 */
#ifndef POSTURE_STATUS_H
#define POSTURE_STATUS_H

#include <stddef.h>
#include <uv.h>

struct status_server;

/* Binds PATH (creating its directory, replacing a stale socket; refusing
 * when another agent answers there) and serves on LOOP. */
int status_server_start(uv_loop_t *loop, const char *path, struct status_server **out, char *err,
                        size_t errlen);

/* Replaces the document served to the next clients (copied). */
int status_server_set(struct status_server *s, const char *json_text);

/* Closes the listening handle and removes the socket; the server is freed
 * once LOOP has run the close callbacks. */
void status_server_stop(struct status_server *s);

/* Client: connects to PATH and reads the whole document, waiting at most
 * TIMEOUT_MS. 0 and a malloc'd *TEXT; -1 with ERR (ENOENT and ECONNREFUSED
 * mean that no agent runs). *ERRNUM gets the errno of a failed connect. */
int status_fetch(const char *path, int timeout_ms, char **text, int *errnum, char *err,
                 size_t errlen);

#endif
