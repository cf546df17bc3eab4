/* SPDX-License-Identifier: Apache-2.0 */
/*
 * latest: judging a version against a `latest` or `latest-N` minimum from
 * the release feeds the engine was given (lib/feedset.h), for
 * browser_version and os_version.
 */
#ifndef POSTURE_JUDGES_LATEST_H
#define POSTURE_JUDGES_LATEST_H

#include <jansson.h>
#include <stddef.h>

#include "engine.h"
#include "feedset.h"

/* The feed product for BROWSER (a browser_version key) on the judged OS:
 * the first of its candidates a feed carries ("chrome-mac", then "chrome";
 * "chromium", then Chrome's), or the first when none does (so that the
 * error names what is missing). */
const char *latest_browser_product(const struct eval_ctx *ctx, const char *browser, char *buf,
                                   size_t len);

/* Judges INSTALLED of PRODUCT by C's minimum TEXT ("latest", "latest-N");
 * ESR_MAJOR > 0 judges within that Firefox ESR line. 1 when it meets the
 * bar, 0 when it is older, -1 when no bar can be set (ERR says why: no
 * feeds, no feed of the product, a stale feed). *BAR describes the bar;
 * *EVIDENCE (when not NULL) gets a new JSON object of it: the rule, the
 * bar release, its feed and dates, and a newer release still within its
 * grace. */
int latest_judge(const struct check *c, const struct eval_ctx *ctx, const char *text,
                 const char *product, const char *installed, int esr_major, struct feed_bar *bar,
                 json_t **evidence, char *err, size_t err_len);

#endif
