/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report: the outside of an evaluation, as the contract fixes it: the JSON
 * document (also the body sent to the collector) and the text a person
 * reads. It formats; it never evaluates or decides.
 */
#ifndef POSTURE_REPORT_H
#define POSTURE_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "engine.h"
#include "probe.h"

struct report_meta {
	const char *agent_version;
	char report_id[37];
	char generated_at[32];
	char device_id[37]; /* "" when the machine has no machine id */
	struct os_info os;
};

/*
 * Fills META: fresh report id and time, the device id of ROOT and the OS
 * that EV read.
 */
void report_meta_init(struct report_meta *meta, const struct evaluation *ev,
                      const struct rootfs *root, const char *version);

/* The "posture.report/1" document. New reference for the caller. */
json_t *report_json(const struct evaluation *ev, const struct report_meta *meta);

/* One line per check, remediation under failures, a summary line last. */
void report_text(const struct evaluation *ev, FILE *out, int color);

/*
 * The same text from a "posture.report/1" document (what the running agent
 * serves `posture status`). The contract's exit code for it (0, 1 or 3), or
 * -1 when DOC is not a report.
 */
int report_text_json(const json_t *doc, FILE *out, int color);

/* The exit code a report document stands for (0, 1, 3), -1 if it is none. */
int report_json_exit_code(const json_t *doc);

/* Whether to colour OUT: a terminal, and NO_COLOR unset or empty. */
int report_want_color(FILE *out);

#endif
