/* SPDX-License-Identifier: Apache-2.0 */
/*
 * os_patch on apt systems against apt itself: `apt list --upgradable` is the
 * oracle, run on this machine and on the debian12-apt fixture root (through
 * an APT_CONFIG that points apt's Dir at it) under several preferences:
 * as shipped (a held package, a package kept off the security suite), with
 * no pins, with backports pinned up to 500, with APT::Default-Release, and
 * with a pin that forces a downgrade.
 */
#include "testutil.h"

#include <signal.h>

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

	/* dpkg's other states, read by the same reader as package_version's
	 * (platform/linux/dpkg.c): apt gives every state but not-installed
	 * and config-files a current version */
	{
		char status[4300];
		char *sed[] = { "sed",  "-i",
			        "-e",   "23s/ok installed/ok half-installed/",
			        "-e",   "42s/ok installed/ok config-files/",
			        "-e",   "60s/ok installed/ok unpacked/",
			        "-e",   "74s/ok installed/ok half-configured/",
			        "-e",   "92s/ok installed/ok triggers-pending/",
			        "-e",   "112s/install ok installed/deinstall ok not-installed/",
			        status, NULL };

		snprintf(status, sizeof(status), "%s/var/lib/dpkg/status", dir);
		assert_int_equal(tu_run(sed, NULL, NULL), 0);
		agree("fixture with packages half-installed, config-files, unpacked, "
		      "half-configured, triggers-pending and not-installed",
		      dir, conf);
	}

	unlink(conf);
	free(conf);
	tu_rm_rf(dir);
	free(dir);
}

/*
 * 17. Every source form apt accepts, against apt itself: a local
 * repository cut from the fixture's real security lists (its Packages, and
 * a Release with the real InRelease's fields and the files' hashes) is
 * named in each form, `apt-get update` (apt's own, through APT_CONFIG)
 * writes the root's lists, and os_patch must say what `apt list
 * --upgradable` says. file: and copy: paths, file:///, mirror+file: (a
 * mirror list naming file: URIs), http: and mirror+http: (python's
 * http.server on loopback), options apt takes in brackets, and a deb822
 * file. apt-get update writes lists only as root: SKIP otherwise.
 * (tor+https needs apt-transport-tor and a Tor daemon, and cdrom: a disc:
 * neither is run here.)
 */
