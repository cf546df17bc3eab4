/* SPDX-License-Identifier: Apache-2.0 */
/*
 * plist: see plist.h.
 *
 * Binary: Apple's layout (CFBinaryPList.c, and the format's description in
 * its comments): "bplist00", the objects, a table of their offsets, and a
 * 32-byte trailer (offset size, reference size, object count, top object,
 * table offset). Each object's first byte is its type in the high nibble
 * and a size or count in the low one (0xF: an integer object follows with
 * the count). Every offset, count and reference is checked against the
 * file before it is used.
 *
 * XML: the PropertyList-1.0 DTD's elements, in UTF-8, with XML's entity
 * and character references, CDATA sections, comments, the declaration and
 * the doctype; line ends normalised as XML says (CR LF and CR to LF).
 */
#include "plist.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrs.h"
#include "timefmt.h"

#define BLOCK_NODES 1024

struct block {
	struct block *next;
	size_t used;
	struct pl_node nodes[BLOCK_NODES];
};

struct pl_doc {
	struct block *blocks;
	void **allocs; /* strings, data and item arrays */
	size_t n_allocs, cap_allocs;
	size_t n_nodes;
	const struct pl_node *root;
};

struct ctx {
	struct pl_doc *p;
	char *err;
	size_t err_len;
};

static int fail(struct ctx *c, const char *fmt, ...) POSTURE_PRINTF(2, 3);

static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->err_len, fmt, ap);
	va_end(ap);
	return -1;
}

static struct pl_node *new_node(struct ctx *c, enum pl_type t)
{
	struct block *b = c->p->blocks;

	if (c->p->n_nodes >= PL_MAX_NODES) {
		fail(c, "more than %u values", PL_MAX_NODES);
		return NULL;
	}
	if (b == NULL || b->used == BLOCK_NODES) {
		b = calloc(1, sizeof(*b));
		if (b == NULL) {
			fail(c, "out of memory");
			return NULL;
		}
		b->next = c->p->blocks;
		c->p->blocks = b;
	}
	c->p->n_nodes++;
	memset(&b->nodes[b->used], 0, sizeof(b->nodes[0]));
	b->nodes[b->used].type = t;
	return &b->nodes[b->used++];
}

/* N bytes owned by the plist (freed with it). */
static void *own(struct ctx *c, size_t n)
{
	void *m;

	if (c->p->n_allocs == c->p->cap_allocs) {
		size_t cap = c->p->cap_allocs ? c->p->cap_allocs * 2 : 64;
		void **grown = realloc(c->p->allocs, cap * sizeof(*grown));

		if (grown == NULL) {
			fail(c, "out of memory");
			return NULL;
		}
		c->p->allocs = grown;
		c->p->cap_allocs = cap;
	}
	m = malloc(n ? n : 1);
	if (m == NULL) {
		fail(c, "out of memory");
		return NULL;
	}
	c->p->allocs[c->p->n_allocs++] = m;
	return m;
}

/* Appends code point CP to OUT as UTF-8 (room for 4 bytes is the caller's). */
static size_t put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* ---- binary ---- */

struct bin {
	struct ctx *c;
	const unsigned char *b;
	size_t len;
	unsigned osize, rsize;
	uint64_t nobj, top, table, refs;
	const struct pl_node **memo;
	unsigned char *state; /* 0 not seen, 1 being parsed, 2 parsed */
};

