/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A Mac's disk given with --root: the darwin probes answer for it
 * (platform/probeset.c), and the OS is what its SystemVersion.plist says
 * (platform/darwin/os.c), on the files captured from real Macs in
 * tests/fixtures/macos/ (sources in its README.md). The running system
 * and any root without that file keep the native probes.
 */
#include "probeset.h"
#include "darwin/darwin.h"
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
		{ "macos-13.3.1", "13.3.1", "macOS 13.3.1 (22E261)" },
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
	darwin_set_captured(NULL);
	rc = probe_disk_encryption(r, &v, &n, err, sizeof(err));
	if (rc == 0 || rc == PROBE_UNSUPPORTED || strstr(err, "only the running Mac") == NULL ||
	    strstr(err, "fdesetup status") == NULL)
		fail_msg("expected an error saying only the running Mac knows (fdesetup status), "
		         "came %d '%s'",
		         rc, err);
	printf("FileVault on a disk: %s\n", err);
	rootfs_close(r);
}

/* fdesetup's and diskutil's answers captured on a Mac (captured/, sources
 * in the README) */
static void filevault_from_captured_answers(void **state)
{
	static const struct {
		const char *captured;
		int encrypted;
		const char *device;
	} cases[] = {
		{ MACS "../captured/filevault-on", 1, "disk1s1 (Macintosh HD)" },
		{ MACS "../captured/filevault-off", 0, "the boot volume" },
	};
	struct rootfs *r = open_root(MACS "macos-13.3.1");

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct volume *v = NULL;
		size_t n = 0;
		char err[256] = "";
		int rc;

		darwin_set_captured(cases[i].captured);
		rc = probe_disk_encryption(r, &v, &n, err, sizeof(err));
		if (rc != 0 || n != 1)
			fail_msg("%s: expected one volume, came %d (%zu) '%s'", cases[i].captured,
			         rc, n, err);
		if (v[0].encrypted != cases[i].encrypted || !v[0].system ||
		    strcmp(v[0].mount, "/") != 0 || strcmp(v[0].device, cases[i].device) != 0)
			fail_msg(
			    "%s: expected / on %s encrypted %d, came %s on %s encrypted %d (%s)",
			    cases[i].captured, cases[i].device, cases[i].encrypted, v[0].mount,
			    v[0].device, v[0].encrypted, v[0].reason);
		printf("%s: / %s encrypted %d\n", cases[i].captured, v[0].device, v[0].encrypted);
		free(v);
	}
	/* a folder without the answer says which file is missing */
	{
		struct volume *v = NULL;
		size_t n = 0;
		char err[512] = "";
		int rc;

		darwin_set_captured(MACS "macos-13.3.1");
		rc = probe_disk_encryption(r, &v, &n, err, sizeof(err));
		if (rc == 0 || strstr(err, "fdesetup-status.txt is missing") == NULL)
			fail_msg("expected the missing fdesetup-status.txt named, came %d '%s'", rc,
			         err);
	}
	darwin_set_captured(NULL);
	rootfs_close(r);
}

/* com.apple.SoftwareUpdate.plist: macOS 13.3.1's (nothing pending) and
 * OS X 10.9's in the 14.7.4 root (one pending update, not a security one),
 * with InstallHistory.plist's newest softwareupdated install */
