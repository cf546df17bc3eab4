/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen_lock's dconf reading against GSettings itself: for each user of the
 * desktop-gnome fixture (databases made by `dconf compile`, a locked key in
 * the system database, schema defaults), `gsettings get` is run with the
 * user's XDG_CONFIG_HOME, the fixture's schemas in XDG_DATA_DIRS, and the
 * fixture's /etc/dconf bind-mounted over the host's in a private mount
 * namespace (`unshare -m`), and must give the values the probe reads.
 */
#include "testutil.h"

#include "probe.h"

#define FIXTURE "tests/fixtures/roots/desktop-gnome"

static long long gsettings(const char *abs_root, const char *home, const char *schema,
                           const char *key)
{
	char cmd[4096], *out = NULL;
	char *argv[] = { "unshare", "-m", "sh", "-c", cmd, NULL };
	const char *last;
	long long v;

	snprintf(cmd, sizeof(cmd),
	         "mount --bind '%s/etc/dconf' /etc/dconf && XDG_CONFIG_HOME='%s%s/.config' "
	         "XDG_DATA_DIRS='%s/usr/share' GSETTINGS_BACKEND=dconf gsettings get %s %s",
	         abs_root, abs_root, home, abs_root, schema, key);
	if (tu_run(argv, &out, NULL) != 0)
		fail_msg("gsettings failed: %s", cmd);
	out[strcspn(out, "\n")] = '\0';
	last = strrchr(out, ' ');
	last = last ? last + 1 : out;
	v = strcmp(last, "true") == 0    ? 1
	    : strcmp(last, "false") == 0 ? 0
	                                 : strtoll(last, NULL, 10);
	free(out);
	return v;
}