static uint64_t be(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/* A count: the marker's low nibble, or when it is 0xF the integer object at
 * *POS (advanced past it). */
static int bin_count(struct bin *x, size_t *pos, unsigned nib, uint64_t *count)
{
	unsigned m, size;

	if (nib != 0xF) {
		*count = nib;
		return 0;
	}
	if (*pos >= x->table)
		return fail(x->c, "a count at byte %zu runs into the offset table", *pos);
	m = x->b[*pos];
	if ((m & 0xF0) != 0x10 || (m & 0x0F) > 3)
		return fail(x->c, "a count at byte %zu is not an integer of 1 to 8 bytes", *pos);
	size = 1u << (m & 0x0F);
	if (*pos + 1 + size > x->table)
		return fail(x->c, "a count at byte %zu runs into the offset table", *pos);
	*count = be(x->b + *pos + 1, size);
	*pos += 1 + size;
	return 0;
}

/* The object REF's parsed node (parsed once, then shared). */
static const struct pl_node *bin_obj(struct bin *x, uint64_t ref, int depth);

static int bin_refs(struct bin *x, size_t pos, uint64_t count)
{
	if (count > (x->table - pos) / x->rsize)
		return fail(x->c, "a container at byte %zu lists %llu references past its end", pos,
		            (unsigned long long)count);
	return 0;
}

static const struct pl_node *bin_parse_at(struct bin *x, uint64_t ref, size_t off, int depth)
{
	const unsigned char *b = x->b;
	unsigned marker = b[off], hi = marker >> 4, lo = marker & 0x0F;
	size_t pos = off + 1;
	uint64_t count;
	struct pl_node *n;

	switch (hi) {
	case 0x0:
		if (marker == 0x00)
			return new_node(x->c, PL_NULL);
		if (marker == 0x08 || marker == 0x09) {
			n = new_node(x->c, PL_BOOL);
			if (n != NULL)
				n->v.boolean = marker == 0x09;
			return n;
		}
		fail(x->c, "object %llu at byte %zu: unknown marker 0x%02x",
		     (unsigned long long)ref, off, marker);
		return NULL;
	case 0x1: { /* integer of 2^lo bytes */
		size_t size;

		if (lo > 4) {
			fail(x->c, "object %llu at byte %zu: an integer of 2^%u bytes",
			     (unsigned long long)ref, off, lo);
			return NULL;
		}
		size = (size_t)1 << lo;
		if (pos + size > x->table) {
			fail(x->c, "object %llu at byte %zu runs into the offset table",
			     (unsigned long long)ref, off);
			return NULL;
		}
		n = new_node(x->c, PL_INTEGER);
		if (n == NULL)
			return NULL;
		if (size < 8) {
			n->v.i = (long long)be(b + pos, (unsigned)size); /* unsigned */
		} else if (size == 8) {
			n->v.i = (long long)be(b + pos, 8); /* signed */
		} else {
			uint64_t high = be(b + pos, 8), low = be(b + pos + 8, 8);

			if (high == 0 && low > INT64_MAX) {
				n->v.u = low;
				n->is_unsigned = 1;
			} else if ((high == 0 && low <= INT64_MAX) ||
			           (high == UINT64_MAX && low > INT64_MAX)) {
				n->v.i = (long long)low;
			} else {
				fail(x->c, "object %llu at byte %zu: an integer beyond 64 bits",
				     (unsigned long long)ref, off);
				return NULL;
			}
		}
		return n;
	}
	case 0x2: { /* real */
		double d;

		if (lo != 2 && lo != 3) {
			fail(x->c, "object %llu at byte %zu: a real of 2^%u bytes",
			     (unsigned long long)ref, off, lo);
			return NULL;
		}
		if (pos + (1u << lo) > x->table) {
			fail(x->c, "object %llu at byte %zu runs into the offset table",
			     (unsigned long long)ref, off);
			return NULL;
		}
		if (lo == 2) {
			uint32_t bits = (uint32_t)be(b + pos, 4);
			float f;

			memcpy(&f, &bits, 4);
			d = f;
		} else {
			uint64_t bits = be(b + pos, 8);

			memcpy(&d, &bits, 8);
		}
		n = new_node(x->c, PL_REAL);
		if (n != NULL)
			n->v.real = d;
		return n;
	}
	case 0x3: { /* date: a float64 */
		uint64_t bits;
		double d;

		if (marker != 0x33 || pos + 8 > x->table) {
			fail(x->c, "object %llu at byte %zu: not a date of 8 bytes",
			     (unsigned long long)ref, off);
			return NULL;
		}
		bits = be(b + pos, 8);
		memcpy(&d, &bits, 8);
		n = new_node(x->c, PL_DATE);
		if (n != NULL)
			n->v.date = d;
		return n;
	}
	case 0x4:   /* data */
	case 0x5:   /* ASCII string */
	case 0x6: { /* UTF-16BE string, count in units */
		size_t bytes;
		char *s;

		if (bin_count(x, &pos, lo, &count) != 0)
			return NULL;
		if (count > (x->table - pos) / (hi == 0x6 ? 2 : 1)) {
			fail(x->c, "object %llu at byte %zu: %llu %s past the offset table",
			     (unsigned long long)ref, off, (unsigned long long)count,
			     hi == 0x6 ? "characters" : "bytes");
			return NULL;
		}
		bytes = (size_t)count * (hi == 0x6 ? 2 : 1);
		n = new_node(x->c, hi == 0x4 ? PL_DATA : PL_STRING);
		/* UTF-16 to UTF-8: at most 3 bytes per unit */
		s = n ? own(x->c, (hi == 0x6 ? (size_t)count * 3 : bytes) + 1) : NULL;
		if (s == NULL)
			return NULL;
		if (hi != 0x6) {
			memcpy(s, b + pos, bytes);
			s[bytes] = '\0';
			n->len = bytes;
			if (hi == 0x5)
				for (size_t i = 0; i < bytes; i++)
					if (b[pos + i] >= 0x80) {
						fail(
						    x->c,
						    "object %llu at byte %zu: an ASCII string with "
						    "byte 0x%02x",
						    (unsigned long long)ref, off, b[pos + i]);
						return NULL;
					}
		} else {
			size_t o = 0;

			for (size_t i = 0; i < bytes; i += 2) {
				unsigned long u = (unsigned long)be(b + pos + i, 2);

				if (u >= 0xD800 && u <= 0xDBFF && i + 2 < bytes) {
					unsigned long lo16 = (unsigned long)be(b + pos + i + 2, 2);

					if (lo16 >= 0xDC00 && lo16 <= 0xDFFF) {
						u = 0x10000 + ((u - 0xD800) << 10) +
						    (lo16 - 0xDC00);
						i += 2;
					}
				}
				if (u >= 0xD800 && u <= 0xDFFF) {
					fail(x->c,
					     "object %llu at byte %zu: a UTF-16 string with a lone "
					     "surrogate",
					     (unsigned long long)ref, off);
					return NULL;
				}
				o += put_utf8(s + o, u);
			}
			s[o] = '\0';
			n->len = o;
		}
		n->v.str = s;
		return n;
	}
	case 0x8: /* UID of lo + 1 bytes */
		if (pos + lo + 1 > x->table) {
			fail(x->c, "object %llu at byte %zu runs into the offset table",
			     (unsigned long long)ref, off);
			return NULL;
		}
		n = new_node(x->c, PL_UID);
		if (n != NULL) {
			n->v.u = be(b + pos, lo + 1);
			n->is_unsigned = 1;
		}
		return n;
	case 0xA:   /* array */
	case 0xD: { /* dict: keys' references, then values' */
		size_t k = hi == 0xD ? 2 : 1;
		const struct pl_node **items;

		if (bin_count(x, &pos, lo, &count) != 0)
			return NULL;
		if (count > PL_MAX_NODES) {
			fail(x->c, "object %llu at byte %zu: %llu items", (unsigned long long)ref,
			     off, (unsigned long long)count);
			return NULL;
		}
		if (bin_refs(x, pos, count * k) != 0)
			return NULL;
		/* references, shared or not, count against the bound too: a
		 * small file must not make a large tree of pointers */
		x->refs += count * k;
		if (x->refs > 4 * (uint64_t)PL_MAX_NODES) {
			fail(x->c, "more than %u references", 4 * PL_MAX_NODES);
			return NULL;
		}
		n = new_node(x->c, hi == 0xD ? PL_DICT : PL_ARRAY);
		items = n ? own(x->c, (size_t)count * k * sizeof(*items)) : NULL;
		if (items == NULL)
			return NULL;
		n->len = (size_t)count;
		n->v.items = items;
		for (size_t i = 0; i < count; i++) {
			if (hi == 0xD) {
				uint64_t kr = be(b + pos + i * x->rsize, x->rsize);
				uint64_t vr = be(b + pos + (count + i) * x->rsize, x->rsize);

				items[2 * i] = bin_obj(x, kr, depth + 1);
				if (items[2 * i] == NULL)
					return NULL;
				if (items[2 * i]->type != PL_STRING) {
					fail(x->c,
					     "object %llu at byte %zu: a dictionary key that is no "
					     "string",
					     (unsigned long long)ref, off);
					return NULL;
				}
				items[2 * i + 1] = bin_obj(x, vr, depth + 1);
				if (items[2 * i + 1] == NULL)
					return NULL;
			} else {
				items[i] =
				    bin_obj(x, be(b + pos + i * x->rsize, x->rsize), depth + 1);
				if (items[i] == NULL)
					return NULL;
			}
		}
		return n;
	}
	default:
		fail(x->c, "object %llu at byte %zu: %s (marker 0x%02x)", (unsigned long long)ref,
		     off, hi == 0xC ? "a set, which property lists do not hold" : "an unknown type",
		     marker);
		return NULL;
	}
}

static const struct pl_node *bin_obj(struct bin *x, uint64_t ref, int depth)
{
	uint64_t off;
	const struct pl_node *n;

	if (ref >= x->nobj) {
		fail(x->c, "a reference to object %llu of %llu", (unsigned long long)ref,
		     (unsigned long long)x->nobj);
		return NULL;
	}
	if (x->state[ref] == 2)
		return x->memo[ref];
	if (x->state[ref] == 1) {
		fail(x->c, "object %llu contains itself", (unsigned long long)ref);
		return NULL;
	}
	if (depth > PL_MAX_DEPTH) {
		fail(x->c, "nested deeper than %d levels", PL_MAX_DEPTH);
		return NULL;
	}
	off = be(x->b + x->table + ref * x->osize, x->osize);
	if (off < 8 || off >= x->table) {
		fail(x->c, "object %llu is at byte %llu, outside the objects",
		     (unsigned long long)ref, (unsigned long long)off);
		return NULL;
	}
	x->state[ref] = 1;
	n = bin_parse_at(x, ref, (size_t)off, depth);
	x->state[ref] = 2;
	x->memo[ref] = n;
	return n;
}

static int parse_binary(struct ctx *c, const unsigned char *b, size_t len)
{
	struct bin x;
	const unsigned char *t;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	x.c = c;
	x.b = b;
	x.len = len;
	if (len < 8 + 32)
		return fail(c, "a binary property list of %zu bytes is too short", len);
	if (memcmp(b, "bplist00", 8) != 0)
		return fail(c, "not a binary property list of version 00 (\"%.8s\")",
		            (const char *)b);
	t = b + len - 32;
	x.osize = t[6];
	x.rsize = t[7];
	x.nobj = be(t + 8, 8);
	x.top = be(t + 16, 8);
	x.table = be(t + 24, 8);
	if (x.osize < 1 || x.osize > 8 || x.rsize < 1 || x.rsize > 8)
		return fail(c, "the trailer gives offsets of %u and references of %u bytes",
		            x.osize, x.rsize);
	if (x.nobj == 0 || x.top >= x.nobj)
		return fail(c, "the trailer gives %llu objects and top object %llu",
		            (unsigned long long)x.nobj, (unsigned long long)x.top);
	if (x.table < 9 || x.table >= len - 32 || x.nobj > (len - 32 - x.table) / x.osize)
		return fail(c, "the offset table (byte %llu, %llu entries) is not inside the file",
		            (unsigned long long)x.table, (unsigned long long)x.nobj);
	x.memo = calloc((size_t)x.nobj, sizeof(*x.memo));
	x.state = calloc((size_t)x.nobj, 1);
	if (x.memo == NULL || x.state == NULL) {
		fail(c, "out of memory");
		goto out;
	}
	c->p->root = bin_obj(&x, x.top, 0);
	rc = c->p->root ? 0 : -1;
out:
	free(x.memo);
	free(x.state);
	return rc;
}

/* ---- XML ---- */

struct xml {
	struct ctx *c;
	const char *s;
	size_t len, pos;
};

static int xml_line(const struct xml *x)
{
	int line = 1;

	for (size_t i = 0; i < x->pos && i < x->len; i++)
		line += x->s[i] == '\n';
	return line;
}

static int xfail(struct xml *x, const char *what)
{
	return fail(x->c, "XML line %d: %s", xml_line(x), what);
}

static int at(const struct xml *x, const char *lit)
{
	size_t n = strlen(lit);

	return x->len - x->pos >= n && memcmp(x->s + x->pos, lit, n) == 0;
}

static void skip_space(struct xml *x)
{
	while (x->pos < x->len && (x->s[x->pos] == ' ' || x->s[x->pos] == '\t' ||
	                           x->s[x->pos] == '\n' || x->s[x->pos] == '\r'))
		x->pos++;
}

/* Skips to past END; -1 when it never comes. */
static int skip_past(struct xml *x, const char *end)
{
	size_t n = strlen(end);

	while (x->pos + n <= x->len) {
		if (memcmp(x->s + x->pos, end, n) == 0) {
			x->pos += n;
			return 0;
		}
		x->pos++;
	}
	return -1;
}

/* Whitespace, comments, processing instructions and a doctype. */
static int skip_misc(struct xml *x)
{
	for (;;) {
		skip_space(x);
		if (at(x, "<!--")) {
			if (skip_past(x, "-->") != 0)
				return xfail(x, "a comment that does not end");
		} else if (at(x, "<?")) {
			if (skip_past(x, "?>") != 0)
				return xfail(x, "a processing instruction that does not end");
		} else if (at(x, "<!DOCTYPE")) {
			/* the plist DTD's doctype has no internal subset; one that
			 * has (entity definitions) is refused */
			size_t end = x->pos;

			while (end < x->len && x->s[end] != '>' && x->s[end] != '[')
				end++;
			if (end >= x->len || x->s[end] == '[')
				return xfail(x, "a doctype with an internal subset, or unended");
			x->pos = end + 1;
		} else {
			return 0;
		}
	}
}

/* A tag at the cursor: "<name ...>" or "<name .../>" or "</name>". NAME
 * gets the name; *CLOSING and *EMPTY say which. */
static int read_tag(struct xml *x, char *name, size_t name_len, int *closing, int *empty)
{
	size_t n = 0;
	char quote = 0;

	if (x->pos >= x->len)
		return xfail(x, "the document ends before it is complete");
	if (x->s[x->pos] != '<')
		return xfail(x, "expected a tag");
	x->pos++;
	*closing = x->pos < x->len && x->s[x->pos] == '/';
	if (*closing)
		x->pos++;
	while (x->pos < x->len && ((x->s[x->pos] >= 'a' && x->s[x->pos] <= 'z') ||
	                           (x->s[x->pos] >= 'A' && x->s[x->pos] <= 'Z'))) {
		if (n + 1 < name_len)
			name[n++] = x->s[x->pos];
		x->pos++;
	}
	name[n] = '\0';
	if (n == 0)
		return xfail(x, "a tag without a name");
	*empty = 0;
	/* attributes (plist's version) are skipped, quotes respected */
	while (x->pos < x->len) {
		char ch = x->s[x->pos];

		if (quote) {
			if (ch == quote)
				quote = 0;
		} else if (ch == '"' || ch == '\'') {
			quote = ch;
		} else if (ch == '>') {
			x->pos++;
			return 0;
		} else if (ch == '/' && x->pos + 1 < x->len && x->s[x->pos + 1] == '>') {
			*empty = 1;
			x->pos += 2;
			if (*closing)
				return xfail(x, "a closing tag that is also empty");
			return 0;
		} else if (ch == '<') {
			break;
		}
		x->pos++;
	}
	return xfail(x, "a tag that does not end");
}

/* Appends one UTF-8 sequence at S (validated) to OUT; its length, 0 when
 * invalid. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
	unsigned long cp;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xFFFE && cp <= 0xFFFF))
		return 0;
	return n;
}

/* Room for one more character (4 bytes of UTF-8 and more) in *OUT of
 * *CAP bytes, N used: 0, or -1 with *OUT freed. */
static int room(struct xml *x, char **out, size_t *cap, size_t n)
{
	char *grown;

	if (*cap - n >= 8)
		return 0;
	grown = realloc(*out, *cap * 2);
	if (grown == NULL) {
		free(*out);
		*out = NULL;
		return fail(x->c, "out of memory");
	}
	*out = grown;
	*cap *= 2;
	return 0;
}

/* The text up to the next tag, with references decoded, CDATA taken as
 * is and line ends normalised (owned by the plist; *LEN its length). */
static char *read_text(struct xml *x, size_t *len)
{
	size_t cap = 64, n = 0;
	char *out = malloc(cap), *kept;

	if (out == NULL) {
		fail(x->c, "out of memory");
		return NULL;
	}
	while (x->pos < x->len) {
		const unsigned char *u = (const unsigned char *)x->s + x->pos;
		size_t left = x->len - x->pos;

		if (room(x, &out, &cap, n) != 0)
			return NULL;
		if (at(x, "<![CDATA[")) {
			size_t start = x->pos + 9;

			x->pos = start;
			if (skip_past(x, "]]>") != 0) {
				free(out);
				xfail(x, "a CDATA section that does not end");
				return NULL;
			}
			for (size_t i = start; i < x->pos - 3; i++) {
				if (room(x, &out, &cap, n) != 0)
					return NULL;
				if (x->s[i] == '\r') {
					out[n++] = '\n';
					if (i + 1 < x->pos - 3 && x->s[i + 1] == '\n')
						i++;
				} else {
					out[n++] = x->s[i];
				}
			}
			continue;
		}
		if (at(x, "<!--")) {
			if (skip_past(x, "-->") != 0) {
				free(out);
				xfail(x, "a comment that does not end");
				return NULL;
			}
			continue;
		}
		if (u[0] == '<')
			break;
		if (u[0] == '&') {
			unsigned long cp = 0;
			size_t end = x->pos + 1;

			while (end < x->len && end - x->pos < 12 && x->s[end] != ';')
				end++;
			if (end >= x->len || x->s[end] != ';') {
				free(out);
				xfail(x, "an unended '&' reference");
				return NULL;
			}
			if (x->s[x->pos + 1] == '#') {
				int hex = x->s[x->pos + 2] == 'x';
				size_t i = x->pos + 2 + (size_t)hex;

				if (i == end) {
					free(out);
					xfail(x, "an empty character reference");
					return NULL;
				}
				for (; i < end; i++) {
					char ch = x->s[i];
					int d = ch >= '0' && ch <= '9'          ? ch - '0'
					        : hex && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
					        : hex && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
					                                        : -1;

					if (d < 0 || cp > 0x10FFFF) {
						free(out);
						xfail(x, "a malformed character reference");
						return NULL;
					}
					cp = cp * (hex ? 16 : 10) + (unsigned long)d;
				}
				if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
				    (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
				    cp == 0xFFFE || cp == 0xFFFF) {
					free(out);
					xfail(x,
					      "a character reference to a character XML does not "
					      "allow");
					return NULL;
				}
			} else {
				static const struct {
					const char *name;
					char ch;
				} ents[] = { { "lt", '<' },
					     { "gt", '>' },
					     { "amp", '&' },
					     { "quot", '"' },
					     { "apos", '\'' } };
				size_t nl = end - x->pos - 1, e;

				for (e = 0; e < 5; e++)
					if (strlen(ents[e].name) == nl &&
					    memcmp(x->s + x->pos + 1, ents[e].name, nl) == 0)
						break;
				if (e == 5) {
					free(out);
					xfail(x, "an entity other than XML's five");
					return NULL;
				}
				cp = (unsigned char)ents[e].ch;
			}
			n += put_utf8(out + n, cp);
			x->pos = end + 1;
			continue;
		}
		if (u[0] == '\r') {
			out[n++] = '\n';
			x->pos += left > 1 && u[1] == '\n' ? 2 : 1;
			continue;
		}
		if (u[0] < 0x20 && u[0] != '\t' && u[0] != '\n') {
			free(out);
			xfail(x, "a control character in text");
			return NULL;
		}
		{
			size_t k = utf8_seq(u, left);

			if (k == 0) {
				free(out);
				xfail(x, "text that is not UTF-8");
				return NULL;
			}
			memcpy(out + n, u, k);
			n += k;
			x->pos += k;
		}
	}
	out[n] = '\0';
	kept = own(x->c, n + 1);
	if (kept == NULL) {
		free(out);
		return NULL;
	}
	memcpy(kept, out, n + 1);
	free(out);
	*len = n;
	return kept;
}

/* Expects "</NAME>" after optional whitespace. */
static int end_tag(struct xml *x, const char *name)
{
	char got[16];
	int closing, empty;

	if (read_tag(x, got, sizeof(got), &closing, &empty) != 0)
		return -1;
	if (!closing || strcmp(got, name) != 0) {
		char what[64];

		snprintf(what, sizeof(what), "expected </%s>", name);
		return xfail(x, what);
	}
	return 0;
}

static int b64val(int ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	return ch == '+' ? 62 : ch == '/' ? 63 : -1;
}

/* plist's dates: YYYY[-MM[-DD[Thh[:mm[:ss]]]]]Z, what Apple writes and
 * what its reader takes. */
static int parse_date(const char *s, double *out)
{
	int f[6] = { 0, 1, 1, 0, 0, 0 }, k = 0;
	const char *p = s;

	while (*p && *p != 'Z' && k < 6) {
		int w = k == 0 ? 4 : 2, v = 0;

		for (int i = 0; i < w; i++, p++) {
			if (*p < '0' || *p > '9')
				return -1;
			v = v * 10 + (*p - '0');
		}
		f[k++] = v;
		if (*p == 'Z')
			break;
		if (*p != (k < 3 ? '-' : k == 3 ? 'T' : ':') || k == 6)
			return -1;
		p++;
	}
	if (*p != 'Z' || p[1] != '\0' || k == 0)
		return -1;
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 59)
		return -1;
	*out = (double)(time_days_from_civil(f[0], (unsigned)f[1], (unsigned)f[2]) * 86400LL +
	                f[3] * 3600LL + f[4] * 60LL + f[5]) -
	       978307200.0;
	return 0;
}

