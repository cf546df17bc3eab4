/*
 * os_patch on apt systems against apt itself: `apt list --upgradable` is the
 * oracle, run on this machine and on the debian12-apt fixture root (through
 * an APT_CONFIG that points apt's Dir at it) under several preferences:
 * as shipped (a held package, a package kept off the security suite), with
 * no pins, with backports pinned up to 500, with APT::Default-Release, and
 * with a pin that forces a downgrade.
 */
#include "testutil.h"

#include "probe.h"
#include "linux/apt.h"

struct upd {
	char line[512]; /* "name candidate security" */
};

static int cmp_line(const void *a, const void *b)
{
	return strcmp(((const struct upd *)a)->line, ((const struct upd *)b)->line);
}

/* Runs apt list --upgradable (with APT_CONFIG=conf when given). */
static size_t apt_oracle(const char *conf, struct upd *out, size_t max)
{
	char *argv[] = { "apt", "list", "--upgradable", NULL };
	char *text = NULL, *line, *save = NULL;
	size_t n = 0;

	if (conf != NULL)
		setenv("APT_CONFIG", conf, 1);
	else
		unsetenv("APT_CONFIG");
	assert_int_equal(tu_run(argv, &text, NULL), 0);
	unsetenv("APT_CONFIG");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[256], suites[256], version[256];
		char *slash = strchr(line, '/'), *s, *ss = NULL;
		int security = 0;

		if (slash == NULL || strstr(line, "[upgradable from:") == NULL)
			continue;
		assert_int_equal(sscanf(line, "%255[^/]/%255s %255s", name, suites, version), 3);
		for (s = strtok_r(suites, ",", &ss); s; s = strtok_r(NULL, ",", &ss)) {
			size_t len = strlen(s);

			if (len > 9 && strcmp(s + len - 9, "-security") == 0)
				security = 1;
		}
		assert_true(n < max);
		snprintf(out[n++].line, sizeof(out[0].line), "%s %s %d", name, version, security);
	}
	free(text);
	qsort(out, n, sizeof(*out), cmp_line);
	return n;
}

static size_t probe(const char *root_dir, struct upd *out, size_t max, size_t *n_security)
{
	struct patch_state ps;
	struct rootfs *root;
	char err[512];
	size_t i;

	assert_int_equal(rootfs_open(&root, root_dir, err, sizeof(err)), 0);
	if (probe_os_patch(root, &ps, err, sizeof(err)) != 0)
		fail_msg("probe_os_patch: %s", err);
	assert_true(ps.n_updates <= max);
	for (i = 0; i < ps.n_updates; i++)
		snprintf(out[i].line, sizeof(out[0].line), "%s %s %d", ps.updates[i].name,
		         ps.updates[i].candidate, ps.updates[i].security);
	qsort(out, ps.n_updates, sizeof(*out), cmp_line);
	*n_security = ps.n_security;
	i = ps.n_updates;

	patch_state_free(&ps);
	rootfs_close(root);
	return i;
}

static void agree(const char *what, const char *root_dir, const char *conf)
{
	static struct upd want[4096], got[4096];
	size_t n_want = apt_oracle(conf, want, 4096), n_sec = 0, i, n_sec_want = 0;
	size_t n_got = probe(root_dir, got, 4096, &n_sec);

	for (i = 0; i < n_want; i++)
		n_sec_want += want[i].line[strlen(want[i].line) - 1] == '1';
	for (i = 0; i < n_want || i < n_got; i++) {
		const char *w = i < n_want ? want[i].line : "(none)";
		const char *g = i < n_got ? got[i].line : "(none)";

		if (strcmp(w, g) != 0)
			fail_msg("%s: apt says '%s', posture says '%s'", what, w, g);
	}
	assert_int_equal(n_sec, n_sec_want);
	print_message("%s: %zu upgradable, %zu security, as apt says\n", what, n_got, n_sec);
}

static void this_machine(void **state)
{
	(void)state;
	agree("this machine", "/", NULL);
}

static char *fixture_copy(void)
{
	char *dir = tu_mkdtemp();
	char *cp[] = { "cp", "-a", "tests/fixtures/roots/debian12-apt/.", dir, NULL };

	assert_int_equal(tu_run(cp, NULL, NULL), 0);
	return dir;
}

static char *apt_conf(const char *dir)
{
	char *path = NULL, text[2048];

	assert_true(asprintf(&path, "%s.apt.conf", dir) > 0);
	snprintf(text, sizeof(text),
	         "Dir \"%s/\";\nDir::State::status \"%s/var/lib/dpkg/status\";\n"
	         "Dir::Cache::pkgcache \"\";\nDir::Cache::srcpkgcache \"\";\n",
	         dir, dir);
	{
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(text, f);
		fclose(f);
	}
	return path;
}

