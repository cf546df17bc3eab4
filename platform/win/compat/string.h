/* SPDX-License-Identifier: Apache-2.0 */
/*
 * string.h (Windows): MinGW's, plus explicit_bzero (SecureZeroMemory,
 * which the compiler may not remove), in platform/win/posixat.c.
 */
#ifndef POSTURE_WIN_STRING_H
#define POSTURE_WIN_STRING_H

#include_next <string.h>

void explicit_bzero(void *p, size_t n);

#endif
