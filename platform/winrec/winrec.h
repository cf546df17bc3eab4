/* SPDX-License-Identifier: Apache-2.0 */
/*
 * winrec: the answers of Windows' management APIs (WMI, the Windows Update
 * Agent) as records of named values, and what the probes make of them.
 *
 * The live calls (platform/win/wmi.c, platform/win/wua.c) are kept thin:
 * they only turn each object the API returns into a record of its
 * properties, each value written as `wmic ... get /format:list` writes it
 * (TRUE/FALSE, decimal numbers, CIM datetimes, {a,b} arrays). Everything
 * after that (which volume is encrypted, which update is a security one)
 * is plain C here, built on every OS, so that it is tested on Linux
 * against answers captured from real Windows machines
 * (tests/fixtures/windows/answers/, each with its source) and fuzzed.
 *
 * Captured text is read in the two forms Windows prints objects in:
 *   wmic /format:list   Name=Value lines, a blank line between objects
 *                       (UTF-16LE with a BOM when redirected to a file,
 *                       lines ending in CR CR LF)
 *   Format-List         "Name   : Value" lines (PowerShell), a blank line
 *                       between objects; a value too long for the console
 *                       continues on indented lines
 */
#ifndef POSTURE_WINREC_H
#define POSTURE_WINREC_H

#include <stddef.h>

#include "probe.h"

/* Bounds: an answer beyond them is refused with an error, not cut. */
#define WINREC_MAX_RECORDS 1024
#define WINREC_MAX_PROPS 256
#define WINREC_MAX_NAME 128
#define WINREC_MAX_VALUE 16384
#define WINREC_MAX_INPUT (8u << 20)

struct winrec_prop {
	char *name;
	char *value;
};

struct winrec {
	struct winrec_prop *props;
	size_t n;
};

struct winrec_list {
	struct winrec *recs;
	size_t n;
};

/* Parses captured text (UTF-8, or UTF-16LE with its BOM) into OUT.
 * 0, or -EINVAL with the line and what is wrong in ERR. Free OUT with
 * winrec_free() either way. */
int winrec_parse(const char *text, size_t len, struct winrec_list *out, char *err, size_t err_len);

/* Starts a new, empty record. 0 or -ENOMEM, -E2BIG past the bounds. */
int winrec_begin(struct winrec_list *l);
/* Adds NAME=VALUE to the last record. 0, -ENOMEM, -E2BIG past the bounds,
 * -EEXIST when the record has NAME already. */
int winrec_put(struct winrec_list *l, const char *name, const char *value);
void winrec_free(struct winrec_list *l);

/* The value of NAME in R (names compare without case, as WMI's do), or
 * NULL when absent. */
const char *winrec_get(const struct winrec *r, const char *name);
/* The value of the first of NAMES (NULL-terminated) that R has, and that
 * name in *WHICH when WHICH is not NULL. An empty value counts as absent,
 * as wmic prints a NULL property as nothing. */
const char *winrec_first(const struct winrec *r, const char *const *names, const char **which);

/* A decimal value of at most 2^63-1 in *OUT: 0, or -EINVAL. */
int winrec_number(const char *value, long long *out);
/* TRUE/True/FALSE/False: 1 or 0; -EINVAL otherwise. */
int winrec_bool(const char *value);
/* Splits an array value ({"a","b"} from wmic, {a, b} from Format-List, or
 * one bare value) into at most MAX items of ITEM_LEN bytes each, quotes
 * and blanks stripped. The number of items, or -E2BIG. */
int winrec_items(const char *value, char items[][64], int max);
/* A CIM datetime (yyyymmddHHMMSS.mmmmmm+UUU, the offset in minutes) as Unix
 * time in *OUT. 0, or -EINVAL; -ENOENT for the zero date 16010101...
 * that WMI uses for "never". */
int winrec_cimtime(const char *value, long long *out);

/* --- BitLocker: Win32_EncryptableVolume ------------------------------- */

/*
 * Turns BitLocker's volumes into the probe's (probe.h). Each record is one
 * volume, as WMI's Win32_EncryptableVolume gives it (ConversionStatus,
 * ProtectionStatus, EncryptionMethod and VolumeType as numbers, with
 * EncryptionPercentage, LockStatus and KeyProtectorTypes added by the live
 * call from the class's methods), or as PowerShell's Get-BitLockerVolume
 * prints it (VolumeStatus, ProtectionStatus On/Off, EncryptionMethod
 * XtsAes128, ...). The rules are in platform/win/README.md. Sets *OUT
 * (free() it) and *N_OUT; 0 or -EINVAL with ERR.
 */
int winrec_bitlocker(const struct winrec_list *l, struct volume **out, size_t *n_out, char *err,
                     size_t err_len);

/* --- Windows Update Agent: pending updates ---------------------------- */

/* The classification GUID of security updates (Microsoft's list of update
 * classification GUIDs for Windows Update and WSUS). */
#define WUA_SECURITY_UPDATES "0FA1201D-4330-4FA8-8AE9-B877473B6441"

/*
 * Adds the updates of a Windows Update Agent search to PS (probe.h): one
 * record per IUpdate, with Title, KBArticleIDs ({"5034123"}), MsrcSeverity,
 * and the update's classification (its category of Type
 * UpdateClassification) as Classification and ClassificationID. An update
 * is a security one when its classification is Security Updates (by GUID;
 * by name only when the GUID is missing, as names are translated) or MSRC
 * rated it (Critical, Important, Moderate, Low). Sorted by title.
 * 0, -ENOMEM, or -EINVAL with ERR for a record without a Title.
 */
int winrec_wua(const struct winrec_list *l, struct patch_state *ps, char *err, size_t err_len);

/* --- Antivirus: Security Center and Defender -------------------------- */

/*
 * Adds the products of Security Center's AntiVirusProduct
 * (ROOT\SecurityCenter2: displayName, productState) to ST, sets
 * have_center. productState is a bit field Microsoft has not documented;
 * it is read as Windows' own tools and the vendors' scripts read it:
 * bits 12-15 the product state (0 off, 1 on, 2 snoozed, 3 expired, the
 * order of the documented WSC_SECURITY_PRODUCT_STATE), bits 4-7 the
 * signatures (0 up to date, 1 out of date). More than AV_MAX_PRODUCTS
 * products: the rest are dropped. 0 or -EINVAL with ERR.
 */
int winrec_security_center(const struct winrec_list *l, struct av_state *st, char *err,
                           size_t err_len);

/*
 * Sets Defender's fields of ST from MSFT_MpComputerStatus
 * (ROOT\Microsoft\Windows\Defender, or Get-MpComputerStatus):
 * AMServiceEnabled, AntivirusEnabled, RealTimeProtectionEnabled,
 * AntivirusSignatureAge, AMRunningMode. A property that is missing or not
 * a boolean leaves its field -1 (unknown). 0, or -EINVAL when there is not
 * exactly one object.
 */
int winrec_defender(const struct winrec_list *l, struct av_state *st, char *err, size_t err_len);

/* --- TPM: Win32_Tpm or Get-Tpm ---------------------------------------- */

/*
 * Sets the TPM fields of B from Win32_Tpm (ROOT\CIMV2\Security\MicrosoftTpm:
 * no object when there is no TPM; IsReady added by the live call from the
 * class's IsReady method; SpecVersion "2.0, 0, 1.38") or from Get-Tpm's
 * object (TpmPresent, TpmReady). Leaves what the answer does not say.
 * 0, or -EINVAL with ERR for more than one object.
 */
int winrec_tpm(const struct winrec_list *l, struct boot_state *b, char *err, size_t err_len);

#endif
