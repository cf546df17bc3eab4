/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Package probes against the package managers' own answers: dpkg-query on
 * this machine's real dpkg database, rpm -qa on the Fedora fixture's real
 * rpm database, and the multiarch and removed-package cases of the Debian
 * fixture.
 */
#include "probe.h"
#include "testutil.h"
#include "vercmp.h"

static void host_dpkg_matches_dpkg_query(void **state)
{
	char *argv[] = { "dpkg-query", "-W", "-f",
		         "${Package}\t${Architecture}\t${Version}\t${db:Status-Status}\n", NULL };
	struct pkg_query *q = NULL;
	struct pkg_instance *oracle = NULL;
	char *out = NULL, *line, *save = NULL, err[256];
	size_t n = 0, i, checked = 0;
	struct rootfs *root;

	(void)state;
	assert_int_equal(tu_run(argv, &out, NULL), 0);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[4], *p = line;
		char name[300];

		for (i = 0; i < 4; i++) {
			f[i] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
			else
				break;
		}
		assert_int_equal(i, 3);
		q = realloc(q, (n + 1) * sizeof(*q));
		oracle = realloc(oracle, (n + 1) * sizeof(*oracle));
		memset(&q[n], 0, sizeof(*q));
		snprintf(name, sizeof(name), "%s:%s", f[0], f[1]);
		q[n].name = strdup(name);
		oracle[n].version = strdup(f[2]);
		snprintf(oracle[n].state, sizeof(oracle[n].state), "%s", f[3]);
		n++;
	}
	free(out);
	assert_true(n > 100);
	assert_int_equal(rootfs_open(&root, "/", err, sizeof(err)), 0);
	assert_string_equal(probe_pkg_system(root), "deb");
	assert_int_equal(probe_packages(root, "deb", q, n, err, sizeof(err)), 0);
	for (i = 0; i < n; i++) {
		int present = strcmp(oracle[i].state, "installed") == 0 ||
		              strcmp(oracle[i].state, "unpacked") == 0 ||
		              strcmp(oracle[i].state, "half-configured") == 0 ||
		              strncmp(oracle[i].state, "triggers-", 9) == 0;

		if (!present) {
			assert_int_equal(q[i].n_instances, 0);
			continue;
		}
		if (q[i].n_instances != 1)
			fail_msg("%s: %zu instances", q[i].name, q[i].n_instances);
		assert_string_equal(q[i].instances[0].version, oracle[i].version);
		checked++;
	}
	print_message("dpkg: %zu packages agree with dpkg-query\n", checked);
	rootfs_close(root);
	pkg_queries_clear(q, n);
	for (i = 0; i < n; i++) {
		free((char *)q[i].name);
		free(oracle[i].version);
	}
	free(q);
	free(oracle);
}

static void debian_fixture(void **state)
{
	struct pkg_query q[] = { { .name = "libc6" },
		                 { .name = "libc6:i386" },
		                 { .name = "openssh-server" },
		                 { .name = "openssl" },
		                 { .name = "no-such-package" } };
	struct rootfs *root;
	char err[256];

	(void)state;
	assert_int_equal(rootfs_open(&root, "tests/fixtures/roots/debian12", err, sizeof(err)), 0);
	assert_string_equal(probe_pkg_system(root), "deb");
	assert_int_equal(probe_packages(root, "deb", q, 5, err, sizeof(err)), 0);
	assert_int_equal(q[0].n_instances, 2);
	assert_int_equal(q[1].n_instances, 1);
	assert_string_equal(q[1].instances[0].arch, "i386");
	assert_int_equal(q[2].n_instances, 0); /* config-files only */
	assert_int_equal(q[3].n_instances, 1);
	assert_string_equal(q[3].instances[0].state, "installed");
	assert_int_equal(q[4].n_instances, 0);
	pkg_queries_clear(q, 5);
	rootfs_close(root);
}

static void fedora_fixture_matches_rpm(void **state)
{
	char *fixture = tu_mkdtemp();
	char *cp[] = { "cp", "-a", "tests/fixtures/roots/fedora40/.", fixture, NULL };
	char *argv[] = { "rpm",
		         "--root",
		         NULL,
		         "--dbpath",
		         "/usr/lib/sysimage/rpm",
		         "-qa",
		         "--qf",
		         "%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\n",
		         NULL };
	struct pkg_query q[] = { { .name = "kernel-core" },
		                 { .name = "openssl-libs" },
		                 { .name = "bash" },
		                 { .name = "firefox" },
		                 { .name = "vim-minimal" },
		                 { .name = "openssl-libs:x86_64" },
		                 { .name = "openssl-libs:i686" },
		                 { .name = "chromium" } };
	char *out = NULL, *line, *save = NULL, err[256], abs_root[4096];
	struct rootfs *root;
	size_t i, matched = 0;

	(void)state;
	/* rpm leaves -shm and -wal files beside the database it reads: work on
	 * a copy, and check that our probe leaves none. */
	assert_int_equal(tu_run(cp, NULL, NULL), 0);
	assert_non_null(realpath(fixture, abs_root));
	argv[2] = abs_root;
	assert_int_equal(rootfs_open(&root, fixture, err, sizeof(err)), 0);
	assert_string_equal(probe_pkg_system(root), "rpm");
	if (probe_packages(root, "rpm", q, 8, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(q[0].n_instances, 2);
	assert_int_equal(q[5].n_instances, 1);
	assert_int_equal(q[6].n_instances, 0);
	assert_int_equal(q[7].n_instances, 0);
	{
		char shm[4200];
		struct stat st;

		snprintf(shm, sizeof(shm), "%s/usr/lib/sysimage/rpm/rpmdb.sqlite-shm", abs_root);
		assert_int_equal(stat(shm, &st), -1);
	}
	assert_int_equal(tu_run(argv, &out, NULL), 0);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');
		size_t k;

		assert_non_null(sp);
		*sp = '\0';
		for (i = 0; i < 5; i++) {
			if (strcmp(q[i].name, line) != 0)
				continue;
			for (k = 0; k < q[i].n_instances; k++)
				if (strcmp(q[i].instances[k].version, sp + 1) == 0)
					matched++;
		}
	}
	free(out);
	assert_int_equal(matched, 6); /* every package rpm lists, with its EVR */
	assert_int_equal(rpm_evr_compare(q[1].instances[0].version, "1:3.2.2-3.fc40"), 0);
	pkg_queries_clear(q, 8);
	rootfs_close(root);
	tu_rm_rf(fixture);
	free(fixture);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(host_dpkg_matches_dpkg_query),
		cmocka_unit_test(debian_fixture),
		cmocka_unit_test(fedora_fixture_matches_rpm),
	};

	return cmocka_run_group_tests_name("packages", tests, NULL, NULL);
}
