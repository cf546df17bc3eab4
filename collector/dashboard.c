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
static struct dashboard_asset login_failed = { "/", "text/html; charset=utf-8", NULL, 0 };
static char failed_page[16384];

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

const struct dashboard_asset *dashboard_login(int failed)
{
	static const char mark[] = " id=\"login-error\" hidden>";
	static const char shown[] = " id=\"login-error\">";
	const size_t shown_len = sizeof(shown) - 1, mark_len = sizeof(mark) - 1;

	if (login.len == 0)
		login.len = strlen(login.data);
	if (!failed)
		return &login;
	if (login_failed.data == NULL) {
		/* the same page with its error shown: the mark loses "hidden" */
		const char *at = strstr(login.data, mark);
		size_t head = at ? (size_t)(at - login.data) : login.len;

		if (at == NULL || login.len >= sizeof(failed_page))
			return &login;
		memcpy(failed_page, login.data, head);
		memcpy(failed_page + head, shown, shown_len);
		memcpy(failed_page + head + shown_len, at + mark_len, login.len - head - mark_len);
		login_failed.len = login.len - mark_len + shown_len;
		failed_page[login_failed.len] = '\0';
		login_failed.data = failed_page;
	}
	return &login_failed;
}
