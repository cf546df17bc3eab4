/* SPDX-License-Identifier: Apache-2.0 */
/*
 * browser_version against the browsers themselves: every browser binary on
 * this machine is run with --version, and the probe must report an
 * installation with exactly that version. Needs Debian's chromium and
 * firefox-esr installed (scripts/install-deps.sh --real); run by
 * `make test-real`.
 */
#include "testutil.h"

#include "probe.h"

static const struct {
	const char *binary;
	const char *browser;
	int required;
} binaries[] = {
	{ "/usr/bin/chromium", "chromium", 1 },
	{ "/usr/bin/firefox-esr", "firefox", 1 },
	{ "/usr/bin/firefox", "firefox", 0 },
	{ "/usr/bin/google-chrome-stable", "chrome", 0 },
	{ "/usr/bin/microsoft-edge-stable", "edge", 0 },
};

/* "Chromium 156.0.8078.108 built on Debian ..." or "Mozilla Firefox
 * 153.7.0esr": the first word that starts with a digit. */
static void printed_version(const char *out, char *version, size_t len)
{
	const char *p = out;

	version[0] = '\0';
	while (*p) {
		while (*p == ' ' || *p == '\n')
			p++;
		if (*p >= '0' && *p <= '9') {
			snprintf(version, len, "%.*s", (int)strcspn(p, " \n"), p);
			return;
		}
		p += strcspn(p, " \n");
	}
}

static void versions_match_the_binaries(void **state)
{
	struct browser_install *b = NULL;
	struct rootfs *root;
	char err[256];
	size_t n = 0, i, k, checked = 0;

	(void)state;
	assert_int_equal(rootfs_open(&root, "/", err, sizeof(err)), 0);
	assert_int_equal(probe_browsers(root, &b, &n, err, sizeof(err)), 0);
	for (i = 0; i < sizeof(binaries) / sizeof(binaries[0]); i++) {
		char *argv[] = { (char *)binaries[i].binary, "--version", NULL };
		char *out = NULL, version[128];
		int found = 0;

		if (access(binaries[i].binary, X_OK) != 0) {
			if (binaries[i].required)
				fail_msg("%s is not installed; run scripts/install-deps.sh --real",
				         binaries[i].binary);
			continue;
		}
		assert_int_equal(tu_run(argv, &out, NULL), 0);
		printed_version(out, version, sizeof(version));
		for (k = 0; k < n; k++)
			if (strcmp(b[k].name, binaries[i].browser) == 0 &&
			    strcmp(b[k].version, version) == 0)
				found = 1;
		if (!found)
			fail_msg("%s --version says '%s'; the probe found no %s %s", binaries[i].binary,
			         version, binaries[i].browser, version);
		print_message("%s --version: %s, as the probe says\n", binaries[i].binary, version);
		free(out);
		checked++;
	}
	assert_true(checked >= 2);
	free(b);
	rootfs_close(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(versions_match_the_binaries),
	};

	return cmocka_run_group_tests_name("browsers_real", tests, NULL, NULL);
}
