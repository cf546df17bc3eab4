/* SPDX-License-Identifier: Apache-2.0 */
/*
 * os: the few things the agent's service needs of the OS that are not facts
 * about the device (those are probe.h's): random bytes, giving up
 * privileges, where its files live, the log, and loading a library. One
 * implementation per OS (platform/OS/system.c), with the paths and library
 * names in platform/OS/osdefs.h, which the build puts on the include path.
 *
 * The sandboxes are here too, each in its own header for its own process:
 * confine.h (the evaluation worker) and sandbox.h (the network process).
 */
#ifndef POSTURE_OS_H
#define POSTURE_OS_H

#include <stddef.h>

#include "osdefs.h"

/* LEN random bytes from the OS's generator, without blocking (for jitter,
 * never for keys). 0, or -1 when it has none ready. */
int os_random(void *buf, size_t len);

/* Gives the heap's free pages back to the OS (after an evaluation, whose
 * peak the long-lived service need not keep). */
void os_release_memory(void);

/* Privileges this process holds that programs it starts must not inherit
 * (Linux: the ambient capabilities systemd grants the service). */
void os_drop_inheritable_privileges(void);

/* The directory of the running program, into OUT. 0, or -1 when unknown. */
int os_program_dir(char *out, size_t out_len);

/* The log: one line of PROGRAM's at syslog PRIORITY (LOG_ERR, ...). On
 * Linux stderr, with the journal's "<N>" prefix when stderr is the journal
 * (systemd.exec(5)'s JOURNAL_STREAM), else "PROGRAM: error: ". */
void os_log_line(int priority, const char *program, const char *line);

/* LINE for a person at a console, on standard error: "PROGRAM: error: LINE"
 * (platform/logline.c; os_log_line uses it where the log is no system's). */
void os_log_console(int priority, const char *program, const char *line);

/* Whether os_log_line writes to the system's log (decided once; call it
 * before a sandbox forbids what deciding needs). */
int os_log_is_system(void);

/* A shared library by name (OS_LIBCRYPTO), and a symbol in it; NULL with a
 * sentence in ERR when it cannot be loaded. */
void *os_library_open(const char *name, char *err, size_t err_len);
void *os_library_symbol(void *lib, const char *symbol);

#endif
