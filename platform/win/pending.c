/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pending (Windows): the probes the Windows port does not have yet, as the
 * stubs of platform/none (PROBE_UNSUPPORTED, "not supported on this OS"):
 * each goes from here to its own file when it is written (issue 18).
 */
#include <stdio.h>

#include "probe.h"

static int unsupported(char *err, size_t err_len)
{
	if (err != NULL && err_len > 0)
		snprintf(err, err_len, "%s", PROBE_UNSUPPORTED_TEXT);
	return PROBE_UNSUPPORTED;
}

int probe_os_patch(const struct rootfs *root, struct patch_state *out, char *err, size_t err_len)
{
	(void)root;
	(void)out;
	return unsupported(err, err_len);
}

int probe_disk_encryption(const struct rootfs *root, struct volume **out, size_t *n_out, char *err,
                          size_t err_len)
{
	(void)root;
	*out = NULL;
	*n_out = 0;
	return unsupported(err, err_len);
}

int probe_password_policy(const struct rootfs *root, struct password_state *out, char *err,
                          size_t err_len)
{
	(void)root;
	(void)out;
	return unsupported(err, err_len);
}

int probe_sysctl(const struct rootfs *root, const char *name, char *value, size_t value_len,
                 char *err, size_t err_len)
{
	(void)root;
	(void)name;
	(void)value;
	(void)value_len;
	return unsupported(err, err_len);
}

int probe_processes(const struct rootfs *root, int (*fn)(void *user, const struct proc_entry *p),
                    void *user, char *err, size_t err_len)
{
	(void)root;
	(void)fn;
	(void)user;
	return unsupported(err, err_len);
}
