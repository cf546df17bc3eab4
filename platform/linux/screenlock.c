/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: screen lock settings of every user with a graphical session or a
 * desktop's settings in their home, read as the desktop itself would, as
 * root, without D-Bus and without running anything as the user.
 *
 * Users: logind's sessions (the files in /run/systemd/sessions: UID, USER, TYPE x11 or
 * wayland, DESKTOP) and every human account in /etc/passwd (UID 1000 and
 * up, a login shell) with a desktop's settings in its home.
 *
 * GNOME and the dconf desktops (Cinnamon, MATE, Budgie): dconf's own
 * resolution. The profile (/etc/dconf/profile/user, else the user database
 * alone) lists databases, highest priority first; a key locked in a system
 * database (its ".locks" table) ignores every database above the lowest one
 * that locks it; the first database holding the key gives its value; with
 * none, the schema's default from gschemas.compiled.
 *
 * KDE Plasma: kscreenlockerrc's [Daemon] group (Autolock, Timeout in minutes,
 * LockGrace in seconds) over /etc/xdg/kscreenlockerrc, where a [$i] mark
 * makes the system's value win (kiosk mode), and kscreenlocker's defaults.
 * XFCE: xfce4-screensaver's xfconf channel.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../gvdb.h"
#include "../probe.h"
#include "../probeset.h"

struct user {
	char name[64];
	long uid;
	char home[512];
	char desktop[64]; /* from logind, else guessed from the settings found */
	int in_session;
};

struct users {
	struct user *items;
	size_t n;
};

static struct user *user_by_uid(struct users *u, long uid)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		if (u->items[i].uid == uid)
			return &u->items[i];
	return NULL;
}

static struct user *add_user(struct users *u, long uid, const char *name, const char *home)
{
	struct user *x = user_by_uid(u, uid), *grown;

	if (x != NULL)
		return x;
	grown = realloc(u->items, (u->n + 1) * sizeof(*grown));
	if (grown == NULL)
		return NULL;
	u->items = grown;
	x = &u->items[u->n++];
	memset(x, 0, sizeof(*x));
	x->uid = uid;
	snprintf(x->name, sizeof(x->name), "%s", name);
	snprintf(x->home, sizeof(x->home), "%s", home);
	return x;
}

static int exists(const struct rootfs *root, const char *path)
{
	struct stat st;

	return rootfs_stat(root, path, &st) == 0;
}

static void read_passwd(const struct rootfs *root, struct users *u, int humans_with_settings)
{
	char *buf = NULL, *line, *save = NULL;

	if (rootfs_read_file(root, "/etc/passwd", 4 << 20, &buf, NULL) != 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[7], *p = line, path[700];
		long uid;
		size_t i;

		for (i = 0; i < 7 && p != NULL; i++) {
			f[i] = p;
			p = strchr(p, ':');
			if (p != NULL)
				*p++ = '\0';
		}
		if (i < 7)
			continue;
		uid = strtol(f[2], NULL, 10);
		if (humans_with_settings) {
			static const char *const settings[] = {
				"/.config/dconf/user", "/.config/kscreenlockerrc",
				"/.config/xfce4/xfconf/xfce-perchannel-xml/xfce4-screensaver.xml",
				NULL
			};
			int found = 0;

			if (uid < 1000 || uid == 65534 || strstr(f[6], "nologin") != NULL ||
			    strstr(f[6], "/false") != NULL)
				continue;
			for (i = 0; settings[i] != NULL && !found; i++) {
				snprintf(path, sizeof(path), "%s%s", f[5], settings[i]);
				found = exists(root, path);
			}
			if (found)
				add_user(u, uid, f[0], f[5]);
		} else {
			struct user *x = user_by_uid(u, uid);

			if (x != NULL && x->home[0] == '\0') {
				snprintf(x->home, sizeof(x->home), "%s", f[5]);
				if (x->name[0] == '\0')
					snprintf(x->name, sizeof(x->name), "%s", f[0]);
			}
		}
	}
	free(buf);
}

