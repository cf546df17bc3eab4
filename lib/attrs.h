/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attrs: compiler attributes every layer uses.
 *
 * POSTURE_PRINTF(F, A): argument F is a printf format and the arguments
 * from A on are what it formats. MinGW's printf is the C99 one when the
 * build asks for it (__USE_MINGW_ANSI_STDIO, as mk/windows.mk does), and
 * gcc must then check formats as GNU's (%zu, %lld), not as msvcrt's.
 */
#ifndef POSTURE_ATTRS_H
#define POSTURE_ATTRS_H

#if defined(__MINGW32__)
#define POSTURE_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#else
#define POSTURE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#endif

#endif
