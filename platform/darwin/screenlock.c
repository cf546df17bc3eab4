/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/screenlock: how soon each user's screen locks, for every user
 * with a home in /Users that holds Library/Preferences.
 *
 * macOS asks for the password when the screen saver starts or the display
 * sleeps ("Require password after screen saver begins or display is turned
 * off"), after askForPasswordDelay seconds. So:
 *
 *   time to lock = the sooner of the screen saver's idleTime and the
 *                  display's sleep, plus askForPasswordDelay;
 *   an idleTime or display sleep of 0 never comes; both never: no lock.
 *
 * Where each value comes from, first found wins:
 *   idleTime (seconds): the user's managed com.apple.screensaver
 *     (/Library/Managed Preferences/USER/), the Mac's managed one
 *     (/Library/Managed Preferences/), the user's own ByHost file
 *     (~/Library/Preferences/ByHost/com.apple.screensaver.<UUID>.plist,
 *     what "defaults -currentHost" writes; the newest when the home has
 *     several Macs' files);
 *   display sleep (minutes): /Library/Preferences/com.apple.PowerManagement.plist,
 *     "Display Sleep Timer" of each power source ("AC Power", "Battery
 *     Power", "UPS Power", also under "Custom Profile"); the longest
 *     counts, since the Mac may be on any of them;
 *   askForPassword and askForPasswordDelay: the user's managed payload, the
 *     Mac's managed payload; since macOS 10.13 the user's own choice is
 *     not in a preference file but told by sysadminctl -screenLock status
 *     (darwin.h: on the Mac, or captured there), which answers for the
 *     user who ran it: taken for every user without a managed value, and
 *     the source says so.
 * A value that is nowhere leaves the user unknown with the reason, never
 * macOS's default guessed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../probe.h"
#include "../probeset.h"
#include "darwin.h"

#define MANAGED "/Library/Managed Preferences"
#define POWER "/Library/Preferences/com.apple.PowerManagement.plist"

/* A value found, and where. */
struct found {
	int set;
	long long v;
	char from[160];
};

static void take_int(struct found *f, const struct pl_node *dict, const char *key, const char *from)
{
	long long v;

	if (f->set || pl_int(pl_get(dict, key), &v) != 0 || v < 0)
		return;
	f->set = 1;
	f->v = v;
	snprintf(f->from, sizeof(f->from), "%s", from);
}

/* The managed com.apple.screensaver of USER (NULL: the Mac's) into the
 * three values. */
static void managed(const struct rootfs *root, const char *user, struct found *idle,
                    struct found *ask, struct found *delay)
{
	char path[512], err[256];
	struct pl_doc *doc;

	if (user)
		snprintf(path, sizeof(path), MANAGED "/%s/com.apple.screensaver.plist", user);
	else
		snprintf(path, sizeof(path), MANAGED "/com.apple.screensaver.plist");
	if (darwin_plist_read(root, path, &doc, err, sizeof(err)) != 0)
		return;
	take_int(idle, pl_root(doc), "idleTime", path);
	take_int(ask, pl_root(doc), "askForPassword", path);
	take_int(delay, pl_root(doc), "askForPasswordDelay", path);
	pl_free(doc);
}

/* The idleTime of the newest ByHost screensaver file in USER's home. */
static void byhost(const struct rootfs *root, const char *user, struct found *idle)
{
	char dir[512], path[800], best[800] = "", err[256];
	long long newest = -1;
	struct pl_doc *doc;
	struct dirent *de;
	int rc = 0;
	DIR *d;

	if (idle->set)
		return;
	snprintf(dir, sizeof(dir), "/Users/%s/Library/Preferences/ByHost", user);
	d = rootfs_opendir(root, dir, &rc);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		struct stat st;

		if (strncmp(de->d_name, "com.apple.screensaver.", 22) != 0 || l < 28 ||
		    strcmp(de->d_name + l - 6, ".plist") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (rootfs_stat(root, path, &st) == 0 && S_ISREG(st.st_mode) &&
		    (long long)st.st_mtime > newest) {
			newest = (long long)st.st_mtime;
			snprintf(best, sizeof(best), "%s", path);
		}
	}
	closedir(d);
	if (best[0] == '\0' || darwin_plist_read(root, best, &doc, err, sizeof(err)) != 0)
		return;
	take_int(idle, pl_root(doc), "idleTime", best);
	pl_free(doc);
}

/* The longest display sleep, in seconds, of the power sources set. */
static void display_sleep(const struct rootfs *root, struct found *out)
{
	static const char *const sources[] = { "AC Power", "Battery Power", "UPS Power" };
	const struct pl_node *top, *custom;
	struct pl_doc *doc;
	char err[256];

	if (darwin_plist_read(root, POWER, &doc, err, sizeof(err)) != 0)
		return;
	top = pl_root(doc);
	custom = pl_get(top, "Custom Profile");
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		const struct pl_node *at[2] = { pl_get(top, sources[i]),
			                        pl_get(custom, sources[i]) };

		for (size_t k = 0; k < 2; k++) {
			long long minutes;

			if (pl_int(pl_get(at[k], "Display Sleep Timer"), &minutes) != 0 ||
			    minutes < 0)
				continue;
			/* 0 (never) is the longest of all */
			if (!out->set || (out->v != 0 && (minutes == 0 || minutes * 60 > out->v))) {
				out->set = 1;
				out->v = minutes * 60;
				snprintf(out->from, sizeof(out->from), "%s (%s)", POWER,
				         sources[i]);
			}
		}
	}
	pl_free(doc);
}

/* sysadminctl -screenLock status, as found values. 0, or -1 not said. */
static int sysadminctl_lock(const char *text, struct found *ask, struct found *delay)
{
	const char *from = "sysadminctl -screenLock status";
	int on;
	long long d;

	if (darwin_parse_sysadminctl_lock(text, &on, &d) != 0)
		return -1;
	ask->set = delay->set = 1;
	ask->v = on;
	delay->v = d;
	snprintf(ask->from, sizeof(ask->from), "%s", from);
	snprintf(delay->from, sizeof(delay->from), "%s", from);
	return 0;
}

static void judge_user(struct lock_setting *s, struct found idle, struct found sleep,
                       struct found ask, struct found delay, const char *ask_err)
{
	long long soonest = -1;

	if (!ask.set) {
		snprintf(s->reason, sizeof(s->reason),
		         "whether a password is asked is in no profile, and %s", ask_err);
		return;
	}
	if (!idle.set && !sleep.set) {
		snprintf(s->reason, sizeof(s->reason),
		         "no screen saver idle time (ByHost or profile) and no display sleep (%s) "
		         "is set",
		         POWER);
		return;
	}
	if (idle.set && idle.v > 0)
		soonest = idle.v;
	if (sleep.set && sleep.v > 0 && (soonest < 0 || sleep.v < soonest))
		soonest = sleep.v;
	s->known = 1;
	s->lock_enabled = ask.v != 0;
	s->idle_seconds = soonest < 0 ? 0 : soonest;
	s->lock_delay_seconds = delay.set ? delay.v : 0;
	snprintf(s->source, sizeof(s->source), "idle: %s; display: %s; password: %s",
	         idle.set ? idle.from : "not set", sleep.set ? sleep.from : "not set", ask.from);
}

int darwin_probe_screen_lock(const struct rootfs *root, struct lock_setting **out, size_t *n_out,
                             char *err, size_t err_len)
{
	struct found m_idle = { 0 }, m_ask = { 0 }, m_delay = { 0 }, sleep = { 0 };
	struct found c_ask = { 0 }, c_delay = { 0 };
	char ask_err[256] = "", *text = NULL;
	struct lock_setting *list = NULL;
	size_t n = 0, len = 0;
	struct dirent *de;
	int rc = 0;
	DIR *d;

	*out = NULL;
	*n_out = 0;
	managed(root, NULL, &m_idle, &m_ask, &m_delay);
	display_sleep(root, &sleep);
	if (darwin_command_answer(root, DARWIN_SYSADMINCTL_LOCK, 64u << 10, &text, &len, ask_err,
	                          sizeof(ask_err)) == 0) {
		if (sysadminctl_lock(text, &c_ask, &c_delay) != 0)
			snprintf(ask_err, sizeof(ask_err), "%s said nothing known here",
			         darwin_command_line(DARWIN_SYSADMINCTL_LOCK));
		free(text);
	}
	d = rootfs_opendir(root, "/Users", &rc);
	if (d == NULL) {
		snprintf(err, err_len, "/Users: %s", rootfs_strerror(-rc));
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		struct found idle = { 0 }, ask = { 0 }, delay = { 0 };
		char prefs[512];
		struct stat st;
		struct lock_setting *s;

		if (de->d_name[0] == '.' || strcmp(de->d_name, "Shared") == 0 ||
		    strlen(de->d_name) >= sizeof(s->user))
			continue;
		snprintf(prefs, sizeof(prefs), "/Users/%s/Library/Preferences", de->d_name);
		if (rootfs_stat(root, prefs, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		s = realloc(list, (n + 1) * sizeof(*list));
		if (s == NULL) {
			closedir(d);
			free(list);
			return -ENOMEM;
		}
		list = s;
		s = &list[n++];
		memset(s, 0, sizeof(*s));
		snprintf(s->user, sizeof(s->user), "%s", de->d_name);
		s->uid = -1;
		snprintf(s->desktop, sizeof(s->desktop), "aqua");
		managed(root, de->d_name, &idle, &ask, &delay);
		/* the Mac's profile, under the user's */
		if (!idle.set)
			idle = m_idle;
		if (!ask.set) {
			ask = m_ask;
			if (!delay.set)
				delay = m_delay;
		}
		byhost(root, de->d_name, &idle);
		if (!ask.set) {
			ask = c_ask;
			delay = c_delay;
		}
		judge_user(s, idle, sleep, ask, delay, ask_err);
	}
	closedir(d);
	*out = list;
	*n_out = n;
	return 0;
}
