/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feeddir: the release feeds of one folder into a feedset (lib/feedset.h):
 * every *.json regular file (symbolic links are not followed), at most
 * FEEDSET_MAX_FILES, each at most FEED_MAX_BYTES, its modification time
 * taken as the time it was fetched.
 */
#ifndef POSTURE_FEEDDIR_H
#define POSTURE_FEEDDIR_H

#include <stddef.h>

#include "feedset.h"

/* 0 and *OUT (feedset_free), also when some or all files are refused; -1
 * with ERR when DIR cannot be read. */
int feeddir_load(const char *dir, struct feedset *out, char *err, size_t err_len);

#endif
