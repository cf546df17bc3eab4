/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe: what the agent can learn about a system, one function per fact.
 *
 * This is the header the judges include from platform/ (the OS interface
 * beside it, os.h, serves the service). Each function is implemented once
 * per OS (platform/linux/, later darwin/ and win/), chosen by the Makefile's
 * PLATFORM. A probe reads through the rootfs layer only, returns data (never
 * a verdict), does not print and knows nothing of JSON. Errors come back as
 * a negative errno and a sentence in err.
 *
 * A probe an OS lacks is still defined, as a stub that returns
 * PROBE_UNSUPPORTED with "not supported on this OS" in err (libuv's no-*.c
 * idea): every program links on every OS, and the judge reports the check
 * as skip with that reason (result_unsupported, agent/engine.h).
 * platform/none/ is the OS with every probe a stub.
 */
#ifndef POSTURE_PROBE_H
#define POSTURE_PROBE_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "rootfs.h"

/* What a stub returns: the fact cannot be learnt on this OS (yet). Not an
 * errno: a real probe may fail with -ENOTSUP for reasons of the device
 * (Linux's os_patch without a package manager), which is an error, not an
 * OS without the probe. */
#define PROBE_UNSUPPORTED (-10000)
#define PROBE_UNSUPPORTED_TEXT "not supported on this OS"

/* What a stub returns: PROBE_UNSUPPORTED, with PROBE_UNSUPPORTED_TEXT in
 * ERR (which may be NULL). platform/none/ has one per probe. */
int probe_unsupported(char *err, size_t err_len);

/* --- Operating system -------------------------------------------------- */

struct os_info {
	char family[16];        /* "linux", "macos", "windows" */
	char id[64];            /* os-release ID: "debian", "ubuntu", "fedora" */
	char name[128];         /* NAME: "Debian GNU/Linux" */
	char pretty_name[256];  /* PRETTY_NAME */
	char version_id[64];    /* VERSION_ID: "12", "22.04"; "" when absent */
	char point_version[64]; /* a finer version when the OS has one (Debian's
	                         * /etc/debian_version "12.8"); "" otherwise */
	char kernel[128];       /* release of the kernel the root runs; "" unknown */
	char hostname[256];     /* "" unknown */
	char serial[128];       /* the hardware's serial number; "" unknown or a
	                         * firmware placeholder ("To Be Filled By O.E.M.") */
	char console_user[64];  /* who is signed in at the console; "" none */
};

/*
 * Fills *out from os-release (/etc/os-release, else /usr/lib/os-release),
 * the kernel's hostname and release (/proc/sys/kernel/, else /etc/hostname).
 * Returns 0 or a negative errno when os-release cannot be read.
 */
int probe_os_info(const struct rootfs *root, struct os_info *out, char *err, size_t err_len);

/* Reads the 128-bit machine id (/etc/machine-id). 0 or a negative errno. */
int probe_machine_id(const struct rootfs *root, unsigned char id[16]);

/* --- Installed packages ------------------------------------------------ */

/* "deb" when the root has a dpkg database, "rpm" for an rpm one, else NULL. */
const char *probe_pkg_system(const struct rootfs *root);

#define PKG_MAX_INSTANCES 16

struct pkg_instance {
	char *version; /* deb: [epoch:]upstream[-revision]; rpm: [epoch:]version-release */
	char arch[24];
	char state[24]; /* deb: "installed", "unpacked", ...; rpm: "installed" */
};

struct pkg_query {
	const char *name; /* in: "openssl", or "libc6:i386" for one architecture */
	/* out: every installed instance (several architectures, or several
	 * versions such as rpm's kernels), up to PKG_MAX_INSTANCES; allocated
	 * only for packages that are installed, freed by pkg_queries_clear() */
	struct pkg_instance *instances;
	size_t n_instances;
};

/* Frees what probe_packages() stored in QUERIES (not the names). */
void pkg_queries_clear(struct pkg_query *queries, size_t n_queries);

/* Adds an instance of Q (VERSION, ARCH, STATE, copied), for the probes;
 * past PKG_MAX_INSTANCES it is left out. 0, or -1 out of memory. */
int pkg_query_add(struct pkg_query *q, const char *version, const char *arch, const char *state);

/*
 * Looks up every query in one pass over SYSTEM's database ("deb" or "rpm"),
 * in any order. Returns 0 or a negative errno.
 */
int probe_packages(const struct rootfs *root, const char *system, struct pkg_query *queries,
                   size_t n_queries, char *err, size_t err_len);

/* --- OS patch level ---------------------------------------------------- */

struct pending_update {
	char *name;
	char arch[24];
	char *installed;
	char *candidate;
	char archive[128]; /* the suite the candidate comes from */
	int security;      /* from a suite or codename ending in "-security" */
};