static void pending_updates_from_software_update(void **state)
{
	struct patch_state ps;
	struct rootfs *r;
	char err[256] = "";

	(void)state;
	r = open_root(MACS "macos-13.3.1");
	if (probe_os_patch(r, &ps, err, sizeof(err)) != 0)
		fail_msg("13.3.1: expected the patch state, came an error: %s", err);
	if (ps.n_updates != 0 || ps.n_indexes != 1 || ps.last_check != 1683236412 ||
	    strcmp(ps.package_manager, "Software Update") != 0)
		fail_msg("13.3.1: expected nothing pending, checked at 1683236412, came %zu "
		         "pending, checked at %lld (%zu lists) by %s",
		         ps.n_updates, ps.last_check, ps.n_indexes, ps.package_manager);
	patch_state_free(&ps);
	rootfs_close(r);

	r = open_root(MACS "macos-14.7.4");
	if (probe_os_patch(r, &ps, err, sizeof(err)) != 0)
		fail_msg("10.9 list: expected the patch state, came an error: %s", err);
	if (ps.n_updates != 1 || ps.n_security != 0 ||
	    strcmp(ps.updates[0].name, "Digital Camera RAW Compatibility Update") != 0 ||
	    strcmp(ps.updates[0].candidate, "5.03") != 0 ||
	    strcmp(ps.updates[0].archive, "RAWCameraUpdate5.03") != 0 ||
	    ps.last_check != 1389030228 || ps.last_install != 1390941528)
		fail_msg("10.9 list: expected the RAW update 5.03 (not security), checked at "
		         "1389030228, installed at 1390941528; came %zu (%zu security) '%s' %s, "
		         "checked at %lld, installed at %lld",
		         ps.n_updates, ps.n_security, ps.n_updates ? ps.updates[0].name : "",
		         ps.n_updates ? ps.updates[0].candidate : "", ps.last_check,
		         ps.last_install);
	patch_state_free(&ps);
	rootfs_close(r);
}

static void automatic_updates_with_macos_defaults_named(void **state)
{
	struct update_automation u;
	struct rootfs *r = open_root(MACS "macos-13.3.1");
	char err[256] = "";

	(void)state;
	if (probe_auto_updates(r, &u, err, sizeof(err)) != 0)
		fail_msg("expected the settings, came an error: %s", err);
	if (!u.enabled || !u.scheduled || u.installs ||
	    strstr(u.detail, "check on (set)") == NULL ||
	    strstr(u.detail, "install macOS updates off (default)") == NULL)
		fail_msg("expected checking on as set and installing off by default, came "
		         "enabled %d scheduled %d installs %d: %s",
		         u.enabled, u.scheduled, u.installs, u.detail);
	printf("13.3.1: %s\n", u.detail);
	rootfs_close(r);
}

static const struct lock_setting *user_of(const struct lock_setting *s, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].user, name) == 0)
			return &s[i];
	fail_msg("expected user %s among the %zu read, not there", name, n);
	return NULL;
}

/* The profile's com.apple.screensaver (idleTime 60, password after 5 s)
 * wins over each user's own ByHost idleTime (alice 120, bob 1800); where
 * no profile says whether a password is asked, the user is unknown. */
static void screen_lock_profile_over_user(void **state)
{
	struct lock_setting *s = NULL;
	size_t n = 0;
	char err[256] = "";
	struct rootfs *r = open_root(MACS "macos-13.3.1");
	static const char *const users[] = { "alice", "bob" };

	(void)state;
	darwin_set_captured(NULL);
	if (probe_screen_lock(r, &s, &n, err, sizeof(err)) != 0 || n != 2)
		fail_msg("expected two users, came %zu: %s", n, err);
	for (size_t i = 0; i < 2; i++) {
		const struct lock_setting *u = user_of(s, n, users[i]);

		if (!u->known || !u->lock_enabled || u->idle_seconds != 60 ||
		    u->lock_delay_seconds != 5 ||
		    strstr(u->source, "Managed Preferences/com.apple.screensaver.plist") == NULL)
			fail_msg(
			    "%s: expected the profile's 60 s + 5 s with a password, came known "
			    "%d enabled %d %lld + %lld from '%s' (%s)",
			    users[i], u->known, u->lock_enabled, u->idle_seconds,
			    u->lock_delay_seconds, u->source, u->reason);
	}
	free(s);
	rootfs_close(r);

	r = open_root(MACS "macos-14.7.4");
	if (probe_screen_lock(r, &s, &n, err, sizeof(err)) != 0 || n != 1)
		fail_msg("14.7.4: expected one user, came %zu: %s", n, err);
	if (s[0].known || strcmp(s[0].user, "carol") != 0 ||
	    strstr(s[0].reason, "sysadminctl -screenLock status") == NULL)
		fail_msg("carol: expected unknown, naming sysadminctl, came known %d: '%s'",
		         s[0].known, s[0].reason);
	printf("carol: %s\n", s[0].reason);
	free(s);
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
	    strstr(f.detail,
	           "application firewall off; block all incoming off; stealth mode off") == NULL)
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

