/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probeset: which system's probes answer probe.h for a root.
 *
 * Each OS's folder defines its probes as native_probe_* (platform/linux/,
 * platform/win/, platform/none/); platform/darwin/ defines macOS's as
 * darwin_probe_*, built on every OS, since they read only files through
 * the root (property lists, and captured command output where a fact is
 * behind a command). platform/probeset.c defines probe.h's probe_*: a root
 * given with --root that holds a Mac's
 * System/Library/CoreServices/SystemVersion.plist is a Mac's disk, read by
 * the darwin set; any other root, and the running system always, by the
 * native set. The running system is never taken for a Mac by what is on
 * its disk: on Windows any user may create C:\System, and a folder there
 * must not switch the agent to probes that read files the user wrote.
 */
#ifndef POSTURE_PROBESET_H
#define POSTURE_PROBESET_H

#include "probe.h"

/* Whether ROOT is a Mac's disk given with --root (see above). */
int probeset_is_darwin(const struct rootfs *root);

/* The root an evaluation judges, for probe_fix (which takes none): its
 * fix texts are the OS's of that root. The engine sets it as it starts. */
void probeset_use(const struct rootfs *root);

int native_probe_fix(const char *topic, const struct fix_args *args, char *out, size_t out_len);
int darwin_probe_fix(const char *topic, const struct fix_args *args, char *out, size_t out_len);

/* The running OS's probes (platform/OS/). */
int native_probe_os_info(const struct rootfs *root, struct os_info *out, char *err, size_t err_len);
int native_probe_machine_id(const struct rootfs *root, unsigned char id[16]);
const char *native_probe_pkg_system(const struct rootfs *root);
int native_probe_packages(const struct rootfs *root, const char *system, struct pkg_query *queries,
                          size_t n_queries, char *err, size_t err_len);
int native_probe_os_patch(const struct rootfs *root, struct patch_state *out, char *err,
                          size_t err_len);
int native_probe_browsers(const struct rootfs *root, struct browser_install **out, size_t *n_out,
                          char *err, size_t err_len);
int native_probe_disk_encryption(const struct rootfs *root, struct volume **out, size_t *n_out,
                                 char *err, size_t err_len);
int native_probe_screen_lock(const struct rootfs *root, struct lock_setting **out, size_t *n_out,
                             char *err, size_t err_len);
int native_probe_auto_updates(const struct rootfs *root, struct update_automation *out, char *err,
                              size_t err_len);
int native_probe_firewall(const struct rootfs *root, struct firewall_state *out, char *err,
                          size_t err_len);
int native_probe_antivirus(const struct rootfs *root, struct av_state *out, char *err,
                           size_t err_len);
int native_probe_system_integrity(const struct rootfs *root, struct integrity_state *out, char *err,
                                  size_t err_len);
int native_probe_secure_boot(const struct rootfs *root, struct boot_state *out, char *err,
                             size_t err_len);
int native_probe_password_policy(const struct rootfs *root, struct password_state *out, char *err,
                                 size_t err_len);
int native_probe_sysctl(const struct rootfs *root, const char *name, char *value, size_t value_len,
                        char *err, size_t err_len);
int native_probe_processes(const struct rootfs *root,
                           int (*fn)(void *user, const struct proc_entry *p), void *user, char *err,
                           size_t err_len);

/* macOS's, on a Mac's disk (platform/darwin/). */
int darwin_probe_os_info(const struct rootfs *root, struct os_info *out, char *err, size_t err_len);
int darwin_probe_machine_id(const struct rootfs *root, unsigned char id[16]);
const char *darwin_probe_pkg_system(const struct rootfs *root);
int darwin_probe_packages(const struct rootfs *root, const char *system, struct pkg_query *queries,
                          size_t n_queries, char *err, size_t err_len);
int darwin_probe_os_patch(const struct rootfs *root, int fresh, struct patch_state *out, char *err,
                          size_t err_len);
int darwin_probe_browsers(const struct rootfs *root, struct browser_install **out, size_t *n_out,
                          char *err, size_t err_len);
int darwin_probe_disk_encryption(const struct rootfs *root, struct volume **out, size_t *n_out,
                                 char *err, size_t err_len);
int darwin_probe_screen_lock(const struct rootfs *root, struct lock_setting **out, size_t *n_out,
                             char *err, size_t err_len);
int darwin_probe_auto_updates(const struct rootfs *root, struct update_automation *out, char *err,
                              size_t err_len);
int darwin_probe_firewall(const struct rootfs *root, struct firewall_state *out, char *err,
                          size_t err_len);
int darwin_probe_antivirus(const struct rootfs *root, struct av_state *out, char *err,
                           size_t err_len);
int darwin_probe_system_integrity(const struct rootfs *root, struct integrity_state *out, char *err,
                                  size_t err_len);
int darwin_probe_secure_boot(const struct rootfs *root, struct boot_state *out, char *err,
                             size_t err_len);
int darwin_probe_password_policy(const struct rootfs *root, struct password_state *out, char *err,
                                 size_t err_len);
int darwin_probe_sysctl(const struct rootfs *root, const char *name, char *value, size_t value_len,
                        char *err, size_t err_len);
int darwin_probe_processes(const struct rootfs *root,
                           int (*fn)(void *user, const struct proc_entry *p), void *user, char *err,
                           size_t err_len);

#endif
