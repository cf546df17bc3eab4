/* SPDX-License-Identifier: Apache-2.0 */
/*
 * plist: a bounded reader of Apple property lists, binary ("bplist00") and
 * XML, for the macOS probes (platform/darwin/), which read them through
 * platform/rootfs.h on a Mac or on a Mac's disk mounted anywhere.
 *
 * Read-only: the whole file is parsed into a tree of nodes that live until
 * pl_free. Bounded: at most PL_MAX_BYTES of input, PL_MAX_DEPTH
 * levels of nesting and PL_MAX_NODES nodes; a binary list's objects
 * shared by several containers are parsed once and shared (a list of 30
 * objects cannot expand into 2^30), and a reference back to an object
 * being parsed is refused as a cycle. What the formats allow and Apple's
 * own reader refuses (sets, lone UTF-16 surrogates, an XML document with
 * anything but one value inside <plist>) is refused with a sentence.
 *
 * Formats: Apple's "Binary Property List" (CFBinaryPList.c's layout:
 * header "bplist00", objects, offset table, 32-byte trailer) and the XML
 * form of the PropertyList-1.0 DTD.
 */
#ifndef POSTURE_PLIST_H
#define POSTURE_PLIST_H

#include <stddef.h>

#define PL_MAX_BYTES (16u << 20)
#define PL_MAX_DEPTH 64
#define PL_MAX_NODES (1u << 20)

enum pl_type {
	PL_DICT,
	PL_ARRAY,
	PL_STRING,  /* UTF-8, NUL-terminated (len without it) */
	PL_DATA,    /* bytes, len */
	PL_INTEGER, /* i; is_unsigned when above INT64_MAX (u) */
	PL_REAL,
	PL_BOOL,
	PL_DATE, /* seconds since 2001-01-01T00:00:00Z (Apple's epoch) */
	PL_UID,  /* NSKeyedArchiver's references (binary only), u */
	PL_NULL, /* binary only */
};

struct pl_node {
	enum pl_type type;
	int is_unsigned;
	size_t len; /* string and data: bytes; dict: pairs; array: items */
	union {
		long long i;
		unsigned long long u;
		double real;
		int boolean;
		double date;
		const char *str; /* string: UTF-8; data: bytes */
		/* array: len items; dict: 2 * len, key then value */
		const struct pl_node **items;
	} v;
};

struct pl_doc;

/* Parses BUF (LEN bytes), binary or XML by its first bytes. 0 and *OUT
 * (free with pl_free), or -1 with a sentence in ERR naming what is
 * wrong and where. */
int pl_parse(const void *buf, size_t len, struct pl_doc **out, char *err, size_t err_len);

/* The top object. */
const struct pl_node *pl_root(const struct pl_doc *p);

void pl_free(struct pl_doc *p);

/* The value of KEY in DICT, NULL when DICT is no dictionary or lacks it
 * (of a key given twice, the last, as Apple's reader keeps). */
const struct pl_node *pl_get(const struct pl_node *dict, const char *key);

/* The string, NULL when N is not a string. */
const char *pl_str(const struct pl_node *n);

/* An integer (or a boolean, as 0 and 1) into *OUT: 0, or -1 when N is
 * neither, or an integer beyond long long. */
int pl_int(const struct pl_node *n, long long *out);

/* A boolean (or an integer, non-zero being true) into *OUT: 0, or -1. */
int pl_bool(const struct pl_node *n, int *out);

/* Seconds since 1970 of a date, or of an integer or real taken as such
 * (some preferences keep times that way): 0, or -1. */
int pl_time(const struct pl_node *n, double *out);

#endif
