/* SPDX-License-Identifier: Apache-2.0 */
/*
 * time.h (Windows): MinGW's, plus timegm, which the CRT calls _mkgmtime.
 */
#ifndef POSTURE_WIN_TIME_H
#define POSTURE_WIN_TIME_H

#include_next <time.h>

#ifndef timegm
#define timegm _mkgmtime
#endif

#endif
