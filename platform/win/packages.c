/* SPDX-License-Identifier: Apache-2.0 */
/*
 * packages (Windows): installed programs, as Programs and Features lists
 * them, from the Uninstall keys (Microsoft's "Uninstall Registry Key"
 * documentation, Windows Installer):
 *   HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\KEY
 *     in the 64-bit view (arch "x64") and the 32-bit one (WOW6432Node,
 *     arch "x86"), and HKU\SID\Software\...\Uninstall\KEY of every loaded
 *     user hive (arch "user": a per-user install).
 * A query names a program by its key (an MSI's ProductCode, or the name
 * the installer chose, such as "Google Chrome") or by its DisplayName,
 * either compared without regard to case; its version is DisplayVersion.
 * An entry without DisplayVersion has no version to judge and is left out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "probeset.h"
#include "registry.h"

#define UNINSTALL "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall"

struct scan {
	HKEY root;
	char base[300]; /* the Uninstall key's path below ROOT */
	REGSAM view;
	const char *arch;
	struct pkg_query *queries;
	size_t n_queries;
	int oom;
};

static void add(struct scan *s, struct pkg_query *q, const char *version)
{
	if (pkg_query_add(q, version, s->arch, "installed") != 0)
		s->oom = 1;
}

static int each_program(void *user, const char *key)
{
	struct scan *s = user;
	char path[600], display[512] = "", version[128] = "";

	snprintf(path, sizeof(path), "%s\\%s", s->base, key);
	if (reg_string(s->root, path, "DisplayVersion", s->view, version, sizeof(version)) != 0 ||
	    version[0] == '\0')
		return 0;
	reg_string(s->root, path, "DisplayName", s->view, display, sizeof(display));
	for (size_t i = 0; i < s->n_queries; i++) {
		struct pkg_query *q = &s->queries[i];

		if (_stricmp(q->name, key) == 0 || (display[0] && _stricmp(q->name, display) == 0))
			add(s, q, version);
	}
	return s->oom;
}

/* Each loaded user hive's Uninstall key (HKU\S-1-5-21-...; not the
 * "_Classes" halves, nor .DEFAULT and the service accounts, which have no
 * per-user installs worth judging but are read as well). */
static int each_user(void *user, const char *sid)
{
	struct scan *s = user;
	struct scan u = *s;
	size_t len = strlen(sid);

	if (len > 8 && strcmp(sid + len - 8, "_Classes") == 0)
		return 0;
	u.root = HKEY_USERS;
	snprintf(u.base, sizeof(u.base), "%s\\%s", sid, UNINSTALL);
	u.arch = "user";
	reg_each_subkey(HKEY_USERS, u.base, 0, each_program, &u);
	s->oom |= u.oom;
	return s->oom;
}

int native_probe_packages(const struct rootfs *root, const char *system, struct pkg_query *queries,
                          size_t n_queries, char *err, size_t err_len)
{
	struct scan s;

	if (!rootfs_is_host(root) || system == NULL || strcmp(system, "msi") != 0) {
		snprintf(err, err_len,
		         "the Windows registry of another root cannot be read (--root)");
		return -ENOTSUP;
	}
	memset(&s, 0, sizeof(s));
	s.queries = queries;
	s.n_queries = n_queries;
	s.root = HKEY_LOCAL_MACHINE;
	snprintf(s.base, sizeof(s.base), "%s", UNINSTALL);
	s.view = KEY_WOW64_64KEY;
	s.arch = "x64";
	reg_each_subkey(HKEY_LOCAL_MACHINE, UNINSTALL, s.view, each_program, &s);
	s.view = KEY_WOW64_32KEY;
	s.arch = "x86";
	reg_each_subkey(HKEY_LOCAL_MACHINE, UNINSTALL, s.view, each_program, &s);
	s.view = 0;
	reg_each_subkey(HKEY_USERS, "", 0, each_user, &s);
	if (s.oom) {
		pkg_queries_clear(queries, n_queries);
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}
