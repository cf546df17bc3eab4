/* SPDX-License-Identifier: Apache-2.0 */
/*
 * grace: see grace.h. The book is small (one entry per check of the policy
 * that failed), a JSON file of at most GRACE_MAX_BYTES:
 *   {"format": "posture.grace/1",
 *    "checks": [{"id": "os-patch", "type": "os_patch", "first_failed": 1765113600}]}
 */
#include "grace.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "timefmt.h"
#include "checks.h"
#include "engine.h"
#include "statedir.h"

#define GRACE_FORMAT "posture.grace/1"
#define GRACE_MAX_BYTES (1u << 20)
#define GRACE_MAX_ENTRIES 4096

static struct grace_entry *find(struct grace_book *b, const char *id)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->e[i].id, id) == 0)
			return &b->e[i];
	return NULL;
}

static void drop(struct grace_book *b, struct grace_entry *e)
{
	free(e->id);
	free(e->type);
	*e = b->e[--b->n];
	b->changed = 1;
}

static int add(struct grace_book *b, const char *id, const char *type, long long when)
{
	struct grace_entry *grown;

	if (b->n >= GRACE_MAX_ENTRIES)
		return -1;
	grown = realloc(b->e, (b->n + 1) * sizeof(*b->e));
	if (grown == NULL)
		return -1;
	b->e = grown;
	b->e[b->n].id = strdup(id);
	b->e[b->n].type = strdup(type);
	b->e[b->n].first_failed = when;
	if (b->e[b->n].id == NULL || b->e[b->n].type == NULL) {
		free(b->e[b->n].id);
		free(b->e[b->n].type);
		return -1;
	}
	b->n++;
	b->changed = 1;
	return 0;
}

void grace_book_free(struct grace_book *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->e[i].id);
		free(b->e[i].type);
	}
	free(b->e);
	memset(b, 0, sizeof(*b));
}

int grace_load(const char *dir, struct grace_book *b, char *err, size_t err_len)
{
	char path[4096];
	struct stat st;
	json_error_t je;
	json_t *doc, *list, *item;
	size_t i;
	int fd;

	memset(b, 0, sizeof(*b));
	/* a folder another user may write to could restart every clock */
	if (statedir_check(dir, err, err_len) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, GRACE_FILE);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		/* none yet; the folder itself must be there and ours */
		if (access(dir, W_OK | X_OK) != 0) {
			snprintf(err, err_len, "%s: %s", dir, strerror(errno));
			return -1;
		}
		b->writable = 1;
		return 0;
	}
	if (fd < 0) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (unsigned long long)st.st_size > GRACE_MAX_BYTES) {
		snprintf(err, err_len, "%s: not a regular file of at most %u bytes", path,
		         GRACE_MAX_BYTES);
		close(fd);
		return -1;
	}
	doc = json_loadfd(fd, JSON_REJECT_DUPLICATES, &je);
	close(fd);
	b->writable = access(dir, W_OK | X_OK) == 0;
	list = doc ? json_object_get(doc, "checks") : NULL;
	if (doc == NULL || !json_is_object(doc) ||
	    !json_is_string(json_object_get(doc, "format")) ||
	    strcmp(json_string_value(json_object_get(doc, "format")), GRACE_FORMAT) != 0 ||
	    !json_is_array(list)) {
		snprintf(err, err_len, "%s is not a grace book (%s); its first failures are lost",
		         path, doc ? "no " GRACE_FORMAT " with checks" : je.text);
		json_decref(doc);
		b->changed = 1; /* written anew */
		return -1;
	}
	json_array_foreach (list, i, item) {
		json_t *id = json_object_get(item, "id"), *type = json_object_get(item, "type"),
		       *when = json_object_get(item, "first_failed");

		/* an entry dropped unsaid would restart its clock: refused, said */
		if (!json_is_string(id) || !json_is_string(type) || !json_is_integer(when) ||
		    json_integer_value(when) <= 0 || find(b, json_string_value(id)) != NULL ||
		    add(b, json_string_value(id), json_string_value(type),
		        (long long)json_integer_value(when)) != 0) {
			snprintf(
			    err, err_len,
			    "%s: checks[%zu] is no check id, type and first_failed time of its "
			    "own; its first failures are lost",
			    path, i);
			json_decref(doc);
			grace_book_free(b);
			b->writable = access(dir, W_OK | X_OK) == 0;
			b->changed = 1;
			return -1;
		}
	}
	b->changed = 0;
	json_decref(doc);
	return 0;
}

int grace_save(const char *dir, struct grace_book *b, char *err, size_t err_len)
{
	json_t *doc, *list;
	char *text;
	int rc;

	if (!b->changed)
		return 0;
	if (!b->writable) {
		snprintf(err, err_len, "%s is not writable", dir);
		return -1;
	}
	list = json_array();
	for (size_t i = 0; i < b->n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:I}", "id", b->e[i].id, "type",
		                                      b->e[i].type, "first_failed",
		                                      (json_int_t)b->e[i].first_failed));
	doc = json_pack("{s:s, s:o}", "format", GRACE_FORMAT, "checks", list);
	text = doc ? json_dumps(doc, JSON_INDENT(1)) : NULL;
	json_decref(doc);
	if (text == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	rc = atomic_write_file(-1, dir, GRACE_FILE, text, strlen(text), 0600, err, err_len);
	free(text);
	if (rc == 0)
		b->changed = 0;
	return rc;
}