/* logind's graphical sessions. */
static void read_sessions(const struct rootfs *root, struct users *u)
{
	struct dirent *de;
	int err = 0;
	DIR *d = rootfs_opendir(root, "/run/systemd/sessions", &err);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[300], *buf = NULL, *line, *save = NULL;
		char type[32] = "", user[64] = "", desktop[64] = "", class[32] = "user";
		long uid = -1;

		if (de->d_name[0] == '.' || strchr(de->d_name, '.') != NULL)
			continue; /* ".ref" files */
		snprintf(path, sizeof(path), "/run/systemd/sessions/%s", de->d_name);
		if (rootfs_read_file(root, path, 65536, &buf, NULL) != 0)
			continue;
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (strncmp(line, "UID=", 4) == 0)
				uid = strtol(line + 4, NULL, 10);
			else if (strncmp(line, "USER=", 5) == 0)
				snprintf(user, sizeof(user), "%s", line + 5);
			else if (strncmp(line, "TYPE=", 5) == 0)
				snprintf(type, sizeof(type), "%s", line + 5);
			else if (strncmp(line, "DESKTOP=", 8) == 0)
				snprintf(desktop, sizeof(desktop), "%s", line + 8);
			else if (strncmp(line, "CLASS=", 6) == 0)
				snprintf(class, sizeof(class), "%s", line + 6);
		}
		free(buf);
		/* The display manager's greeter has a graphical session too, but
		 * no desktop of its own to lock. */
		if (uid >= 0 && strcmp(class, "user") == 0 &&
		    (strcmp(type, "x11") == 0 || strcmp(type, "wayland") == 0 ||
		     strcmp(type, "mir") == 0)) {
			struct user *x = add_user(u, uid, user, "");

			if (x != NULL) {
				x->in_session = 1;
				if (desktop[0] != '\0')
					snprintf(x->desktop, sizeof(x->desktop), "%s", desktop);
			}
		}
	}
	closedir(d);
}

/* --- dconf --------------------------------------------------------------- */

#define MAX_DBS 8

struct dconf {
	struct gvdb_file dbs[MAX_DBS];
	int is_user[MAX_DBS];
	size_t n;
	struct gvdb_file schemas;
	int have_schemas;
};

/* Opens PATH into DB; a database that is not there has no keys. Any other
 * failure (no permission, a damaged file) is an error: treating an
 * unreadable database as empty would be a guess. */
static int open_db(const struct rootfs *root, const char *path, struct gvdb_file *db, char *err,
                   size_t err_len)
{
	int rc = gvdb_open(root, path, db);

	if (rc == 0 || rc == -ENOENT) {
		if (rc != 0)
			memset(db, 0, sizeof(*db));
		return 0;
	}
	snprintf(err, err_len, "cannot read %s: %s", path,
	         rc == -EBADMSG ? "not a dconf database" : rootfs_strerror(-rc));
	return rc;
}

static int dconf_open(const struct rootfs *root, const struct user *u, struct dconf *dc, char *err,
                      size_t err_len)
{
	char *buf = NULL, *line, *save = NULL, path[800];
	int rc = 0;

	memset(dc, 0, sizeof(*dc));
	if (rootfs_read_file(root, "/etc/dconf/profile/user", 65536, &buf, NULL) != 0) {
		/* No profile: the user's database alone. */
		snprintf(path, sizeof(path), "%s/.config/dconf/user", u->home);
		rc = open_db(root, path, &dc->dbs[0], err, err_len);
		dc->is_user[0] = 1;
		dc->n = 1;
	} else {
		for (line = strtok_r(buf, "\n", &save); line && dc->n < MAX_DBS;
		     line = strtok_r(NULL, "\n", &save)) {
			char *p = line;
			int user = 0;

			while (isspace((unsigned char)*p))
				p++;
			p[strcspn(p, "#\r")] = '\0';
			while (*p && isspace((unsigned char)p[strlen(p) - 1]))
				p[strlen(p) - 1] = '\0';
			if (strncmp(p, "user-db:", 8) == 0) {
				snprintf(path, sizeof(path), "%s/.config/dconf/%s", u->home, p + 8);
				user = 1;
			} else if (strncmp(p, "system-db:", 10) == 0) {
				snprintf(path, sizeof(path), "/etc/dconf/db/%s", p + 10);
			} else if (strncmp(p, "file-db:", 8) == 0) {
				snprintf(path, sizeof(path), "%s", p + 8);
			} else {
				continue; /* service-db: lives in a running process */
			}
			/* A missing database still holds its place (and has no keys). */
			if (rc == 0)
				rc = open_db(root, path, &dc->dbs[dc->n], err, err_len);
			else
				memset(&dc->dbs[dc->n], 0, sizeof(dc->dbs[dc->n]));
			dc->is_user[dc->n] = user;
			dc->n++;
		}
		free(buf);
	}
	dc->have_schemas =
	    gvdb_open(root, "/usr/share/glib-2.0/schemas/gschemas.compiled", &dc->schemas) == 0;
	return rc;
}

static void dconf_close(struct dconf *dc)
{
	size_t i;

	for (i = 0; i < dc->n; i++)
		gvdb_close(&dc->dbs[i]);
	gvdb_close(&dc->schemas);
}

