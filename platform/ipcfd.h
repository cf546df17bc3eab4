/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipcfd: the IPC frames of lib/ipc.h over a blocking file descriptor, for
 * the ends that have no event loop: read() and write() are the platform's.
 */
#ifndef POSTURE_IPCFD_H
#define POSTURE_IPCFD_H

#include <stddef.h>

/* Blocking helpers for the ends that have no loop yet: write a whole frame;
 * read one frame into a malloc'd buffer (*BUF, caller frees). 0 or -1. */
int ipc_write_all(int fd, const char *frame, size_t len);
int ipc_read_frame(int fd, char **buf, size_t *len);

#endif
