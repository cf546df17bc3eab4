/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What os.h asks of a service manager on POSIX, where there is nothing to
 * ask: systemd and launchd start a service as a plain process and stop it
 * with SIGTERM, and the packages stop it before they purge and own the
 * configuration's directory.
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