/*
 * The effective value of SCHEMA's KEY at PATH+KEY, as dconf and GSettings
 * compute it. Sets *source to where it came from. 0, or -1 when neither the
 * databases nor the schema know it.
 */
static int dconf_number(struct dconf *dc, const char *schema, const char *path, const char *key,
                        long long *out, const char **source)
{
	char full[512];
	size_t lock_level = 0, i;
	struct gvdb_value v;

	snprintf(full, sizeof(full), "%s%s", path, key);
	for (i = dc->n; i-- > 1;) {
		struct gvdb_table locks;

		if (dc->dbs[i].data != NULL &&
		    gvdb_get_table(&dc->dbs[i].root, ".locks", &locks) == 0 &&
		    gvdb_has(&locks, full)) {
			lock_level = i;
			break;
		}
	}
	for (i = 0; i < dc->n; i++) {
		if (i < lock_level || dc->dbs[i].data == NULL)
			continue;
		if (gvdb_get_value(&dc->dbs[i].root, full, &v) == 0 &&
		    gvdb_value_number(&v, out, NULL) == 0) {
			*source = lock_level > 0   ? "locked system database"
			          : dc->is_user[i] ? "user database"
			                           : "system database";
			return 0;
		}
	}
	if (dc->have_schemas) {
		struct gvdb_table t;

		if (gvdb_get_table(&dc->schemas.root, schema, &t) == 0 &&
		    gvdb_get_value(&t, key, &v) == 0 && gvdb_value_number(&v, out, NULL) == 0) {
			*source = "schema default";
			return 0;
		}
	}
	return -1;
}

struct dconf_desktop {
	const char *match; /* in XDG_CURRENT_DESKTOP / logind's DESKTOP */
	const char *session_schema, *session_path, *idle_key;
	const char *saver_schema, *saver_path;
	int minutes; /* MATE counts minutes */
};

static const struct dconf_desktop dconf_desktops[] = {
	{ "cinnamon", "org.cinnamon.desktop.session", "/org/cinnamon/desktop/session/",
	  "idle-delay", "org.cinnamon.desktop.screensaver", "/org/cinnamon/desktop/screensaver/",
	  0 },
	{ "mate", "org.mate.session", "/org/mate/desktop/session/", "idle-delay",
	  "org.mate.screensaver", "/org/mate/screensaver/", 1 },
	/* GNOME, Ubuntu's GNOME, Budgie, Unity: GNOME's keys. */
	{ "", "org.gnome.desktop.session", "/org/gnome/desktop/session/", "idle-delay",
	  "org.gnome.desktop.screensaver", "/org/gnome/desktop/screensaver/", 0 },
};

static void gnome_like(const struct rootfs *root, const struct user *u, struct lock_setting *s)
{
	const struct dconf_desktop *d = &dconf_desktops[2];
	struct dconf dc;
	long long idle = 0, enabled = 0, delay = 0;
	const char *src_idle = "", *src_enabled = "", *src_delay = "";
	char lower[64];
	size_t i;

	for (i = 0; i < sizeof(lower) - 1 && u->desktop[i]; i++)
		lower[i] = (char)tolower((unsigned char)u->desktop[i]);
	lower[i] = '\0';
	for (i = 0; i + 1 < sizeof(dconf_desktops) / sizeof(dconf_desktops[0]); i++)
		if (strstr(lower, dconf_desktops[i].match) != NULL)
			d = &dconf_desktops[i];
	if (dconf_open(root, u, &dc, s->reason, sizeof(s->reason)) != 0) {
		s->known = 0;
		dconf_close(&dc);
		return;
	}
	if (dconf_number(&dc, d->session_schema, d->session_path, d->idle_key, &idle, &src_idle) !=
	        0 ||
	    dconf_number(&dc, d->saver_schema, d->saver_path, "lock-enabled", &enabled,
	                 &src_enabled) != 0 ||
	    dconf_number(&dc, d->saver_schema, d->saver_path, "lock-delay", &delay, &src_delay) !=
	        0) {
		s->known = 0;
		snprintf(
		    s->reason, sizeof(s->reason),
		    "the settings are neither in dconf's databases nor in a compiled %s schema",
		    d->session_schema);
	} else {
		s->known = 1;
		s->lock_enabled = (int)enabled;
		s->idle_seconds = d->minutes ? idle * 60 : idle;
		s->lock_delay_seconds = d->minutes ? delay * 60 : delay;
		snprintf(s->source, sizeof(s->source),
		         "dconf: idle-delay from %s, lock-enabled from %s", src_idle, src_enabled);
	}
	dconf_close(&dc);
}

