/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dashboard: see dashboard.h. The files of collector/dashboard/ are taken
 * into the binary by the assembler's .incbin (the build names them as
 * dependencies), each followed by a NUL so its length is known.
 */
#include "dashboard.h"

#include <string.h>

#define EMBED(sym, file)                       \
	__asm__(".section .rodata\n"           \
	        ".balign 16\n"                 \
	        ".globl " #sym "\n" #sym ":\n" \
	        ".incbin \"" file "\"\n"       \
	        ".byte 0\n"                    \
	        ".previous\n");                \
	extern const char sym[]

EMBED(posture_dash_index, "collector/dashboard/index.html");
EMBED(posture_dash_login, "collector/dashboard/login.html");
EMBED(posture_dash_js, "collector/dashboard/app.js");
EMBED(posture_dash_css, "collector/dashboard/app.css");

static struct dashboard_asset assets[] = {
	{ "/", "text/html; charset=utf-8", posture_dash_index, 0 },
	{ "/assets/app.js", "text/javascript; charset=utf-8", posture_dash_js, 0 },
	{ "/assets/app.css", "text/css; charset=utf-8", posture_dash_css, 0 },
};

static struct dashboard_asset login = { "/", "text/html; charset=utf-8", posture_dash_login, 0 };
/* the sign-in page's variants, made once each */
static struct dashboard_asset variants[16];
static char variant_pages[16][16384];

const struct dashboard_asset *dashboard_asset(const char *path, size_t path_len)
{
	for (size_t i = 0; i < sizeof(assets) / sizeof(assets[0]); i++)
		if (strlen(assets[i].path) == path_len &&
		    memcmp(assets[i].path, path, path_len) == 0) {
			if (assets[i].len == 0)
				assets[i].len = strlen(assets[i].data);
			return &assets[i];
		}
	return NULL;
}

/* TEXT with FROM (once) replaced by TO, into OUT; its length, or 0 */
static size_t swap(const char *text, size_t len, const char *from, const char *to, char *out,
                   size_t out_len)
{
	const char *at = strstr(text, from);
	size_t head, from_len = strlen(from), to_len = strlen(to);

	if (at == NULL || len - from_len + to_len >= out_len)
		return 0;
	head = (size_t)(at - text);
	memmove(out, text, head);
	memmove(out + head + to_len, at + from_len, len - head - from_len + 1);
	memcpy(out + head, to, to_len);
	return len - from_len + to_len;
}

const struct dashboard_asset *dashboard_login(int flags)
{
	static const char *const marks[][2] = {
		{ " id=\"login-error\" hidden>",
		  " id=\"login-error\">" }, /* DASHBOARD_LOGIN_FAILED */
		{ " id=\"oidc-signin\" hidden>",
		  " id=\"oidc-signin\">" }, /* DASHBOARD_LOGIN_OIDC */
		{ " id=\"token-form\">",
		  " id=\"token-form\" hidden>" }, /* DASHBOARD_LOGIN_NO_TOKEN */
		{ " id=\"token-off\" hidden>",
		  " id=\"token-off\">" }, /* DASHBOARD_LOGIN_TOKEN_OFF */
	};
	struct dashboard_asset *v = &variants[flags & 15];

	if (login.len == 0)
		login.len = strlen(login.data);
	if ((flags & 15) == 0)
		return &login;
	if (v->data == NULL) {
		char *page = variant_pages[flags & 15];
		size_t len = login.len;

		if (len >= sizeof(variant_pages[0]))
			return &login;
		memcpy(page, login.data, len + 1);
		for (int i = 0; i < 4; i++)
			if (flags & (1 << i)) {
				size_t n = swap(page, len, marks[i][0], marks[i][1], page,
				                sizeof(variant_pages[0]));

				if (n == 0)
					return &login;
				len = n;
			}
		*v = login;
		v->data = page;
		v->len = len;
	}
	return v;
}
