/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: which persistent filesystems and swap areas are encrypted, traced
 * down the block stack the kernel shows in /sys.
 *
 * A mount (from /proc/1/mountinfo: the system's mount namespace, not the
 * agent's own, which systemd's sandboxing may change) names its device by
 * major:minor, or for btrfs and other anonymous devices by its source path.
 * From /sys/dev/block/MAJ:MIN the device is followed through its slaves:
 * device-mapper devices say what they are in dm/uuid ("CRYPT-LUKS2-..." is
 * dm-crypt with a LUKS2 header; "LVM-" a logical volume; "mpath-" multipath),
 * md arrays and LVM volumes are encrypted when every device under them is,
 * a loop device is as encrypted as the filesystem that holds its backing
 * file, and a partition or disk at the bottom of the stack is not. The uuid
 * prefix, not the table's target type, decides, so LUKS2 with OPAL hardware
 * encryption (whose mapping is "linear") counts as encrypted.
 *
 * Block devices that hold a LUKS header but are not opened are reported too
 * (their first bytes, read from /dev), as are fscrypt-protected filesystems
 * and eCryptfs mounts. Nothing is executed and nothing is opened for writing.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../probe.h"
#include "../probeset.h"

#define MAX_DEPTH 16

struct mount {
	char point[512];
	char fstype[64];
	char source[512];
	unsigned major, minor;
};

struct disks {
	const struct rootfs *root;
	struct mount *mounts;
	size_t n_mounts;
	struct volume *vols;
	size_t n_vols;
	char used[256][32]; /* block devices found under mounts and swap */
	size_t n_used;
};

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

static int read_mounts(struct disks *d, char *err, size_t err_len)
{
	char *buf = NULL, *line, *save = NULL;
	int rc = rootfs_read_file(d->root, "/proc/1/mountinfo", 16 << 20, &buf, NULL);

	if (rc != 0)
		rc = rootfs_read_file(d->root, "/proc/self/mountinfo", 16 << 20, &buf, NULL);
	if (rc != 0) {
		snprintf(err, err_len, "cannot read /proc/1/mountinfo: %s", rootfs_strerror(-rc));
		return rc;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[6], *sep, *p = line, *tail[3], *s2 = NULL;
		struct mount *m;
		size_t i;

		/* id parent maj:min root mountpoint options [optional...] - fstype source super */
		for (i = 0; i < 6 && p; i++) {
			f[i] = p;
			p = strchr(p, ' ');
			if (p)
				*p++ = '\0';
		}
		sep = p ? strstr(p, "- ") : NULL;
		if (i < 6 || sep == NULL)
			continue;
		sep += 2;
		tail[0] = strtok_r(sep, " ", &s2);
		tail[1] = strtok_r(NULL, " ", &s2);
		if (tail[0] == NULL || tail[1] == NULL)
			continue;
		d->mounts = realloc(d->mounts, (d->n_mounts + 1) * sizeof(*d->mounts));
		if (d->mounts == NULL)
			abort();
		m = &d->mounts[d->n_mounts++];
		memset(m, 0, sizeof(*m));
		if (sscanf(f[2], "%u:%u", &m->major, &m->minor) != 2)
			m->major = m->minor = 0;
		unescape(f[4]);
		unescape(tail[1]);
		snprintf(m->point, sizeof(m->point), "%s", f[4]);
		snprintf(m->fstype, sizeof(m->fstype), "%s", tail[0]);
		snprintf(m->source, sizeof(m->source), "%s", tail[1]);
	}
	free(buf);
	return 0;
}

static int in_list(const char *s, const char *const *list)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* Filesystems that hold no data of the device's own. */
static int ignored_fs(const char *type)
{
	static const char *const virtual_fs[] = {
		"proc",      "sysfs",      "devtmpfs", "devpts",  "tmpfs",     "securityfs",
		"cgroup",    "cgroup2",    "pstore",   "bpf",     "debugfs",   "tracefs",
		"hugetlbfs", "mqueue",     "configfs", "fusectl", "autofs",    "binfmt_misc",
		"efivarfs",  "rpc_pipefs", "nsfs",     "ramfs",   "selinuxfs", "squashfs",
		"iso9660",   "udf",        "nfs",      "nfs4",    "cifs",      "smb3",
		"ceph",      "glusterfs",  "9p",       "afs",     "virtiofs",  NULL
	};

	/* squashfs: snaps and live media, read-only; fuse: portals, gvfs,
	 * sshfs, snapfuse; network filesystems are the server's to encrypt. */
	return in_list(type, virtual_fs) || strncmp(type, "fuse", 4) == 0;
}