static const struct pl_node *xml_value(struct xml *x, int depth);

/* The children of <dict> or <array>, up to their closing tag. */
static const struct pl_node *xml_container(struct xml *x, int is_dict, int depth)
{
	struct pl_node *n = new_node(x->c, is_dict ? PL_DICT : PL_ARRAY);
	const struct pl_node **items = NULL, **grown;
	size_t count = 0, cap = 0;

	if (n == NULL)
		return NULL;
	for (;;) {
		if (skip_misc(x) != 0)
			goto bad;
		if (at(x, "</")) {
			if (end_tag(x, is_dict ? "dict" : "array") != 0)
				goto bad;
			break;
		}
		if (count + 2 > cap) {
			cap = cap ? cap * 2 : 8;
			grown = realloc(items, cap * sizeof(*items));
			if (grown == NULL) {
				fail(x->c, "out of memory");
				goto bad;
			}
			items = grown;
		}
		if (is_dict) {
			char name[16];
			int closing, empty;
			struct pl_node *key;
			size_t len = 0;
			const char *text = "";

			if (read_tag(x, name, sizeof(name), &closing, &empty) != 0)
				goto bad;
			if (closing || strcmp(name, "key") != 0) {
				xfail(x, "a dictionary's entry without its <key>");
				goto bad;
			}
			if (!empty) {
				text = read_text(x, &len);
				if (text == NULL || end_tag(x, "key") != 0)
					goto bad;
			}
			key = new_node(x->c, PL_STRING);
			if (key == NULL)
				goto bad;
			key->v.str = text;
			key->len = len;
			items[count++] = key;
			if (skip_misc(x) != 0)
				goto bad;
			if (at(x, "</")) {
				xfail(x, "a <key> without its value");
				goto bad;
			}
		}
		items[count] = xml_value(x, depth + 1);
		if (items[count] == NULL)
			goto bad;
		count++;
	}
	{
		const struct pl_node **kept = own(x->c, (count ? count : 1) * sizeof(*kept));

		if (kept == NULL)
			goto bad;
		if (count)
			memcpy(kept, items, count * sizeof(*kept));
		n->v.items = kept;
		n->len = is_dict ? count / 2 : count;
	}
	free(items);
	return n;
bad:
	free(items);
	return NULL;
}

