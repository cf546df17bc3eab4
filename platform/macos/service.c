/* SPDX-License-Identifier: Apache-2.0 */
/*
 * service (macOS): os.h's service-manager questions under launchd
 * (installer/macos/com.posture.agent.plist). launchd runs `posture run` as
 * a plain process and stops it with SIGTERM, which the service handles as
 * on Linux, so there is no dispatcher to hand over to; the state folder is
 * made root's alone (0700) by the package, which os_dir_trusted (POSIX)
 * holds it to. NOT BUILT ON THIS PROJECT'S CI: no Mac.
 */
#include "os.h"

int os_service_dispatch(const char *name, int (*run)(void *), void *arg, void (*stop)(void))
{
	(void)name;
	(void)run;
	(void)arg;
	(void)stop;
	return -1; /* not a dispatcher's: run in this process */
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
