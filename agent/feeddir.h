/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feeddir: the release feeds of one folder into a feedset (lib/feedset.h):
 * every *.json regular file (symbolic links are not followed), in the
 * order of their names, at most FEEDSET_MAX_FILES (the rest counted as
 * unread, which a check missing its feed then says), each at most
 * FEED_MAX_BYTES, its modification time taken as the time it was fetched.
 */
#ifndef POSTURE_FEEDDIR_H
#define POSTURE_FEEDDIR_H

#include <stddef.h>

#include "feedset.h"

/* 0 and *OUT (feedset_free), also when some or all files are refused; -1
 * with ERR when DIR cannot be read. */
int feeddir_load(const char *dir, struct feedset *out, char *err, size_t err_len);

struct engine_env;
struct policy;

/* For an evaluation of POLICY: when DIR is set and a check says `latest`,
 * reads DIR into *FS and points ENV at it, or ENV's reason at WHY (WHY_LEN
 * bytes) when DIR cannot be read; nothing otherwise. *FS zeroed first
 * (feedset_free after the evaluation). */
void feeddir_env(const char *dir, const struct policy *policy, struct feedset *fs,
                 struct engine_env *env, char *why, size_t why_len);

#endif
