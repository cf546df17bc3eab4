/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipcfd: whole IPC frames over a blocking file descriptor. See ipcfd.h.
 */
#include "ipcfd.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

int ipc_write_all(int fd, const char *frame, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, frame, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		frame += w;
		len -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, char *buf, size_t len)
{
	while (len > 0) {
		ssize_t r = read(fd, buf, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

int ipc_read_frame(int fd, char **buf, size_t *len)
{
	char head[IPC_HEADER];
	uint32_t plen;
	char *frame;

	if (read_all(fd, head, sizeof(head)) != 0)
		return -1;
	memcpy(&plen, head + 4, 4);
	if (plen > IPC_MAX)
		return -1;
	frame = malloc(IPC_HEADER + (size_t)plen);
	if (frame == NULL)
		return -1;
	memcpy(frame, head, IPC_HEADER);
	if (read_all(fd, frame + IPC_HEADER, plen) != 0) {
		free(frame);
		return -1;
	}
	*buf = frame;
	*len = IPC_HEADER + (size_t)plen;
	return 0;
}
