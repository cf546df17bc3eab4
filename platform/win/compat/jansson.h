/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jansson.h (Windows): jansson's, with JSON_INTEGER_FORMAT for the C99
 * printf the build uses (__USE_MINGW_ANSI_STDIO), not the CRT's "I64d".
 */
#ifndef POSTURE_WIN_JANSSON_H
#define POSTURE_WIN_JANSSON_H

#include_next <jansson.h>

#undef JSON_INTEGER_FORMAT
#define JSON_INTEGER_FORMAT "lld"

#endif
