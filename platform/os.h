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

/*
 * Whether a directory the agent writes into and reads back from (its state
 * directory, the spool) can be trusted: no one but the agent's own user and
 * the OS's administrators may write to it or own it. FD is the directory
 * PATH, opened with O_DIRECTORY | O_NOFOLLOW. 0, or -1 with a sentence in
 * ERR that names PATH, what is wrong and the fix. POSIX
 * (platform/posix/statedir.c): modes and owners; Windows
 * (platform/win/statedir.c): the ACL (platform/win/secdir.c).
 */
int os_dir_trusted(int fd, const char *path, char *err, size_t err_len);

/* Makes DIR, a state directory, for the agent alone (POSIX: mode 0700;
 * Windows: a protected ACL for SYSTEM and Administrators, secdir.c). One
 * that exists is left as it is, for os_dir_trusted to judge. 0, or -1 with
 * ERR. */
int os_make_private_dir(const char *dir, char *err, size_t err_len);

/*
 * Run as the OS's service manager's service NAME, when it started this
 * process: RUN(ARG) is the service, and STOP() asks it, from another thread,
 * to stop. Returns RUN's exit code once it returned and the manager was told;
 * -1 when the process was not started by the service manager (run RUN
 * directly then). POSIX: always -1 (systemd and launchd start services as
 * plain processes).
 */
int os_service_dispatch(const char *name, int (*run)(void *), void *arg, void (*stop)(void));

/* The folder of the agent's configuration (OS_DATA_DIR), made safe for the
 * service to read from: Windows gives C:\ProgramData\Posture an ACL of
 * its own (secdir.c); POSIX: nothing (the package owns /etc/posture as
 * root). 0, or -1 with ERR. */
int os_protect_data_dir(char *err, size_t err_len);

/* Stops the service NAME if the OS's service manager runs it, and waits
 * (at most 30 s) for its process to end, so that its files can be removed.
 * 0, or -1 with ERR. POSIX: nothing to do (the packages stop the unit
 * before they purge). */
int os_service_stop(const char *name, char *err, size_t err_len);

/*
 * A setting an MDM or the installer manages, by NAME ("CollectorUrl",
 * "CollectorPin", "CollectorCa", "EnrollSecret"). Windows: the REG_SZ
 * values under HKLM\SOFTWARE\Policies\Posture, which the MSI writes from
 * its properties and Group Policy or Intune may set; they come before
 * posture.ini. 1 with the value in OUT, 0 when unset or empty (always, on
 * POSIX, where the configuration file is the only source), -1 with a
 * sentence in ERR when it is there but no string or longer than OUT.
 * os_managed_setting_clear removes one (the enrollment secret, once it is
 * in the state folder): 0, or -1 when it could not be removed.
 */
int os_managed_setting(const char *name, char *out, size_t out_len, char *err, size_t err_len);
int os_managed_setting_clear(const char *name);

#ifdef OS_WORKER_SPAWNED
/* Where a process cannot fork (osdefs.h says so), the evaluation worker is
 * a process started again, and its progress a page shared by name:
 * os_progress_page makes it (NULL when it cannot), os_progress_token
 * writes what the worker is told on its command line, os_progress_inherit
 * lets the next process started (1) or no other (0) inherit it, and
 * os_progress_attach maps it in the worker (NULL when it cannot). */
volatile int *os_progress_page(void);
int os_progress_token(char *out, size_t out_len);
void os_progress_inherit(int on);
volatile int *os_progress_attach(const char *token);
#endif

#endif