static void mark_used(struct disks *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->n_used; i++)
		if (strcmp(d->used[i], name) == 0)
			return;
	if (d->n_used < sizeof(d->used) / sizeof(d->used[0]))
		snprintf(d->used[d->n_used++], sizeof(d->used[0]), "%s", name);
}

static int read_attr(const struct rootfs *root, const char *name, const char *attr, char *out,
                     size_t len)
{
	char path[512], *buf = NULL;

	snprintf(path, sizeof(path), "/sys/class/block/%s/%s", name, attr);
	if (rootfs_read_file(root, path, 65536, &buf, NULL) != 0)
		return -1;
	snprintf(out, len, "%.*s", (int)strcspn(buf, "\n"), buf);
	free(buf);
	return 0;
}

/* The kernel name ("dm-1", "nvme0n1p3") of MAJ:MIN. */
static int name_of_devnum(const struct rootfs *root, unsigned major, unsigned minor, char *out,
                          size_t len)
{
	char path[64], target[512];
	const char *base;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major, minor);
	if (rootfs_readlink(root, path, target, sizeof(target)) < 0)
		return -1;
	base = strrchr(target, '/');
	snprintf(out, len, "%s", base ? base + 1 : target);
	return 0;
}

/* The kernel name of a device path as mountinfo and /proc/swaps give it:
 * "/dev/mapper/NAME" (a dm name), "/dev/dm-2", "/dev/nvme0n1p2". */
static int name_of_source(const struct rootfs *root, const char *source, char *out, size_t len)
{
	struct stat st;
	char path[600];

	if (strncmp(source, "/dev/mapper/", 12) == 0) {
		struct dirent *de;
		int err = 0;
		DIR *dir = rootfs_opendir(root, "/sys/block", &err);

		if (dir == NULL)
			return -1;
		while ((de = readdir(dir)) != NULL) {
			char name[256];

			if (strncmp(de->d_name, "dm-", 3) != 0)
				continue;
			if (read_attr(root, de->d_name, "dm/name", name, sizeof(name)) == 0 &&
			    strcmp(name, source + 12) == 0) {
				snprintf(out, len, "%s", de->d_name);
				closedir(dir);
				return 0;
			}
		}
		closedir(dir);
		return -1;
	}
	if (strncmp(source, "/dev/", 5) != 0)
		return -1;
	snprintf(path, sizeof(path), "/sys/class/block/%s", source + 5);
	if (strchr(source + 5, '/') != NULL || rootfs_stat(root, path, &st) != 0)
		return -1;
	snprintf(out, len, "%s", source + 5);
	return 0;
}

struct verdict {
	int encrypted; /* 1, 0, -1 unknown */
	char method[32];
	char stack[512];
	char reason[256];
};

static void stack_add(struct verdict *v, const char *what)
{
	size_t used = strlen(v->stack);

	snprintf(v->stack + used, sizeof(v->stack) - used, "%s%s", used ? " > " : "", what);
}

static const struct mount *mount_holding(const struct disks *d, const char *path);
static void device_verdict(struct disks *d, const char *name, struct verdict *v, int depth);

/* A file's encryption is its filesystem's. */
static void file_verdict(struct disks *d, const char *path, struct verdict *v, int depth)
{
	const struct mount *m = mount_holding(d, path);
	char name[64];

	if (m == NULL) {
		v->encrypted = -1;
		snprintf(v->reason, sizeof(v->reason), "no filesystem holds %s", path);
		return;
	}
	stack_add(v, m->point);
	if (m->major != 0 && name_of_devnum(d->root, m->major, m->minor, name, sizeof(name)) == 0)
		device_verdict(d, name, v, depth + 1);
	else if (name_of_source(d->root, m->source, name, sizeof(name)) == 0)
		device_verdict(d, name, v, depth + 1);
	else {
		v->encrypted = -1;
		snprintf(v->reason, sizeof(v->reason), "the device of %s (%s, %s) is not visible",
		         m->point, m->fstype, m->source);
	}
}