/* --- KDE ----------------------------------------------------------------- */

/* kscreenlocker's defaults (kscreenlockersettings.kcfg). */
#define KDE_AUTOLOCK 1
#define KDE_TIMEOUT_MIN 5
#define KDE_GRACE_SEC 5

enum { K_AUTOLOCK, K_TIMEOUT, K_GRACE, K_N };
static const char *const kde_keys[K_N] = { "Autolock", "Timeout", "LockGrace" };

struct kde_values {
	long long v[K_N];
	int set[K_N];
	int immutable[K_N]; /* the system file's [$i]: the user's value is ignored */
};

/* Reads the [Daemon] group of PATH over *v. SYSTEM: marks [$i] keys. */
static void kde_read(const struct rootfs *root, const char *path, struct kde_values *v, int system)
{
	char *buf = NULL, *line, *save = NULL;
	int in_daemon = 0, group_immutable = 0, file_immutable = 0, first = 1;
	size_t k;

	if (rootfs_read_file(root, path, 1 << 20, &buf, NULL) != 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq, *key, *val;
		int key_immutable;

		line[strcspn(line, "\r")] = '\0';
		/* "[$i]" alone before any group locks the whole file. */
		if (first && strcmp(line, "[$i]") == 0) {
			file_immutable = 1;
			first = 0;
			continue;
		}
		first = 0;
		if (line[0] == '[') {
			in_daemon = strncmp(line, "[Daemon]", 8) == 0;
			group_immutable = in_daemon && strstr(line + 8, "[$i]") != NULL;
			continue;
		}
		eq = strchr(line, '=');
		if (!in_daemon || eq == NULL || line[0] == '#')
			continue;
		*eq = '\0';
		key = line;
		val = eq + 1;
		key_immutable = strstr(key, "[$i]") != NULL;
		key[strcspn(key, "[ \t")] = '\0';
		for (k = 0; k < K_N; k++) {
			long long n;

			if (strcmp(key, kde_keys[k]) != 0)
				continue;
			if (!system && v->immutable[k])
				break;
			if (k == K_AUTOLOCK)
				n = strcmp(val, "true") == 0;
			else
				n = strtoll(val, NULL, 10);
			v->v[k] = n;
			v->set[k] = 1;
			if (system && (file_immutable || group_immutable || key_immutable))
				v->immutable[k] = 1;
		}
	}
	/* A locked group or file locks the defaults too. */
	if (system && (file_immutable || group_immutable))
		for (k = 0; k < K_N; k++)
			v->immutable[k] = 1;
	free(buf);
}

static void kde(const struct rootfs *root, const struct user *u, struct lock_setting *s)
{
	struct kde_values v;
	char path[700];

	memset(&v, 0, sizeof(v));
	v.v[K_AUTOLOCK] = KDE_AUTOLOCK;
	v.v[K_TIMEOUT] = KDE_TIMEOUT_MIN;
	v.v[K_GRACE] = KDE_GRACE_SEC;
	kde_read(root, "/etc/xdg/kscreenlockerrc", &v, 1);
	snprintf(path, sizeof(path), "%s/.config/kscreenlockerrc", u->home);
	kde_read(root, path, &v, 0);
	s->known = 1;
	s->lock_enabled = (int)v.v[K_AUTOLOCK];
	s->idle_seconds = v.v[K_TIMEOUT] * 60;
	s->lock_delay_seconds = v.v[K_GRACE];
	snprintf(s->source, sizeof(s->source), "kscreenlockerrc%s%s",
	         v.immutable[K_AUTOLOCK] || v.immutable[K_TIMEOUT] ? " (locked in /etc/xdg)" : "",
	         v.set[K_TIMEOUT] || v.set[K_AUTOLOCK] ? "" : " defaults");
}

/* --- XFCE ---------------------------------------------------------------- */

/* xfconf keeps xfce4-screensaver's settings as nested <property> elements:
 * saver/enabled, saver/idle-activation/delay (minutes), lock/enabled,
 * lock/saver-activation/delay (minutes). */
static int xml_property(const char *xml, const char *group, const char *name, long long *out)
{
	const char *g = strstr(xml, group), *p, *v;
	char needle[96];

	if (g == NULL)
		return -1;
	snprintf(needle, sizeof(needle), "name=\"%s\"", name);
	p = strstr(g, needle);
	if (p == NULL)
		return -1;
	v = strstr(p, "value=\"");
	if (v == NULL || (strchr(p, '>') != NULL && v > strchr(p, '>')))
		return -1;
	v += 7;
	if (strncmp(v, "true", 4) == 0)
		*out = 1;
	else if (strncmp(v, "false", 5) == 0)
		*out = 0;
	else
		*out = strtoll(v, NULL, 10);
	return 0;
}