void grace_decide(struct grace_book *b, const char *id, const char *type, int grace_days,
                  int status, long long now, struct grace_verdict *v)
{
	struct grace_entry *e = find(b, id);

	memset(v, 0, sizeof(*v));
	if (e != NULL && (grace_days < 0 || strcmp(e->type, type) != 0)) {
		drop(b, e); /* no grace any more, or another check under this id */
		e = NULL;
	}
	if (grace_days < 0)
		return;
	if (status == STATUS_PASS || status == STATUS_SKIP) {
		if (e != NULL)
			drop(b, e);
		return;
	}
	if (e == NULL) {
		if (status != STATUS_FAIL || !b->writable || add(b, id, type, now) != 0)
			return; /* an error starts no clock; a failure not remembered gets none */
		e = &b->e[b->n - 1];
	}
	if (e->first_failed > now) { /* the clock went back: it starts from now */
		e->first_failed = now;
		b->changed = 1;
	}
	v->first_failed = e->first_failed;
	v->due_at = e->first_failed + (long long)grace_days * 86400;
	v->within = status == STATUS_FAIL && now < v->due_at;
}

void grace_keep_only(struct grace_book *b, const char *const *ids, size_t n_ids)
{
	for (size_t i = 0; i < b->n;) {
		size_t k;

		for (k = 0; k < n_ids && strcmp(ids[k], b->e[i].id) != 0; k++)
			;
		if (k == n_ids)
			drop(b, &b->e[i]);
		else
			i++;
	}
}

void grace_apply(struct evaluation *ev, struct grace_book *b, long long now)
{
	const char **ids = calloc(ev->n_results ? ev->n_results : 1, sizeof(*ids));

	for (size_t i = 0; i < ev->n_results; i++) {
		struct result *r = &ev->results[i];
		struct grace_verdict v;

		grace_decide(b, r->check->id, r->check->type->name, check_failure_grace(r->check),
		             (int)r->status, now, &v);
		r->first_failed = v.first_failed;
		r->due_at = v.due_at;
		r->within_grace = v.within;
		if (ids != NULL)
			ids[i] = r->check->id;
	}
	if (ids != NULL)
		grace_keep_only(b, ids, ev->n_results);
	free(ids);
	evaluation_retally(ev);
}

int grace_apply_doc(json_t *doc, const struct policy *policy, struct grace_book *b, long long now)
{
	json_t *results = json_object_get(doc, "results"), *r;
	long long n[4] = { 0 }, due = 0;
	int compliant = 1;
	const char **ids = calloc(policy->n_checks ? policy->n_checks : 1, sizeof(*ids));
	size_t i;

	if (!json_is_array(results) || ids == NULL) {
		free(ids);
		return -1;
	}
	for (i = 0; i < policy->n_checks; i++)
		ids[i] = policy->checks[i].id;
	json_array_foreach (results, i, r) {
		const char *id = json_string_value(json_object_get(r, "id"));
		int st = status_from_name(json_string_value(json_object_get(r, "status")));
		const struct check *c = NULL;
		struct grace_verdict v = { 0 };

		if (id == NULL || st < 0) {
			free(ids);
			return -1;
		}
		for (size_t k = 0; k < policy->n_checks && c == NULL; k++)
			if (strcmp(policy->checks[k].id, id) == 0)
				c = &policy->checks[k];
		if (c != NULL)
			grace_decide(b, c->id, c->type->name, check_failure_grace(c), st, now, &v);
		if (v.due_at > 0) {
			char first[32], when[32];

			time_rfc3339((time_t)v.first_failed, first);
			time_rfc3339((time_t)v.due_at, when);
			json_object_set_new(r, "first_failed_at", json_string(first));
			json_object_set_new(r, "due_at", json_string(when));
			json_object_set_new(r, "overdue",
			                    json_boolean(st == STATUS_FAIL && !v.within));
		}
		n[st]++;
		if (st == STATUS_FAIL && v.within)
			due++;
		else if (st == STATUS_FAIL ||
		         (st == STATUS_ERROR && c != NULL && c->on_error == ON_ERROR_FAIL))
			compliant = 0;
	}
	grace_keep_only(b, ids, policy->n_checks);
	free(ids);
	json_object_set_new(doc, "compliant", json_boolean(compliant));
	json_object_set_new(doc, "summary",
	                    json_pack("{s:I, s:I, s:I, s:I, s:I}", "pass", (json_int_t)n[0], "fail",
	                              (json_int_t)n[1], "error", (json_int_t)n[2], "skip",
	                              (json_int_t)n[3], "due", (json_int_t)due));
	return 0;
}

int grace_wanted(const struct policy *policy)
{
	for (size_t i = 0; i < policy->n_checks; i++)
		if (check_failure_grace(&policy->checks[i]) >= 0)
			return 1;
	return 0;
}
