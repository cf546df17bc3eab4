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

#define DARWIN_INSTALL_HISTORY "/Library/Receipts/InstallHistory.plist"

/* The time of the newest install Software Update made (InstallHistory's
 * entries of processName softwareupdated), of those whose displayName
 * begins with NAME_PREFIX (all when NULL), with its displayVersion into
 * VERSION; -1 when none or no history. */
long long darwin_newest_install(const struct rootfs *root, const char *name_prefix, char *version,
                                size_t version_len);

/* The agent's managed settings: a profile for the domain com.posture.agent. */
#define DARWIN_AGENT_PREFS "/Library/Managed Preferences/com.posture.agent.plist"

/* The string NAME of that profile into OUT: 1 set, 0 not set (no profile,
 * no such key, or empty), -1 there but unusable (not a string, too long,
 * an unreadable file), ERR saying which. As os_managed_setting (os.h). */
int darwin_managed_setting(const struct rootfs *root, const char *name, char *out, size_t out_len,
                           char *err, size_t err_len);

/* The commands whose answers the probes read, and the file each answer is
 * kept in by scripts/macos-capture.sh. */
enum darwin_command {
	DARWIN_FDESETUP_STATUS,  /* fdesetup status */
	DARWIN_DISKUTIL_APFS,    /* diskutil apfs list -plist */
	DARWIN_SYSADMINCTL_LOCK, /* sysadminctl -screenLock status (writes to stderr) */
	DARWIN_SOCKETFILTERFW, /* socketfilterfw --getglobalstate --getblockall --getstealthmode */
	DARWIN_SPCTL_STATUS,   /* spctl --status */
	DARWIN_CSRUTIL_STATUS, /* csrutil status */
	DARWIN_SOFTWAREUPDATE_LIST, /* softwareupdate --list (asks Apple's servers) */
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

/* --- The answers read (answers.c), each bounded by the NUL-terminated
 * TEXT, every line looked at: fuzzed by tests/fuzz/fuzz_darwin.c. --- */

enum darwin_fv {
	DARWIN_FV_UNKNOWN,
	DARWIN_FV_ON,
	DARWIN_FV_OFF,
	DARWIN_FV_ENCRYPTING,
	DARWIN_FV_DECRYPTING
};

/* fdesetup status: "FileVault is On." / "FileVault is Off.", a line
 * beginning "Encryption in progress" or "Decryption in progress". WHAT gets
 * the first line, for messages. */
enum darwin_fv darwin_parse_fdesetup(const char *text, char *what, size_t what_len);

/* sysadminctl -screenLock status: "screenLock is off", "screenLock delay
 * is immediate", "screenLock delay is N seconds" (N may have decimals; -1
 * is off), after its log prefix.
 * 0 with *ASK (a password is asked) and *DELAY (seconds), or -1. */
int darwin_parse_sysadminctl_lock(const char *text, int *ask, long long *delay);

/* socketfilterfw --getglobalstate --getblockall --getstealthmode, in the
 * wordings of macOS 10.x to 15: "Firewall is enabled. (State = 1)",
 * "Firewall is blocking all non-essential incoming connections. (State =
 * 2)", "Block all DISABLED!" or "Firewall has block all state set to
 * disabled.", "Stealth mode enabled" or "Firewall stealth mode is on".
 * Each field 1, 0 or -1 (not said); global 0 off, 1 on, 2 on and blocking
 * all. 0, or -EINVAL with ERR quoting the answer when no line says the
 * global state. */
struct darwin_firewall {
	int global, block_all, stealth;
};
int darwin_parse_socketfilterfw(const char *text, struct darwin_firewall *fw, char *err,
                                size_t err_len);

/* csrutil status: "System Integrity Protection status: enabled." 1;
 * "disabled." or a custom configuration (some protections off) 0. 0 with
 * *ON and WHAT (the line, or the custom configuration), or -1 with WHAT the
 * first line. */
int darwin_parse_csrutil(const char *text, int *on, char *what, size_t what_len);

/* spctl --status: "assessments enabled" 1, "assessments disabled" 0. 0 with
 * *ON, or -1 with WHAT the first line. */
int darwin_parse_spctl(const char *text, int *on, char *what, size_t what_len);

/* softwareupdate --list (stdout and stderr, in that order), in the wording
 * of macOS 10.15 and later: "* Label: LABEL" and under it "Title: T,
 * Version: V, Size: S, Recommended: YES, Action: restart,". Up to MAX into
 * ITEMS, *N_ITEMS of them; 0, or -1 when the answer has neither "Software
 * Update found the following ..." nor "No new software available.". */
struct darwin_su_item {
	char label[128], title[128], version[64];
	int recommended, restart;
};
int darwin_parse_softwareupdate_list(const char *text, struct darwin_su_item *items, size_t max,
                                     size_t *n_items);

/* The boot volume's dictionary in diskutil apfs list -plist, or NULL: in
 * the container holding the Preboot and Recovery roles, the volume with the
 * Data role, else the one with no role (macOS 10.13 and 10.14). */
const struct pl_node *darwin_boot_volume(const struct pl_node *top);

#endif
