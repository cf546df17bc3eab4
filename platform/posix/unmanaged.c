/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What os.h asks of managed settings where an OS keeps none for the agent
 * (Linux): the configuration file is the only source of settings. macOS
 * reads a configuration profile's instead (platform/macos/managed.c).
 */
#include <stdio.h>

#include "os.h"

int os_managed_setting(const char *name, char *out, size_t out_len, char *err, size_t err_len)
{
	(void)name;
	(void)err;
	(void)err_len;
	if (out_len > 0)
		out[0] = '\0';
	return 0;
}

int os_managed_setting_clear(const char *name)
{
	(void)name;
	return 0;
}