static void device_verdict(struct disks *d, const char *name, struct verdict *v, int depth)
{
	char uuid[256], attr[512], path[512];
	struct dirent *de;
	DIR *dir;
	int err = 0, n_slaves = 0, all = 1, unknown = 0;
	struct stat st;

	if (depth > MAX_DEPTH) {
		v->encrypted = -1;
		snprintf(v->reason, sizeof(v->reason), "the block stack is deeper than %d",
		         MAX_DEPTH);
		return;
	}
	mark_used(d, name);
	if (read_attr(d->root, name, "dm/uuid", uuid, sizeof(uuid)) == 0 &&
	    strncmp(uuid, "CRYPT-", 6) == 0) {
		static const char *const ciphers[] = { "LUKS1",  "LUKS2",   "PLAIN",   "BITLK",
			                               "TCRYPT", "LOOPAES", "FVAULT2", NULL };
		char kind[32];
		size_t i;

		snprintf(kind, sizeof(kind), "%.*s", (int)strcspn(uuid + 6, "-"), uuid + 6);
		if (in_list(kind, ciphers)) {
			for (i = 0; kind[i]; i++)
				kind[i] = (char)tolower((unsigned char)kind[i]);
			snprintf(attr, sizeof(attr), "%s (%s)", name, kind);
			stack_add(v, attr);
			v->encrypted = 1;
			snprintf(v->method, sizeof(v->method), "%s", kind);
			/* Name what lies under it, and mark it used, so it is not
			 * reported again as an unopened LUKS device. */
			snprintf(path, sizeof(path), "/sys/class/block/%s/slaves", name);
			dir = rootfs_opendir(d->root, path, &err);
			if (dir != NULL) {
				while ((de = readdir(dir)) != NULL) {
					if (de->d_name[0] == '.')
						continue;
					mark_used(d, de->d_name);
					stack_add(v, de->d_name);
				}
				closedir(dir);
			}
			return;
		}
		/* CRYPT-VERITY, CRYPT-INTEGRITY: integrity, not secrecy. */
	}
	if (strncmp(name, "zram", 4) == 0) {
		v->encrypted = -1;
		snprintf(v->reason, sizeof(v->reason), "zram");
		return;
	}
	if (read_attr(d->root, name, "loop/backing_file", attr, sizeof(attr)) == 0) {
		char *deleted = strstr(attr, " (deleted)");

		if (deleted != NULL)
			*deleted = '\0';
		snprintf(path, sizeof(path), "%s (file %s)", name, attr);
		stack_add(v, path);
		file_verdict(d, attr, v, depth);
		return;
	}
	snprintf(path, sizeof(path), "/sys/class/block/%s/slaves", name);
	dir = rootfs_opendir(d->root, path, &err);
	if (dir != NULL) {
		struct verdict first = { 0 };
		char label[300];

		if (uuid[0] != '\0' && strncmp(uuid, "LVM-", 4) == 0)
			snprintf(label, sizeof(label), "%s (lvm)", name);
		else if (read_attr(d->root, name, "md/level", attr, sizeof(attr)) == 0)
			snprintf(label, sizeof(label), "%s (%s)", name, attr);
		else
			snprintf(label, sizeof(label), "%s", name);
		while ((de = readdir(dir)) != NULL) {
			struct verdict sub = { 0 };

			if (de->d_name[0] == '.')
				continue;
			device_verdict(d, de->d_name, &sub, depth + 1);
			if (n_slaves++ == 0)
				first = sub;
			if (sub.encrypted == -1)
				unknown = 1;
			if (sub.encrypted != 1)
				all = 0;
		}
		closedir(dir);
		if (n_slaves > 0) {
			stack_add(v, label);
			stack_add(v, first.stack);
			if (all) {
				v->encrypted = 1;
				snprintf(v->method, sizeof(v->method), "%s", first.method);
			} else if (unknown) {
				v->encrypted = -1;
				snprintf(v->reason, sizeof(v->reason), "%s", first.reason);
			} else {
				v->encrypted = 0;
				snprintf(v->method, sizeof(v->method), "none");
			}
			return;
		}
	}
	snprintf(path, sizeof(path), "/sys/class/block/%s", name);
	if (rootfs_stat(d->root, path, &st) != 0) {
		v->encrypted = -1;
		snprintf(v->reason, sizeof(v->reason), "block device %s is not in /sys", name);
		return;
	}
	/* A partition or a disk, with nothing between it and the filesystem. */
	stack_add(v, name);
	v->encrypted = 0;
	snprintf(v->method, sizeof(v->method), "none");
}

