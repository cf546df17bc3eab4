/* SPDX-License-Identifier: Apache-2.0 */
/*
 * deb822: streaming control-file reader. See deb822.h.
 *
 * Lines are cut from a 64 KiB window. A line longer than the window can only
 * be a field the caller did not ask for (values we keep are capped far
 * below), so the rest of it is skipped without being stored.
 */
#include "deb822.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define WINDOW (64 * 1024)

struct state {
	const char *const *fields;
	size_t n_fields;
	size_t name_lens[DEB822_MAX_FIELDS];
	char store[DEB822_MAX_FIELDS][DEB822_MAX_VALUE + 1];
	struct deb822_stanza st;
	int in_stanza;
	int flags;
	int last; /* the wanted field the last field line set, or -1 */
	long line_no;
	unsigned char first_letters[256];
};

ssize_t deb822_read_fd(void *src, char *buf, size_t len)
{
	int fd = *(int *)src;

	for (;;) {
		ssize_t n = read(fd, buf, len);

		if (n >= 0)
			return n;
		if (errno != EINTR)
			return -errno;
	}
}

ssize_t deb822_read_mem(void *src, char *buf, size_t len)
{
	struct deb822_mem *m = src;
	size_t n = len < m->left ? len : m->left;

	memcpy(buf, m->p, n);
	m->p += n;
	m->left -= n;
	return (ssize_t)n;
}

static void reset(struct state *s)
{
	size_t i;

	for (i = 0; i < s->n_fields; i++)
		s->st.values[i] = NULL;
	s->in_stanza = 0;
	s->last = -1;
}

/* A continuation line of the field LAST: appended after one space. */
static void fold(struct state *s, const char *p, size_t len)
{
	size_t have = s->st.lens[s->last], n;
	const char *end = p + len;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	n = strnlen(p, (size_t)(end - p));
	if (n == 0 || have + 1 >= DEB822_MAX_VALUE)
		return;
	if (n > DEB822_MAX_VALUE - have - 1)
		n = DEB822_MAX_VALUE - have - 1;
	s->store[s->last][have] = ' ';
	memcpy(s->store[s->last] + have + 1, p, n);
	s->st.lens[s->last] = have + 1 + n;
	s->store[s->last][have + 1 + n] = '\0';
}

static int is_blank_line(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* Handles one whole line (no newline). Returns non-zero to stop. */
static int take_line(struct state *s, const char *p, size_t len,
                     int (*on_stanza)(void *, const struct deb822_stanza *), void *user)
{
	const char *colon;
	size_t i, name_len;

	s->line_no++;
	/* Most lines start with a field name: only an empty line or one that
	 * starts with a blank can be a separator. */
	if (len == 0 || ((p[0] == ' ' || p[0] == '\t' || p[0] == '\r') && is_blank_line(p, len))) {
		int stop = 0;

		if (s->in_stanza)
			stop = on_stanza(user, &s->st);
		reset(s);
		return stop;
	}
	if (!s->in_stanza) {
		s->in_stanza = 1;
		s->st.line = s->line_no;
	}
	if (p[0] == '#')
		return 0; /* a comment */
	if (p[0] == ' ' || p[0] == '\t') {
		if ((s->flags & DEB822_FOLD) && s->last >= 0)
			fold(s, p, len);
		return 0; /* a continuation */
	}
	s->last = -1;
	/* Skip fields whose first letter no wanted field has. */
	if (!s->first_letters[(unsigned char)p[0]])
		return 0;
	colon = memchr(p, ':', len);
	if (colon == NULL)
		return 0;
	name_len = (size_t)(colon - p);
	for (i = 0; i < s->n_fields; i++) {
		if (name_len == s->name_lens[i] && strncasecmp(p, s->fields[i], name_len) == 0) {
			const char *v = colon + 1, *end = p + len;
			size_t n;

			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
				end--;
			n = (size_t)(end - v);
			if (n > DEB822_MAX_VALUE)
				n = DEB822_MAX_VALUE;
			/* A NUL byte (a damaged file) ends the value, so the
			 * C string and its length agree. */
			n = strnlen(v, n);
			memcpy(s->store[i], v, n);
			s->store[i][n] = '\0';
			s->st.values[i] = s->store[i];
			s->st.lens[i] = n;
			s->last = (int)i;
			break;
		}
	}
	return 0;
}

int deb822_parse(deb822_read_fn read_fn, void *src, const char *const *fields, size_t n_fields,
                 int (*on_stanza)(void *user, const struct deb822_stanza *s), void *user)
{
	return deb822_parse_flags(read_fn, src, fields, n_fields, 0, on_stanza, user);
}

int deb822_parse_flags(deb822_read_fn read_fn, void *src, const char *const *fields,
                       size_t n_fields, int flags,
                       int (*on_stanza)(void *user, const struct deb822_stanza *s), void *user)
{
	struct state s;
	char buf[WINDOW];
	size_t have = 0, i;
	int skipping = 0, stop = 0;

	if (n_fields > DEB822_MAX_FIELDS)
		return -EINVAL;
	memset(&s, 0, sizeof(s));
	s.fields = fields;
	s.n_fields = n_fields;
	s.flags = flags;
	s.line_no = 0;
	for (i = 0; i < n_fields; i++) {
		unsigned char c = (unsigned char)fields[i][0];

		s.name_lens[i] = strlen(fields[i]);
		s.first_letters[c] = 1;
		if (c >= 'a' && c <= 'z')
			s.first_letters[c - 32] = 1;
		if (c >= 'A' && c <= 'Z')
			s.first_letters[c + 32] = 1;
	}
	reset(&s);

	for (;;) {
		ssize_t n = read_fn(src, buf + have, sizeof(buf) - have);
		size_t start = 0;

		if (n < 0)
			return (int)n;
		if (n == 0)
			break;
		have += (size_t)n;
		for (;;) {
			char *nl = memchr(buf + start, '\n', have - start);

			if (nl == NULL)
				break;
			if (skipping) {
				skipping = 0;
				s.line_no++;
			} else {
				stop = take_line(&s, buf + start, (size_t)(nl - (buf + start)),
				                 on_stanza, user);
			}
			start = (size_t)(nl - buf) + 1;
			if (stop)
				return 0;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have == sizeof(buf)) {
			/* One line fills the window: not a field we keep. */
			skipping = 1;
			have = 0;
		}
	}
	if (have > 0 && !skipping)
		stop = take_line(&s, buf, have, on_stanza, user);
	if (!stop && s.in_stanza)
		on_stanza(user, &s.st);
	return 0;
}
