/*
 * libFuzzer target: dnf's cached metadata as the os_patch probe reads it.
 * The input is split at NUL bytes into a .repo file, repomd.xml, a primary
 * list and an updateinfo, written into a scratch root that holds a copy of
 * the fedora40-dnf fixture's rpm database (run from the repository's top).
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root_dir[64];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	nftw(root_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void put(const char *rel, const char *text, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root_dir, rel);
	f = fopen(path, "w");
	if (f == NULL)
		abort();
	fwrite(text, 1, len, f);
	fclose(f);
}

static void setup(void)
{
	char cmd[512];

	snprintf(root_dir, sizeof(root_dir), "/tmp/posture-fuzz-dnf.XXXXXX");
	if (mkdtemp(root_dir) == NULL)
		abort();
	atexit(cleanup);
	snprintf(cmd, sizeof(cmd),
	         "mkdir -p %s/usr/lib/sysimage/rpm %s/etc/yum.repos.d "
	         "%s/var/cache/dnf/fuzz-0123456789abcdef/repodata && "
	         "cp tests/fixtures/roots/fedora40-dnf/usr/lib/sysimage/rpm/rpmdb.sqlite "
	         "%s/usr/lib/sysimage/rpm/",
	         root_dir, root_dir, root_dir, root_dir);
	if (system(cmd) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const files[] = {
		"etc/yum.repos.d/fuzz.repo",
		"var/cache/dnf/fuzz-0123456789abcdef/repodata/repomd.xml",
		"var/cache/dnf/fuzz-0123456789abcdef/repodata/primary.xml",
		"var/cache/dnf/fuzz-0123456789abcdef/repodata/updateinfo.xml",
	};
	const char *p = (const char *)data, *end = p + size;
	struct patch_state ps;
	struct rootfs *root;
	char err[512];
	size_t i;

	if (root_dir[0] == '\0')
		setup();
	for (i = 0; i < 4; i++) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		size_t len = nul ? (size_t)(nul - p) : (size_t)(end - p);

		put(files[i], p, len);
		p = nul ? nul + 1 : end;
	}
	if (rootfs_open(&root, root_dir, err, sizeof(err)) != 0)
		abort();
	if (probe_os_patch(root, &ps, err, sizeof(err)) == 0) {
		if (ps.n_security > ps.n_updates)
			__builtin_trap();
		patch_state_free(&ps);
	}
	rootfs_close(root);
	return 0;
}
