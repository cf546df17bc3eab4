/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy: INI policy files into validated checks. See policy.h.
 *
 * inifile.c (inih 55's dialect, proven against Debian's libinih) does the
 * INI parsing. We feed it lines through our own reader so we know the line
 * number of every key and see what it does not report: empty sections,
 * continuation lines, lines longer than its 200-byte buffer, NUL bytes. The
 * reader classifies each line exactly as inifile does, so both agree on
 * what is a section, a key or a continuation.
 *
 * Keys are collected per section first and judged when the section ends,
 * because a check's `type` (which says what its other keys mean) may come
 * after them.
 */
#define _GNU_SOURCE
#include "policy.h"
#include "feedset.h"
#include "attrs.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checks.h"
#include "inifile.h"

#define MAX_CHECK_ID 64
/* inih's line buffer is INI_MAX_LINE (200) bytes with the newline and NUL. */
#define MAX_LINE_CHARS 198

static const char *const severity_names[] = { "low", "medium", "high", "critical", NULL };
static const char *const on_error_names[] = { "report", "fail", NULL };

const char *severity_name(enum severity s)
{
	return severity_names[s];
}

struct raw_kv {
	char *name;
	char *value;
	int line;
	char **cont; /* indented continuation lines, in order */
	int *cont_lines;
	size_t n_cont;
};

enum section_kind { SECTION_NONE, SECTION_POLICY, SECTION_CHECK, SECTION_IGNORED };

struct parse_state {
	const char *file;
	struct diags *diags;
	const struct policy_env *env;
	struct policy *policy;
	int n_errors_at_start;

	/* The reader's view of the text. */
	const char *buf;
	size_t len;
	size_t pos;
	int line;
	int have_prev_name;
	int line_is_cont;
	int stop;

	/* The section being collected. */
	enum section_kind kind;
	char *section_id;
	int section_line;
	struct raw_kv *raw;
	size_t n_raw;
	int policy_section_line;

	size_t cap_checks;

	/* Every [check.ID] seen, valid or not, for duplicate errors: an open
	 * addressing hash table, so a thousand checks are not a million
	 * comparisons. */
	struct seen_id {
		char *id;
		int line;
	} * seen;
	size_t n_seen, cap_seen;
};