struct patch_state {
	char package_manager[24];       /* "apt", "dnf", "Windows Update" */
	struct pending_update *updates; /* sorted by name and architecture */
	size_t n_updates;
	size_t n_security;
	size_t n_installed;
	size_t n_indexes; /* package lists read */
	/* when n_indexes is 0 and the probe knows why in its OS's words
	 * ("Software Update has never checked ..."); else the judge's words */
	char no_lists_why[200];
	long long last_check;       /* Unix time of the last successful update check; -1 unknown */
	char last_check_source[96]; /* what last_check was read from */
	long long last_install;     /* Unix time of the last successful install; -1 unknown */
	int reboot_required;
	char reboot_reason[256];
};

/*
 * Reads the pending updates, when updates were last checked for and whether
 * a reboot is due, from the package manager's own files below ROOT (never by
 * running it). Returns 0 (release with patch_state_free) or a negative errno.
 */
int probe_os_patch(const struct rootfs *root, struct patch_state *out, char *err, size_t err_len);
/* The same, with FRESH: ask the OS for the list as of now where it can
 * (macOS: softwareupdate --list) rather than its last stored one. */
int probe_os_patch_fresh(const struct rootfs *root, int fresh, struct patch_state *out, char *err,
                         size_t err_len);
void patch_state_free(struct patch_state *ps);

/* --- Browsers ---------------------------------------------------------- */

struct browser_install {
	char name[16];    /* "chrome", "chromium", "edge", "brave", "firefox", "opera", "vivaldi",
	                   * "safari" */
	char version[64]; /* as the browser's --version prints it; "" when unknown */
	char source[16];  /* "deb", "rpm", "snap", "flatpak", "flatpak-user", "tarball";
	                   * macOS: "app", "user-app" */
	char path[512];   /* where it is installed */
	char channel[16]; /* "stable", "beta", "esr", ... when the package says */
	char package[64]; /* the deb or rpm package, or the flatpak's id; "" otherwise */
};

/* A new, zeroed install at the end of *ITEMS (*N of them), for the probes.
 * NULL when out of memory (the list is as it was). */
struct browser_install *browser_list_add(struct browser_install **items, size_t *n);

/*
 * Finds every installation of every known browser below ROOT. Sets *out
 * (free() it) and *n_out. Returns 0 or a negative errno.
 */
int probe_browsers(const struct rootfs *root, struct browser_install **out, size_t *n_out,
                   char *err, size_t err_len);

/* --- Disk encryption --------------------------------------------------- */

enum volume_kind {
	VOLUME_FILESYSTEM, /* a mounted persistent filesystem */
	VOLUME_SWAP,       /* a swap partition or file */
	VOLUME_UNOPENED,   /* a block device with a LUKS header that is not opened */
	VOLUME_DIRECTORY,  /* per-directory encryption: fscrypt, eCryptfs */
	VOLUME_REMOVABLE,  /* a removable data volume (a USB drive): counted only
	                    * with require_removable */
	VOLUME_UNMOUNTED,  /* a volume with no drive letter or mount point (a
	                    * recovery partition): reported, not counted */
};

struct volume {
	enum volume_kind kind;
	char mount[512];  /* mount point, "swap", or "" */
	char device[512]; /* as mountinfo or /proc/swaps names it, or /dev/NAME */
	char fstype[64];
	int encrypted;   /* 1, 0, or -1 when it cannot be told (reason says why) */
	int system;      /* the volume the OS runs from: "/", Windows' OS volume */
	char method[32]; /* "luks2", "luks1", "plain", "bitlk", "fscrypt", "ecryptfs",
	                  * "bitlocker xts-aes-128", "none" */
	char stack[512]; /* the block stack, top first: "dm-1 (lvm) > dm-0 (luks2) > nvme0n1p3" */
	char reason[256];
	char protectors[128]; /* BitLocker's key protectors: "Tpm, RecoveryPassword" */
};

/*
 * Lists every persistent filesystem, swap area, unopened LUKS device and
 * per-directory encryption below ROOT. Sets *out (free() it) and *n_out.
 * Returns 0 or a negative errno (no mount table).
 */
int probe_disk_encryption(const struct rootfs *root, struct volume **out, size_t *n_out, char *err,
                          size_t err_len);

/* The LUKS version of the header at the start of PATH: 1, 2, 0 when there is
 * none, or a negative errno. */
int probe_luks_version(const struct rootfs *root, const char *path);

/* --- Screen lock ------------------------------------------------------- */

struct lock_setting {
	char user[64];
	long uid;
	int in_session;   /* has a graphical logind session now */
	char desktop[32]; /* "gnome", "cinnamon", "mate", "kde", "xfce", ... */
	int known;        /* 0: reason says why the settings could not be read */
	int lock_enabled;
	long long idle_seconds;       /* until the session counts as idle; 0: never */
	long long lock_delay_seconds; /* from idle (screen blank) to locked */
	char source[256];             /* where the values came from */
	char reason[256];
};

