/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the password policy's parsers (platform/linux/
 * password.h): the input, split at its first two form feeds, is a
 * pwquality.conf, a PAM configuration file, and /etc/passwd with
 * /etc/shadow after a third.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "password.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_line(void *user, char **tok, int n_tok, long line_no)
{
	size_t *count = user;
	int i;

	if (n_tok < 1 || n_tok > PAM_MAX_TOK || line_no < 1)
		__builtin_trap();
	for (i = 0; i < n_tok; i++)
		*count += strlen(tok[i]);
	return 0;
}

static void on_account(void *user, const char *name, size_t len)
{
	size_t *count = user;

	if (len == 0 || memchr(name, ':', len) != NULL)
		__builtin_trap();
	*count += len;
}

/* The next part of [*P, END) up to a form feed. */
static const char *part(const char **p, const char *end, size_t *len)
{
	const char *start = *p, *ff = memchr(start, '\f', (size_t)(end - start));

	*len = ff ? (size_t)(ff - start) : (size_t)(end - start);
	*p = ff ? ff + 1 : end;
	return start;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *conf, *pam, *pw, *sh;
	size_t conf_len, pam_len, pw_len, sh_len, count = 0;
	struct pwquality q;
	long bad = 0;

	conf = part(&p, end, &conf_len);
	pam = part(&p, end, &pam_len);
	pw = part(&p, end, &pw_len);
	sh = part(&p, end, &sh_len);
	pwquality_defaults(&q);
	if (pwquality_apply_text(&q, conf, conf_len, "fuzz", &bad) != 0 && bad < 1)
		__builtin_trap();
	if (q.minlen < 6 || pwquality_shortest(&q) < 0)
		__builtin_trap();
	pam_each_line(pam, pam_len, on_line, &count);
	if (passwd_empty_accounts(pw, pw_len, sh, sh_len, on_account, &count) < 0)
		return 0;
	return 0;
}
