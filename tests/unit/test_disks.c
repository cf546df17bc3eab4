/* SPDX-License-Identifier: Apache-2.0 */
/*
 * disk_encryption's probe: LUKS headers written by the real cryptsetup
 * (luksFormat on image files, read back as unopened devices, versions
 * checked against `cryptsetup luksDump`), and this machine's mounts against
 * lsblk, which walks the same /sys stack from the other side: a filesystem
 * is encrypted when a "crypt" device is among its ancestors (`lsblk -s`).
 */
#include "testutil.h"

#include "probe.h"

static int have(const char *tool)
{
	char *argv[] = { "sh", "-c", NULL, NULL };
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null", tool);
	argv[2] = cmd;
	return tu_run(argv, NULL, NULL) == 0;
}

static void luks_headers_from_cryptsetup(void **state)
{
	char *dir = tu_mkdtemp(), img[4200], err[256];
	static const char *const types[] = { "luks1", "luks2" };
	struct rootfs *root;
	size_t t;

	(void)state;
	if (!have("cryptsetup"))
		fail_msg("cryptsetup is missing: run scripts/install-deps.sh");
	assert_int_equal(rootfs_open(&root, dir, err, sizeof(err)), 0);
	for (t = 0; t < 2; t++) {
		char cmd[8600], *out = NULL, want[16];
		char *sh[] = { "sh", "-c", cmd, NULL };
		int version;

		snprintf(img, sizeof(img), "%s/%s.img", dir, types[t]);
		snprintf(cmd, sizeof(cmd),
		         "truncate -s 20M %s && printf fixture | cryptsetup luksFormat --type %s "
		         "--batch-mode --pbkdf pbkdf2 --pbkdf-force-iterations 1000 %s - && "
		         "cryptsetup luksDump %s | sed -n 's/^Version:[[:space:]]*//p'",
		         img, types[t], img, img);
		assert_int_equal(tu_run(sh, &out, NULL), 0);
		snprintf(want, sizeof(want), "%.*s", (int)strcspn(out, "\n"), out);
		snprintf(img, sizeof(img), "/%s.img", types[t]);
		version = probe_luks_version(root, img);
		assert_int_equal(version, atoi(want));
		print_message(
		    "cryptsetup luksFormat --type %s: luksDump says version %s, the probe "
		    "%d\n",
		    types[t], want, version);
		free(out);
	}
	tu_write(dir, "plain.img", "not a LUKS device at all");
	assert_int_equal(probe_luks_version(root, "/plain.img"), 0);
	rootfs_close(root);
	tu_rm_rf(dir);
	free(dir);
}

static void this_machine_agrees_with_lsblk(void **state)
{
	struct volume *v = NULL;
	struct rootfs *root;
	char err[256];
	size_t n = 0, i, checked = 0;

	(void)state;
	assert_int_equal(rootfs_open(&root, "/", err, sizeof(err)), 0);
	assert_int_equal(probe_disk_encryption(root, &v, &n, err, sizeof(err)), 0);
	for (i = 0; i < n; i++) {
		char *argv[] = { "lsblk", "-s", "-n", "-r", "-o", "TYPE", v[i].device, NULL };
		char *out = NULL;
		int crypt;

		if (v[i].kind != VOLUME_FILESYSTEM || v[i].encrypted < 0 ||
		    strncmp(v[i].device, "/dev/", 5) != 0)
			continue;
		if (tu_run(argv, &out, NULL) != 0) {
			free(out);
			continue; /* lsblk cannot see it either (a container) */
		}
		crypt = strstr(out, "crypt") != NULL;
		if (crypt != v[i].encrypted)
			fail_msg("%s on %s: lsblk says %s, the probe %s", v[i].mount, v[i].device,
			         crypt ? "crypt" : "no crypt",
			         v[i].encrypted ? "encrypted" : "not");
		print_message("%s (%s): %s, as lsblk says\n", v[i].mount, v[i].device,
		              crypt ? "encrypted" : "not encrypted");
		free(out);
		checked++;
	}
	free(v);
	rootfs_close(root);
	print_message("%zu mounts compared with lsblk\n", checked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(luks_headers_from_cryptsetup),
		cmocka_unit_test(this_machine_agrees_with_lsblk),
	};

	return cmocka_run_group_tests_name("disks", tests, NULL, NULL);
}