/*
 * Reads the effective screen lock settings of every user with a graphical
 * session or desktop settings in their home. Sets *out (free() it) and
 * *n_out. Returns 0 or a negative errno.
 */
int probe_screen_lock(const struct rootfs *root, struct lock_setting **out, size_t *n_out,
                      char *err, size_t err_len);

/* --- Automatic updates ------------------------------------------------- */

struct update_automation {
	char mechanism[32]; /* "unattended-upgrades", "dnf-automatic", "dnf5 automatic", "none" */
	int installed;      /* its package is installed */
	int enabled;        /* configured to run */
	int installs;       /* installs updates, not only downloads them */
	int scheduled;      /* its systemd timers are enabled (Windows: its service) */
	char detail[256];
	/* why it never runs when !scheduled, when not its systemd timers:
	 * "the Windows Update service (wuauserv) is disabled" */
	char unscheduled[96];
};

/* Reads how (and whether) updates install themselves. 0 or a negative errno. */
int probe_auto_updates(const struct rootfs *root, struct update_automation *out, char *err,
                       size_t err_len);

/* --- Firewall ---------------------------------------------------------- */

#define FIREWALL_MAX_PROFILES 4

/* A firewall with profiles, each on or off with its own default for
 * unsolicited input (Windows: domain, private, public). */
struct firewall_profile {
	char name[16];      /* "domain", "private", "public" */
	int enabled;        /* 1, 0, or -1 when nothing says */
	int blocks_inbound; /* the default for unsolicited input: 1 block, 0 allow, -1 unknown */
	char source[96];    /* where the values came from: "group policy", "local settings" */
};

struct firewall_state {
	/* Windows: every profile; then the fields below are unused */
	struct firewall_profile profiles[FIREWALL_MAX_PROFILES];
	size_t n_profiles;
	int ipv4_drops; /* unsolicited IPv4 input is dropped or rejected */
	int ipv6_drops;
	int ipv6_disabled; /* net.ipv6.conf.all.disable_ipv6 */
	size_t n_input_chains;
	char source[96]; /* "kernel ruleset (nftables)" or "configuration ..." */
	char detail[512];
};

/* Reads whether unsolicited input is dropped: the kernel's ruleset on the
 * running system, the firewall's configuration below another root. */
int probe_firewall(const struct rootfs *root, struct firewall_state *out, char *err,
                   size_t err_len);

/* --- Antivirus -------------------------------------------------------- */

#define AV_MAX_PRODUCTS 8

struct av_product {
	char name[128];
	int state;      /* AV_ON, AV_OFF, AV_SNOOZED, AV_EXPIRED; -1 unknown */
	int up_to_date; /* its signatures, as the product reports them: 1, 0, -1 */
	int defender;   /* Microsoft Defender Antivirus itself */
	/* days since its signatures were updated, when the OS says and
	 * up_to_date does not (macOS's XProtect); -1 unknown */
	long long signature_age;
};
enum { AV_ON, AV_OFF, AV_SNOOZED, AV_EXPIRED };

struct av_state {
	int have_center; /* an OS register of products answered (Security Center) */
	struct av_product products[AV_MAX_PRODUCTS];
	size_t n_products;
	/* Microsoft Defender's own status; each -1 when unknown */
	int defender;            /* Defender's status could be read */
	int defender_service;    /* its service runs */
	int defender_av;         /* its antivirus is on */
	int defender_realtime;   /* real-time protection is on */
	long long signature_age; /* days since its signatures were updated */
	char defender_mode[32];  /* AMRunningMode: "Normal", "Passive Mode", ... */
	char source[128];        /* what was read */
};

/* Reads the antivirus products the OS knows of and Defender's own status.
 * 0, or a negative errno when nothing could be read. */
int probe_antivirus(const struct rootfs *root, struct av_state *out, char *err, size_t err_len);

/* --- Firmware ---------------------------------------------------------- */

struct boot_state {
	int efi;         /* booted through UEFI */
	int secure_boot; /* 1, 0, or -1 unknown */
	int setup_mode;  /* 1 when keys can be enrolled (Secure Boot not enforced); -1 unknown */
	int tpm;         /* a TPM is present: 1, 0, -1 unknown (not read on Linux yet) */
	int tpm_version; /* 20 for TPM 2.0, 12 for 1.2; 0 unknown */
	int tpm_ready;   /* ready for use (Windows' TpmReady): 1, 0, -1 unknown */
};

/* Reads the firmware's Secure Boot state, and the TPM's where the OS tells.
 * 0 or a negative errno. */
int probe_secure_boot(const struct rootfs *root, struct boot_state *out, char *err, size_t err_len);

/* --- The OS's own protections (macOS) ---------------------------------- */