static const struct pl_node *xml_value(struct xml *x, int depth)
{
	char name[16];
	int closing, empty;
	struct pl_node *n;
	const char *text = "";
	size_t len = 0;

	if (depth > PL_MAX_DEPTH) {
		xfail(x, "nested too deep");
		return NULL;
	}
	if (skip_misc(x) != 0 || read_tag(x, name, sizeof(name), &closing, &empty) != 0)
		return NULL;
	if (closing) {
		xfail(x, "a closing tag where a value should be");
		return NULL;
	}
	if (strcmp(name, "dict") == 0 || strcmp(name, "array") == 0) {
		if (empty) {
			n = new_node(x->c, name[0] == 'd' ? PL_DICT : PL_ARRAY);
			if (n != NULL)
				n->v.items = own(x->c, sizeof(*n->v.items));
			return n && n->v.items ? n : NULL;
		}
		return xml_container(x, name[0] == 'd', depth);
	}
	if (strcmp(name, "true") == 0 || strcmp(name, "false") == 0) {
		if (!empty && end_tag(x, name) != 0)
			return NULL;
		n = new_node(x->c, PL_BOOL);
		if (n != NULL)
			n->v.boolean = name[0] == 't';
		return n;
	}
	if (strcmp(name, "string") != 0 && strcmp(name, "integer") != 0 &&
	    strcmp(name, "real") != 0 && strcmp(name, "date") != 0 && strcmp(name, "data") != 0) {
		char what[64];

		snprintf(what, sizeof(what), "<%s> is no property list element", name);
		xfail(x, what);
		return NULL;
	}
	if (!empty) {
		text = read_text(x, &len);
		if (text == NULL || end_tag(x, name) != 0)
			return NULL;
	}
	if (strcmp(name, "string") == 0) {
		n = new_node(x->c, PL_STRING);
		if (n != NULL) {
			n->v.str = text;
			n->len = len;
		}
		return n;
	}
	n = new_node(x->c, PL_INTEGER);
	if (n == NULL)
		return NULL;
	if (strcmp(name, "integer") == 0) {
		const char *p = text;
		int neg = 0;
		unsigned long long v = 0;
		int hex = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '-' || *p == '+')
			neg = *p++ == '-';
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			hex = 1, p += 2;
		if (*p == '\0') {
			xfail(x, "an <integer> without digits");
			return NULL;
		}
		for (; *p && *p != ' ' && *p != '\t' && *p != '\n'; p++) {
			int d = *p >= '0' && *p <= '9'          ? *p - '0'
			        : hex && *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
			        : hex && *p >= 'A' && *p <= 'F' ? *p - 'A' + 10
			                                        : -1;

			if (d < 0 || v > (UINT64_MAX - (unsigned)d) / (hex ? 16 : 10)) {
				xfail(x, d < 0 ? "an <integer> that is not a number"
				               : "an <integer> beyond 64 bits");
				return NULL;
			}
			v = v * (hex ? 16 : 10) + (unsigned)d;
		}
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p != '\0') {
			xfail(x, "an <integer> that is not a number");
			return NULL;
		}
		if (neg && v > (unsigned long long)INT64_MAX + 1) {
			xfail(x, "an <integer> beyond 64 bits");
			return NULL;
		}
		if (neg)
			n->v.i = v == (unsigned long long)INT64_MAX + 1 ? INT64_MIN : -(long long)v;
		else if (v > INT64_MAX)
			n->v.u = v, n->is_unsigned = 1;
		else
			n->v.i = (long long)v;
		return n;
	}
	if (strcmp(name, "real") == 0) {
		char *end;

		n->type = PL_REAL;
		errno = 0;
		n->v.real = strtod(text, &end);
		while (*end == ' ' || *end == '\t' || *end == '\n')
			end++;
		if (end == text || *end != '\0') {
			xfail(x, "a <real> that is not a number");
			return NULL;
		}
		return n;
	}
	if (strcmp(name, "date") == 0) {
		n->type = PL_DATE;
		if (parse_date(text, &n->v.date) != 0) {
			xfail(x, "a <date> not written YYYY-MM-DDThh:mm:ssZ");
			return NULL;
		}
		return n;
	}
	/* data: base64, whitespace ignored */
	{
		unsigned char *out = own(x->c, len / 4 * 3 + 3);
		size_t o = 0;
		unsigned acc = 0;
		int bits = 0, pad = 0;

		if (out == NULL)
			return NULL;
		n->type = PL_DATA;
		for (size_t i = 0; i < len; i++) {
			int ch = (unsigned char)text[i], v;

			if (ch == ' ' || ch == '\t' || ch == '\n')
				continue;
			if (ch == '=') {
				pad++;
				continue;
			}
			v = b64val(ch);
			if (v < 0 || pad) {
				xfail(x, "<data> that is not base64");
				return NULL;
			}
			acc = (acc << 6) | (unsigned)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				out[o++] = (unsigned char)(acc >> bits);
			}
		}
		n->v.str = (const char *)out;
		n->len = o;
		return n;
	}
}

