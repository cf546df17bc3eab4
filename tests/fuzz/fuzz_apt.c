/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: apt's inputs as the os_patch probe reads them. The input
 * is split at NUL bytes into sources.list, a preferences file, an InRelease
 * file, a Packages list and dpkg's status, written into a scratch root that
 * the probe then reads.
 */
#include "scratch.h"

#include <stddef.h>
#include <stdint.h>

#include "probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const dirs[] = {
		"etc",     "etc/apt",      "etc/apt/preferences.d", "etc/apt/sources.list.d", "var",
		"var/lib", "var/lib/dpkg", "var/lib/apt",           "var/lib/apt/lists"
	};
	static const char *const files[] = {
		"etc/apt/sources.list",
		"etc/apt/preferences",
		"var/lib/apt/lists/deb.example.org_debian_dists_stable_InRelease",
		"var/lib/apt/lists/deb.example.org_debian_dists_stable_main_binary-amd64_Packages",
		"var/lib/dpkg/status",
	};
	struct patch_state ps;
	struct rootfs *root;
	char err[512];

	scratch_init("apt", dirs, sizeof(dirs) / sizeof(dirs[0]));
	scratch_put_parts(data, size, files, 5);
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
