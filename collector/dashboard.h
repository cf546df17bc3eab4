/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dashboard: the pages, script and style of the collector's dashboard,
 * built into the binary from collector/dashboard/ (no external assets).
 */
#ifndef POSTURE_DASHBOARD_H
#define POSTURE_DASHBOARD_H

#include <stddef.h>

struct dashboard_asset {
	const char *path;         /* as requested: "/", "/assets/app.js" ... */
	const char *content_type; /* with its charset */
	const char *data;
	size_t len;
};

/* The asset for PATH, or NULL. */
const struct dashboard_asset *dashboard_asset(const char *path, size_t path_len);

/* The sign-in page, as FLAGS say: */
enum {
	DASHBOARD_LOGIN_FAILED = 1,    /* saying the token was wrong */
	DASHBOARD_LOGIN_OIDC = 2,      /* offering OpenID Connect */
	DASHBOARD_LOGIN_NO_TOKEN = 4,  /* without the admin token's form */
	DASHBOARD_LOGIN_TOKEN_OFF = 8, /* saying the token's sign-in is off */
};
const struct dashboard_asset *dashboard_login(int flags);

#endif
