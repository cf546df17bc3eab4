/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sys/socket.h (Windows): Winsock, where the socket calls are.
 */
#ifndef POSTURE_WIN_SYS_SOCKET_H
#define POSTURE_WIN_SYS_SOCKET_H

#include <winsock2.h>

#endif
