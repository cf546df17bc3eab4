/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rootfs: resolution stays below the root whatever links the tree holds.
 */
#include "rootfs.h"
#include "testutil.h"

static char *tree;
static struct rootfs *root;

static int setup(void **state)
{
	char err[256];

	(void)state;
	tree = tu_mkdtemp();
	tu_write(tree, "etc/os-release", "ID=debian\n");
	tu_write(tree, "usr/lib/os-release", "ID=fedora\n");
	tu_write(tree, "secret-inside", "inside\n");
	/* Links as distributions ship them. */
	tu_symlink(tree, "etc/absolute-link", "/usr/lib/os-release");
	tu_symlink(tree, "etc/relative-link", "../usr/lib/os-release");
	tu_symlink(tree, "lib", "usr/lib");
	/* Links that try to leave the root. */
	tu_symlink(tree, "etc/escape", "../../../../../../etc/passwd");
	tu_symlink(tree, "etc/escape-dir", "../..");
	tu_symlink(tree, "etc/loop-a", "loop-b");
	tu_symlink(tree, "etc/loop-b", "loop-a");
	/* An absolute link to the host's /etc resolves inside the root. */
	tu_symlink(tree, "hostetc", "/etc");
	assert_int_equal(rootfs_open(&root, tree, err, sizeof(err)), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rootfs_close(root);
	tu_rm_rf(tree);
	free(tree);
	return 0;
}

static void read_ok(const char *path, const char *want)
{
	char *buf = NULL;
	int rc = rootfs_read_file(root, path, 4096, &buf, NULL);

	if (rc != 0)
		fail_msg("%s: %s", path, strerror(-rc));
	assert_string_equal(buf, want);
	free(buf);
}

static void plain_and_links(void **state)
{
	(void)state;
	read_ok("/etc/os-release", "ID=debian\n");
	read_ok("etc/os-release", "ID=debian\n");
	read_ok("/etc/absolute-link", "ID=fedora\n");
	read_ok("/etc/relative-link", "ID=fedora\n");
	read_ok("/lib/os-release", "ID=fedora\n");
	read_ok("/hostetc/os-release", "ID=debian\n");
	read_ok("//etc/./os-release", "ID=debian\n");
	read_ok("/usr/../etc/os-release", "ID=debian\n");
}

static void escapes_refused(void **state)
{
	char *buf = NULL;

	(void)state;
	assert_int_equal(rootfs_read_file(root, "/../etc/passwd", 4096, &buf, NULL), -EXDEV);
	assert_int_equal(rootfs_read_file(root, "/etc/../../etc/passwd", 4096, &buf, NULL), -EXDEV);
	assert_int_equal(rootfs_read_file(root, "/etc/escape", 4096, &buf, NULL), -EXDEV);
	assert_int_equal(rootfs_read_file(root, "/etc/escape-dir/etc/passwd", 4096, &buf, NULL),
	                 -EXDEV);
	assert_int_equal(rootfs_read_file(root, "/etc/loop-a", 4096, &buf, NULL), -ELOOP);
	assert_null(buf);
}

static void errors(void **state)
{
	char *buf = NULL, link[256];
	struct stat st;
	int err = 0;
	DIR *d;

	(void)state;
	assert_int_equal(rootfs_read_file(root, "/nope", 4096, &buf, NULL), -ENOENT);
	assert_int_equal(rootfs_read_file(root, "/etc", 4096, &buf, NULL), -EISDIR);
	assert_int_equal(rootfs_read_file(root, "/etc/os-release/x", 4096, &buf, NULL), -ENOTDIR);
	assert_int_equal(rootfs_read_file(root, "/etc/os-release", 4, &buf, NULL), -EFBIG);
	assert_int_equal(rootfs_readlink(root, "/etc/absolute-link", link, sizeof(link)),
	                 (int)strlen("/usr/lib/os-release"));
	assert_string_equal(link, "/usr/lib/os-release");
	assert_int_equal(rootfs_readlink(root, "/etc/os-release", link, sizeof(link)), -EINVAL);
	assert_int_equal(rootfs_stat(root, "/lib", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	d = rootfs_opendir(root, "/etc", &err);
	assert_non_null(d);
	closedir(d);
	assert_null(rootfs_opendir(root, "/etc/escape-dir", &err));
	assert_int_equal(err, -EXDEV);
	assert_false(rootfs_is_host(root));
}

static void host_root(void **state)
{
	struct rootfs *host = NULL;
	char err[256], *buf = NULL;

	(void)state;
	assert_int_equal(rootfs_open(&host, "/", err, sizeof(err)), 0);
	assert_true(rootfs_is_host(host));
	assert_int_equal(rootfs_read_file(host, "/proc/self/stat", 65536, &buf, NULL), 0);
	free(buf);
	/* ".." at the host's root is refused too, not clamped. */
	assert_int_equal(rootfs_read_file(host, "/../etc/hostname", 4096, &buf, NULL), -EXDEV);
	rootfs_close(host);
	assert_int_not_equal(rootfs_open(&host, "/nonexistent-root", err, sizeof(err)), 0);
	assert_non_null(strstr(err, "/nonexistent-root"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_and_links),
		cmocka_unit_test(escapes_refused),
		cmocka_unit_test(errors),
		cmocka_unit_test(host_root),
	};

	return cmocka_run_group_tests_name("rootfs", tests, setup, teardown);
}
