/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rpmheader: reads the name, epoch, version, release and architecture out of
 * an rpm header blob, as rpm's databases store them (the "immutable region"
 * layout of rpm's header.c: entry count, data length, 16-byte big-endian
 * index entries, then the data store). Every offset is bounds-checked: a
 * blob from a damaged or hostile database is refused, never trusted.
 */
#ifndef POSTURE_RPMHEADER_H
#define POSTURE_RPMHEADER_H

#include <stddef.h>

struct rpm_nevra {
	char name[256];
	char epoch[16]; /* "" when the package has none */
	char version[128];
	char release[128];
	char arch[32];
};

/* 0, or -1 when BLOB is malformed or lacks a name, version or release. */
int rpmheader_parse(const unsigned char *blob, size_t len, struct rpm_nevra *out);

#endif
