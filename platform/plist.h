/* SPDX-License-Identifier: Apache-2.0 */
/*
 * plist: a bounded reader of Apple property lists, binary ("bplist00") and
 * XML, for the macOS probes (platform/darwin/), which read them through
 * platform/rootfs.h on a Mac or on a Mac's disk mounted anywhere.
 *
 * Read-only: the whole file is parsed into a tree of nodes that live until
 * plist_free. Bounded: at most PLIST_MAX_BYTES of input, PLIST_MAX_DEPTH
 * levels of nesting and PLIST_MAX_NODES nodes; a binary list's objects
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

#define PLIST_MAX_BYTES (16u << 20)
#define PLIST_MAX_DEPTH 64
#define PLIST_MAX_NODES (1u << 20)

enum plist_type {
	PLIST_DICT,
	PLIST_ARRAY,
	PLIST_STRING,  /* UTF-8, NUL-terminated (len without it) */
	PLIST_DATA,    /* bytes, len */
	PLIST_INTEGER, /* i; is_unsigned when above INT64_MAX (u) */
	PLIST_REAL,
	PLIST_BOOL,
	PLIST_DATE, /* seconds since 2001-01-01T00:00:00Z (Apple's epoch) */
	PLIST_UID,  /* NSKeyedArchiver's references (binary only), u */
	PLIST_NULL, /* binary only */
};

struct plist_node {
	enum plist_type type;
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
		const struct plist_node **items;
	} v;
};

struct plist;

/* Parses BUF (LEN bytes), binary or XML by its first bytes. 0 and *OUT
 * (free with plist_free), or -1 with a sentence in ERR naming what is
 * wrong and where. */
int plist_parse(const void *buf, size_t len, struct plist **out, char *err, size_t err_len);

/* The top object. */
const struct plist_node *plist_root(const struct plist *p);

void plist_free(struct plist *p);

/* The value of KEY in DICT, NULL when DICT is no dictionary or lacks it
 * (of a key given twice, the last, as Apple's reader keeps). */
const struct plist_node *plist_get(const struct plist_node *dict, const char *key);

/* The string, NULL when N is not a string. */
const char *plist_str(const struct plist_node *n);

/* An integer (or a boolean, as 0 and 1) into *OUT: 0, or -1 when N is
 * neither, or an integer beyond long long. */
int plist_int(const struct plist_node *n, long long *out);

/* A boolean (or an integer, non-zero being true) into *OUT: 0, or -1. */
int plist_bool(const struct plist_node *n, int *out);

/* Seconds since 1970 of a date, or of an integer or real taken as such
 * (some preferences keep times that way): 0, or -1. */
int plist_time(const struct plist_node *n, double *out);

#endif
