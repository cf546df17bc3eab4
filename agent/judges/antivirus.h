/* SPDX-License-Identifier: Apache-2.0 */
/*
 * antivirus: the verdict on an antivirus state, apart from the probe, so
 * that states read from captured answers can be judged in tests.
 */
#ifndef POSTURE_JUDGES_ANTIVIRUS_H
#define POSTURE_JUDGES_ANTIVIRUS_H

#include "engine.h"
#include "probe.h"

/* Fills R (observed, status, message, fix) from ST against the policy's
 * MAX_AGE (days) and WANT_RT (require real-time protection). */
void antivirus_verdict(const struct av_state *st, long long max_age, int want_rt, struct result *r);

#endif
