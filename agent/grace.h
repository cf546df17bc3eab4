/* SPDX-License-Identifier: Apache-2.0 */
/*
 * grace: a check's grace period (the policy's grace_days). A check that
 * starts failing keeps the device compliant until its due time: the first
 * time it was seen failing plus grace_days. The agent remembers first
 * failures in its state folder (grace.json), across restarts; a pass or a
 * skip forgets one, an error keeps it (an error says nothing either way,
 * and must not restart the clock). A failure that cannot be remembered
 * (the state folder unreadable or unwritable) gets no grace: it counts at
 * once, never "due" forever.
 */
#ifndef POSTURE_GRACE_H
#define POSTURE_GRACE_H

#include <jansson.h>
#include <stddef.h>

#define GRACE_FILE "grace.json"

struct grace_entry {
	char *id;   /* the check's id */
	char *type; /* its type: a check id given to another type starts anew */
	long long first_failed;
};

struct grace_book {
	struct grace_entry *e;
	size_t n;
	int changed;  /* to be saved */
	int writable; /* loaded from a folder it may save to */
};

/* What a result's verdict becomes under its check's grace. */
struct grace_verdict {
	long long first_failed; /* 0: none */
	long long due_at;       /* 0: none */
	int within;             /* a failure not yet due: the device stays compliant */
};

/*
 * Reads DIR/grace.json into B. 0, also when there is none yet (B empty and
 * writable); or -1 with ERR when the folder cannot be read (B empty and not
 * writable: no grace is granted). A file that is not a grace book is an
 * error too, and B starts empty but writable.
 */
int grace_load(const char *dir, struct grace_book *b, char *err, size_t err_len);

/* Writes B to DIR/grace.json (0600, atomically) when it changed. 0 or -1
 * with ERR. */
int grace_save(const char *dir, struct grace_book *b, char *err, size_t err_len);

void grace_book_free(struct grace_book *b);

/*
 * The rule, for the check ID of TYPE with GRACE_DAYS (-1: none) whose
 * verdict at NOW is STATUS (the engine's enum status), recording into B.
 */
void grace_decide(struct grace_book *b, const char *id, const char *type, int grace_days,
                  int status, long long now, struct grace_verdict *v);

/* Forgets the entries whose id is not among IDS (the policy's checks). */
void grace_keep_only(struct grace_book *b, const char *const *ids, size_t n_ids);

/* The rule over every result of EV at NOW: each result's first_failed,
 * due_at and within_grace, B brought up to date (the policy's checks only),
 * and EV's summary and compliance counted anew. */
struct evaluation;
void grace_apply(struct evaluation *ev, struct grace_book *b, long long now);

/* The same over a report document (the service's, made by its worker):
 * each result of POLICY's checks gains first_failed_at, due_at and overdue
 * where a grace runs, and "compliant" and "summary" are counted anew. 0, or
 * -1 when DOC is no report. */
struct policy;
int grace_apply_doc(json_t *doc, const struct policy *policy, struct grace_book *b, long long now);

/* Whether any check of POLICY has grace_days: the book is read only then. */
int grace_wanted(const struct policy *policy);

#endif
