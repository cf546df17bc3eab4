/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screenlock (Windows): how soon each user's idle session ends at a
 * password prompt, for every user with a profile, signed in or not.
 *
 * Users: HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList\SID
 * for local and domain accounts (S-1-5-21-*, and Entra ID's S-1-12-1-*),
 * ProfileImagePath naming the profile. A signed-in user's registry is
 * loaded at HKU\SID; another's is read from its NTUSER.DAT with
 * RegLoadAppKeyW, read-only and private to this process, or where that
 * gives no readable key (Wine's RegLoadAppKeyW is a stub), mounted for the
 * read at HKU\Posture-SID with RegLoadKeyW (SYSTEM's backup and restore
 * privileges) and unmounted again.
 *
 * Three paths end at the sign-in screen; the shortest one counts:
 *   1. the screen saver, when it is on (ScreenSaveActive 1), secure
 *      (ScreenSaverIsSecure 1) and one is chosen (SCRNSAVE.EXE), after
 *      ScreenSaveTimeOut seconds: the user's Control Panel\Desktop, each
 *      value overridden by Software\Policies\Microsoft\Windows\Control
 *      Panel\Desktop (group policy: "Password protect the screen saver",
 *      "Screen saver timeout"; without a chosen screen saver the timeout
 *      "has no effect", as the policy's own text says);
 *   2. the machine inactivity limit, for everyone: HKLM\SOFTWARE\Microsoft\
 *      Windows\CurrentVersion\Policies\System\InactivityTimeoutSecs
 *      ("Interactive logon: Machine inactivity limit");
 *   3. the display turning off with sign-in required on wake, in the active
 *      power scheme: "Turn off display after" (VIDEOIDLE, seconds, 0 never)
 *      and "Require a password on wakeup" (CONSOLELOCK), each from the
 *      power policy (HKLM\SOFTWARE\Policies\Microsoft\Power\PowerSettings\
 *      SETTING) over the scheme's own value over the setting's default for
 *      the scheme (HKLM\SYSTEM\CurrentControlSet\Control\Power\...). A
 *      machine on battery and on mains has two values; the longer counts.
 * The Windows screen lock has no grace after the prompt: lock_delay is 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "probeset.h"
#include "registry.h"

#define PROFILES "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList"
#define DESKTOP "Control Panel\\Desktop"
#define DESKTOP_POLICY "Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop"
#define SYSTEM_POLICY "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System"
#define POWER "SYSTEM\\CurrentControlSet\\Control\\Power"
#define POWER_POLICY "SOFTWARE\\Policies\\Microsoft\\Power\\PowerSettings"
#define SUB_VIDEO "7516b95f-f776-4464-8c53-06167f40cc99"
#define VIDEOIDLE "3c0bc021-c8a8-4e07-a973-6b14cbcb2b7e"
#define SUB_NONE "fea3413e-7e05-4911-9a71-700331f1c294"
#define CONSOLELOCK "0e796bdb-100d-47d6-a2d5-f7d2daa51f51"

/* A power setting's value on mains (AC) and battery (DC): the policy's,
 * else the active scheme's, else the scheme's default. 0, or -ENOENT. */
static int power_setting(const char *scheme, const char *sub, const char *setting,
                         unsigned long *ac, unsigned long *dc, const char **from)
{
	char path[400];
	int have_ac, have_dc;

	snprintf(path, sizeof(path), POWER_POLICY "\\%s", setting);
	have_ac = reg_dword(HKEY_LOCAL_MACHINE, path, "ACSettingIndex", 0, ac) == 0;
	have_dc = reg_dword(HKEY_LOCAL_MACHINE, path, "DCSettingIndex", 0, dc) == 0;
	if (have_ac || have_dc) {
		if (!have_ac)
			*ac = *dc;
		if (!have_dc)
			*dc = *ac;
		*from = "power policy";
		return 0;
	}
	snprintf(path, sizeof(path), POWER "\\User\\PowerSchemes\\%s\\%s\\%s", scheme, sub,
	         setting);
	have_ac = reg_dword(HKEY_LOCAL_MACHINE, path, "ACSettingIndex", 0, ac) == 0;
	have_dc = reg_dword(HKEY_LOCAL_MACHINE, path, "DCSettingIndex", 0, dc) == 0;
	snprintf(path, sizeof(path), POWER "\\PowerSettings\\%s\\%s\\DefaultPowerSchemeValues\\%s",
	         sub, setting, scheme);
	if (!have_ac)
		have_ac = reg_dword(HKEY_LOCAL_MACHINE, path, "ACSettingIndex", 0, ac) == 0;
	if (!have_dc)
		have_dc = reg_dword(HKEY_LOCAL_MACHINE, path, "DCSettingIndex", 0, dc) == 0;
	if (!have_ac && !have_dc)
		return -ENOENT;
	if (!have_ac)
		*ac = *dc;
	if (!have_dc)
		*dc = *ac;
	*from = "power scheme";
	return 0;
}

/* The display-off path, the same for every user: seconds, or 0 when it
 * does not end at a password. */
static long long display_path(char *why, size_t why_len)
{
	char scheme[64];
	unsigned long idle_ac, idle_dc, lock_ac, lock_dc;
	const char *idle_from = NULL, *lock_from = NULL;
	unsigned long worst;

	if (reg_string(HKEY_LOCAL_MACHINE, POWER "\\User\\PowerSchemes", "ActivePowerScheme", 0,
	               scheme, sizeof(scheme)) != 0)
		return 0;
	if (power_setting(scheme, SUB_VIDEO, VIDEOIDLE, &idle_ac, &idle_dc, &idle_from) != 0 ||
	    power_setting(scheme, SUB_NONE, CONSOLELOCK, &lock_ac, &lock_dc, &lock_from) != 0)
		return 0;
	/* both power states must end at the prompt; the longer one counts */
	if (idle_ac == 0 || idle_dc == 0 || lock_ac == 0 || lock_dc == 0)
		return 0;
	worst = idle_ac > idle_dc ? idle_ac : idle_dc;
	snprintf(why, why_len, "display off after %lus, sign-in on wake (%s)", worst, idle_from);
	return (long long)worst;
}

/* Screen saver value NAME: the policy's if it sets it, else the user's. */
static int saver_value(HKEY root, const char *prefix, const char *name, char *out, size_t len,
                       int *by_policy)
{
	char path[300];

	snprintf(path, sizeof(path), "%s%s", prefix, DESKTOP_POLICY);
	if (reg_string(root, path, name, 0, out, len) == 0) {
		*by_policy = 1;
		return 0;
	}
	snprintf(path, sizeof(path), "%s%s", prefix, DESKTOP);
	*by_policy = 0;
	return reg_string(root, path, name, 0, out, len) == 0 ? 0 : -ENOENT;
}

/* The screen saver path of the hive at ROOT\PREFIX: seconds, or 0. */
static long long saver_path(HKEY root, const char *prefix, char *why, size_t why_len)
{
	char active[16] = "", secure[16] = "", timeout[24] = "", exe[520] = "";
	int p1 = 0, p2 = 0, p3 = 0, p4 = 0;
	long long t;

	if (saver_value(root, prefix, "ScreenSaveActive", active, sizeof(active), &p1) != 0 ||
	    saver_value(root, prefix, "ScreenSaverIsSecure", secure, sizeof(secure), &p2) != 0 ||
	    saver_value(root, prefix, "ScreenSaveTimeOut", timeout, sizeof(timeout), &p3) != 0 ||
	    saver_value(root, prefix, "SCRNSAVE.EXE", exe, sizeof(exe), &p4) != 0)
		return 0;
	if (strcmp(active, "1") != 0 || strcmp(secure, "1") != 0 || exe[0] == '\0')
		return 0;
	t = strtoll(timeout, NULL, 10);
	if (t <= 0)
		return 0;
	snprintf(why, why_len, "secure screen saver after %llds (%s)", t,
	         p1 || p2 || p3 || p4 ? "group policy" : "the user's setting");
	return t;
}

/* Enables PRIVILEGE in this process's token; 0 or -1. */
static int enable_privilege(const wchar_t *privilege)
{
	HANDLE token;
	TOKEN_PRIVILEGES tp;
	int ok;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES, &token))
		return -1;
	tp.PrivilegeCount = 1;
	tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
	ok = LookupPrivilegeValueW(NULL, privilege, &tp.Privileges[0].Luid) &&
	     AdjustTokenPrivileges(token, FALSE, &tp, 0, NULL, NULL) &&
	     GetLastError() == ERROR_SUCCESS;
	CloseHandle(token);
	return ok ? 0 : -1;
}

static int readable(HKEY key)
{
	DWORD n = 0;

	return RegQueryInfoKeyW(key, NULL, NULL, NULL, &n, NULL, NULL, NULL, NULL, NULL, NULL,
	                        NULL) == ERROR_SUCCESS;
}

/* HKU's name for a hive mounted for reading: "Posture-SID". */
static void mount_name(const char *sid, wchar_t *out, int out_len)
{
	char name[160];

	snprintf(name, sizeof(name), "Posture-%s", sid);
	if (MultiByteToWideChar(CP_UTF8, 0, name, -1, out, out_len) <= 0)
		out[0] = L'\0';
}

struct users {
	struct lock_setting *list;
	size_t n, cap;
	long long machine_limit; /* InactivityTimeoutSecs, 0 none */
	long long display;       /* the display-off path, 0 none */
	char display_why[160];
	int oom;
};

static int is_person(const char *sid)
{
	return strncmp(sid, "S-1-5-21-", 9) == 0 || strncmp(sid, "S-1-12-1-", 9) == 0;
}

static int each_profile(void *user, const char *sid)
{
	struct users *u = user;
	struct lock_setting *s;
	char path[300], profile[520] = "", prefix[300];
	HKEY hive = NULL, root;
	int mounted = 0;
	long long best = 0, t;
	char why[160] = "", best_why[160] = "";

	if (!is_person(sid))
		return 0;
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 8;
		struct lock_setting *grown = realloc(u->list, cap * sizeof(*grown));

		if (grown == NULL) {
			u->oom = 1;
			return 1;
		}
		u->list = grown;
		u->cap = cap;
	}
	s = &u->list[u->n++];
	memset(s, 0, sizeof(*s));
	s->uid = -1;
	snprintf(s->desktop, sizeof(s->desktop), "windows");
	snprintf(path, sizeof(path), PROFILES "\\%s", sid);
	reg_string(HKEY_LOCAL_MACHINE, path, "ProfileImagePath", 0, profile, sizeof(profile));
	{
		const char *slash = strrchr(profile, '\\');

		snprintf(s->user, sizeof(s->user), "%s", slash ? slash + 1 : sid);
	}
	/* signed in: the hive is at HKU\SID */
	snprintf(prefix, sizeof(prefix), "%s\\", sid);
	if (reg_exists(HKEY_USERS, sid, 0)) {
		root = HKEY_USERS;
		s->in_session = 1;
	} else {
		char file[600];
		wchar_t wfile[600], mount[128];
		LONG rc;

		snprintf(file, sizeof(file), "%s\\NTUSER.DAT", profile);
		if (profile[0] == '\0' ||
		    MultiByteToWideChar(CP_UTF8, 0, file, -1, wfile, 600) <= 0) {
			snprintf(s->reason, sizeof(s->reason),
			         "the profile has no ProfileImagePath");
			return 0;
		}
		rc = RegLoadAppKeyW(wfile, &hive, KEY_READ, REG_PROCESS_APPKEY, 0);
		if (rc == ERROR_SUCCESS && readable(hive)) {
			root = hive;
			prefix[0] = '\0';
		} else {
			if (rc == ERROR_SUCCESS)
				RegCloseKey(hive);
			hive = NULL;
			mount_name(sid, mount, 128);
			enable_privilege(L"SeBackupPrivilege");
			enable_privilege(L"SeRestorePrivilege");
			/* left mounted by a run that was killed before unmounting it */
			snprintf(prefix, sizeof(prefix), "Posture-%s", sid);
			if (reg_exists(HKEY_USERS, prefix, 0))
				RegUnLoadKeyW(HKEY_USERS, mount);
			rc = RegLoadKeyW(HKEY_USERS, mount, wfile);
			if (rc != ERROR_SUCCESS) {
				snprintf(s->reason, sizeof(s->reason),
				         "its registry (%s) could not be read: Windows error %ld",
				         file, (long)rc);
				return 0;
			}
			root = HKEY_USERS;
			snprintf(prefix, sizeof(prefix), "Posture-%s\\", sid);
			mounted = 1;
		}
	}
	t = saver_path(root, prefix, why, sizeof(why));
	if (t > 0) {
		best = t;
		snprintf(best_why, sizeof(best_why), "%s", why);
	}
	if (u->machine_limit > 0 && (best == 0 || u->machine_limit < best)) {
		best = u->machine_limit;
		snprintf(best_why, sizeof(best_why), "machine inactivity limit %llds (policy)",
		         u->machine_limit);
	}
	if (u->display > 0 && (best == 0 || u->display < best)) {
		best = u->display;
		snprintf(best_why, sizeof(best_why), "%s", u->display_why);
	}
	if (hive != NULL)
		RegCloseKey(hive);
	if (mounted) {
		wchar_t mount[128];

		mount_name(sid, mount, 128);
		RegUnLoadKeyW(HKEY_USERS, mount);
	}
	s->known = 1;
	s->lock_enabled = best > 0;
	s->idle_seconds = best;
	s->lock_delay_seconds = 0;
	snprintf(s->source, sizeof(s->source), "%s",
	         best > 0 ? best_why
	                  : "no screen saver with a password, no inactivity limit, "
	                    "no sign-in when the display wakes");
	return 0;
}

int native_probe_screen_lock(const struct rootfs *root, struct lock_setting **out, size_t *n_out,
                             char *err, size_t err_len)
{
	struct users u;
	unsigned long limit;

	*out = NULL;
	*n_out = 0;
	if (!rootfs_is_host(root)) {
		snprintf(err, err_len,
		         "the Windows registry of another root cannot be read (--root)");
		return -ENOTSUP;
	}
	memset(&u, 0, sizeof(u));
	if (reg_dword(HKEY_LOCAL_MACHINE, SYSTEM_POLICY, "InactivityTimeoutSecs", 0, &limit) == 0)
		u.machine_limit = (long long)limit;
	u.display = display_path(u.display_why, sizeof(u.display_why));
	if (reg_each_subkey(HKEY_LOCAL_MACHINE, PROFILES, 0, each_profile, &u) != 0) {
		snprintf(err, err_len, "HKLM\\" PROFILES " cannot be read");
		return -ENOENT;
	}
	if (u.oom) {
		free(u.list);
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	*out = u.list;
	*n_out = u.n;
	return 0;
}
