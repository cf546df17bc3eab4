/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vercmp: the package systems' own version orderings.
 *
 * deb versions order exactly as dpkg's dpkg_version_compare() does and rpm
 * versions exactly as rpm's rpmvercmp() and rpmverCmp() do; both are checked
 * against the real tools by tests/unit/test_version_diff.c. Nothing here
 * allocates, so the functions are safe on the hot path of a package scan.
 */
#ifndef POSTURE_VERCMP_H
#define POSTURE_VERCMP_H

#include <stddef.h>

/* A parsed deb version: pointers into the caller's string, not copies. */
struct deb_version {
	unsigned long epoch;
	const char *upstream;
	size_t upstream_len;
	const char *revision; /* "" when there is none */
	size_t revision_len;
};

/*
 * Parses S as dpkg's parseversion() does. Returns 0 for a valid version;
 * -1 when dpkg would refuse it outright (empty, bad epoch, embedded space);
 * 1 when dpkg would only warn (bad character, no leading digit) but still
 * compares it, in which case *out is filled. err gets dpkg's reason.
 */
int deb_version_parse(const char *s, struct deb_version *out, char *err, size_t err_len);

/* <0, 0, >0 as A is older than, equal to or newer than B (dpkg's order). */
int deb_version_compare(const struct deb_version *a, const struct deb_version *b);

/*
 * Compares two version strings as `dpkg --compare-versions` does; a string
 * that does not parse at all compares as the empty version.
 */
int deb_version_cmp_str(const char *a, const char *b);

/* rpm's segment comparison of two version or release strings: -1, 0, 1. */
int rpm_vercmp(const char *a, const char *b);

/*
 * Compares two [epoch:]version[-release] strings as rpmverCmp() does (what
 * `rpm.vercmp()` in rpm's Lua returns): -1, 0, 1. A missing epoch counts as
 * 0; a missing release sorts before any release.
 */
int rpm_evr_compare(const char *a, const char *b);

/*
 * 0 when S is a well-formed rpm [epoch:]version[-release] (the characters
 * rpmbuild accepts in Version and Release), else -1 with the reason in err.
 */
int rpm_version_check(const char *s, char *err, size_t err_len);

/*
 * Compares dotted numeric versions ("12", "22.04", "9.4") component by
 * component; a missing component counts as 0. Both must pass
 * dotted_version_check().
 */
int dotted_version_compare(const char *a, const char *b);

/* 0 when S is digits separated by single dots, else -1 with a reason. */
int dotted_version_check(const char *s, char *err, size_t err_len);

/*
 * Compares browser versions component by component ("131.0.6778.85",
 * "128.5.0esr", "134.0b5"): numbers numerically; a component's letter
 * suffix "a" or "b" and a number (Firefox's alpha and beta) sorts before the
 * plain number, any other suffix ("esr") is ignored; a missing component
 * counts as 0. -1, 0 or 1.
 */
int browser_version_compare(const char *a, const char *b);

/*
 * The package systems a package_version check can be judged on, by the name
 * the platform's probe_pkg_system() gives: how a minimum is validated and
 * how two versions order.
 *   deb  dpkg's order (deb_version_cmp_str), minimums that dpkg accepts
 *   rpm  rpmverCmp's order (rpm_evr_compare), minimums rpmbuild accepts
 *   msi  Windows installs (the Uninstall keys' DisplayVersion, MSI's
 *   pkg  ProductVersion; macOS app bundles' CFBundleShortVersionString and
 *        pkg receipts' PackageVersion): dotted versions compared component
 *        by component as browser_version_compare() does (each component's
 *        leading number; "a"/"b" and a number sort before the release; other
 *        text after the number ignored; no number or a missing component
 *        is 0). Minimums are digits and
 *        single dots ("1.2.3.4"), so a policy never leans on that leniency.
 */
struct pkg_scheme {
	const char *name; /* "deb", "rpm", "msi", "pkg" */
	const char *what; /* "deb version", for messages */
	int (*check)(const char *s, char *err, size_t err_len);
	int (*compare)(const char *a, const char *b);
};

/* The scheme called NAME, or NULL. */
const struct pkg_scheme *pkg_scheme_find(const char *name);

/* Every scheme, ending with one whose name is NULL. */
extern const struct pkg_scheme pkg_schemes[];

#endif
