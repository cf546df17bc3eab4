/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: dnf's cached metadata as the os_patch probe reads it.
 * The input is split at NUL bytes into a .repo file, repomd.xml, a primary
 * list and an updateinfo, written into a scratch root that holds a copy of
 * the fedora40-dnf fixture's rpm database (run from the repository's top).
 */
#include "scratch.h"

#include <stddef.h>
#include <stdint.h>

#include "probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const dirs[] = { "etc",
		                            "etc/yum.repos.d",
		                            "usr",
		                            "usr/lib",
		                            "usr/lib/sysimage",
		                            "usr/lib/sysimage/rpm",
		                            "var",
		                            "var/cache",
		                            "var/cache/dnf",
		                            "var/cache/dnf/fuzz-0123456789abcdef",
		                            "var/cache/dnf/fuzz-0123456789abcdef/repodata" };
	static const char *const files[] = {
		"etc/yum.repos.d/fuzz.repo",
		"var/cache/dnf/fuzz-0123456789abcdef/repodata/repomd.xml",
		"var/cache/dnf/fuzz-0123456789abcdef/repodata/primary.xml",
		"var/cache/dnf/fuzz-0123456789abcdef/repodata/updateinfo.xml",
	};
	struct patch_state ps;
	struct rootfs *root;
	char err[512];

	if (scratch_init("dnf", dirs, sizeof(dirs) / sizeof(dirs[0]))) {
		FILE *in = fopen(
		    "tests/fixtures/roots/fedora40-dnf/usr/lib/sysimage/rpm/rpmdb.sqlite", "rb");
		char path[512], buf[65536];
		size_t n;
		FILE *out;

		snprintf(path, sizeof(path), "%s/usr/lib/sysimage/rpm/rpmdb.sqlite", scratch_dir);
		out = fopen(path, "wb");
		if (in == NULL || out == NULL)
			abort();
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			fwrite(buf, 1, n, out);
		fclose(in);
		fclose(out);
	}
	scratch_put_parts(data, size, files, 4);
	if (rootfs_open(&root, scratch_dir, err, sizeof(err)) != 0)
		abort();
	if (probe_os_patch(root, &ps, err, sizeof(err)) == 0) {
		if (ps.n_security > ps.n_updates)
			__builtin_trap();
		patch_state_free(&ps);
	}
	rootfs_close(root);
	return 0;
}