/* The firewall's answer in each of its wordings, a profile's payload, and
 * the answer over the profile when both are there. */
static void the_firewall_from_socketfilterfw_and_a_profile(void **state)
{
	static const struct {
		const char *text; /* lines as the sources in the fixtures' README quote them */
		int global, block_all, stealth;
	} wordings[] = {
		{ "Firewall is enabled. (State = 1)\nBlock all DISABLED!\nStealth mode enabled\n",
		  1, 0, 1 },
		{ "Firewall is disabled. (State = 0)\nFirewall has block all state set to "
		  "disabled.\nFirewall stealth mode is off\n",
		  0, 0, 0 },
		{ "Firewall is blocking all non-essential incoming connections. (State = 2)\n", 2,
		  1, -1 },
		{ "Firewall is enabled. (State = 1)\r\nFirewall has block all state set to "
		  "enabled.\r\nFirewall stealth mode is on\r\n",
		  2, 1, 1 },
	};
	struct darwin_firewall fw;
	struct firewall_state f;
	struct rootfs *r;
	char err[512] = "";
	int rc;

	(void)state;
	for (size_t i = 0; i < sizeof(wordings) / sizeof(wordings[0]); i++) {
		rc = darwin_parse_socketfilterfw(wordings[i].text, &fw, err, sizeof(err));
		if (rc != 0 || fw.global != wordings[i].global ||
		    fw.block_all != wordings[i].block_all || fw.stealth != wordings[i].stealth)
			fail_msg("'%s': expected %d/%d/%d, came %d: %d/%d/%d '%s'",
			         wordings[i].text, wordings[i].global, wordings[i].block_all,
			         wordings[i].stealth, rc, fw.global, fw.block_all, fw.stealth, err);
	}
	rc = darwin_parse_socketfilterfw("Firewall settings cannot be modified from command line "
	                                 "on managed Mac computers.\n",
	                                 &fw, err, sizeof(err));
	if (rc == 0 || strstr(err, "Firewall settings cannot be modified") == NULL)
		fail_msg("expected an answer without the state refused, quoted; came %d '%s'", rc,
		         err);

	/* macOS 13.3.1 with a profile's com.apple.security.firewall payload */
	r = open_root(MACS "macos-13.3.1");
	rc = probe_firewall(r, &f, err, sizeof(err));
	if (rc != 0 || f.n_profiles != 1 || f.profiles[0].enabled != 1 ||
	    strstr(f.source, "configuration profile") == NULL ||
	    strstr(f.detail, "stealth mode on") == NULL)
		fail_msg("expected the profile's firewall on with stealth, came %d '%s' '%s' '%s'",
		         rc, err, f.source, f.detail);
	printf("profile: %s (%s)\n", f.detail, f.source);
	/* the answer captured on the Mac is what the Mac did: over the profile */
	darwin_set_captured(MACS "../captured/filevault-on");
	rc = probe_firewall(r, &f, err, sizeof(err));
	darwin_set_captured(NULL);
	if (rc != 0 || f.profiles[0].enabled != 1 || strcmp(f.source, "socketfilterfw") != 0 ||
	    strstr(f.detail, "block all incoming off; stealth mode on") == NULL)
		fail_msg("expected socketfilterfw's answer, came %d '%s' '%s' '%s'", rc, err,
		         f.source, f.detail);
	printf("captured: %s (%s)\n", f.detail, f.source);
	rootfs_close(r);
}

