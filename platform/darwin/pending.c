/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/pending: the macOS probes not written yet (issue 19), each
 * "not supported on this OS" as platform/none's are, so that a check on a
 * Mac's disk says skip rather than guess. Each moves to a file of its own
 * as it is written against real captured files.
 */
#include "../probe.h"
#include "../probeset.h"

int darwin_probe_secure_boot(const struct rootfs *root, struct boot_state *out, char *err,
                             size_t err_len)
{
	(void)root;
	(void)out;
	return probe_unsupported(err, err_len);
}

int darwin_probe_password_policy(const struct rootfs *root, struct password_state *out, char *err,
                                 size_t err_len)
{
	(void)root;
	(void)out;
	return probe_unsupported(err, err_len);
}

int darwin_probe_sysctl(const struct rootfs *root, const char *name, char *value, size_t value_len,
                        char *err, size_t err_len)
{
	(void)root;
	(void)name;
	(void)value;
	(void)value_len;
	return probe_unsupported(err, err_len);
}

int darwin_probe_processes(const struct rootfs *root,
                           int (*fn)(void *user, const struct proc_entry *p), void *user, char *err,
                           size_t err_len)
{
	(void)root;
	(void)fn;
	(void)user;
	return probe_unsupported(err, err_len);
}
