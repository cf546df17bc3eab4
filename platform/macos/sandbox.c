/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sandbox (macOS): see sandbox.h. The network process runs as the user
 * posture where an admin made one, else nobody, so it can read neither
 * the agent's state nor the users' files, and can never become root
 * again. macOS's sandbox profiles (sandbox_init) are
 * deprecated and undocumented for custom rules, so no system-call filter
 * is added: sandbox_enter does nothing more. NOT BUILT OR RUN ON THIS
 * PROJECT'S CI: no Mac (README.md, "What was not run here").
 */
#include "sandbox.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int sandbox_drop_user(const char *user, char *who, size_t who_len, char *err, size_t err_len)
{
	struct passwd *pw;

	if (geteuid() != 0) {
		pw = getpwuid(geteuid());
		snprintf(who, who_len, "%s", pw ? pw->pw_name : "(unnamed user)");
		return 0;
	}
	pw = getpwnam(user);
	if (pw == NULL)
		pw = getpwnam("nobody");
	if (pw == NULL || pw->pw_uid == 0) {
		snprintf(err, err_len,
		         "neither the %s user nor nobody exists to run the network as", user);
		return -1;
	}
	snprintf(who, who_len, "%s", pw->pw_name);
	/* as root, setgid and setuid set the real, effective and saved ids */
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
		snprintf(err, err_len, "cannot become %s: %s", who, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0 || geteuid() == 0) {
		snprintf(err, err_len, "root could be regained after dropping to %s", who);
		return -1;
	}
	return 0;
}

int sandbox_enter(char *err, size_t err_len)
{
	(void)err;
	(void)err_len;
	return 0;
}