/* Each protection: 1 on, 0 off, -1 unknown with WHY saying why. */
struct protection {
	int on;
	char said[160];  /* what the source said, in its words */
	char source[96]; /* "csrutil status", "configuration profile (...)" */
	char why[256];   /* when unknown */
};

struct integrity_state {
	struct protection sip;        /* System Integrity Protection */
	struct protection gatekeeper; /* only identified apps run (assessments) */
};

/* Reads the OS's own integrity protections. 0 (each may still be
 * unknown, saying why), or a negative errno; "not supported" where the OS
 * has none of them. */
int probe_system_integrity(const struct rootfs *root, struct integrity_state *out, char *err,
                           size_t err_len);

/* --- How to fix ------------------------------------------------------- */

/* What a fix text is about, beyond its topic. */
struct fix_args {
	const char *system; /* the package manager or package system: "apt", "dnf", "deb", "rpm" */
	const char *name;   /* a package, a kernel parameter */
	const char *value;  /* a version, a parameter's value */
	long long number;   /* a limit in seconds */
	int flag;           /* os_patch.install: a reboot follows */
};

/*
 * How to fix TOPIC on this OS, in its own commands and settings, into OUT.
 * Topics: a check type's name (its failure in general), and
 * "os_patch.no_lists", "os_patch.install", "os_patch.reboot",
 * "package_version", "screen_lock", "sysctl" with ARGS (may be NULL for a
 * type's name). 0, or -1 when the platform has no words for it: the type's
 * own remediation (lib/checks/) stands then. A policy's remediation wins
 * over both.
 */
int probe_fix(const char *topic, const struct fix_args *args, char *out, size_t out_len);

/* --- Passwords -------------------------------------------------------- */

#define PASSWORD_LISTED 16 /* accounts named in empty[]; n_empty is exact */

struct password_state {
	/* The shortest new password the system's password-change stack
	 * accepts (Linux: PAM's "passwd" service; the modules that enforce a
	 * length, by their own rules); 0 when nothing in it enforces one. */
	int min_length;
	/* Which module or file set min_length, for the evidence:
	 * "pam_pwquality.so: minlen 14 (/etc/security/pwquality.conf:3)". */
	char min_length_from[256];
	/* PASS_MIN_LEN of /etc/login.defs, -1 when unset: shadow's passwd
	 * uses it only without PAM, so it decides min_length only then. */
	int login_defs_min_len;
	size_t n_empty;                  /* accounts whose password is empty */
	char empty[PASSWORD_LISTED][64]; /* the first PASSWORD_LISTED of them */
};

/*
 * Reads what decides the length of new passwords, and which accounts have
 * an empty password (anyone may log in as them where the login stack
 * allows it: Debian's pam_unix nullok). 0 or a negative errno.
 */
int probe_password_policy(const struct rootfs *root, struct password_state *out, char *err,
                          size_t err_len);

/* --- Kernel parameters ------------------------------------------------- */

/*
 * Reads the kernel parameter NAME ("net.ipv4.ip_forward", or the slash form
 * "net/ipv4/conf/eth0.100/rp_filter") into value, whitespace runs folded to
 * one space. 0, -ENOENT when the kernel has no such parameter, or another
 * negative errno.
 */
int probe_sysctl(const struct rootfs *root, const char *name, char *value, size_t value_len,
                 char *err, size_t err_len);

/* --- Processes --------------------------------------------------------- */

struct proc_entry {
	pid_t pid;
	char comm[64];    /* the kernel's short name (at most 15 characters) */
	char argv0[256];  /* base name of argv[0]; "" for kernel threads */
	char script[256]; /* when argv[0] is an interpreter (sh, bash, python3,
	                   * perl, ruby, node, ...): base name of the script it
	                   * runs, its first argument that is not an option */
	char state;       /* 'R', 'S', 'Z', ... */
};

/*
 * Calls FN for every process of the root's /proc. FN returns non-zero to
 * stop early. Returns 0 or a negative errno (-ENOENT without /proc).
 */
int probe_processes(const struct rootfs *root, int (*fn)(void *user, const struct proc_entry *p),
                    void *user, char *err, size_t err_len);

/* --- Files ------------------------------------------------------------ */

/*
 * Calls FN for each line of the file PATH (without its newline; lines
 * longer than 64 KiB are cut there), with its 1-based number. FN returns
 * non-zero to stop early. Returns 0 or a negative errno (-ENOENT when there
 * is no such file).
 */
int probe_file_lines(const struct rootfs *root, const char *path,
                     int (*fn)(void *user, const char *line, size_t len, long line_no), void *user,
                     char *err, size_t err_len);

/* stat(2) of PATH below the root, following links inside it. 0 or -errno. */
int probe_file_stat(const struct rootfs *root, const char *path, struct stat *st);

#endif
