/* SPDX-License-Identifier: Apache-2.0 */
/*
 * password_policy on Linux, against oracles nobody here wrote:
 *   - libpwquality's own reading of pwquality.conf and its .d directory, and
 *     its check() for the shortest password accepted (python3-pwquality,
 *     through tests/integration/pwquality_oracle.py);
 *   - shadow's `passwd -R ROOT -S -a` for which accounts have no password
 *     ("NP");
 * and the PAM stack rules of platform/linux/password.c on Debian 12's files
 * (tests/fixtures/make-password-fixtures.sh).
 */
#include "testutil.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "password.h"
#include "probe.h"

#define FIXTURES "tests/fixtures/roots/"
#define ORACLE "tests/integration/pwquality_oracle.py"

static int have_oracle(void)
{
	char *argv[] = { "/usr/bin/python3", "-c", "import pwquality", NULL };

	return access("/usr/bin/python3", X_OK) == 0 && tu_run(argv, NULL, NULL) == 0;
}

static struct rootfs *open_root(const char *dir)
{
	struct rootfs *root = NULL;
	char err[256];

	if (rootfs_open(&root, dir, err, sizeof(err)) != 0)
		fail_msg("cannot open root %s: %s", dir, err);
	return root;
}

/* A copy of the fixture root NAME in a fresh directory. */
static char *copy_fixture(const char *name)
{
	char *dir = tu_mkdtemp(), src[512];
	char *argv[] = { "cp", "-a", src, dir, NULL };

	snprintf(src, sizeof(src), FIXTURES "%s/.", name);
	assert_int_equal(tu_run(argv, NULL, NULL), 0);
	return dir;
}

struct pwq_case {
	const char *what;
	const char *conf;       /* pwquality.conf, NULL for Debian's shipped one */
	const char *d[3][2];    /* pwquality.conf.d files: name, text */
	const char *options[4]; /* pam_pwquality arguments */
};

static const struct pwq_case pwq_cases[] = {
	{ "the fixture's pwquality.conf (Debian's, and minlen = 14)", NULL, { { 0 } }, { 0 } },
	{ "an admin's minlen", "minlen = 14\n", { { 0 } }, { 0 } },
	{ "minlen below libpwquality's floor of 6", "minlen=3\n", { { 0 } }, { 0 } },
	{ "names in any case, a space for '='", "MinLen 11\n", { { 0 } }, { 0 } },
	{ "a comment after the value", "minlen = 12 # the site's policy\n", { { 0 } }, { 0 } },
	{ "credits, one negative",
	  "minlen=12\n  dcredit=-1\nucredit = 1\nlcredit=1\nocredit=2\n",
	  { { 0 } },
	  { 0 } },
	{ "more credit than half of minlen",
	  "minlen=10\ndcredit=4\nucredit=4\nlcredit=4\n"
	  "ocredit=4\ndictcheck=0\n",
	  { { 0 } },
	  { 0 } },
	{ "credits below 6 without the dictionary check",
	  "minlen=6\ndcredit=3\ndictcheck=0\n",
	  { { 0 } },
	  { 0 } },
	{ "credits below 6 with the dictionary check", "minlen=6\ndcredit=3\n", { { 0 } }, { 0 } },
	{ "conf.d in name order, the file last",
	  "difok = 5\n",
	  { { "20-b.conf", "minlen = 13\n" },
	    { "10-a.conf", "minlen = 9\n" },
	    { "30-c.conf.bak", "minlen = 25\n" } },
	  { 0 } },
	{ "the file overrides conf.d",
	  "minlen = 7\n",
	  { { "50-site.conf", "minlen = 15\n" } },
	  { 0 } },
	{ "an unknown name in conf.d ends the reading",
	  "minlen = 15\n",
	  { { "10-a.conf", "minlen = 10\nfrobnicate = 1\nminlen = 20\n" } },
	  { 0 } },
	{ "a value that is no integer ends the reading",
	  "minlen = 9\nminlen = 12abc\nminlen = 16\n",
	  { { 0 } },
	  { 0 } },
	{ "pam_pwquality's arguments override the files",
	  "minlen = 9\n",
	  { { 0 } },
	  { "retry=3", "minlen=16", "dcredit=1", "local_users_only" } },
	{ "a refused argument is ignored", "minlen = 9\n", { { 0 } }, { "minlen=x", "bogus=1" } },
};

