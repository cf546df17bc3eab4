/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keys: typed INI values and the tables that declare them.
 *
 * Every section a loader accepts (a policy's check types, the agent's
 * configuration) declares its keys in one table of struct key_spec: name,
 * kind, required or default, range. key_parse() turns the text of a value
 * into its typed form or a sentence saying what is wrong with it. This module
 * knows nothing of files or line numbers; the loaders add those.
 */
#ifndef POSTURE_KEYS_H
#define POSTURE_KEYS_H

#include <stddef.h>

enum key_kind {
	KEY_INT,      /* decimal integer, within [min, max] */
	KEY_DURATION, /* "300", "90s", "15m", "12h", "7d", "2w", "1h30m"; seconds in [min, max] */
	KEY_BOOL,     /* true/false, yes/no, on/off, 1/0 */
	KEY_VERSION,  /* a version string; the check type validates its scheme */
	KEY_STRING,   /* any non-empty text */
	KEY_LIST,     /* comma-separated, non-empty items */
	KEY_ENUM,     /* one of choices[] */
};

struct key_spec {
	const char *name; /* "*" matches any name no other entry matches */
	enum key_kind kind;
	int required;
	const char *def; /* default as it would be written in the file, or NULL */
	long long min, max;
	const char *const *choices; /* KEY_ENUM: NULL-terminated */
	/* Optional extra validation of the raw text (a regex that must compile,
	 * a name's character set). 0 or -1 with a reason in err. */
	int (*validate)(const char *text, char *err, size_t err_len);
};

struct key_value {
	const struct key_spec *spec;
	char *name;    /* as written (matters for "*" entries); owned, set by the caller */
	int line;      /* 0 when the value is the default */
	int set;       /* present in the file or defaulted */
	long long num; /* INT, DURATION (seconds), BOOL (0/1), ENUM (index) */
	char *text;    /* the raw text, for every kind */
	char **items;  /* LIST */
	size_t n_items;
};

/* The entry for NAME in TABLE (terminated by a NULL name), the "*" entry when
 * none matches, or NULL. */
const struct key_spec *key_find(const struct key_spec *table, const char *name);

/*
 * Parses TEXT as SPEC says into *out (name and line are left to the caller).
 * Returns 0, or -1 with the reason in err ("'abc' is not an integer").
 * On success *out owns its text and items: release with key_value_clear().
 */
int key_parse(const struct key_spec *spec, const char *text, struct key_value *out, char *err,
              size_t err_len);

/* Adds TEXT as one more comma-separated run of items to a list value. */
int key_list_append(struct key_value *v, const char *text, char *err, size_t err_len);

void key_value_clear(struct key_value *v);

/* Parses a duration into seconds. 0 or -1 with a reason. */
int key_parse_duration(const char *text, long long *secs, char *err, size_t err_len);

/* The name of a key kind, for messages ("an integer", "a duration"). */
const char *key_kind_name(enum key_kind kind);

#endif
