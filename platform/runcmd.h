/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runcmd: runs one program and collects what it says, for the probes whose
 * fact only a command tells (macOS's fdesetup, diskutil, sysadminctl).
 *
 * The program is named by its absolute path and run without a shell, with
 * an empty environment, stdin from /dev/null, in a process group of its
 * own. It has SECONDS to finish: past that the whole group is killed and
 * the run is an error naming the program and the deadline, so nothing a
 * user does to the program (a stuck mount it waits on) stalls the agent.
 * stdout and stderr are read as they come, each kept up to MAX bytes; more
 * than that is an error (the answer would be cut). POSIX only: the Windows
 * probes ask their APIs instead.
 */
#ifndef POSTURE_RUNCMD_H
#define POSTURE_RUNCMD_H

#include <stddef.h>

struct run_result {
	int status; /* its exit status; 128 + N when signal N ended it */
	char *out;  /* stdout, NUL-terminated; free() */
	size_t out_len;
	char *err; /* stderr, likewise */
	size_t err_len;
};

/* 0 with *R filled in (whatever the exit status), or a negative errno
 * with ERR saying what went wrong (-ETIMEDOUT past the deadline, -EFBIG
 * past MAX, -ENOENT when the program is not there). */
int run_command(const char *const argv[], int seconds, size_t max, struct run_result *r, char *err,
                size_t err_len);

#endif