static void fixture_scenarios(void **state)
{
	char *dir = fixture_copy(), *conf = apt_conf(dir), path[4200];

	(void)state;
	agree("fixture as shipped", dir, conf);

	snprintf(path, sizeof(path), "%s/etc/apt/preferences.d/hold-curl", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/etc/apt/preferences.d/libcurl-security-only", dir);
	unlink(path);
	agree("fixture without pins", dir, conf);

	tu_write(dir, "etc/apt/preferences.d/backports",
	         "Package: *\nPin: release a=oldstable-backports\nPin-Priority: 500\n");
	agree("fixture with backports at 500", dir, conf);

	tu_write(dir, "etc/apt/preferences.d/backports",
	         "Package: git dpkg\nPin: release n=bookworm-backports\nPin-Priority: 990\n\n"
	         "Package: perl-base\nPin: version 5.36.0-7+deb12u1\nPin-Priority: 1001\n");
	agree("fixture with specific pins and a forced downgrade", dir, conf);

	snprintf(path, sizeof(path), "%s/etc/apt/preferences.d/backports", dir);
	unlink(path);
	tu_write(dir, "etc/apt/apt.conf.d/99release",
	         "APT::Default-Release \"bookworm-updates\";\n");
	agree("fixture with a default release", dir, conf);

	unlink(conf);
	free(conf);
	tu_rm_rf(dir);
	free(dir);
}

/* apt's configuration as apt-config reads it, for the keys auto_updates and
 * the candidate policy use. */
static void config_as_apt_config_says(void **state)
{
	static const char *const keys[] = { "APT::Periodic::Update-Package-Lists",
		                            "APT::Periodic::Unattended-Upgrade",
		                            "APT::Periodic::Download-Upgradeable-Packages",
		                            "APT::Default-Release", NULL };
	char *dir = fixture_copy(), *conf = apt_conf(dir), err[256];
	struct rootfs *root;
	size_t k;

	(void)state;
	tu_write(dir, "etc/apt/apt.conf.d/99release", "APT::Default-Release \"bookworm\";\n");
	assert_int_equal(rootfs_open(&root, dir, err, sizeof(err)), 0);
	setenv("APT_CONFIG", conf, 1);
	for (k = 0; keys[k] != NULL; k++) {
		char *argv[] = { "apt-config", "shell", "V", (char *)keys[k], NULL };
		char *out = NULL, ours[128] = "", theirs[128] = "";
		char *q;

		assert_int_equal(tu_run(argv, &out, NULL), 0);
		/* apt-config shell prints V='value' */
		q = strchr(out, '\'');
		if (q != NULL)
			snprintf(theirs, sizeof(theirs), "%.*s", (int)strcspn(q + 1, "'"), q + 1);
		apt_config_value(root, keys[k], ours, sizeof(ours));
		if (strcmp(ours, theirs) != 0)
			fail_msg("%s: apt-config says '%s', posture '%s'", keys[k], theirs, ours);
		print_message("%s = '%s', as apt-config says\n", keys[k], ours);
		free(out);
	}
	unsetenv("APT_CONFIG");
	rootfs_close(root);
	unlink(conf);
	free(conf);
	tu_rm_rf(dir);
	free(dir);
}

/* dnf systems: the fedora40-dnf fixture against `dnf -C check-update` and
 * `dnf -C updateinfo list --security` on a copy of it (Debian's dnf reads
 * rpm's database from ~/.rpmdb, so the copy gets that link). */
static void dnf_fixture_as_dnf_says(void **state)
{
	char *dir = tu_mkdtemp(), cmd[8192], *out = NULL, *line, *save = NULL;
	char *cp[] = { "cp", "-a", "tests/fixtures/roots/fedora40-dnf/.", NULL, NULL };
	char *sh[] = { "sh", "-c", cmd, NULL };
	struct upd want[64];
	static struct upd got[64];
	size_t n_want = 0, n_got, n_sec = 0, i;

	(void)state;
	cp[3] = dir;
	assert_int_equal(tu_run(cp, NULL, NULL), 0);
	snprintf(
	    cmd, sizeof(cmd),
	    "mkdir -p %s/root && ln -s ../usr/lib/sysimage/rpm %s/root/.rpmdb && "
	    "D='dnf -C -q --installroot=%s --releasever=40 --setopt=reposdir=%s/etc/yum.repos.d'; "
	    "sec=$(HOME=/root $D updateinfo list --security | awk '{print $3}'); "
	    "HOME=/root $D check-update | awk 'NF == 3 {print $1, $2}' | while read p v; do "
	    "n=${p%%.*}; s=0; for x in $sec; do case $x in $n-*) s=1;; esac; done; "
	    "echo \"$n $v $s\"; done; rm -rf %s/root",
	    dir, dir, dir, dir, dir);
	assert_int_equal(tu_run(sh, &out, NULL), 0);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		assert_true(n_want < 64);
		snprintf(want[n_want++].line, sizeof(want[0].line), "%s", line);
	}
	free(out);
	qsort(want, n_want, sizeof(*want), cmp_line);
	n_got = probe(dir, got, 64, &n_sec);
	for (i = 0; i < n_want || i < n_got; i++) {
		const char *w = i < n_want ? want[i].line : "(none)";
		const char *g = i < n_got ? got[i].line : "(none)";

		if (strcmp(w, g) != 0)
			fail_msg("dnf says '%s', posture says '%s'", w, g);
	}
	assert_true(n_got >= 3);
	print_message("fedora40-dnf: %zu upgradable, %zu security, as dnf says\n", n_got, n_sec);
	tu_rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(this_machine),
		cmocka_unit_test(fixture_scenarios),
		cmocka_unit_test(config_as_apt_config_says),
		cmocka_unit_test(dnf_fixture_as_dnf_says),
	};

	return cmocka_run_group_tests_name("os_patch", tests, NULL, NULL);
}
