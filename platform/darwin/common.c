/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/common: see darwin.h.
 *
 * A command's answer on a Mac's disk read with --root comes from the folder
 * given with --captured (darwin_set_captured), one file per command, read
 * through a root of its own (bounded, no FIFOs or devices, nothing outside
 * it). On the running Mac (the native build, where the darwin probes are
 * the native ones) the command runs with run_command() (platform/runcmd.h):
 * its absolute path, no shell, an empty environment, a deadline and a
 * bound on its output.
 */
#include "darwin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../probe.h"
#include "../runcmd.h"

#define SYSTEM_VERSION "/System/Library/CoreServices/SystemVersion.plist"
#define COMMAND_SECONDS 20

int darwin_plist_read(const struct rootfs *root, const char *path, struct pl_doc **doc, char *err,
                      size_t err_len)
{
	char *text = NULL, why[256];
	size_t len = 0;
	int rc;

	*doc = NULL;
	rc = rootfs_read_file(root, path, PL_MAX_BYTES, &text, &len);
	if (rc != 0) {
		snprintf(err, err_len, "%s: %s", path, rootfs_strerror(-rc));
		return rc;
	}
	if (pl_parse(text, len, doc, why, sizeof(why)) != 0) {
		snprintf(err, err_len, "%s: %s", path, why);
		free(text);
		return -EINVAL;
	}
	free(text);
	return 0;
}

long darwin_os_major(const struct rootfs *root)
{
	struct pl_doc *doc;
	char err[256];
	const char *v;
	long major = 0;

	if (darwin_plist_read(root, SYSTEM_VERSION, &doc, err, sizeof(err)) != 0)
		return 0;
	v = pl_str(pl_get(pl_root(doc), "ProductVersion"));
	if (v != NULL)
		major = strtol(v, NULL, 10);
	pl_free(doc);
	return major;
}

long long darwin_newest_install(const struct rootfs *root, const char *name_prefix, char *version,
                                size_t version_len)
{
	struct pl_doc *doc;
	const struct pl_node *top;
	char err[256];
	long long best = -1;

	if (version_len)
		version[0] = '\0';
	if (darwin_plist_read(root, DARWIN_INSTALL_HISTORY, &doc, err, sizeof(err)) != 0)
		return -1;
	top = pl_root(doc);
	if (top->type == PL_ARRAY)
		for (size_t i = 0; i < top->len; i++) {
			const struct pl_node *e = top->v.items[i];
			const char *proc = pl_str(pl_get(e, "processName"));
			const char *name = pl_str(pl_get(e, "displayName"));
			const char *v = pl_str(pl_get(e, "displayVersion"));
			double when;

			if (proc == NULL || strcmp(proc, "softwareupdated") != 0 ||
			    pl_time(pl_get(e, "date"), &when) != 0 || (long long)when <= best)
				continue;
			if (name_prefix != NULL &&
			    (name == NULL || strncmp(name, name_prefix, strlen(name_prefix)) != 0))
				continue;
			best = (long long)when;
			if (version_len)
				snprintf(version, version_len, "%s", v ? v : "");
		}
	pl_free(doc);
	return best;
}

static const struct {
	const char *line, *file;
	const char *const argv[6];
	/* where the answer is: 0 stdout, 1 stderr (sysadminctl logs it there),
	 * 2 stdout or, when that is empty, stderr (spctl of macOS 15), 3 both,
	 * stdout first (softwareupdate says "No new software" on stderr) */
	int from_stderr;
	int seconds; /* its deadline; 0: COMMAND_SECONDS */
} commands[DARWIN_COMMANDS] = {
	[DARWIN_FDESETUP_STATUS] = { "fdesetup status",
	                             "fdesetup-status.txt",
	                             { "/usr/bin/fdesetup", "status", NULL },
	                             0,
	                             0 },
	[DARWIN_DISKUTIL_APFS] = { "diskutil apfs list -plist",
	                           "diskutil-apfs-list.plist",
	                           { "/usr/sbin/diskutil", "apfs", "list", "-plist", NULL },
	                           0,
	                           0 },
	[DARWIN_SYSADMINCTL_LOCK] = { "sysadminctl -screenLock status",
	                              "sysadminctl-screenLock-status.txt",
	                              { "/usr/sbin/sysadminctl", "-screenLock", "status", NULL },
	                              1,
	                              0 },
	[DARWIN_SOCKETFILTERFW] = { "socketfilterfw --getglobalstate --getblockall "
	                            "--getstealthmode",
	                            "socketfilterfw.txt",
	                            { "/usr/libexec/ApplicationFirewall/socketfilterfw",
	                              "--getglobalstate", "--getblockall", "--getstealthmode",
	                              NULL },
	                            0,
	                            0 },
	[DARWIN_SPCTL_STATUS] = { "spctl --status",
	                          "spctl-status.txt",
	                          { "/usr/sbin/spctl", "--status", NULL },
	                          2,
	                          0 },
	[DARWIN_CSRUTIL_STATUS] = { "csrutil status",
	                            "csrutil-status.txt",
	                            { "/usr/bin/csrutil", "status", NULL },
	                            0,
	                            0 },
	/* it asks Apple's catalog over the network: minutes at worst */
	[DARWIN_SOFTWAREUPDATE_LIST] = { "softwareupdate --list",
	                                 "softwareupdate-list.txt",
	                                 { "/usr/sbin/softwareupdate", "--list", NULL },
	                                 3,
	                                 180 },
};

