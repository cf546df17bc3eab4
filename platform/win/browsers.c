/* SPDX-License-Identifier: Apache-2.0 */
/*
 * browsers (Windows): every installation of Chrome, Edge, Firefox, Brave,
 * Opera and Vivaldi, machine-wide and per user.
 *
 * Where an installation is found:
 *   - App Paths: HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\
 *     EXE (the default value is the executable's path; both registry views)
 *     and the same key in every user's hive (signed in: HKU\SID), which is
 *     where Windows itself looks the program up;
 *   - each browser's default folders, under Program Files, Program Files
 *     (x86) and every profile's AppData\Local (per-user installs of Chrome,
 *     Brave, Vivaldi and Opera go there and may register nothing in HKLM).
 * What version it is: the executable's own file version resource
 * (VS_FIXEDFILEINFO, GetFileVersionInfoW), which the browser's updater
 * replaces with the binary, so a registry entry left by an old install
 * cannot pass for the installed version. Each executable is reported once.
 *
 * A user writes their own App Paths: only a local path ("C:\...") is
 * followed, never a share or a device ("\\server\...", "\\.\pipe\..."),
 * so the agent, running as SYSTEM, neither waits on the network nor hands a
 * share its credentials; an executable that is a reparse point (a link)
 * is reported without reading it. A user can add an installation this way,
 * never hide one: every installation must be new enough.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "probeset.h"
#include "registry.h"

#define APP_PATHS "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\"
#define PROFILES "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList"

static const struct {
	const char *name, *exe;
	const char *dirs[3]; /* below Program Files, Program Files (x86), AppData\Local */
} known[] = {
	{ "chrome", "chrome.exe", { "Google\\Chrome\\Application", NULL } },
	{ "edge", "msedge.exe", { "Microsoft\\Edge\\Application", NULL } },
	{ "firefox", "firefox.exe", { "Mozilla Firefox", "Firefox Developer Edition", NULL } },
	{ "brave", "brave.exe", { "BraveSoftware\\Brave-Browser\\Application", NULL } },
	{ "opera", "opera.exe", { "Opera", "Programs\\Opera", NULL } },
	{ "vivaldi", "vivaldi.exe", { "Vivaldi\\Application", NULL } },
};

struct found {
	struct browser_install *list;
	size_t n;
	int oom;
};

/* The file version resource of PATH as "a.b.c.d"; 0 or -1. */
static int file_version(const wchar_t *path, char *out, size_t out_len)
{
	DWORD ignored = 0, size = GetFileVersionInfoSizeW(path, &ignored);
	VS_FIXEDFILEINFO *fixed = NULL;
	UINT fixed_len = 0;
	void *data;
	int rc = -1;

	if (size == 0 || size > (1u << 20))
		return -1;
	data = malloc(size);
	if (data != NULL && GetFileVersionInfoW(path, 0, size, data) &&
	    VerQueryValueW(data, L"\\", (void **)&fixed, &fixed_len) && fixed != NULL &&
	    fixed_len >= sizeof(*fixed) && fixed->dwSignature == 0xFEEF04BD) {
		snprintf(out, out_len, "%lu.%lu.%lu.%lu",
		         (unsigned long)HIWORD(fixed->dwFileVersionMS),
		         (unsigned long)LOWORD(fixed->dwFileVersionMS),
		         (unsigned long)HIWORD(fixed->dwFileVersionLS),
		         (unsigned long)LOWORD(fixed->dwFileVersionLS));
		rc = 0;
	}
	free(data);
	return rc;
}