static int parse_xml(struct ctx *c, const char *s, size_t len)
{
	struct xml x = { .c = c, .s = s, .len = len, .pos = 0 };
	char name[16];
	int closing, empty;

	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		x.pos = 3;
	if (skip_misc(&x) != 0 || read_tag(&x, name, sizeof(name), &closing, &empty) != 0)
		return -1;
	if (closing || strcmp(name, "plist") != 0)
		return xfail(&x, "the document is not a <plist>");
	if (skip_misc(&x) != 0)
		return -1;
	if (empty || at(&x, "</")) {
		/* a <plist> with no value (plistlib reads None): a null root */
		c->p->root = new_node(c, PL_NULL);
		if (c->p->root == NULL || (!empty && end_tag(&x, "plist") != 0))
			return -1;
		if (skip_misc(&x) != 0)
			return -1;
		return x.pos == x.len ? 0 : xfail(&x, "more after </plist>");
	}
	c->p->root = xml_value(&x, 1);
	if (c->p->root == NULL)
		return -1;
	if (skip_misc(&x) != 0 || end_tag(&x, "plist") != 0)
		return -1;
	if (skip_misc(&x) != 0)
		return -1;
	if (x.pos != x.len)
		return xfail(&x, "more after </plist>");
	return 0;
}

int pl_parse(const void *buf, size_t len, struct pl_doc **out, char *err, size_t err_len)
{
	struct ctx c;
	int rc;

	*out = NULL;
	if (err_len > 0)
		err[0] = '\0';
	c.err = err;
	c.err_len = err_len;
	if (len > PL_MAX_BYTES) {
		snprintf(err, err_len, "a property list of %zu bytes (at most %u)", len,
		         PL_MAX_BYTES);
		return -1;
	}
	c.p = calloc(1, sizeof(*c.p));
	if (c.p == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	if (len >= 6 && memcmp(buf, "bplist", 6) == 0)
		rc = parse_binary(&c, buf, len);
	else
		rc = parse_xml(&c, buf, len);
	if (rc != 0) {
		pl_free(c.p);
		return -1;
	}
	*out = c.p;
	return 0;
}

const struct pl_node *pl_root(const struct pl_doc *p)
{
	return p ? p->root : NULL;
}

void pl_free(struct pl_doc *p)
{
	struct block *b, *next;

	if (p == NULL)
		return;
	for (b = p->blocks; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	for (size_t i = 0; i < p->n_allocs; i++)
		free(p->allocs[i]);
	free(p->allocs);
	free(p);
}

const struct pl_node *pl_get(const struct pl_node *dict, const char *key)
{
	size_t klen;

	if (dict == NULL || dict->type != PL_DICT)
		return NULL;
	klen = strlen(key);
	for (size_t i = dict->len; i-- > 0;) {
		const struct pl_node *k = dict->v.items[2 * i];

		if (k->len == klen && memcmp(k->v.str, key, klen) == 0)
			return dict->v.items[2 * i + 1];
	}
	return NULL;
}

const char *pl_str(const struct pl_node *n)
{
	return n != NULL && n->type == PL_STRING ? n->v.str : NULL;
}

int pl_int(const struct pl_node *n, long long *out)
{
	if (n == NULL)
		return -1;
	if (n->type == PL_BOOL) {
		*out = n->v.boolean;
		return 0;
	}
	if (n->type != PL_INTEGER || n->is_unsigned)
		return -1;
	*out = n->v.i;
	return 0;
}

int pl_bool(const struct pl_node *n, int *out)
{
	if (n == NULL)
		return -1;
	if (n->type == PL_BOOL) {
		*out = n->v.boolean;
		return 0;
	}
	if (n->type == PL_INTEGER) {
		*out = n->is_unsigned || n->v.i != 0;
		return 0;
	}
	return -1;
}

int pl_time(const struct pl_node *n, double *out)
{
	if (n == NULL)
		return -1;
	if (n->type == PL_DATE) {
		*out = n->v.date + 978307200.0;
		return 0;
	}
	if (n->type == PL_REAL && isfinite(n->v.real)) {
		*out = n->v.real;
		return 0;
	}
	if (n->type == PL_INTEGER && !n->is_unsigned) {
		*out = (double)n->v.i;
		return 0;
	}
	return -1;
}
