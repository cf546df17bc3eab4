/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin: what the macOS probes share. Property lists read through the
 * root, the Mac's major version, and a command's answer: on the running
 * Mac the command itself (the native build), on a Mac's disk read with
 * --root its output captured on that Mac (posture check --captured DIR,
 * made by scripts/macos-capture.sh), or an error saying only the running
 * Mac knows.
 */
#ifndef POSTURE_DARWIN_H
#define POSTURE_DARWIN_H

#include <stddef.h>

#include "../plist.h"
#include "../rootfs.h"

/* Reads and parses the property list PATH below ROOT: 0 and *DOC
 * (pl_free), -ENOENT when there is no such file (ERR says so), or another
 * negative errno with ERR naming the file and what is wrong. */
int darwin_plist_read(const struct rootfs *root, const char *path, struct pl_doc **doc, char *err,
                      size_t err_len);

/* The major version of the Mac's macOS (SystemVersion.plist), 0 unknown. */
long darwin_os_major(const struct rootfs *root);

/* The commands whose answers the probes read, and the file each answer is
 * kept in by scripts/macos-capture.sh. */
enum darwin_command {
	DARWIN_FDESETUP_STATUS,  /* fdesetup status */
	DARWIN_DISKUTIL_APFS,    /* diskutil apfs list -plist */
	DARWIN_SYSADMINCTL_LOCK, /* sysadminctl -screenLock status (writes to stderr) */
	DARWIN_SOCKETFILTERFW, /* socketfilterfw --getglobalstate --getblockall --getstealthmode */
	DARWIN_SPCTL_STATUS,   /* spctl --status */
	DARWIN_CSRUTIL_STATUS, /* csrutil status */
	DARWIN_COMMANDS
};

/* The folder of command answers captured on the Mac whose disk --root
 * reads (posture check --captured DIR, scripts/macos-capture.sh); NULL
 * (the default) when none was given. */
void darwin_set_captured(const char *dir);
const char *darwin_captured(void);

/* "fdesetup status", for messages. */
const char *darwin_command_line(enum darwin_command c);

/* The file its captured answer is kept in: "fdesetup-status.txt". */
const char *darwin_command_file(enum darwin_command c);

/*
 * The answer of command C for ROOT, at most MAX bytes, NUL-terminated into
 * *OUT (free it), *LEN its length. 0; or -ENODATA with ERR saying that only
 * the running Mac knows and how to give its captured answer; or another
 * negative errno with ERR naming what failed.
 */
int darwin_command_answer(const struct rootfs *root, enum darwin_command c, size_t max, char **out,
                          size_t *len, char *err, size_t err_len);

#endif