static const char *captured_dir;

void darwin_set_captured(const char *dir)
{
	captured_dir = dir;
}

const char *darwin_captured(void)
{
	return captured_dir;
}

const char *darwin_command_line(enum darwin_command c)
{
	return commands[c].line;
}

const char *darwin_command_file(enum darwin_command c)
{
	return commands[c].file;
}

static int captured(enum darwin_command c, const char *dir, size_t max, char **out, size_t *len,
                    char *err, size_t err_len)
{
	struct rootfs *folder = NULL;
	char why[256], path[128];
	int rc;

	if (rootfs_open(&folder, dir, why, sizeof(why)) != 0) {
		snprintf(err, err_len, "--captured %s: %s", dir, why);
		return -ENOENT;
	}
	snprintf(path, sizeof(path), "/%s", commands[c].file);
	rc = rootfs_read_file(folder, path, max, out, len);
	rootfs_close(folder);
	if (rc == -ENOENT) {
		snprintf(
		    err, err_len,
		    "%s was not captured: %s/%s is missing (scripts/macos-capture.sh on the Mac "
		    "writes it)",
		    commands[c].line, dir, commands[c].file);
		return -ENODATA;
	}
	if (rc != 0) {
		snprintf(err, err_len, "%s/%s: %s", dir, commands[c].file, rootfs_strerror(-rc));
		return rc;
	}
	return 0;
}

int darwin_command_answer(const struct rootfs *root, enum darwin_command c, size_t max, char **out,
                          size_t *len, char *err, size_t err_len)
{
	const char *dir = captured_dir;

	*out = NULL;
	*len = 0;
	if (rootfs_is_host(root)) {
#ifdef __APPLE__
		struct run_result rr;
		int rc = run_command(commands[c].argv,
		                     commands[c].seconds ? commands[c].seconds : COMMAND_SECONDS,
		                     max, &rr, err, err_len);

		if (rc != 0)
			return rc;
		if (commands[c].from_stderr == 3) {
			char *both = malloc(rr.out_len + rr.err_len + 1);

			if (both == NULL) {
				free(rr.out);
				free(rr.err);
				return -ENOMEM;
			}
			memcpy(both, rr.out, rr.out_len);
			memcpy(both + rr.out_len, rr.err, rr.err_len);
			both[rr.out_len + rr.err_len] = '\0';
			*out = both;
			*len = rr.out_len + rr.err_len;
			free(rr.out);
			free(rr.err);
		} else if (commands[c].from_stderr == 1 ||
		           (commands[c].from_stderr == 2 && rr.out_len == 0)) {
			*out = rr.err;
			*len = rr.err_len;
			free(rr.out);
		} else {
			*out = rr.out;
			*len = rr.out_len;
			free(rr.err);
		}
		if (rr.status != 0 && *len == 0) {
			snprintf(err, err_len, "%s exited with status %d and said nothing",
			         commands[c].line, rr.status);
			free(*out);
			*out = NULL;
			return -EIO;
		}
		return 0;
#endif
	}
	if (dir == NULL) {
		snprintf(
		    err, err_len,
		    "only the running Mac can say (%s); a Mac's disk read with --root does not, "
		    "unless its answer captured on that Mac is given with --captured DIR",
		    commands[c].line);
		return -ENODATA;
	}
	return captured(c, dir, max, out, len, err, err_len);
}
