/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sandbox (none): no user to drop to and no system-call filter. The network
 * process runs as it was started; *WHO says so, and posture-net logs it.
 */
#include "sandbox.h"

#include <stdio.h>

int sandbox_drop_user(const char *user, char *who, size_t who_len, char *err, size_t err_len)
{
	(void)user;
	(void)err;
	(void)err_len;
	snprintf(who, who_len, "the starting user (no sandbox on this OS)");
	return 0;
}

int sandbox_enter(char *err, size_t err_len)
{
	(void)err;
	(void)err_len;
	return 0;
}
