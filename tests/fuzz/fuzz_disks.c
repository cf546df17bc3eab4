/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: what the disk_encryption probe reads. The input is split
 * at NUL bytes into /proc/1/mountinfo, /proc/swaps, a dm uuid and a loop
 * backing file, written into a scratch root with a small /sys block tree
 * (a partition, a dm device over it, a loop device) for them to refer to.
 */
#include "scratch.h"

#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void link_to(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", scratch_dir, rel);
	if (symlink(target, path) != 0)
		abort();
}

static void setup(void)
{
	static const char *const dirs[] = {
		"proc",
		"proc/1",
		"sys",
		"sys/devices",
		"sys/devices/virtual",
		"sys/devices/virtual/block",
		"sys/devices/virtual/block/dm-0",
		"sys/devices/virtual/block/dm-0/dm",
		"sys/devices/virtual/block/dm-0/slaves",
		"sys/devices/virtual/block/sda1",
		"sys/devices/virtual/block/sda1/holders",
		"sys/devices/virtual/block/loop0",
		"sys/devices/virtual/block/loop0/loop",
		"sys/class",
		"sys/class/block",
		"sys/block",
		"sys/dev",
		"sys/dev/block",
		"dev",
	};

	if (!scratch_init("disks", dirs, sizeof(dirs) / sizeof(dirs[0])))
		return;
	scratch_put("sys/devices/virtual/block/dm-0/dm/name", "crypt\n", 6);
	link_to("../../../../devices/virtual/block/sda1",
	        "sys/devices/virtual/block/dm-0/slaves/sda1");
	link_to("../../../devices/virtual/block/dm-0", "sys/class/block/dm-0");
	link_to("../../../devices/virtual/block/sda1", "sys/class/block/sda1");
	link_to("../../../devices/virtual/block/loop0", "sys/class/block/loop0");
	link_to("../devices/virtual/block/dm-0", "sys/block/dm-0");
	link_to("../../devices/virtual/block/dm-0", "sys/dev/block/253:0");
	link_to("../../devices/virtual/block/sda1", "sys/dev/block/8:1");
	link_to("../../devices/virtual/block/loop0", "sys/dev/block/7:0");
	scratch_put("dev/sda1", "LUKS\xba\xbe\x00\x02", 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const files[] = {
		"proc/1/mountinfo",
		"proc/swaps",
		"sys/devices/virtual/block/dm-0/dm/uuid",
		"sys/devices/virtual/block/loop0/loop/backing_file",
	};
	struct volume *v = NULL;
	struct rootfs *root;
	char err[256];
	size_t i, n = 0;

	setup();
	scratch_put_parts(data, size, files, 4);
	if (rootfs_open(&root, scratch_dir, err, sizeof(err)) != 0)
		abort();
	if (probe_disk_encryption(root, &v, &n, err, sizeof(err)) == 0) {
		for (i = 0; i < n; i++)
			if (v[i].encrypted < -1 || v[i].encrypted > 1)
				__builtin_trap();
		free(v);
	}
	rootfs_close(root);
	return 0;
}
