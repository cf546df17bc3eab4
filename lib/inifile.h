/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inifile: the INI dialect of policies and posture.ini, read exactly as
 * inih release 55 reads it when built as Debian builds it (libinih1: the
 * meson defaults), so that a file means the same on every OS the agent is
 * built for, including those Debian's libinih cannot be built for here.
 *
 * The rules, line by line (a line is what the reader returns):
 *   - on line 1 a UTF-8 byte order mark is skipped; then leading and
 *     trailing white space is dropped;
 *   - an empty line, or one starting with ';' or '#', is skipped;
 *   - a line that began with white space, after a key, continues that key:
 *     the handler is called again with the same name and this value;
 *   - "[name]" starts a section (the text between the brackets as it is,
 *     cut to 49 bytes); without the ']' the line is an error;
 *   - "name = value" or "name : value" (the first '=' or ':') is a key;
 *     name and value are trimmed; anything else is an error;
 *   - an inline comment starts at a ';' that follows white space, in a
 *     value or a section header (not in a continuation line).
 * tests/unit/test_inifile.c checks this against Debian's libinih itself.
 */
#ifndef POSTURE_INIFILE_H
#define POSTURE_INIFILE_H

#include <stddef.h>

#define INIFILE_MAX_LINE 200 /* the reader's buffer, newline and NUL included */

/* Called for each key and continuation; nonzero to go on, 0 marks the
 * line as an error (reading still goes on). */
typedef int (*inifile_handler)(void *user, const char *section, const char *name,
                               const char *value);

/* Like fgets(): one line of at most NUM - 1 bytes into STR; NULL at the end. */
typedef char *(*inifile_reader)(char *str, int num, void *stream);

/* Reads every line of STREAM. 0, or the number of the first line in error. */
int inifile_parse_stream(inifile_reader reader, void *stream, inifile_handler handler, void *user);

/* The same over a NUL-terminated string (lines longer than the buffer are
 * read in pieces, as inih's ini_parse_string reads them). */
int inifile_parse_string(const char *text, inifile_handler handler, void *user);

#endif