static void pwquality_as_libpwquality_reads_it(void **state)
{
	size_t i;

	(void)state;
	if (!have_oracle())
		skip(); /* python3-pwquality (scripts/install-deps.sh installs it) */
	for (i = 0; i < sizeof(pwq_cases) / sizeof(pwq_cases[0]); i++) {
		const struct pwq_case *c = &pwq_cases[i];
		char *dir = copy_fixture("passwords-debian12-pwquality"), conf[600], *out = NULL;
		char *argv[12] = { "/usr/bin/python3", ORACLE, conf };
		struct rootfs *root;
		struct pwquality q;
		int want[8], n = 3, k, ours[8];
		size_t j;

		snprintf(conf, sizeof(conf), "%s/etc/security/pwquality.conf", dir);
		if (c->conf != NULL)
			tu_write(dir, "etc/security/pwquality.conf", c->conf);
		for (j = 0; j < 3 && c->d[j][0] != NULL; j++) {
			char rel[128];

			snprintf(rel, sizeof(rel), "etc/security/pwquality.conf.d/%s", c->d[j][0]);
			tu_write(dir, rel, c->d[j][1]);
		}
		for (j = 0; j < 4 && c->options[j] != NULL; j++)
			argv[n++] = (char *)c->options[j];
		argv[n] = NULL;
		assert_int_equal(tu_run(argv, &out, NULL), 0);
		if (sscanf(out, "%d %d %d %d %d %d %d %d", &want[0], &want[1], &want[2], &want[3],
		           &want[4], &want[5], &want[6], &want[7]) != 8)
			fail_msg("%s: the oracle printed '%s'", c->what, out);
		root = open_root(dir);
		pwquality_read(root, &q);
		for (j = 0; j < 4 && c->options[j] != NULL; j++)
			pwquality_apply_option(&q, c->options[j]);
		ours[0] = q.minlen;
		ours[1] = q.dcredit;
		ours[2] = q.ucredit;
		ours[3] = q.lcredit;
		ours[4] = q.ocredit;
		ours[5] = q.dictcheck;
		ours[6] = q.enforcing;
		ours[7] = pwquality_shortest(&q);
		for (k = 0; k < 8; k++)
			if (ours[k] != want[k])
				fail_msg(
				    "%s: libpwquality says minlen dcredit ucredit lcredit ocredit "
				    "dictcheck enforcing shortest = %s; ours has %d where it has "
				    "%d "
				    "(field %d)",
				    c->what, out, ours[k], want[k], k + 1);
		printf("pwquality: %s: minlen %d, shortest %d, as libpwquality\n", c->what, ours[0],
		       ours[7]);
		rootfs_close(root);
		free(out);
		tu_rm_rf(dir);
		free(dir);
	}
}

/* The "NP" accounts of passwd -S -a -R DIR, ", "-joined. */
static void np_accounts(const char *dir, char *out, size_t out_len)
{
	char *argv[] = { "passwd", "-R", (char *)dir, "-S", "-a", NULL }, *text = NULL, *line,
	     *save;

	out[0] = '\0';
	if (tu_run(argv, &text, NULL) != 0)
		fail_msg("passwd -R %s -S -a failed: %s", dir, text ? text : "");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64], status[8];

		if (sscanf(line, "%63s %7s", name, status) == 2 && strcmp(status, "NP") == 0)
			snprintf(out + strlen(out), out_len - strlen(out), "%s%s",
			         out[0] ? ", " : "", name);
	}
	free(text);
}

static void probe_np(const char *dir, char *out, size_t out_len, struct password_state *ps)
{
	struct rootfs *root = open_root(dir);
	char err[256];
	size_t i;

	if (probe_password_policy(root, ps, err, sizeof(err)) != 0)
		fail_msg("probe_password_policy(%s): %s", dir, err);
	out[0] = '\0';
	for (i = 0; i < ps->n_empty && i < PASSWORD_LISTED; i++)
		snprintf(out + strlen(out), out_len - strlen(out), "%s%s", i ? ", " : "",
		         ps->empty[i]);
	rootfs_close(root);
}

