/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signal.h (Windows): MinGW's, plus the numbers of the POSIX signals the
 * agent names and Windows never sends: SIGPIPE (a write to a closed pipe
 * fails with EPIPE instead; ignoring it is a no-op, which the CRT refuses
 * harmlessly) and SIGHUP (libuv's number, uv/win.h).
 */
#ifndef POSTURE_WIN_SIGNAL_H
#define POSTURE_WIN_SIGNAL_H

#include_next <signal.h>

#ifndef SIGPIPE
#define SIGPIPE 13
#endif
#ifndef SIGHUP
#define SIGHUP 1
#endif

#endif
