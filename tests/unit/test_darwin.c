/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A Mac's disk given with --root: the darwin probes answer for it
 * (platform/probeset.c), and the OS is what its SystemVersion.plist says
 * (platform/darwin/os.c), on the files captured from real Macs in
 * tests/fixtures/macos/ (sources in its README.md). The running system
 * and any root without that file keep the native probes.
 */
#include "probeset.h"
#include "testutil.h"

#define MACS "tests/fixtures/macos/roots/"

static struct rootfs *open_root(const char *dir)
{
	struct rootfs *r = NULL;
	char err[256];

	if (rootfs_open(&r, dir, err, sizeof(err)) != 0)
		fail_msg("cannot open %s: %s", dir, err);
	return r;
}

static void macs_read_as_sw_vers_would_print(void **state)
{
	static const struct {
		const char *root, *version, *pretty;
	} cases[] = {
		{ "macos-14.7.4", "14.7.4", "macOS 14.7.4 (23H420)" },
		{ "macos-15.4-beta", "15.4", "macOS 15.4 (24E5238a)" },
		{ "macos-12.3-beta", "12.3", "macOS 12.3 (21E5227a)" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char dir[256], err[256] = "";
		struct rootfs *r;
		struct os_info os;

		snprintf(dir, sizeof(dir), MACS "%s", cases[i].root);
		r = open_root(dir);
		if (!probeset_is_darwin(r))
			fail_msg("%s: expected to be read as a Mac's disk, it was not", dir);
		if (probe_os_info(r, &os, err, sizeof(err)) != 0)
			fail_msg("%s: expected the OS, came an error: %s", dir, err);
		if (strcmp(os.family, "macos") != 0 || strcmp(os.id, "macos") != 0 ||
		    strcmp(os.version_id, cases[i].version) != 0 ||
		    strcmp(os.pretty_name, cases[i].pretty) != 0)
			fail_msg("%s: expected macos/macos/%s/'%s', came %s/%s/%s/'%s'", dir,
			         cases[i].version, cases[i].pretty, os.family, os.id, os.version_id,
			         os.pretty_name);
		if (strcmp(probe_pkg_system(r), "pkg") != 0)
			fail_msg("%s: expected the package system pkg, came %s", dir,
			         probe_pkg_system(r));
		printf("%s: %s\n", cases[i].root, os.pretty_name);
		rootfs_close(r);
	}
}

static void filevault_on_a_disk_is_an_error_with_its_reason(void **state)
{
	struct rootfs *r = open_root(MACS "macos-14.7.4");
	struct volume *v = NULL;
	size_t n = 0;
	char err[256] = "";
	int rc;

	(void)state;
	rc = probe_disk_encryption(r, &v, &n, err, sizeof(err));
	if (rc == 0 || rc == PROBE_UNSUPPORTED || strstr(err, "running Mac alone") == NULL)
		fail_msg("expected an error saying only the running Mac knows, came %d '%s'", rc,
		         err);
	printf("FileVault on a disk: %s\n", err);
	rootfs_close(r);
}

static void the_application_firewall_as_alf_keeps_it(void **state)
{
	struct rootfs *r;
	struct firewall_state f;
	char err[256] = "", fix[512];
	int rc;

	(void)state;
	/* osquery's captured com.apple.alf.plist: globalstate 0 */
	r = open_root(MACS "macos-12.3-beta");
	rc = probe_firewall(r, &f, err, sizeof(err));
	if (rc != 0 || f.n_profiles != 1 || f.profiles[0].enabled != 0 ||
	    strstr(f.detail, "application firewall off; stealth mode off") == NULL)
		fail_msg("expected the application firewall off with stealth off, came %d '%s' %zu "
		         "profiles, enabled %d, '%s'",
		         rc, err, f.n_profiles, f.profiles[0].enabled, f.detail);
	printf("alf: %s\n", f.detail);
	/* the fix is macOS's own, whatever OS runs this */
	probeset_use(r);
	if (probe_fix("firewall", NULL, fix, sizeof(fix)) != 0 ||
	    strstr(fix, "System Settings, Network, Firewall") == NULL)
		fail_msg("expected macOS's firewall setting as the fix, came '%s'", fix);
	probeset_use(NULL);
	rootfs_close(r);
	/* macOS 15 keeps no such file: only the running Mac can say */
	r = open_root(MACS "macos-15.4-beta");
	rc = probe_firewall(r, &f, err, sizeof(err));
	if (rc == 0 || strstr(err, "socketfilterfw") == NULL)
		fail_msg("expected macOS 15 to be an error naming socketfilterfw, came %d '%s'", rc,
		         err);
	printf("macOS 15: %s\n", err);
	rootfs_close(r);
}

static void apps_by_bundle_id_and_by_name(void **state)
{
	/* osquery's captured Info.plist of Photo Booth 6.0, in /Applications */
	struct rootfs *r = open_root(MACS "macos-12.3-beta");
	struct pkg_query q[3] = { { .name = "com.apple.photobooth" },
		                  { .name = "Photo Booth" },
		                  { .name = "com.google.Chrome" } };
	char err[256] = "";

	(void)state;
	if (probe_packages(r, probe_pkg_system(r), q, 3, err, sizeof(err)) != 0)
		fail_msg("expected the apps to be listed, came '%s'", err);
	for (int i = 0; i < 2; i++)
		if (q[i].n_instances != 1 || strcmp(q[i].instances[0].version, "6.0") != 0 ||
		    strcmp(q[i].instances[0].arch, "app") != 0)
			fail_msg("%s: expected Photo Booth 6.0 in /Applications, came %zu "
			         "instances (%s)",
			         q[i].name, q[i].n_instances,
			         q[i].n_instances ? q[i].instances[0].version : "-");
	if (q[2].n_instances != 0)
		fail_msg("com.google.Chrome: expected none, came %zu", q[2].n_instances);
	printf("Photo Booth by id and by name: %s\n", q[0].instances[0].version);
	pkg_queries_clear(q, 3);
	rootfs_close(r);
}

static void browsers_are_app_bundles_of_known_vendors(void **state)
{
	/* Photo Booth is an app and no browser: none is found, and nothing
	 * fails (a captured browser's Info.plist is still wanted) */
	struct rootfs *r = open_root(MACS "macos-12.3-beta");
	struct browser_install *b = NULL;
	size_t n = 9;
	char err[256] = "";

	(void)state;
	if (probe_browsers(r, &b, &n, err, sizeof(err)) != 0 || n != 0)
		fail_msg("expected no browser and no error, came %zu ('%s')", n, err);
	free(b);
	rootfs_close(r);
}

static void other_roots_keep_the_native_probes(void **state)
{
	struct rootfs *r;

	(void)state;
	/* the running system is never taken for a Mac by what is on its
	 * disk (a Windows user may create C:\System) */
	r = open_root("/");
	assert_int_equal(probeset_is_darwin(r), 0);
	rootfs_close(r);
	r = open_root("tests/fixtures/roots/debian12");
	assert_int_equal(probeset_is_darwin(r), 0);
	rootfs_close(r);
}

static void a_broken_system_version_is_an_error(void **state)
{
	char *dir = tu_mkdtemp(), err[256] = "";
	struct rootfs *r;
	struct os_info os;

	(void)state;
	tu_write(dir, "System/Library/CoreServices/SystemVersion.plist",
	         "<plist><dict><key>ProductName</key><string>macOS</string></dict></plist>");
	r = open_root(dir);
	assert_true(probeset_is_darwin(r));
	if (probe_os_info(r, &os, err, sizeof(err)) == 0 ||
	    strstr(err, "no ProductVersion") == NULL)
		fail_msg("expected an error naming the missing ProductVersion, came '%s'", err);
	rootfs_close(r);
	tu_write(dir, "System/Library/CoreServices/SystemVersion.plist", "<plist><dict>");
	r = open_root(dir);
	if (probe_os_info(r, &os, err, sizeof(err)) == 0 ||
	    strstr(err, "SystemVersion.plist") == NULL)
		fail_msg("expected an error naming the file, came '%s'", err);
	printf("refused: %s\n", err);
	rootfs_close(r);
	tu_rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(macs_read_as_sw_vers_would_print),
		cmocka_unit_test(filevault_on_a_disk_is_an_error_with_its_reason),
		cmocka_unit_test(the_application_firewall_as_alf_keeps_it),
		cmocka_unit_test(apps_by_bundle_id_and_by_name),
		cmocka_unit_test(browsers_are_app_bundles_of_known_vendors),
		cmocka_unit_test(other_roots_keep_the_native_probes),
		cmocka_unit_test(a_broken_system_version_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