static void empty_passwords_as_passwd_says(void **state)
{
	static const char *const roots[] = { "passwords-debian12-unix",
		                             "passwords-debian12-pwquality" };
	char want[1024], got[1024];
	struct password_state ps;
	char *dir;
	size_t i;

	(void)state;
	if (geteuid() != 0 || access("/usr/bin/passwd", X_OK) != 0)
		skip(); /* passwd -R chroots: root only */
	for (i = 0; i < 2; i++) {
		dir = copy_fixture(roots[i]);
		np_accounts(dir, want, sizeof(want));
		probe_np(dir, got, sizeof(got), &ps);
		if (strcmp(want, got) != 0)
			fail_msg("%s: passwd -S says no password for '%s'; the probe found '%s'",
			         roots[i], want, got);
		printf("empty passwords: %s: '%s', as passwd -S -a\n", roots[i], got);
		tu_rm_rf(dir);
		free(dir);
	}
	/* passwd(5)'s and shadow(5)'s other shapes: an empty field in passwd,
	 * "x" without a shadow line, locked ("!", "!!", "!" before a hash,
	 * "*"), an empty hash */
	dir = copy_fixture("passwords-debian12-unix");
	tu_write(dir, "etc/passwd",
	         "root:x:0:0:root:/root:/bin/sh\n"
	         "nopw::1001:1001::/home/nopw:/bin/sh\n"
	         "emptyhash:x:1002:1002::/home/e:/bin/sh\n"
	         "noshadow:x:1003:1003::/home/n:/bin/sh\n"
	         "lock1:x:1004:1004::/home/l1:/bin/sh\n"
	         "lock2:x:1005:1005::/home/l2:/bin/sh\n"
	         "lock3:x:1006:1006::/home/l3:/bin/sh\n"
	         "star:x:1007:1007::/home/s:/usr/sbin/nologin\n"
	         "hashed:x:1008:1008::/home/h:/bin/sh\n"
	         "emptyhash2:x:1009:1009::/home/e2:/bin/sh\n");
	tu_write(dir, "etc/shadow",
	         "root:*:20000:0:99999:7:::\n"
	         "lock1:!:20000:0:99999:7:::\n"
	         "emptyhash2::20000:0:99999:7:::\n"
	         "lock2:!!:20000:0:99999:7:::\n"
	         "lock3:!$6$abc$def:20000:0:99999:7:::\n"
	         "star:*:20000:0:99999:7:::\n"
	         "hashed:$6$abc$def:20000:0:99999:7:::\n"
	         "emptyhash::20000:0:99999:7:::\n");
	np_accounts(dir, want, sizeof(want));
	probe_np(dir, got, sizeof(got), &ps);
	if (strcmp(want, got) != 0)
		fail_msg("shapes: passwd -S says no password for '%s'; the probe found '%s'", want,
		         got);
	printf("empty passwords: passwd(5)/shadow(5) shapes: '%s', as passwd -S -a\n", got);
	tu_rm_rf(dir);
	free(dir);
}

static void expect_length(const char *dir, int want, const char *from)
{
	struct password_state ps;
	char names[512];

	probe_np(dir, names, sizeof(names), &ps);
	if (ps.min_length != want || !tu_matches(from, ps.min_length_from))
		fail_msg("expected min_length %d from /%s/, got %d from '%s'", want, from,
		         ps.min_length, ps.min_length_from);
}