static size_t hash_id(const char *s)
{
	size_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The slot of ID in the table, empty (id == NULL) when it is not there. */
static struct seen_id *seen_slot(struct seen_id *table, size_t cap, const char *id)
{
	size_t i = hash_id(id) & (cap - 1);

	while (table[i].id != NULL && strcmp(table[i].id, id) != 0)
		i = (i + 1) & (cap - 1);
	return &table[i];
}

static int add_error(struct parse_state *st, int line, const char *fmt, ...) POSTURE_PRINTF(3, 4);

static int add_error(struct parse_state *st, int line, const char *fmt, ...)
{
	char buf[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diags_add(st->diags, line, "%s", buf);
	return -1;
}

static int valid_check_id(const char *id)
{
	const char *p;

	if (*id == '\0' || strlen(id) > MAX_CHECK_ID)
		return 0;
	for (p = id; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return 0;
	return 1;
}

static void raw_free(struct parse_state *st)
{
	size_t i, j;

	for (i = 0; i < st->n_raw; i++) {
		free(st->raw[i].name);
		free(st->raw[i].value);
		for (j = 0; j < st->raw[i].n_cont; j++)
			free(st->raw[i].cont[j]);
		free(st->raw[i].cont);
		free(st->raw[i].cont_lines);
	}
	free(st->raw);
	st->raw = NULL;
	st->n_raw = 0;
	free(st->section_id);
	st->section_id = NULL;
}

static char *xstrdup(const char *s)
{
	char *copy = strdup(s);

	if (copy == NULL) {
		fputs("posture: out of memory\n", stderr);
		abort();
	}
	return copy;
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (q == NULL) {
		fputs("posture: out of memory\n", stderr);
		abort();
	}
	return q;
}

/* Parses one value of C against SPEC into V, reporting errors at LINE. */
static int parse_value(struct parse_state *st, const struct check *c, const struct key_spec *spec,
                       const struct raw_kv *kv, struct key_value *v)
{
	char err[512];
	size_t i;

	if (key_parse(spec, kv->value, v, err, sizeof(err)) != 0)
		return add_error(st, kv->line, "[check.%s] %s: %s", c->id, kv->name, err);
	/* Declared keys are named by their spec; only "*" entries need theirs. */
	if (strcmp(spec->name, "*") == 0)
		v->name = xstrdup(kv->name);
	v->line = kv->line;
	for (i = 0; i < kv->n_cont; i++) {
		if (spec->kind != KEY_LIST)
			return add_error(
			    st, kv->cont_lines[i],
			    "[check.%s] %s: indented line continues the value; only list "
			    "keys may span lines",
			    c->id, kv->name);
		if (key_list_append(v, kv->cont[i], err, sizeof(err)) != 0)
			return add_error(st, kv->cont_lines[i], "[check.%s] %s: %s", c->id,
			                 kv->name, err);
	}
	return 0;
}

static int common_enum(struct parse_state *st, const struct check *c, const struct raw_kv *kv,
                       const char *const *choices, int *out)
{
	size_t i;

	for (i = 0; choices[i] != NULL; i++) {
		if (strcmp(kv->value, choices[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	}
	return add_error(
	    st, kv->line, "[check.%s] %s: '%s' is not one of: %s", c->id, kv->name, kv->value,
	    choices == severity_names ? "low, medium, high, critical" : "report, fail");
}

static int finish_check(struct parse_state *st)
{
	const struct raw_kv *type_kv = NULL;
	const struct check_type *type;
	struct check *c;
	int failed = 0;
	size_t i, k, n_keys;

	for (i = 0; i < st->n_raw; i++)
		if (strcmp(st->raw[i].name, "type") == 0)
			type_kv = &st->raw[i];
	if (type_kv == NULL)
		return add_error(st, st->section_line, "[check.%s]: missing required key 'type'",
		                 st->section_id);
	type = check_type_find(type_kv->value);
	if (type == NULL) {
		char known[512] = "";

		for (i = 0; check_types[i] != NULL; i++) {
			strncat(known, i ? ", " : "", sizeof(known) - strlen(known) - 1);
			strncat(known, check_types[i]->name, sizeof(known) - strlen(known) - 1);
		}
		return add_error(st, type_kv->line,
		                 "[check.%s] type: unknown check type '%s' (known: %s)",
		                 st->section_id, type_kv->value, known);
	}

	if (st->policy->n_checks == st->cap_checks) {
		st->cap_checks = st->cap_checks ? st->cap_checks * 2 : 16;
		st->policy->checks =
		    xrealloc(st->policy->checks, st->cap_checks * sizeof(struct check));
	}
	c = &st->policy->checks[st->policy->n_checks++];
	memset(c, 0, sizeof(*c));
	c->id = xstrdup(st->section_id);
	c->line = st->section_line;
	c->type = type;
	c->severity = SEVERITY_MEDIUM;
	c->on_error = ON_ERROR_REPORT;
	c->grace_days = -1;
	for (n_keys = 0; type->keys[n_keys].name != NULL; n_keys++)
		;
	c->values = calloc(n_keys ? n_keys : 1, sizeof(*c->values));
	if (c->values == NULL)
		abort();
	c->n_values = n_keys;
	for (k = 0; k < n_keys; k++)
		c->values[k].spec = &type->keys[k];

	for (i = 0; i < st->n_raw; i++) {
		const struct raw_kv *kv = &st->raw[i];
		const struct key_spec *spec;

		if (kv == type_kv)
			continue;
		if (strcmp(kv->name, "severity") == 0) {
			int sev = 0;

			if (common_enum(st, c, kv, severity_names, &sev) != 0)
				failed = 1;
			c->severity = (enum severity)sev;
			continue;
		}
		if (strcmp(kv->name, "on_error") == 0) {
			int oe = 0;

			if (common_enum(st, c, kv, on_error_names, &oe) != 0)
				failed = 1;
			c->on_error = (enum on_error)oe;
			continue;
		}
		if (strcmp(kv->name, "grace_days") == 0) {
			static const struct key_spec grace_spec = {
				.name = "grace_days", .kind = KEY_INT, .min = 0, .max = 3650
			};
			struct key_value v;

			memset(&v, 0, sizeof(v));
			if (parse_value(st, c, &grace_spec, kv, &v) != 0)
				failed = 1;
			else
				c->grace_days = (int)v.num;
			key_value_clear(&v);
			continue;
		}
		if (strcmp(kv->name, "os") == 0) {
			static const struct key_spec os_spec = { .name = "os", .kind = KEY_LIST };
			struct key_value v;

			memset(&v, 0, sizeof(v));
			if (parse_value(st, c, &os_spec, kv, &v) != 0) {
				key_value_clear(&v);
				failed = 1;
				continue;
			}
			c->only_os = v.items;
			c->n_only_os = v.n_items;
			v.items = NULL;
			v.n_items = 0;
			key_value_clear(&v);
			continue;
		}
		if (strcmp(kv->name, "title") == 0 || strcmp(kv->name, "remediation") == 0) {
			char **slot = kv->name[0] == 't' ? &c->title : &c->remediation;

			if (kv->value[0] == '\0') {
				add_error(st, kv->line, "[check.%s] %s: value is empty", c->id,
				          kv->name);
				failed = 1;
				continue;
			}
			*slot = xstrdup(kv->value);
			for (k = 0; k < kv->n_cont; k++) {
				size_t old = strlen(*slot), len = old + strlen(kv->cont[k]) + 2;

				*slot = xrealloc(*slot, len);
				snprintf(*slot + old, len - old, " %s", kv->cont[k]);
			}
			continue;
		}
		spec = key_find(type->keys, kv->name);
		if (spec == NULL) {
			char known[512] =
			    "type, title, severity, on_error, grace_days, remediation, os";

			for (k = 0; k < n_keys; k++) {
				strncat(known, ", ", sizeof(known) - strlen(known) - 1);
				strncat(known, type->keys[k].name,
				        sizeof(known) - strlen(known) - 1);
			}
			add_error(st, kv->line,
			          "[check.%s] %s: unknown key for type %s (known: %s)", c->id,
			          kv->name, type->name, known);
			failed = 1;
			continue;
		}
		if (strcmp(spec->name, "*") == 0) {
			struct key_value *v;

			c->extra = xrealloc(c->extra, (c->n_extra + 1) * sizeof(*c->extra));
			v = &c->extra[c->n_extra];
			memset(v, 0, sizeof(*v));
			if (parse_value(st, c, spec, kv, v) != 0) {
				key_value_clear(v);
				failed = 1;
				continue;
			}
			c->n_extra++;
			continue;
		}
		k = (size_t)(spec - type->keys);
		if (parse_value(st, c, spec, kv, &c->values[k]) != 0) {
			key_value_clear(&c->values[k]);
			c->values[k].spec = spec;
			failed = 1;
		}
	}

	for (k = 0; k < n_keys; k++) {
		const struct key_spec *spec = &type->keys[k];
		char err[512];

		if (c->values[k].set || strcmp(spec->name, "*") == 0)
			continue;
		if (spec->required) {
			/* A key that failed to parse already has its error. */
			int present = 0;

			for (i = 0; i < st->n_raw; i++)
				if (strcmp(st->raw[i].name, spec->name) == 0)
					present = 1;
			if (!present) {
				add_error(st, st->section_line,
				          "[check.%s]: missing required key '%s' for type %s",
				          c->id, spec->name, type->name);
				failed = 1;
			}
			continue;
		}
		if (spec->def != NULL) {
			if (key_parse(spec, spec->def, &c->values[k], err, sizeof(err)) != 0) {
				add_error(st, st->section_line,
				          "[check.%s] %s: bad built-in default: %s", c->id,
				          spec->name, err);
				failed = 1;
				continue;
			}
		}
		c->values[k].spec = spec;
	}
	if (!failed && type->validate != NULL && type->validate(c, st->env, st->diags) != 0)
		failed = 1;
	return failed ? -1 : 0;
}

static void finish_policy_section(struct parse_state *st)
{
	size_t i;

	for (i = 0; i < st->n_raw; i++) {
		const struct raw_kv *kv = &st->raw[i];
		char **slot;

		if (strcmp(kv->name, "name") == 0)
			slot = &st->policy->name;
		else if (strcmp(kv->name, "version") == 0)
			slot = &st->policy->version;
		else {
			add_error(st, kv->line, "[policy] %s: unknown key (known: name, version)",
			          kv->name);
			continue;
		}
		if (kv->value[0] == '\0') {
			add_error(st, kv->line, "[policy] %s: value is empty", kv->name);
			continue;
		}
		if (kv->n_cont > 0) {
			add_error(
			    st, kv->cont_lines[0],
			    "[policy] %s: indented line continues the value; write it on one line",
			    kv->name);
			continue;
		}
		free(*slot);
		*slot = xstrdup(kv->value);
	}
}

static void finish_section(struct parse_state *st)
{
	if (st->kind == SECTION_CHECK)
		finish_check(st);
	else if (st->kind == SECTION_POLICY)
		finish_policy_section(st);
	raw_free(st);
	st->kind = SECTION_NONE;
}

static void start_section(struct parse_state *st, const char *name, int line)
{
	size_t i;

	finish_section(st);
	st->section_line = line;
	if (strcmp(name, "policy") == 0) {
		if (st->policy_section_line != 0) {
			add_error(st, line, "[policy]: duplicate section (first at line %d)",
			          st->policy_section_line);
			st->kind = SECTION_IGNORED;
			return;
		}
		st->policy_section_line = line;
		st->kind = SECTION_POLICY;
		return;
	}
	if (strncmp(name, "check.", 6) != 0) {
		add_error(st, line, "[%s]: unknown section; expected [policy] or [check.ID]", name);
		st->kind = SECTION_IGNORED;
		return;
	}
	if (!valid_check_id(name + 6)) {
		add_error(st, line,
		          "[%s]: invalid check id '%s' (1 to %d letters, digits, '-', '_' or '.')",
		          name, name + 6, MAX_CHECK_ID);
		st->kind = SECTION_IGNORED;
		return;
	}
	if (2 * (st->n_seen + 1) > st->cap_seen) {
		size_t cap = st->cap_seen ? st->cap_seen * 2 : 64;
		struct seen_id *table = calloc(cap, sizeof(*table));

		if (table == NULL)
			abort();
		for (i = 0; i < st->cap_seen; i++)
			if (st->seen[i].id != NULL)
				*seen_slot(table, cap, st->seen[i].id) = st->seen[i];
		free(st->seen);
		st->seen = table;
		st->cap_seen = cap;
	}
	{
		struct seen_id *slot = seen_slot(st->seen, st->cap_seen, name + 6);

		if (slot->id != NULL) {
			add_error(st, line, "[%s]: duplicate check id '%s' (first at line %d)",
			          name, name + 6, slot->line);
			st->kind = SECTION_IGNORED;
			return;
		}
		slot->id = xstrdup(name + 6);
		slot->line = line;
		st->n_seen++;
	}
	st->kind = SECTION_CHECK;
	st->section_id = xstrdup(name + 6);
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;
	struct raw_kv *kv;
	size_t i;

	(void)section; /* our reader tracks sections, untruncated */
	if (st->stop)
		return 1;
	if (st->line_is_cont) {
		if (st->n_raw == 0 || strcmp(st->raw[st->n_raw - 1].name, name) != 0)
			return 1;
		kv = &st->raw[st->n_raw - 1];
		kv->cont = xrealloc(kv->cont, (kv->n_cont + 1) * sizeof(*kv->cont));
		kv->cont_lines = xrealloc(kv->cont_lines, (kv->n_cont + 1) * sizeof(int));
		kv->cont[kv->n_cont] = xstrdup(value);
		kv->cont_lines[kv->n_cont] = st->line;
		kv->n_cont++;
		return 1;
	}
	if (st->kind == SECTION_NONE) {
		add_error(st, st->line,
		          "%s: key outside any section; put it under [policy] or "
		          "[check.ID]",
		          name);
		return 1;
	}
	if (st->kind == SECTION_IGNORED)
		return 1;
	for (i = 0; i < st->n_raw; i++) {
		if (strcmp(st->raw[i].name, name) == 0) {
			if (st->kind == SECTION_POLICY)
				add_error(st, st->line,
				          "[policy] %s: duplicate key (first at line %d)", name,
				          st->raw[i].line);
			else
				add_error(st, st->line,
				          "[check.%s] %s: duplicate key (first at line %d)",
				          st->section_id, name, st->raw[i].line);
			return 1;
		}
	}
	st->raw = xrealloc(st->raw, (st->n_raw + 1) * sizeof(*st->raw));
	kv = &st->raw[st->n_raw++];
	memset(kv, 0, sizeof(*kv));
	kv->name = xstrdup(name);
	kv->value = xstrdup(value);
	kv->line = st->line;
	return 1;
}

/* inih's find_chars_or_comment(): the first of CHARS, or an inline ';'
 * comment that follows whitespace, or the end. */
static const char *find_chars_or_comment(const char *s, const char *chars)
{
	int was_space = 0;

	while (*s && (chars == NULL || strchr(chars, *s) == NULL) && !(was_space && *s == ';')) {
		was_space = isspace((unsigned char)*s);
		s++;
	}
	return s;
}

/*
 * Classifies LINE (NUL-terminated, newline stripped) as inih will, tracking
 * sections and reporting malformed lines.
 */
static void classify(struct parse_state *st, char *line)
{
	char *start = line, *end;

	if (st->line == 1 && (unsigned char)start[0] == 0xEF && (unsigned char)start[1] == 0xBB &&
	    (unsigned char)start[2] == 0xBF)
		start += 3;
	{
		size_t len = strlen(start);

		while (len > 0 && isspace((unsigned char)start[len - 1]))
			start[--len] = '\0';
		while (isspace((unsigned char)*start))
			start++;
	}
	st->line_is_cont = 0;
	if (*start == ';' || *start == '#' || *start == '\0')
		return;
	if (st->have_prev_name && start > line) {
		st->line_is_cont = 1;
		return;
	}
	if (*start == '[') {
		char name[256];
		size_t n;

		end = (char *)find_chars_or_comment(start + 1, "]");
		if (*end != ']') {
			add_error(st, st->line, "section header has no closing ']'");
			st->kind = SECTION_IGNORED;
			st->have_prev_name = 0;
			raw_free(st);
			return;
		}
		n = (size_t)(end - start - 1);
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, start + 1, n);
		name[n] = '\0';
		while (n > 0 && isspace((unsigned char)name[n - 1]))
			name[--n] = '\0';
		{
			char *nm = name;

			while (isspace((unsigned char)*nm))
				nm++;
			if (strlen(nm) >= 50) {
				finish_section(st);
				add_error(st, st->line,
				          "[%s]: section name is longer than 49 characters", nm);
				st->kind = SECTION_IGNORED;
			} else {
				start_section(st, nm, st->line);
			}
		}
		st->have_prev_name = 0;
		return;
	}
	end = (char *)find_chars_or_comment(start, "=:");
	if (*end != '=' && *end != ':') {
		char shown[48];

		snprintf(shown, sizeof(shown), "%.40s%s", start, strlen(start) > 40 ? "..." : "");
		add_error(st, st->line, "expected 'key = value' or '[section]', found '%s'", shown);
		return;
	}
	if (end == start) {
		add_error(st, st->line, "key name is missing before '%c'", *end);
		return;
	}
	st->have_prev_name = 1;
}

/* The ini_reader: one line per call, like fgets(). */
static char *reader(char *str, int num, void *stream)
{
	struct parse_state *st = stream;
	const char *line, *nl;
	size_t line_len, copy_len;
	char tmp[512];

	if (st->stop || st->pos >= st->len)
		return NULL;
	line = st->buf + st->pos;
	nl = memchr(line, '\n', st->len - st->pos);
	line_len = nl ? (size_t)(nl - line) : st->len - st->pos;
	st->pos += line_len + (nl ? 1 : 0);
	st->line++;

	if (memchr(line, '\0', line_len) != NULL) {
		add_error(st, st->line, "line contains a NUL byte; a policy must be a text file");
		st->stop = 1;
		return NULL;
	}
	copy_len = line_len;
	if (copy_len > 0 && line[copy_len - 1] == '\r')
		copy_len--;
	if (copy_len > MAX_LINE_CHARS || (size_t)num < MAX_LINE_CHARS + 2) {
		add_error(st, st->line, "line is longer than %d characters", MAX_LINE_CHARS);
		st->stop = 1;
		return NULL;
	}
	memcpy(tmp, line, copy_len);
	tmp[copy_len] = '\0';
	classify(st, tmp);
	memcpy(str, line, copy_len);
	str[copy_len] = '\n';
	str[copy_len + 1] = '\0';
	return str;
}

/* Parses BUF (LEN bytes and a NUL), which the policy adopts. */
static int parse_owned(const char *name, char *buf, size_t len, const struct policy_env *env,
                       struct policy **out, struct diags *diags)
{
	struct parse_state st;
	struct policy *p;
	int rc;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		abort();
	p->path = xstrdup(name);
	p->text = buf;
	p->text_len = len;

	memset(&st, 0, sizeof(st));
	st.file = name;
	st.diags = diags;
	st.env = env;
	st.policy = p;
	st.buf = buf;
	st.len = len;
	st.n_errors_at_start = (int)diags->n_items;

	rc = inifile_parse_stream(reader, &st, handler, &st);
	if (!st.stop)
		finish_section(&st);
	raw_free(&st);
	{
		size_t i;

		for (i = 0; i < st.cap_seen; i++)
			free(st.seen[i].id);
		free(st.seen);
	}
	if (rc > 0) {
		size_t i;
		int reported = 0;

		for (i = (size_t)st.n_errors_at_start; i < diags->n_items; i++)
			if (diags->items[i].line == rc)
				reported = 1;
		if (!reported)
			add_error(&st, rc, "expected 'key = value' or '[section]'");
	} else if (rc < 0) {
		add_error(&st, 1, "cannot parse policy (inih error %d)", rc);
	}
	if ((int)diags->n_items == st.n_errors_at_start && p->n_checks == 0)
		add_error(&st, 1,
		          "policy has no checks; add at least one [check.ID] section with a type");
	if ((int)diags->n_items > st.n_errors_at_start) {
		policy_free(p);
		return -1;
	}
	if (p->name == NULL) {
		/* The file's base name without .ini stands in for a missing name. */
		const char *base = strrchr(name, '/');
		char *dot;

		p->name = xstrdup(base ? base + 1 : name);
		dot = strrchr(p->name, '.');
		if (dot != NULL && dot != p->name)
			*dot = '\0';
	}
	*out = p;
	return 0;
}

int policy_parse(const char *name, const char *buf, size_t len, const struct policy_env *env,
                 struct policy **out, struct diags *diags)
{
	char *copy = malloc(len + 1);

	if (copy == NULL)
		abort();
	memcpy(copy, buf, len);
	copy[len] = '\0';
	return parse_owned(name, copy, len, env, out, diags);
}

int policy_load(const char *path, const struct policy_env *env, struct policy **out,
                struct diags *diags)
{
	FILE *f = NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = -1;

	*out = NULL;
	f = fopen(path, "rb");
	if (f == NULL) {
		diags_add(diags, 1, "cannot read policy: %s", strerror(errno));
		goto out;
	}
	{
		/* A regular file is read into a buffer of its size, so the policy
		 * can adopt it without a copy; pipes grow the buffer. */
		struct stat st;

		if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
		    (size_t)st.st_size <= POLICY_MAX_BYTES)
			cap = (size_t)st.st_size + 1;
		buf = xrealloc(NULL, cap ? cap : 16384);
		cap = cap ? cap : 16384;
	}
	for (;;) {
		size_t n;

		if (len + 1 >= cap) {
			cap = cap * 2;
			if (cap > POLICY_MAX_BYTES + 1)
				cap = POLICY_MAX_BYTES + 1;
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f)) {
				diags_add(diags, 1, "cannot read policy: %s", strerror(errno));
				goto out;
			}
			break;
		}
		if (len > POLICY_MAX_BYTES) {
			diags_add(diags, 1, "policy is larger than %u bytes", POLICY_MAX_BYTES);
			goto out;
		}
	}
	buf[len] = '\0';
	rc = parse_owned(path, buf, len, env, out, diags);
	buf = NULL;
out:
	if (f != NULL)
		fclose(f);
	free(buf);
	return rc;
}

void policy_free(struct policy *p)
{
	size_t i, k;

	if (p == NULL)
		return;
	for (i = 0; i < p->n_checks; i++) {
		struct check *c = &p->checks[i];

		for (k = 0; k < c->n_values; k++)
			key_value_clear(&c->values[k]);
		for (k = 0; k < c->n_extra; k++)
			key_value_clear(&c->extra[k]);
		if (c->priv != NULL && c->type->free_priv != NULL)
			c->type->free_priv(c->priv);
		free(c->values);
		free(c->extra);
		free(c->id);
		free(c->title);
		free(c->remediation);
		for (k = 0; k < c->n_only_os; k++)
			free(c->only_os[k]);
		free(c->only_os);
	}
	free(p->checks);
	free(p->text);
	free(p->path);
	free(p->name);
	free(p->version);
	free(p);
}

int check_uses_latest(const struct check *c)
{
	int behind;

	/* only keys that take `latest` (another type's version that happens
	 * to read "latest" is no feed minimum) */
	for (size_t i = 0; i < c->n_values; i++)
		if (c->values[i].set && c->values[i].spec->validate == feedset_minimum_check &&
		    feedset_rule_parse(c->values[i].text, &behind))
			return 1;
	for (size_t i = 0; i < c->n_extra; i++)
		if (c->extra[i].spec->validate == feedset_minimum_check &&
		    feedset_rule_parse(c->extra[i].text, &behind))
			return 1;
	return 0;
}

int check_any_latest(const struct policy *policy)
{
	for (size_t i = 0; i < policy->n_checks; i++)
		if (check_uses_latest(&policy->checks[i]))
			return 1;
	return 0;
}

int check_failure_grace(const struct check *c)
{
	return check_uses_latest(c) ? -1 : c->grace_days;
}
