/*
 * libFuzzer target: apt's inputs as the os_patch probe reads them. The input
 * is split at NUL bytes into sources.list, a preferences file, an InRelease
 * file, a Packages list and dpkg's status, written into a scratch root that
 * the probe then reads.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The scratch tree goes when the process ends. */
static void cleanup(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char root_dir[64];

static void put(const char *rel, const char *text, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root_dir, rel);
	f = fopen(path, "w");
	if (f == NULL)
		abort();
	fwrite(text, 1, len, f);
	fclose(f);
}

static void cleanup_root(void)
{
	cleanup(root_dir);
}

static void setup(void)
{
	static const char *const dirs[] = {
		"etc",     "etc/apt",      "etc/apt/preferences.d", "etc/apt/sources.list.d", "var",
		"var/lib", "var/lib/dpkg", "var/lib/apt",           "var/lib/apt/lists"
	};
	char path[256];
	size_t i;

	snprintf(root_dir, sizeof(root_dir), "/tmp/posture-fuzz-apt.XXXXXX");
	if (mkdtemp(root_dir) == NULL)
		abort();
	atexit(cleanup_root);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root_dir, dirs[i]);
		mkdir(path, 0755);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const files[] = {
		"etc/apt/sources.list",
		"etc/apt/preferences",
		"var/lib/apt/lists/deb.example.org_debian_dists_stable_InRelease",
		"var/lib/apt/lists/deb.example.org_debian_dists_stable_main_binary-amd64_Packages",
		"var/lib/dpkg/status",
	};
	const char *p = (const char *)data, *end = p + size;
	struct patch_state ps;
	struct rootfs *root;
	char err[512];
	size_t i;

	if (root_dir[0] == '\0')
		setup();
	for (i = 0; i < 5; i++) {
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
