/*
 * libFuzzer target: what the disk_encryption probe reads. The input is split
 * at NUL bytes into /proc/1/mountinfo, /proc/swaps, a dm uuid and a loop
 * backing file, written into a scratch root with a small /sys block tree
 * (a partition, a dm device over it, a loop device) for them to refer to.
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

static void mk(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root_dir, rel);
	mkdir(path, 0755);
}

static void link_to(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root_dir, rel);
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
	size_t i;

	snprintf(root_dir, sizeof(root_dir), "/tmp/posture-fuzz-disks.XXXXXX");
	if (mkdtemp(root_dir) == NULL)
		abort();
	atexit(cleanup);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		mk(dirs[i]);
	put("sys/devices/virtual/block/dm-0/dm/name", "crypt\n", 6);
	link_to("../../../../devices/virtual/block/sda1",
	        "sys/devices/virtual/block/dm-0/slaves/sda1");
	link_to("../../../devices/virtual/block/dm-0", "sys/class/block/dm-0");
	link_to("../../../devices/virtual/block/sda1", "sys/class/block/sda1");
	link_to("../../../devices/virtual/block/loop0", "sys/class/block/loop0");
	link_to("../devices/virtual/block/dm-0", "sys/block/dm-0");
	link_to("../../devices/virtual/block/dm-0", "sys/dev/block/253:0");
	link_to("../../devices/virtual/block/sda1", "sys/dev/block/8:1");
	link_to("../../devices/virtual/block/loop0", "sys/dev/block/7:0");
	put("dev/sda1", "LUKS\xba\xbe\x00\x02", 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const files[] = {
		"proc/1/mountinfo",
		"proc/swaps",
		"sys/devices/virtual/block/dm-0/dm/uuid",
		"sys/devices/virtual/block/loop0/loop/backing_file",
	};
	const char *p = (const char *)data, *end = p + size;
	struct volume *v = NULL;
	struct rootfs *root;
	char err[256];
	size_t i, n = 0;

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
	if (probe_disk_encryption(root, &v, &n, err, sizeof(err)) == 0) {
		for (i = 0; i < n; i++)
			if (v[i].encrypted < -1 || v[i].encrypted > 1)
				__builtin_trap();
		free(v);
	}
	rootfs_close(root);
	return 0;
}