static void xfce(const struct rootfs *root, const struct user *u, struct lock_setting *s)
{
	char path[800], *xml = NULL;
	long long saver = 1, lock = 1, idle_min = 5, lock_delay_min = 0;

	snprintf(path, sizeof(path),
	         "%s/.config/xfce4/xfconf/xfce-perchannel-xml/xfce4-screensaver.xml", u->home);
	if (rootfs_read_file(root, path, 1 << 20, &xml, NULL) == 0) {
		xml_property(xml, "name=\"saver\"", "enabled", &saver);
		xml_property(xml, "name=\"idle-activation\"", "delay", &idle_min);
		xml_property(xml, "name=\"lock\"", "enabled", &lock);
		xml_property(xml, "name=\"saver-activation\"", "delay", &lock_delay_min);
		free(xml);
	}
	s->known = 1;
	s->lock_enabled = saver && lock;
	s->idle_seconds = saver ? idle_min * 60 : 0;
	s->lock_delay_seconds = lock_delay_min * 60;
	snprintf(s->source, sizeof(s->source), "xfconf xfce4-screensaver");
}

/* --- users and desktops -------------------------------------------------- */

static void lower_copy(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i]; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

int native_probe_screen_lock(const struct rootfs *root, struct lock_setting **out, size_t *n_out,
                             char *err, size_t err_len)
{
	struct users u = { 0 };
	struct lock_setting *list = NULL;
	size_t i;

	(void)err;
	(void)err_len;
	*out = NULL;
	*n_out = 0;
	read_sessions(root, &u);
	read_passwd(root, &u, 0);
	read_passwd(root, &u, 1);
	if (u.n > 0) {
		list = calloc(u.n, sizeof(*list));
		if (list == NULL) {
			free(u.items);
			return -ENOMEM;
		}
	}
	for (i = 0; i < u.n; i++) {
		struct user *x = &u.items[i];
		struct lock_setting *s = &list[i];
		char desktop[64], path[800];

		snprintf(s->user, sizeof(s->user), "%s", x->name);
		s->uid = x->uid;
		s->in_session = x->in_session;
		lower_copy(desktop, sizeof(desktop), x->desktop);
		if (desktop[0] == '\0') {
			/* No session to ask: the settings in the home tell. */
			snprintf(path, sizeof(path), "%s/.config/kscreenlockerrc", x->home);
			if (exists(root, path))
				snprintf(desktop, sizeof(desktop), "kde");
			snprintf(
			    path, sizeof(path),
			    "%s/.config/xfce4/xfconf/xfce-perchannel-xml/xfce4-screensaver.xml",
			    x->home);
			if (desktop[0] == '\0' && exists(root, path))
				snprintf(desktop, sizeof(desktop), "xfce");
			if (desktop[0] == '\0')
				snprintf(desktop, sizeof(desktop), "gnome");
		}
		if (x->home[0] == '\0') {
			snprintf(s->desktop, sizeof(s->desktop), "%s", desktop);
			snprintf(s->reason, sizeof(s->reason),
			         "user %ld has no home in /etc/passwd", x->uid);
			continue;
		}
		if (strstr(desktop, "kde") != NULL || strstr(desktop, "plasma") != NULL) {
			snprintf(s->desktop, sizeof(s->desktop), "kde");
			kde(root, x, s);
		} else if (strstr(desktop, "xfce") != NULL) {
			snprintf(s->desktop, sizeof(s->desktop), "xfce");
			xfce(root, x, s);
		} else if (strstr(desktop, "gnome") != NULL ||
		           strstr(desktop, "cinnamon") != NULL || strstr(desktop, "mate") != NULL ||
		           strstr(desktop, "budgie") != NULL || strstr(desktop, "unity") != NULL ||
		           strstr(desktop, "pantheon") != NULL) {
			snprintf(s->desktop, sizeof(s->desktop), "%s",
			         strstr(desktop, "cinnamon") ? "cinnamon"
			         : strstr(desktop, "mate")   ? "mate"
			                                     : "gnome");
			snprintf(x->desktop, sizeof(x->desktop), "%s", s->desktop);
			gnome_like(root, x, s);
		} else {
			snprintf(s->desktop, sizeof(s->desktop), "%s", desktop);
			snprintf(s->reason, sizeof(s->reason),
			         "the %s desktop's screen lock settings are not read", desktop);
		}
	}
	free(u.items);
	*out = list;
	*n_out = u.n;
	return 0;
}
