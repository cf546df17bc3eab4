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
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		char home[128];
		long long idle, enabled, delay;

		assert_true(s[i].known);
		snprintf(home, sizeof(home), "/home/%s", s[i].user);
		idle = gsettings(abs_root, home, "org.gnome.desktop.session", "idle-delay");
		enabled =
		    gsettings(abs_root, home, "org.gnome.desktop.screensaver", "lock-enabled");
		delay = gsettings(abs_root, home, "org.gnome.desktop.screensaver", "lock-delay");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gnome_users_as_gsettings_says),
	};

	return cmocka_run_group_tests_name("screen_lock", tests, NULL, NULL);
}
