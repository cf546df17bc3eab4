/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What os.h asks of a service manager and of managed settings, on POSIX,
 * where there is nothing to ask: systemd and launchd start a service as a
 * plain process, the packages stop it before they purge and own the
 * configuration's directory, and the configuration file is the only
 * source of settings.
 */
#include <stdio.h>

#include "os.h"

int os_service_dispatch(const char *name, int (*run)(void *), void *arg, void (*stop)(void))
{
	(void)name;
	(void)run;
	(void)arg;
	(void)stop;
	return -1;
}

int os_service_stop(const char *name, char *err, size_t err_len)
{
	(void)name;
	(void)err;
	(void)err_len;
	return 0;
}

int os_protect_data_dir(char *err, size_t err_len)
{
	(void)err;
	(void)err_len;
	return 0;
}

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
