/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keys: typed INI values. See keys.h.
 */
#include "keys.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks.h"
#include "policy.h"

const struct key_spec *key_find(const struct key_spec *table, const char *name)
{
	const struct key_spec *wild = NULL;

	for (; table->name != NULL; table++) {
		if (strcmp(table->name, "*") == 0)
			wild = table;
		else if (strcmp(table->name, name) == 0)
			return table;
	}
	return wild;
}

const char *key_kind_name(enum key_kind kind)
{
	switch (kind) {
	case KEY_INT:
		return "an integer";
	case KEY_DURATION:
		return "a duration";
	case KEY_BOOL:
		return "a boolean";
	case KEY_VERSION:
		return "a version";
	case KEY_STRING:
		return "a string";
	case KEY_LIST:
		return "a list";
	case KEY_ENUM:
		return "one of a set of words";
	}
	return "a value";
}

static int parse_int(const char *text, long long *out)
{
	char *end;

	if (*text == '\0' || isspace((unsigned char)*text))
		return -1;
	errno = 0;
	*out = strtoll(text, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	return 0;
}

int key_parse_duration(const char *text, long long *secs, char *err, size_t err_len)
{
	const char *p = text;
	long long total = 0;
	int n_parts = 0;

	if (*p == '\0') {
		snprintf(err, err_len, "duration is empty");
		return -1;
	}
	while (*p) {
		long long n = 0, unit;
		const char *start = p;

		while (*p >= '0' && *p <= '9') {
			if (n > (LLONG_MAX - 9) / 10)
				goto too_big;
			n = n * 10 + (*p++ - '0');
		}
		if (p == start) {
			snprintf(err, err_len,
			         "'%s' is not a duration (a number with s, m, h, d or w, such as "
			         "15m or 7d)",
			         text);
			return -1;
		}
		switch (*p) {
		case '\0':
			if (n_parts > 0) {
				snprintf(err, err_len, "'%s': the last number has no unit", text);
				return -1;
			}
			unit = 1;
			break;
		case 's':
			unit = 1;
			p++;
			break;
		case 'm':
			unit = 60;
			p++;
			break;
		case 'h':
			unit = 3600;
			p++;
			break;
		case 'd':
			unit = 86400;
			p++;
			break;
		case 'w':
			unit = 7 * 86400;
			p++;
			break;
		default:
			snprintf(err, err_len,
			         "'%s' is not a duration (a number with s, m, h, d or w, such as "
			         "15m or 7d)",
			         text);
			return -1;
		}
		if (n > (LLONG_MAX - total) / unit)
			goto too_big;
		total += n * unit;
		n_parts++;
	}
	*secs = total;
	return 0;
too_big:
	snprintf(err, err_len, "duration '%s' is too large", text);
	return -1;
}

static void trim(char *s)
{
	size_t len = strlen(s), start = 0;

	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	while (isspace((unsigned char)s[start]))
		start++;
	memmove(s, s + start, len - start + 1);
}

int key_list_append(struct key_value *v, const char *text, char *err, size_t err_len)
{
	char *copy = strdup(text), *save = NULL, *tok;
	int rc = 0;

	if (copy == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	/* strtok_r would swallow empty items ("a,,b"), which we refuse. */
	tok = copy;
	for (;;) {
		char *comma = strchr(tok, ',');
		char **items;

		if (comma != NULL)
			*comma = '\0';
		trim(tok);
		/* "a, b," is fine (a list continued on the next line often ends
		 * in a comma); "a,,b" and "," are not. */
		if (*tok == '\0' && comma == NULL && tok != copy)
			break;
		if (*tok == '\0') {
			snprintf(err, err_len, "list '%s' has an empty item", text);
			rc = -1;
			break;
		}
		items = realloc(v->items, (v->n_items + 1) * sizeof(*items));
		if (items == NULL || (save = strdup(tok)) == NULL) {
			if (items != NULL)
				v->items = items;
			snprintf(err, err_len, "out of memory");
			rc = -1;
			break;
		}
		v->items = items;
		v->items[v->n_items++] = save;
		if (comma == NULL)
			break;
		tok = comma + 1;
	}
	free(copy);
	return rc;
}

static int parse_bool(const char *text, long long *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

int key_parse(const struct key_spec *spec, const char *text, struct key_value *out, char *err,
              size_t err_len)
{
	const char *p;
	size_t i;

	out->spec = spec;
	out->name = NULL;
	out->line = 0;
	out->num = 0;
	out->items = NULL;
	out->n_items = 0;
	out->text = NULL;
	out->set = 0;

	if (*text == '\0') {
		snprintf(err, err_len, "value is empty; expected %s", key_kind_name(spec->kind));
		return -1;
	}
	switch (spec->kind) {
	case KEY_INT:
		if (parse_int(text, &out->num) != 0) {
			snprintf(err, err_len, "'%s' is not an integer", text);
			return -1;
		}
		if (out->num < spec->min || out->num > spec->max) {
			snprintf(err, err_len, "%lld is out of range (%lld to %lld)", out->num,
			         spec->min, spec->max);
			return -1;
		}
		break;
	case KEY_DURATION:
		if (key_parse_duration(text, &out->num, err, err_len) != 0)
			return -1;
		if (out->num < spec->min || out->num > spec->max) {
			snprintf(err, err_len, "%s is out of range (%llds to %llds)", text,
			         spec->min, spec->max);
			return -1;
		}
		break;
	case KEY_BOOL:
		if (parse_bool(text, &out->num) != 0) {
			snprintf(err, err_len, "'%s' is not a boolean (true or false)", text);
			return -1;
		}
		break;
	case KEY_VERSION:
		for (p = text; *p; p++) {
			if (isspace((unsigned char)*p)) {
				snprintf(err, err_len, "version '%s' contains a space", text);
				return -1;
			}
		}
		break;
	case KEY_STRING:
		break;
	case KEY_LIST:
		if (key_list_append(out, text, err, err_len) != 0) {
			key_value_clear(out);
			return -1;
		}
		break;
	case KEY_ENUM:
		for (i = 0; spec->choices[i] != NULL; i++)
			if (strcmp(spec->choices[i], text) == 0)
				break;
		if (spec->choices[i] == NULL) {
			char list[256] = "";
			size_t j;

			for (j = 0; spec->choices[j] != NULL; j++) {
				strncat(list, j ? ", " : "", sizeof(list) - strlen(list) - 1);
				strncat(list, spec->choices[j], sizeof(list) - strlen(list) - 1);
			}
			snprintf(err, err_len, "'%s' is not one of: %s", text, list);
			return -1;
		}
		out->num = (long long)i;
		break;
	}
	if (spec->validate != NULL && spec->validate(text, err, err_len) != 0) {
		key_value_clear(out);
		return -1;
	}
	out->text = strdup(text);
	if (out->text == NULL) {
		key_value_clear(out);
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	out->set = 1;
	return 0;
}

void key_value_clear(struct key_value *v)
{
	size_t i;

	for (i = 0; i < v->n_items; i++)
		free(v->items[i]);
	free(v->items);
	free(v->text);
	free(v->name);
	v->name = NULL;
	v->items = NULL;
	v->n_items = 0;
	v->text = NULL;
	v->set = 0;
}

/* The values of the if_missing key (checks.h): in keys.c, not the registry,
 * so that the types' specs do not depend on the registry that lists them. */
const char *const if_missing_choices[] = { "skip", "pass", "fail", "error", NULL };

/* Declared in policy.h; here for the same reason. */
const struct key_value *check_value(const struct check *c, const char *key)
{
	size_t k;

	for (k = 0; k < c->n_values; k++)
		if (strcmp(c->values[k].spec->name, key) == 0)
			return &c->values[k];
	return NULL;
}
