/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probeset: see probeset.h.
 */
#include "probeset.h"

#include <sys/stat.h>

#define SYSTEM_VERSION "/System/Library/CoreServices/SystemVersion.plist"

/* The running system is a Mac only where the build is macOS's. */
#if defined(__APPLE__)
#define NATIVE_IS_DARWIN 1
#else
#define NATIVE_IS_DARWIN 0
#endif

static const struct rootfs *fix_root;

void probeset_use(const struct rootfs *root)
{
	fix_root = root;
}

int probe_fix(const char *topic, const struct fix_args *args, char *out, size_t out_len)
{
	return probeset_is_darwin(fix_root) ? darwin_probe_fix(topic, args, out, out_len)
	                                    : native_probe_fix(topic, args, out, out_len);
}

int probeset_is_darwin(const struct rootfs *root)
{
	struct stat st;

	if (root == NULL || rootfs_is_host(root))
		return NATIVE_IS_DARWIN;
	return rootfs_stat(root, SYSTEM_VERSION, &st) == 0 && S_ISREG(st.st_mode);
}

int probe_os_info(const struct rootfs *root, struct os_info *out, char *err, size_t err_len)
{
	return probeset_is_darwin(root) ? darwin_probe_os_info(root, out, err, err_len)
	                                : native_probe_os_info(root, out, err, err_len);
}

int probe_machine_id(const struct rootfs *root, unsigned char id[16])
{
	return probeset_is_darwin(root) ? darwin_probe_machine_id(root, id)
	                                : native_probe_machine_id(root, id);
}

const char *probe_pkg_system(const struct rootfs *root)
{
	return probeset_is_darwin(root) ? darwin_probe_pkg_system(root)
	                                : native_probe_pkg_system(root);
}

int probe_packages(const struct rootfs *root, const char *system, struct pkg_query *queries,
                   size_t n_queries, char *err, size_t err_len)
{
	return probeset_is_darwin(root)
	           ? darwin_probe_packages(root, system, queries, n_queries, err, err_len)
	           : native_probe_packages(root, system, queries, n_queries, err, err_len);
}

int probe_os_patch(const struct rootfs *root, struct patch_state *out, char *err, size_t err_len)
{
	return probe_os_patch_fresh(root, 0, out, err, err_len);
}

int probe_os_patch_fresh(const struct rootfs *root, int fresh, struct patch_state *out, char *err,
                         size_t err_len)
{
	return probeset_is_darwin(root) ? darwin_probe_os_patch(root, fresh, out, err, err_len)
	                                : native_probe_os_patch(root, out, err, err_len);
}

int probe_browsers(const struct rootfs *root, struct browser_install **out, size_t *n_out,
                   char *err, size_t err_len)
{
	return probeset_is_darwin(root) ? darwin_probe_browsers(root, out, n_out, err, err_len)
	                                : native_probe_browsers(root, out, n_out, err, err_len);
}

int probe_disk_encryption(const struct rootfs *root, struct volume **out, size_t *n_out, char *err,
                          size_t err_len)
{
	return probeset_is_darwin(root)
	           ? darwin_probe_disk_encryption(root, out, n_out, err, err_len)
	           : native_probe_disk_encryption(root, out, n_out, err, err_len);
}

int probe_screen_lock(const struct rootfs *root, struct lock_setting **out, size_t *n_out,
                      char *err, size_t err_len)
{
	return probeset_is_darwin(root) ? darwin_probe_screen_lock(root, out, n_out, err, err_len)
	                                : native_probe_screen_lock(root, out, n_out, err, err_len);
}

int probe_auto_updates(const struct rootfs *root, struct update_automation *out, char *err,
                       size_t err_len)
{
	return probeset_is_darwin(root) ? darwin_probe_auto_updates(root, out, err, err_len)
	                                : native_probe_auto_updates(root, out, err, err_len);
}

int probe_firewall(const struct rootfs *root, struct firewall_state *out, char *err, size_t err_len)
{
	return probeset_is_darwin(root) ? darwin_probe_firewall(root, out, err, err_len)
	                                : native_probe_firewall(root, out, err, err_len);
}

int probe_antivirus(const struct rootfs *root, struct av_state *out, char *err, size_t err_len)
{
	return probeset_is_darwin(root) ? darwin_probe_antivirus(root, out, err, err_len)
	                                : native_probe_antivirus(root, out, err, err_len);
}

int probe_secure_boot(const struct rootfs *root, struct boot_state *out, char *err, size_t err_len)
{
	return probeset_is_darwin(root) ? darwin_probe_secure_boot(root, out, err, err_len)
	                                : native_probe_secure_boot(root, out, err, err_len);
}

int probe_system_integrity(const struct rootfs *root, struct integrity_state *out, char *err,
                           size_t err_len)
{
	return probeset_is_darwin(root) ? darwin_probe_system_integrity(root, out, err, err_len)
	                                : native_probe_system_integrity(root, out, err, err_len);
}

int probe_password_policy(const struct rootfs *root, struct password_state *out, char *err,
                          size_t err_len)
{
	return probeset_is_darwin(root) ? darwin_probe_password_policy(root, out, err, err_len)
	                                : native_probe_password_policy(root, out, err, err_len);
}

int probe_sysctl(const struct rootfs *root, const char *name, char *value, size_t value_len,
                 char *err, size_t err_len)
{
	return probeset_is_darwin(root)
	           ? darwin_probe_sysctl(root, name, value, value_len, err, err_len)
	           : native_probe_sysctl(root, name, value, value_len, err, err_len);
}

int probe_processes(const struct rootfs *root, int (*fn)(void *user, const struct proc_entry *p),
                    void *user, char *err, size_t err_len)
{
	return probeset_is_darwin(root) ? darwin_probe_processes(root, fn, user, err, err_len)
	                                : native_probe_processes(root, fn, user, err, err_len);
}