static const struct mount *mount_holding(const struct disks *d, const char *path)
{
	const struct mount *best = NULL;
	size_t i, best_len = 0;

	for (i = 0; i < d->n_mounts; i++) {
		const struct mount *m = &d->mounts[i];
		size_t len = strlen(m->point);

		if (ignored_fs(m->fstype) && strcmp(m->fstype, "tmpfs") != 0)
			continue;
		if (strncmp(path, m->point, len) == 0 &&
		    (path[len] == '/' || path[len] == '\0' || strcmp(m->point, "/") == 0) &&
		    len >= best_len) {
			best = m;
			best_len = len;
		}
	}
	return best;
}

static struct volume *add_volume(struct disks *d)
{
	struct volume *v;

	d->vols = realloc(d->vols, (d->n_vols + 1) * sizeof(*d->vols));
	if (d->vols == NULL)
		abort();
	v = &d->vols[d->n_vols++];
	memset(v, 0, sizeof(*v));
	return v;
}

static void from_verdict(struct volume *vol, const struct verdict *v)
{
	vol->encrypted = v->encrypted;
	snprintf(vol->method, sizeof(vol->method), "%s", v->method);
	snprintf(vol->stack, sizeof(vol->stack), "%s", v->stack);
	snprintf(vol->reason, sizeof(vol->reason), "%s", v->reason);
}

static void filesystems(struct disks *d)
{
	size_t i;

	for (i = 0; i < d->n_mounts; i++) {
		const struct mount *m = &d->mounts[i];
		struct verdict v = { 0 };
		struct volume *vol;
		char name[64], fscrypt[600];
		struct stat st;

		if (ignored_fs(m->fstype))
			continue;
		vol = add_volume(d);
		vol->kind = VOLUME_FILESYSTEM;
		snprintf(vol->mount, sizeof(vol->mount), "%s", m->point);
		vol->system = strcmp(m->point, "/") == 0;
		snprintf(vol->device, sizeof(vol->device), "%s", m->source);
		snprintf(vol->fstype, sizeof(vol->fstype), "%s", m->fstype);
		if (strcmp(m->fstype, "ecryptfs") == 0) {
			vol->encrypted = 1;
			snprintf(vol->method, sizeof(vol->method), "ecryptfs");
			vol->kind = VOLUME_DIRECTORY;
			continue;
		}
		if (strcmp(m->fstype, "overlay") == 0 || strcmp(m->fstype, "zfs") == 0) {
			vol->encrypted = -1;
			snprintf(vol->reason, sizeof(vol->reason),
			         strcmp(m->fstype, "zfs") == 0
			             ? "ZFS encrypts per dataset, which /sys does not show"
			             : "an overlay (a container's root): the disk under it is not "
			               "visible here");
			continue;
		}
		if (m->major != 0 &&
		    name_of_devnum(d->root, m->major, m->minor, name, sizeof(name)) == 0)
			device_verdict(d, name, &v, 0);
		else if (name_of_source(d->root, m->source, name, sizeof(name)) == 0)
			device_verdict(d, name, &v, 0);
		else {
			v.encrypted = -1;
			snprintf(v.reason, sizeof(v.reason), "device %u:%u (%s) is not in /sys",
			         m->major, m->minor, m->source);
		}
		from_verdict(vol, &v);
		/* fscrypt keeps its metadata at the filesystem's root. */
		snprintf(fscrypt, sizeof(fscrypt), "%s%s.fscrypt", m->point,
		         strcmp(m->point, "/") == 0 ? "" : "/");
		if (rootfs_stat(d->root, fscrypt, &st) == 0 && S_ISDIR(st.st_mode)) {
			struct volume *fs = add_volume(d);

			fs->kind = VOLUME_DIRECTORY;
			snprintf(fs->mount, sizeof(fs->mount), "%s", m->point);
			snprintf(fs->device, sizeof(fs->device), "%s", m->source);
			snprintf(fs->fstype, sizeof(fs->fstype), "%s", m->fstype);
			fs->encrypted = 1;
			snprintf(fs->method, sizeof(fs->method), "fscrypt");
		}
	}
}