/* Adds the installation at PATH (UTF-8) of browser K, once. */
static void add(struct found *f, size_t k, const char *path, const char *source)
{
	struct browser_install *b;
	wchar_t wpath[600];
	DWORD attr;

	if (!(((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z')) &&
	      path[1] == ':' && path[2] == '\\'))
		return; /* not a local path */
	if (MultiByteToWideChar(CP_UTF8, 0, path, -1, wpath, 600) <= 0)
		return;
	attr = GetFileAttributesW(wpath);
	if (attr == INVALID_FILE_ATTRIBUTES || (attr & FILE_ATTRIBUTE_DIRECTORY))
		return; /* a registration left behind: nothing installed there */
	for (size_t i = 0; i < f->n; i++)
		if (_stricmp(f->list[i].path, path) == 0)
			return;
	b = browser_list_add(&f->list, &f->n);
	if (b == NULL) {
		f->oom = 1;
		return;
	}
	snprintf(b->name, sizeof(b->name), "%s", known[k].name);
	snprintf(b->source, sizeof(b->source), "%s", source);
	snprintf(b->path, sizeof(b->path), "%s", path);
	if ((attr & FILE_ATTRIBUTE_REPARSE_POINT) ||
	    file_version(wpath, b->version, sizeof(b->version)) != 0)
		b->version[0] = '\0'; /* the judge says it could not tell */
}

/* The App Paths entries of ROOT\PREFIX (a hive) for every browser. */
static void app_paths(struct found *f, HKEY root, const char *prefix, REGSAM view,
                      const char *source)
{
	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
		char key[400], path[520];

		snprintf(key, sizeof(key), "%s" APP_PATHS "%s", prefix, known[k].exe);
		if (reg_string(root, key, "", view, path, sizeof(path)) != 0 || path[0] == '\0')
			continue;
		/* the value may be quoted */
		if (path[0] == '"') {
			char *end = strchr(path + 1, '"');

			if (end != NULL)
				*end = '\0';
			memmove(path, path + 1, strlen(path));
		}
		add(f, k, path, source);
	}
}

/* The default folders below DIR (a Program Files or a profile's
 * AppData\Local) for every browser. */
static void folders(struct found *f, const char *dir, const char *source)
{
	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
		for (int d = 0; d < 3 && known[k].dirs[d] != NULL; d++) {
			char path[600];

			snprintf(path, sizeof(path), "%s\\%s\\%s", dir, known[k].dirs[d],
			         known[k].exe);
			add(f, k, path, source);
		}
}

static int each_profile(void *user, const char *sid)
{
	struct found *f = user;
	char key[300], profile[520], local[600], prefix[200];

	if (strncmp(sid, "S-1-5-21-", 9) != 0 && strncmp(sid, "S-1-12-1-", 9) != 0)
		return 0;
	snprintf(key, sizeof(key), PROFILES "\\%s", sid);
	if (reg_string(HKEY_LOCAL_MACHINE, key, "ProfileImagePath", 0, profile, sizeof(profile)) ==
	    0) {
		snprintf(local, sizeof(local), "%s\\AppData\\Local", profile);
		folders(f, local, "user");
	}
	/* a signed-in user's own App Paths */
	snprintf(prefix, sizeof(prefix), "%s\\", sid);
	if (reg_exists(HKEY_USERS, sid, 0))
		app_paths(f, HKEY_USERS, prefix, 0, "user");
	return f->oom;
}

int native_probe_browsers(const struct rootfs *root, struct browser_install **out, size_t *n_out,
                          char *err, size_t err_len)
{
	struct found f;
	char dir[520];

	*out = NULL;
	*n_out = 0;
	if (!rootfs_is_host(root)) {
		snprintf(err, err_len,
		         "the Windows registry of another root cannot be read (--root)");
		return -ENOTSUP;
	}
	memset(&f, 0, sizeof(f));
	app_paths(&f, HKEY_LOCAL_MACHINE, "", KEY_WOW64_64KEY, "machine");
	app_paths(&f, HKEY_LOCAL_MACHINE, "", KEY_WOW64_32KEY, "machine");
	{
		static const char *const envs[] = { "ProgramW6432", "ProgramFiles",
			                            "ProgramFiles(x86)" };

		for (size_t i = 0; i < 3; i++) {
			DWORD n = GetEnvironmentVariableA(envs[i], dir, sizeof(dir));

			if (n > 0 && n < sizeof(dir))
				folders(&f, dir, "machine");
		}
	}
	reg_each_subkey(HKEY_LOCAL_MACHINE, PROFILES, 0, each_profile, &f);
	if (f.oom) {
		free(f.list);
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	*out = f.list;
	*n_out = f.n;
	return 0;
}