static void pam_stack_rules(void **state)
{
	char *dir;

	(void)state;
	/* Debian 12 as installed: pam_unix alone, its default of 6 */
	expect_length(FIXTURES "passwords-debian12-unix", 6,
	              "^pam_unix\\.so, in /etc/pam\\.d/common-password:25$");
	/* with libpam-pwquality and an admin's minlen = 14 */
	expect_length(FIXTURES "passwords-debian12-pwquality", 14,
	              "^pam_pwquality\\.so \\(minlen 14 from "
	              "/etc/security/pwquality\\.conf:[0-9]+\\), in "
	              "/etc/pam\\.d/common-password:25$");
	dir = copy_fixture("passwords-debian12-pwquality");
	/* the module's argument wins over the file */
	tu_write(dir, "etc/pam.d/common-password",
	         "password requisite pam_pwquality.so retry=3 minlen=16\n"
	         "password [success=1 default=ignore] pam_unix.so obscure use_authtok "
	         "try_first_pass yescrypt\n"
	         "password requisite pam_deny.so\npassword required pam_permit.so\n");
	expect_length(dir, 16, "argument minlen=16");
	/* the longest minimum of the stack, here pam_unix's, and a line
	 * continued with a backslash, and a full module path */
	tu_write(dir, "etc/pam.d/common-password",
	         "password requisite pam_pwquality.so retry=3\n"
	         "password [success=1 default=ignore] \\\n"
	         "  /lib/x86_64-linux-gnu/security/pam_unix.so obscure minlen=20\n");
	expect_length(dir, 20, "^pam_unix\\.so, in /etc/pam\\.d/common-password:2$");
	/* enforcing = 0: pam_pwquality only warns, pam_unix's 6 decides */
	tu_write(dir, "etc/security/pwquality.conf", "minlen = 14\nenforcing = 0\n");
	tu_write(dir, "etc/pam.d/common-password",
	         "password requisite pam_pwquality.so retry=3\n"
	         "password [success=1 default=ignore] pam_unix.so obscure yescrypt\n");
	expect_length(dir, 6, "^pam_unix");
	/* Fedora's shape: passwd's stack through substack and include */
	tu_write(dir, "etc/security/pwquality.conf", "# defaults\n");
	tu_write(dir, "etc/pam.d/passwd",
	         "#%PAM-1.0\n"
	         "auth       include      system-auth\n"
	         "password   substack     system-auth\n"
	         "-password  optional     pam_gnome_keyring.so use_authtok\n");
	tu_write(dir, "etc/pam.d/system-auth",
	         "password    requisite     pam_pwquality.so local_users_only minlen=11\n"
	         "password    sufficient    pam_unix.so yescrypt shadow nullok use_authtok\n"
	         "password    required      pam_deny.so\n");
	expect_length(dir, 11, "system-auth:1$");
	/* nothing that enforces a length */
	tu_write(dir, "etc/pam.d/system-auth", "password required pam_sss.so\n");
	expect_length(dir, 0, "^$");
	tu_rm_rf(dir);
	free(dir);
}

static void pam_include_loop_is_an_error(void **state)
{
	char *dir = copy_fixture("passwords-debian12-unix"), err[256];
	struct password_state ps;
	struct rootfs *root;
	int rc;

	(void)state;
	tu_write(dir, "etc/pam.d/common-password", "@include common-password\n");
	root = open_root(dir);
	rc = probe_password_policy(root, &ps, err, sizeof(err));
	if (rc != -ELOOP || !tu_matches("nest more than", err))
		fail_msg("expected -ELOOP and 'nest more than', got %d '%s'", rc, err);
	rootfs_close(root);
	tu_rm_rf(dir);
	free(dir);
}

static void login_defs_without_pam(void **state)
{
	char *dir = copy_fixture("passwords-debian12-unix"), pamd[600];

	(void)state;
	snprintf(pamd, sizeof(pamd), "%s/etc/pam.d", dir);
	tu_rm_rf(pamd);
	expect_length(dir, 0, "^$");
	tu_write(dir, "etc/login.defs", "# shadow without PAM\nPASS_MIN_LEN\t9\n");
	expect_length(dir, 9, "^PASS_MIN_LEN in /etc/login\\.defs");
	tu_rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pwquality_as_libpwquality_reads_it),
		cmocka_unit_test(empty_passwords_as_passwd_says),
		cmocka_unit_test(pam_stack_rules),
		cmocka_unit_test(pam_include_loop_is_an_error),
		cmocka_unit_test(login_defs_without_pam),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