static void swaps(struct disks *d)
{
	char *buf = NULL, *line, *save = NULL;
	int first = 1;

	if (rootfs_read_file(d->root, "/proc/swaps", 1 << 20, &buf, NULL) != 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char file[512], type[32], name[64];
		struct verdict v = { 0 };
		struct volume *vol;

		if (first) { /* the header */
			first = 0;
			continue;
		}
		if (sscanf(line, "%511s %31s", file, type) != 2)
			continue;
		unescape(file);
		if (strncmp(file, "/dev/zram", 9) == 0)
			continue; /* compressed RAM: gone at power-off */
		vol = add_volume(d);
		vol->kind = VOLUME_SWAP;
		snprintf(vol->mount, sizeof(vol->mount), "swap");
		snprintf(vol->device, sizeof(vol->device), "%s", file);
		snprintf(vol->fstype, sizeof(vol->fstype), "swap");
		if (strcmp(type, "file") == 0)
			file_verdict(d, file, &v, 0);
		else if (name_of_source(d->root, file, name, sizeof(name)) == 0)
			device_verdict(d, name, &v, 0);
		else {
			v.encrypted = -1;
			snprintf(v.reason, sizeof(v.reason), "swap device %s is not in /sys", file);
		}
		from_verdict(vol, &v);
	}
	free(buf);
}

/* Block devices with a LUKS header that nothing has opened. */
static void unopened_luks(struct disks *d)
{
	struct dirent *de;
	int err = 0;
	DIR *dir = rootfs_opendir(d->root, "/sys/class/block", &err);

	if (dir == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		char path[300], holders[300];
		unsigned char magic[8];
		struct volume *vol;
		DIR *h;
		size_t i;
		int fd, used = 0, held = 0;

		if (de->d_name[0] == '.' || strncmp(de->d_name, "dm-", 3) == 0 ||
		    strncmp(de->d_name, "loop", 4) == 0 || strncmp(de->d_name, "zram", 4) == 0 ||
		    strncmp(de->d_name, "ram", 3) == 0 || strncmp(de->d_name, "sr", 2) == 0)
			continue;
		for (i = 0; i < d->n_used; i++)
			if (strcmp(d->used[i], de->d_name) == 0)
				used = 1;
		snprintf(holders, sizeof(holders), "/sys/class/block/%s/holders", de->d_name);
		h = rootfs_opendir(d->root, holders, &err);
		if (h != NULL) {
			struct dirent *he;

			while ((he = readdir(h)) != NULL)
				if (he->d_name[0] != '.')
					held = 1;
			closedir(h);
		}
		if (used || held)
			continue;
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		fd = rootfs_openat(d->root, path, O_RDONLY | O_NONBLOCK);
		if (fd < 0)
			continue;
		if (read(fd, magic, sizeof(magic)) != (ssize_t)sizeof(magic) ||
		    memcmp(magic, "LUKS\xba\xbe", 6) != 0) {
			close(fd);
			continue;
		}
		close(fd);
		vol = add_volume(d);
		vol->kind = VOLUME_UNOPENED;
		snprintf(vol->device, sizeof(vol->device), "/dev/%s", de->d_name);
		vol->encrypted = 1;
		snprintf(vol->method, sizeof(vol->method), "luks%d", magic[7]);
		snprintf(vol->stack, sizeof(vol->stack), "%s", de->d_name);
	}
	closedir(dir);
}

int native_probe_disk_encryption(const struct rootfs *root, struct volume **out, size_t *n_out,
                                 char *err, size_t err_len)
{
	struct disks d;
	int rc;

	memset(&d, 0, sizeof(d));
	d.root = root;
	*out = NULL;
	*n_out = 0;
	rc = read_mounts(&d, err, err_len);
	if (rc != 0)
		return rc;
	filesystems(&d);
	swaps(&d);
	unopened_luks(&d);
	free(d.mounts);
	*out = d.vols;
	*n_out = d.n_vols;
	return 0;
}

/* A file that starts with a LUKS header, and its version: for tests and for
 * devices given by path. 1 or 2, 0 when not LUKS, or a negative errno. */
int probe_luks_version(const struct rootfs *root, const char *path)
{
	unsigned char magic[8];
	int fd = rootfs_openat(root, path, O_RDONLY | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = read(fd, magic, sizeof(magic));
	close(fd);
	if (n != (ssize_t)sizeof(magic) || memcmp(magic, "LUKS\xba\xbe", 6) != 0)
		return 0;
	return magic[6] * 256 + magic[7];
}