static void source_forms_as_apt_says(void **state)
{
	char *dir, *conf, repo[4300], cmd[16384], sources[4400];
	char *sh[] = { "sh", "-c", cmd, NULL };
	int port = 21000 + (int)(getpid() % 4000);
	pid_t web;

	(void)state;
	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: apt-get update writes the lists only as root\n");
		skip();
	}
	dir = fixture_copy();
	conf = apt_conf(dir);
	snprintf(repo, sizeof(repo), "%s/srv/repo", dir);
	snprintf(sources, sizeof(sources), "%s/etc/apt/sources.list", dir);
	/* the repository: the fixture's security Packages, and its InRelease's
	 * fields with the hashes apt checks */
	snprintf(cmd, sizeof(cmd),
	         "set -e; L=%s/var/lib/apt/lists; R=%s/dists/bookworm-security; "
	         "mkdir -p $R/main/binary-amd64; "
	         "xzcat $L/deb.debian.org_debian-security_dists_bookworm-security_main_binary-"
	         "amd64_Packages.xz > $R/main/binary-amd64/Packages; "
	         "gzip -9nk $R/main/binary-amd64/Packages; "
	         "{ sed -n '/^Origin:/,/^Description:/p' "
	         "$L/deb.debian.org_debian-security_dists_bookworm-security_InRelease | "
	         "grep -v -E '^(Architectures|Components|Description|Valid-Until):'; "
	         "echo 'Architectures: amd64'; echo 'Components: main'; echo 'SHA256:'; "
	         "cd $R; for f in main/binary-amd64/Packages main/binary-amd64/Packages.gz; do "
	         "echo \" $(sha256sum $f | cut -d' ' -f1) $(stat -c %%s $f) $f\"; done; } "
	         "> %s/Release.new; mv %s/Release.new $R/Release; "
	         "rm -rf $L/* %s/etc/apt/sources.list.d/* %s/etc/apt/preferences.d/*; "
	         "mkdir -p $L/partial %s/var/cache/apt/archives/partial; "
	         "echo file:%s > %s/srv/mirrors.txt; "
	         "echo http://127.0.0.1:%d/repo > %s/srv/web-mirrors.txt; "
	         "mkdir -p %s/srv/web && ln -s %s %s/srv/web/repo && "
	         "cp %s/srv/web-mirrors.txt %s/srv/web/mirrors.txt",
	         dir, repo, dir, dir, dir, dir, dir, repo, dir, port, dir, dir, repo, dir, dir,
	         dir);
	assert_int_equal(tu_run(sh, NULL, NULL), 0);
	web = fork();
	if (web == 0) {
		char root_dir[4400];
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(fd, 2);
		snprintf(root_dir, sizeof(root_dir), "%s/srv/web", dir);
		snprintf(cmd, sizeof(cmd), "%d", port);
		execl("/usr/bin/python3", "python3", "-m", "http.server", cmd, "--bind",
		      "127.0.0.1", "--directory", root_dir, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && !tu_can_connect(port); i++)
		usleep(10000);
	assert_true(tu_can_connect(port));
	{
		const char *const forms[][2] = {
			{ "file: path", "deb [trusted=yes] file:%s bookworm-security main\n" },
			{ "file:///", "deb [trusted=yes] file://%s bookworm-security main\n" },
			{ "copy:", "deb [trusted=yes] copy:%s bookworm-security main\n" },
			{ "mirror+file:", "deb [trusted=yes] mirror+file:%s/../mirrors.txt "
			                  "bookworm-security main\n" },
			{ "options", "deb [ arch=amd64 lang=none target=Packages trusted=yes ] "
			             "file:%s bookworm-security main\n" },
			{ "http:", "deb [trusted=yes] http://127.0.0.1:PORT/repo bookworm-security "
			           "main\n" },
			{ "mirror+http:",
			  "deb [trusted=yes] mirror+http://127.0.0.1:PORT/mirrors.txt "
			  "bookworm-security main\n" },
			{ "deb822 file:", "Types: deb\nURIs: file:%s\nSuites: bookworm-security\n"
			                  "Components: main\nTrusted: yes\n" },
		};

		for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
			char line[4400], what[128], *port_at;
			const char *target = strncmp(forms[f][0], "deb822", 6) == 0
			                         ? "etc/apt/sources.list.d/local.sources"
			                         : "etc/apt/sources.list";

			snprintf(line, sizeof(line), forms[f][1], repo);
			port_at = strstr(line, "PORT");
			if (port_at != NULL) {
				char rest[4400];

				snprintf(rest, sizeof(rest), "%s", port_at + 4);
				snprintf(port_at, sizeof(line) - (size_t)(port_at - line), "%d%s",
				         port, rest);
			}
			unlink(sources);
			snprintf(cmd, sizeof(cmd), "rm -f %s/etc/apt/sources.list.d/*", dir);
			tu_run(sh, NULL, NULL);
			tu_write(dir, target, line);
			snprintf(
			    cmd, sizeof(cmd),
			    "rm -rf %s/var/lib/apt/lists/*; mkdir -p %s/var/lib/apt/lists/partial; "
			    "APT_CONFIG=%s apt-get update -q 2>&1",
			    dir, dir, conf);
			{
				char *out = NULL;

				if (tu_run(sh, &out, NULL) != 0 || strstr(out, "Err:") != NULL)
					fail_msg("%s: apt-get update failed:\n%s", forms[f][0],
					         out);
				free(out);
			}
			snprintf(what, sizeof(what), "source form %s", forms[f][0]);
			agree(what, dir, conf);
		}
	}
	kill(web, SIGTERM);
	waitpid(web, NULL, 0);
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
		cmocka_unit_test(source_forms_as_apt_says),
		cmocka_unit_test(config_as_apt_config_says),
		cmocka_unit_test(dnf_fixture_as_dnf_says),
	};

	return cmocka_run_group_tests_name("os_patch", tests, NULL, NULL);
}
