/* SPDX-License-Identifier: Apache-2.0 */
/*
 * statedir: whether a directory the agent writes into and reads back from
 * (its state directory, the spool) can be trusted. Anyone who can write
 * there can plant a link the agent would follow, or a policy it would
 * take: a spool symlink once made root write a report elsewhere, and
 * policy.ini -> /etc/shadow put shadow's user names in the log.
 *
 * This module never creates or changes anything.
 */
#ifndef POSTURE_STATEDIR_H
#define POSTURE_STATEDIR_H

#include <stddef.h>

/* FD is the directory PATH, opened with O_DIRECTORY | O_NOFOLLOW (so PATH
 * itself is no symbolic link): 0 when it can be trusted, else -1 with a
 * sentence in ERR that names PATH, what is wrong and the fix. The rule is
 * the OS's (os_dir_trusted, platform/os.h): on POSIX no group or other
 * write bit, and an owner that is this process's user, root, or, for a
 * process running as root, a system account (uid below 1000: the service's
 * user, as systemd's StateDirectory makes it); on Windows an ACL that lets
 * no one but SYSTEM and Administrators write or own it. */
int statedir_trusted(int fd, const char *path, char *err, size_t err_len);

/* Opens PATH as above and checks it: 0, or -1 with ERR. */
int statedir_check(const char *path, char *err, size_t err_len);

/*
 * The collector's signed policy in force in STATE_DIR, as the service
 * stored it once verified (policy.ini, with its record policy.json
 * {version, etag}): 1 with its PATH, *VERSION and ETAG (may be NULL), or 0
 * when there is none (never fetched, or unreadable). posture check and
 * status judge by it, as the service does, when no --policy is given.
 */
int statedir_collector_policy(const char *state_dir, char *path, size_t path_len,
                              long long *version, char *etag, size_t etag_len);

#endif
