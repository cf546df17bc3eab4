/* SPDX-License-Identifier: Apache-2.0 */
/*
 * deb822: a streaming reader of Debian control-format files (dpkg's status,
 * apt's Packages lists): stanzas of "Field: value" lines separated by blank
 * lines, continuation lines indented.
 *
 * It reads through a callback in fixed-size chunks, so memory stays the same
 * whatever the size of the file, and hands back only the fields the caller
 * asked for: the first line of the value, or with DEB822_FOLD its
 * continuation lines too, each joined by one space (apt's .sources lists,
 * preferences). Lines starting with '#' are comments. It never allocates
 * per stanza. The one deb822 reader of the tree: dpkg's status, apt's
 * sources and preferences.
 */
#ifndef POSTURE_DEB822_H
#define POSTURE_DEB822_H

#include <stddef.h>
#include <sys/types.h>

#define DEB822_MAX_FIELDS 8
#define DEB822_MAX_VALUE 2048

struct deb822_stanza {
	/* values[i] answers fields[i]; NULL when the stanza lacks it. */
	const char *values[DEB822_MAX_FIELDS];
	size_t lens[DEB822_MAX_FIELDS];
	long line; /* of the stanza's first line */
};

/* Reads up to LEN bytes into BUF: the count, 0 at the end, or -errno. */
typedef ssize_t (*deb822_read_fn)(void *src, char *buf, size_t len);

/*
 * Reads every stanza from READ/SRC and calls ON_STANZA with the values of
 * FIELDS (case-insensitive names, at most DEB822_MAX_FIELDS). A value longer
 * than DEB822_MAX_VALUE is cut there. ON_STANZA returns non-zero to stop.
 * Returns 0, or a negative errno from READ.
 */
int deb822_parse(deb822_read_fn read_fn, void *src, const char *const *fields, size_t n_fields,
                 int (*on_stanza)(void *user, const struct deb822_stanza *s), void *user);

/* As deb822_parse; FLAGS: DEB822_FOLD. */
#define DEB822_FOLD 1
int deb822_parse_flags(deb822_read_fn read_fn, void *src, const char *const *fields,
                       size_t n_fields, int flags,
                       int (*on_stanza)(void *user, const struct deb822_stanza *s), void *user);

/* A deb822_read_fn over a file descriptor (SRC points to the int). */
ssize_t deb822_read_fd(void *src, char *buf, size_t len);

/* A deb822_read_fn over memory: SRC points to a struct deb822_mem. */
struct deb822_mem {
	const char *p;
	size_t left;
};
ssize_t deb822_read_mem(void *src, char *buf, size_t len);

#endif