static void gnome_users_as_gsettings_says(void **state)
{
	char abs_root[4096], err[256];
	struct lock_setting *s = NULL;
	struct rootfs *root;
	size_t n = 0, i;
	struct stat st;

	(void)state;
	if (stat("/etc/dconf", &st) != 0)
		fail_msg("/etc/dconf is missing: install dconf-gsettings-backend "
		         "(scripts/install-deps.sh)");
	assert_non_null(realpath(FIXTURE, abs_root));
	assert_int_equal(rootfs_open(&root, FIXTURE, err, sizeof(err)), 0);
	assert_int_equal(probe_screen_lock(root, &s, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 4); /* not the greeter */
	for (i = 0; i < n; i++) {
		const char *prefix = strcmp(s[i].desktop, "cinnamon") == 0 ? "org.cinnamon.desktop"
		                                                           : "org.gnome.desktop";
		char home[128], session[96], saver[96];
		long long idle, enabled, delay;

		assert_true(s[i].known);
		snprintf(home, sizeof(home), "/home/%s", s[i].user);
		snprintf(session, sizeof(session), "%s.session", prefix);
		snprintf(saver, sizeof(saver), "%s.screensaver", prefix);
		idle = gsettings(abs_root, home, session, "idle-delay");
		enabled = gsettings(abs_root, home, saver, "lock-enabled");
		delay = gsettings(abs_root, home, saver, "lock-delay");
		if (idle != s[i].idle_seconds || enabled != s[i].lock_enabled ||
		    delay != s[i].lock_delay_seconds)
			fail_msg(
			    "%s: gsettings says idle-delay %lld, lock-enabled %lld, lock-delay "
			    "%lld; the probe %lld, %d, %lld",
			    s[i].user, idle, enabled, delay, s[i].idle_seconds, s[i].lock_enabled,
			    s[i].lock_delay_seconds);
		print_message(
		    "%s: idle-delay %lld, lock-enabled %lld, lock-delay %lld, as gsettings "
		    "says\n",
		    s[i].user, idle, enabled, delay);
	}
	free(s);
	rootfs_close(root);
}

/* KDE: kreadconfig5 (KConfig itself, with the user's XDG_CONFIG_HOME and the
 * fixture's /etc/xdg as XDG_CONFIG_DIRS) is the oracle for the cascade and
 * its [$i] kiosk locks; kscreenlocker's defaults stand in for unset keys. */
static long long kread(const char *root, const char *xdg_dirs, const char *key, const char *def)
{
	char cmd[4096], *out = NULL;
	char *argv[] = { "sh", "-c", cmd, NULL };
	long long v;

	snprintf(cmd, sizeof(cmd),
	         "XDG_CONFIG_HOME='%s/home/bob/.config' XDG_CONFIG_DIRS='%s' kreadconfig5 --file "
	         "kscreenlockerrc --group Daemon --key %s --default %s",
	         root, xdg_dirs, key, def);
	if (tu_run(argv, &out, NULL) != 0)
		fail_msg("kreadconfig5 failed: %s", cmd);
	out[strcspn(out, "\n")] = '\0';
	v = strcmp(out, "true") == 0 ? 1 : strcmp(out, "false") == 0 ? 0 : strtoll(out, NULL, 10);
	free(out);
	return v;
}

static void kde_as_kreadconfig_says(void **state)
{
	static const struct {
		const char *what, *system_file;
	} cases[] = {
		{ "the fixture's locked [Daemon][$i] group", NULL },
		{ "no system file", "" },
		{ "one key locked", "[Daemon]\nTimeout[$i]=10\n" },
		{ "the whole file locked", "[$i]\n[Daemon]\nAutolock=true\nTimeout=3\n" },
		{ "system values the user overrides", "[Daemon]\nTimeout=2\nLockGrace=0\n" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = tu_mkdtemp(), xdg[4200], err[256];
		char *cp[] = { "cp", "-a", "tests/fixtures/roots/desktop-kde-xfce/.", dir, NULL };
		struct lock_setting *s = NULL;
		struct rootfs *root;
		size_t n = 0, k;
		long long autolock, timeout, grace;

		assert_int_equal(tu_run(cp, NULL, NULL), 0);
		snprintf(xdg, sizeof(xdg), "%s/etc/xdg/kscreenlockerrc", dir);
		if (cases[i].system_file != NULL) {
			unlink(xdg);
			if (cases[i].system_file[0] != '\0')
				tu_write(dir, "etc/xdg/kscreenlockerrc", cases[i].system_file);
		}
		snprintf(xdg, sizeof(xdg), "%s/etc/xdg", dir);
		autolock = kread(dir, xdg, "Autolock", "true");
		timeout = kread(dir, xdg, "Timeout", "5");
		grace = kread(dir, xdg, "LockGrace", "5");
		assert_int_equal(rootfs_open(&root, dir, err, sizeof(err)), 0);
		assert_int_equal(probe_screen_lock(root, &s, &n, err, sizeof(err)), 0);
		for (k = 0; k < n && strcmp(s[k].user, "bob") != 0; k++)
			;
		assert_true(k < n);
		if (s[k].lock_enabled != autolock || s[k].idle_seconds != timeout * 60 ||
		    s[k].lock_delay_seconds != grace)
			fail_msg(
			    "%s: kreadconfig5 says Autolock %lld Timeout %lld LockGrace %lld; the "
			    "probe %d, %llds, %llds",
			    cases[i].what, autolock, timeout, grace, s[k].lock_enabled,
			    s[k].idle_seconds, s[k].lock_delay_seconds);
		print_message("KDE, %s: Autolock %lld, Timeout %lld min, LockGrace %lld s, as "
		              "kreadconfig5 says\n",
		              cases[i].what, autolock, timeout, grace);
		free(s);
		rootfs_close(root);
		tu_rm_rf(dir);
		free(dir);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gnome_users_as_gsettings_says),
		cmocka_unit_test(kde_as_kreadconfig_says),
	};

	return cmocka_run_group_tests_name("screen_lock", tests, NULL, NULL);
}
