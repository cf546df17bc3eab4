/* SPDX-License-Identifier: Apache-2.0 */
/*
 * compat (macOS): the few Linux and glibc calls the portable code uses that
 * macOS's libc lacks, given in its own terms. Included before everything
 * (-include, the Makefile's macOS block). NOT BUILT ON THIS PROJECT'S CI:
 * no Mac (README.md, "What was not run here").
 */
#ifndef POSTURE_MACOS_COMPAT_H
#define POSTURE_MACOS_COMPAT_H

#define __STDC_WANT_LIB_EXT1__ 1 /* memset_s */

#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* memset_s is not optimised away (C11 Annex K, which macOS has) */
static inline void posture_explicit_bzero(void *p, size_t n)
{
	(void)memset_s(p, n, 0, n);
}
#define explicit_bzero posture_explicit_bzero

/* pipe2: pipe, then the flags on both ends (not atomic, as macOS offers
 * no way; the agent makes its pipes before it starts any thread) */
static inline int posture_pipe2(int fds[2], int flags)
{
	if (pipe(fds) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		if ((flags & O_CLOEXEC) && fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0)
			goto fail;
		if ((flags & O_NONBLOCK) &&
		    fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK) != 0)
			goto fail;
	}
	return 0;
fail:
	close(fds[0]);
	close(fds[1]);
	return -1;
}
#define pipe2 posture_pipe2

/* only posture status's short-lived client socket asks for it */
#ifndef SOCK_CLOEXEC
#define SOCK_CLOEXEC 0
#endif

/* a read-ahead hint, nothing more */
#define posix_fadvise(fd, off, len, advice) 0
#ifndef POSIX_FADV_SEQUENTIAL
#define POSIX_FADV_SEQUENTIAL 0
#endif

#endif
