/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spool: reports waiting to be delivered, kept on disk so that nothing is
 * lost when the collector or the network is down, the agent restarts or
 * the machine loses power.
 *
 * Each report is one file, written to a temporary name, fsync'ed, renamed
 * into place and the directory fsync'ed, so a report is either wholly in
 * the spool or not at all. Reports leave only through spool_remove(), which
 * the sender calls after the collector's 2xx. The spool is bounded in bytes
 * and age; when it overflows the oldest reports are dropped and counted, and
 * the count survives restarts until the next delivery reports it. A file
 * that is not a JSON document (a disk error, someone's editor) is moved to
 * corrupt/ with a log line, never fed to the sender and never fatal.
 */
#ifndef POSTURE_SPOOL_H
#define POSTURE_SPOOL_H

#include <stddef.h>

struct spool;

/*
 * Opens (creating, mode 0700) the spool in DIR, removes temporary files a
 * crash left behind, and applies the bounds (MAX_BYTES, MAX_AGE seconds;
 * 0 for no bound). Returns 0 and sets *out (close with spool_close), or a
 * negative errno with a sentence in err.
 */
int spool_open(const char *dir, long long max_bytes, long long max_age, struct spool **out,
               char *err, size_t err_len);
void spool_close(struct spool *s);

/* Adds one report durably. NAME_OUT (may be NULL, 64 bytes) gets its name.
 * 0 or a negative errno with err set. */
int spool_put(struct spool *s, const char *data, size_t len, char name_out[64], char *err,
              size_t err_len);

/*
 * The oldest deliverable report: its name (64 bytes) and contents (malloc'd,
 * NUL-terminated; the caller frees). Corrupt files met on the way are moved
 * aside. Returns 1 when a report was found, 0 when the spool is empty, or a
 * negative errno.
 */
int spool_oldest(struct spool *s, char name[64], char **data, size_t *len, char *err,
                 size_t err_len);

/* Removes a delivered report. 0, or a negative errno. */
int spool_remove(struct spool *s, const char *name);

/* Moves a report the collector refused for good to rejected/, kept for a
 * person but out of the delivery's way. 0, or a negative errno. */
int spool_reject(struct spool *s, const char *name);

/* Reports waiting, and their bytes. */
size_t spool_depth(const struct spool *s);
long long spool_bytes(const struct spool *s);

/* Reports dropped to keep within the bounds since the last call, which
 * resets the persisted count (call it when a delivery carries the count). */
unsigned long spool_take_dropped(struct spool *s);
unsigned long spool_dropped(const struct spool *s);

#endif