/* csrutil and spctl: captured, from a profile, or unknown saying why */
static void sip_and_gatekeeper(void **state)
{
	static const struct {
		const char *root, *captured;
		int sip, gatekeeper;
		const char *gk_source;
	} cases[] = {
		{ "macos-13.3.1", "../captured/filevault-on", 1, 1, "spctl --status" },
		{ "macos-13.3.1", NULL, -1, 1, "configuration profile" },
		{ "macos-14.7.4", "../captured/filevault-off", -1, 0, "spctl --status" },
		{ "macos-14.7.4", NULL, -1, -1, "" },
	};
	static const struct {
		const char *text;
		int rc, on;
	} csrutil[] = {
		{ "System Integrity Protection status: enabled.\n", 0, 1 },
		{ "System Integrity Protection status: disabled.\n", 0, 0 },
		{ "System Integrity Protection status: unknown (Custom Configuration).\n\n"
		  "Configuration:\n\tApple Internal: disabled\n\tKext Signing: disabled\n",
		  0, 0 },
		{ "csrutil: This tool needs to be executed from the Recovery OS.\n", -1, -1 },
	};
	char what[160];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char dir[256], err[256] = "";
		struct integrity_state s;
		struct rootfs *r;
		char cap[256];
		int rc;

		snprintf(dir, sizeof(dir), "%s%s", MACS, cases[i].root);
		r = open_root(dir);
		if (cases[i].captured) {
			snprintf(cap, sizeof(cap), "%s%s", MACS, cases[i].captured);
			darwin_set_captured(cap);
		}
		rc = probe_system_integrity(r, &s, err, sizeof(err));
		darwin_set_captured(NULL);
		if (rc != 0 || s.sip.on != cases[i].sip || s.gatekeeper.on != cases[i].gatekeeper ||
		    strncmp(s.gatekeeper.source, cases[i].gk_source, strlen(cases[i].gk_source)) !=
		        0)
			fail_msg(
			    "%s with %s: expected SIP %d, Gatekeeper %d from '%s'; came %d: %d, "
			    "%d from '%s' ('%s' / '%s')",
			    cases[i].root, cases[i].captured ? cases[i].captured : "nothing",
			    cases[i].sip, cases[i].gatekeeper, cases[i].gk_source, rc, s.sip.on,
			    s.gatekeeper.on, s.gatekeeper.source, s.sip.why, s.gatekeeper.why);
		if (s.sip.on < 0 && strstr(s.sip.why, "csrutil status") == NULL)
			fail_msg("%s: expected the unknown SIP to name csrutil, came '%s'",
			         cases[i].root, s.sip.why);
		printf("%s: SIP %d, Gatekeeper %d (%s)\n", cases[i].root, s.sip.on, s.gatekeeper.on,
		       s.gatekeeper.source);
		rootfs_close(r);
	}
	for (size_t i = 0; i < sizeof(csrutil) / sizeof(csrutil[0]); i++) {
		int on = -1, rc = darwin_parse_csrutil(csrutil[i].text, &on, what, sizeof(what));

		if (rc != csrutil[i].rc || on != csrutil[i].on)
			fail_msg("'%s': expected %d with %d, came %d with %d", csrutil[i].text,
			         csrutil[i].rc, csrutil[i].on, rc, on);
	}
}

/* sysadminctl -screenLock status, after NSLog's prefix (the lines CIS's
 * audit script and others grep for) */
