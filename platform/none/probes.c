/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probes (none): every probe of probe.h as a stub that answers
 * PROBE_UNSUPPORTED, "not supported on this OS". The platform-less build
 * (make PLATFORM=none) links the three programs with these alone, which
 * proves that nothing above platform/ needs an OS's own code; a new port
 * starts from a copy of this file and replaces one stub at a time.
 */
#include <stdio.h>

#include "probe.h"

static int unsupported(char *err, size_t err_len)
{
	if (err != NULL && err_len > 0)
		snprintf(err, err_len, "%s", PROBE_UNSUPPORTED_TEXT);
	return PROBE_UNSUPPORTED;
}

int probe_os_info(const struct rootfs *root, struct os_info *out, char *err, size_t err_len)
{
	(void)root;
	(void)out;
	return unsupported(err, err_len);
}

int probe_machine_id(const struct rootfs *root, unsigned char id[16])
{
	(void)root;
	(void)id;
	return PROBE_UNSUPPORTED;
}

const char *probe_pkg_system(const struct rootfs *root)
{
	(void)root;
	return NULL;
}

int probe_packages(const struct rootfs *root, const char *system, struct pkg_query *queries,
                   size_t n_queries, char *err, size_t err_len)
{
	(void)root;
	(void)system;
	(void)queries;
	(void)n_queries;
	return unsupported(err, err_len);
}

int probe_os_patch(const struct rootfs *root, struct patch_state *out, char *err, size_t err_len)
{
	(void)root;
	(void)out;
	return unsupported(err, err_len);
}

int probe_browsers(const struct rootfs *root, struct browser_install **out, size_t *n_out,
                   char *err, size_t err_len)
{
	(void)root;
	*out = NULL;
	*n_out = 0;
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

int probe_screen_lock(const struct rootfs *root, struct lock_setting **out, size_t *n_out,
                      char *err, size_t err_len)
{
	(void)root;
	*out = NULL;
	*n_out = 0;
	return unsupported(err, err_len);
}

int probe_auto_updates(const struct rootfs *root, struct update_automation *out, char *err,
                       size_t err_len)
{
	(void)root;
	(void)out;
	return unsupported(err, err_len);
}

int probe_firewall(const struct rootfs *root, struct firewall_state *out, char *err, size_t err_len)
{
	(void)root;
	(void)out;
	return unsupported(err, err_len);
}

int probe_secure_boot(const struct rootfs *root, struct boot_state *out, char *err, size_t err_len)
{
	(void)root;
	(void)out;
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

int probe_file_lines(const struct rootfs *root, const char *path,
                     int (*fn)(void *user, const char *line, size_t len, long line_no), void *user,
                     char *err, size_t err_len)
{
	(void)root;
	(void)path;
	(void)fn;
	(void)user;
	return unsupported(err, err_len);
}

int probe_file_stat(const struct rootfs *root, const char *path, struct stat *st)
{
	(void)root;
	(void)path;
	(void)st;
	return PROBE_UNSUPPORTED;
}

int probe_fix(const char *topic, const struct fix_args *args, char *out, size_t out_len)
{
	(void)topic;
	(void)args;
	(void)out;
	(void)out_len;
	return -1;
}