static void sysadminctl_answers(void **state)
{
	static const struct {
		const char *text;
		int rc, ask;
		long long delay;
	} cases[] = {
		{ "2026-09-26 10:00:00.000 sysadminctl[1:2] screenLock delay is immediate\n", 0, 1,
		  0 },
		{ "screenLock delay is 5 seconds\n", 0, 1, 5 },
		{ "screenLock delay is 300.000000 seconds\n", 0, 1, 300 },
		{ "2026-09-26 sysadminctl[1:2] screenLock is off\n", 0, 0, 0 },
		{ "screenLock delay is -1.000000 seconds\n", 0, 0, 0 },
		{ "screenLock delay is soon\n", -1, -1, -1 },
		{ "", -1, -1, -1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ask = -1;
		long long delay = -1;
		int rc = darwin_parse_sysadminctl_lock(cases[i].text, &ask, &delay);

		if (rc != cases[i].rc || ask != cases[i].ask || delay != cases[i].delay)
			fail_msg("'%s': expected %d, ask %d, delay %lld; came %d, %d, %lld",
			         cases[i].text, cases[i].rc, cases[i].ask, cases[i].delay, rc, ask,
			         delay);
	}
}

/* XProtect: its signatures' age from InstallHistory's newest XProtect
 * install (OS X 10.9's history in the 14.7.4 root: 2013), no XProtect at
 * all an error naming where it was looked for */
static void xprotect_from_install_history(void **state)
{
	struct av_state st;
	struct rootfs *r;
	char err[512] = "";
	int rc;

	(void)state;
	r = open_root(MACS "macos-14.7.4");
	rc = probe_antivirus(r, &st, err, sizeof(err));
	if (rc != 0 || st.n_products != 1 || strcmp(st.products[0].name, "XProtect 1.0") != 0 ||
	    st.products[0].state != AV_ON || st.products[0].signature_age < 365 * 10 ||
	    st.products[0].defender)
		fail_msg("expected XProtect 1.0 on, over ten years old, came %d '%s' %zu '%s' "
		         "state %d age %lld",
		         rc, err, st.n_products, st.n_products ? st.products[0].name : "",
		         st.n_products ? st.products[0].state : -9,
		         st.n_products ? st.products[0].signature_age : -9);
	printf("%s: %lld days (%s)\n", st.products[0].name, st.products[0].signature_age,
	       st.source);
	rootfs_close(r);
	r = open_root(MACS "macos-13.3.1");
	rc = probe_antivirus(r, &st, err, sizeof(err));
	if (rc != -ENOENT || strstr(err, "XProtect.bundle") == NULL)
		fail_msg("expected no XProtect to be -ENOENT naming its bundle, came %d '%s'", rc,
		         err);
	rootfs_close(r);
}

/* The agent's own managed settings: the example profile's payload
 * (installer/macos/managed-preferences.mobileconfig) as macOS keeps it in
 * /Library/Managed Preferences (its keys without the Payload* ones, binary,
 * made by Python's plistlib), read as os_managed_setting reads it. */
static void managed_settings_from_the_example_profile(void **state)
{
	static const char script[] =
	    "import plistlib, sys\n"
	    "d = plistlib.load(open('installer/macos/managed-preferences.mobileconfig', 'rb'))\n"
	    "p = {k: v for k, v in d['PayloadContent'][0].items() if not k.startswith('Payload')}\n"
	    "if sys.argv[2] == 'bad': p['CollectorPin'] = 42\n"
	    "plistlib.dump(p, open(sys.argv[1], 'wb'), fmt=plistlib.FMT_BINARY)\n";
	char *dir = tu_mkdtemp(), path[512], v[256], err[256] = "";
	struct rootfs *r;
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/Library", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/Library/Managed Preferences", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	r = open_root(dir);
	/* no profile: nothing set */
	rc = darwin_managed_setting(r, "CollectorUrl", v, sizeof(v), err, sizeof(err));
	if (rc != 0 || v[0])
		fail_msg("expected nothing set without a profile, came %d '%s' '%s'", rc, v, err);
	snprintf(path, sizeof(path), "%s/Library/Managed Preferences/com.posture.agent.plist", dir);
	{
		char *argv[] = { "python3", "-c", (char *)script, path, "good", NULL };

		if (tu_run(argv, NULL, NULL) != 0)
			fail_msg("python3 could not write %s", path);
	}
	rc = darwin_managed_setting(r, "CollectorUrl", v, sizeof(v), err, sizeof(err));
	if (rc != 1 || strcmp(v, "https://collector.example.com:8443") != 0)
		fail_msg("expected the profile's CollectorUrl, came %d '%s' '%s'", rc, v, err);
	rc = darwin_managed_setting(r, "EnrollSecret", v, sizeof(v), err, sizeof(err));
	if (rc != 1 || strstr(v, "enroll-secret") == NULL)
		fail_msg("expected the profile's EnrollSecret, came %d '%s'", rc, v);
	rc = darwin_managed_setting(r, "CollectorPin", v, sizeof(v), err, sizeof(err));
	if (rc != 0 || v[0])
		fail_msg("expected CollectorPin not set, came %d '%s'", rc, v);
	/* there but not a string: refused, naming it */
	{
		char *argv[] = { "python3", "-c", (char *)script, path, "bad", NULL };

		if (tu_run(argv, NULL, NULL) != 0)
			fail_msg("python3 could not write %s", path);
	}
	rc = darwin_managed_setting(r, "CollectorPin", v, sizeof(v), err, sizeof(err));
	if (rc != -1 || strstr(err, "CollectorPin is not a string") == NULL)
		fail_msg("expected a number for CollectorPin refused, came %d '%s'", rc, err);
	rootfs_close(r);
	tu_rm_rf(dir);
	free(dir);
}

/* softwareupdate --list as Macs printed it (sources in the fixtures'
 * README): parsed, classified against the running major, and taken over
 * SoftwareUpdate.plist when captured with the disk */
static void softwareupdate_list(void **state)
{
	/* WaveBirdDash/install-or-defer#60, macOS 11 */
	static const char big_sur[] =
	    "Software Update Tool\n\nFinding available software\nSoftware Update found the "
	    "following new or updated software:\n* Label: Safari15.0BigSurAuto-15.0\n\tTitle: "
	    "Safari, Version: 15.0, Size: 119059K, Recommended: YES, \n* Label: macOS Big Sur "
	    "11.6-20G165\n\tTitle: macOS Big Sur 11.6, Version: 11.6, Size: 2575888K, "
	    "Recommended: YES, Action: restart, \n";
	struct darwin_su_item items[4];
	struct patch_state ps;
	struct rootfs *r;
	char err[512] = "";
	size_t n = 0;
	int rc;

	(void)state;
	rc = darwin_parse_softwareupdate_list(big_sur, items, 4, &n);
	if (rc != 0 || n != 2 || strcmp(items[1].label, "macOS Big Sur 11.6-20G165") != 0 ||
	    strcmp(items[1].title, "macOS Big Sur 11.6") != 0 ||
	    strcmp(items[1].version, "11.6") != 0 || !items[1].restart || !items[1].recommended ||
	    strcmp(items[0].title, "Safari") != 0 || items[0].restart)
		fail_msg("expected Safari 15.0 and macOS Big Sur 11.6 (restart), came %d, %zu: "
		         "'%s' '%s' '%s' %d",
		         rc, n, n > 1 ? items[1].label : "", n > 1 ? items[1].title : "",
		         n > 1 ? items[1].version : "", n > 1 ? items[1].restart : -1);
	rc = darwin_parse_softwareupdate_list("Software Update Tool\n\nFinding available "
	                                      "software\nNo new software available.\n",
	                                      items, 4, &n);
	if (rc != 0 || n != 0)
		fail_msg("expected no updates, came %d, %zu", rc, n);
	if (darwin_parse_softwareupdate_list("Finding available software\n", items, 4, &n) == 0)
		fail_msg("expected an answer that says nothing refused");

	/* macOS 13.3.1's disk with the list captured on it: Safari 17.3.1 */
	r = open_root(MACS "macos-13.3.1");
	darwin_set_captured(MACS "../captured/safari-pending");
	rc = probe_os_patch(r, &ps, err, sizeof(err));
	darwin_set_captured(NULL);
	if (rc != 0 || ps.n_updates != 1 || ps.n_security != 1 || ps.n_indexes != 1 ||
	    strcmp(ps.updates[0].name, "Safari") != 0 ||
	    strcmp(ps.updates[0].candidate, "17.3.1") != 0 || ps.last_check < 0)
		fail_msg("expected Safari 17.3.1 pending as a security update, checked, came %d "
		         "'%s': %zu updates, %zu security, checked %lld",
		         rc, err, ps.n_updates, ps.n_security, ps.last_check);
	printf("captured list: %s %s (security %d)\n", ps.updates[0].name, ps.updates[0].candidate,
	       ps.updates[0].security);
	patch_state_free(&ps);
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
		cmocka_unit_test(filevault_from_captured_answers),
		cmocka_unit_test(pending_updates_from_software_update),
		cmocka_unit_test(automatic_updates_with_macos_defaults_named),
		cmocka_unit_test(screen_lock_profile_over_user),
		cmocka_unit_test(the_application_firewall_as_alf_keeps_it),
		cmocka_unit_test(the_firewall_from_socketfilterfw_and_a_profile),
		cmocka_unit_test(sip_and_gatekeeper),
		cmocka_unit_test(sysadminctl_answers),
		cmocka_unit_test(xprotect_from_install_history),
		cmocka_unit_test(managed_settings_from_the_example_profile),
		cmocka_unit_test(softwareupdate_list),
		cmocka_unit_test(apps_by_bundle_id_and_by_name),
		cmocka_unit_test(browsers_are_app_bundles_of_known_vendors),
		cmocka_unit_test(other_roots_keep_the_native_probes),
		cmocka_unit_test(a_broken_system_version_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
