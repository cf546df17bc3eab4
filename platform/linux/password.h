/* SPDX-License-Identifier: Apache-2.0 */
/*
 * password: the text parsers behind probe_password_policy (password.c),
 * apart so that the tests and the fuzz target reach them. Internal to
 * platform/linux.
 */
#ifndef POSTURE_LINUX_PASSWORD_H
#define POSTURE_LINUX_PASSWORD_H

#include <stddef.h>

/* libpwquality's settings that decide a new password's length, as its
 * version 1.4 keeps them (settings.c, check.c). */
struct pwquality {
	int minlen; /* never below 6: libpwquality raises it */
	int dcredit, ucredit, lcredit, ocredit;
	int dictcheck;         /* cracklib's check, which refuses fewer than 6 characters */
	int enforcing;         /* 0: pam_pwquality only warns */
	char minlen_from[160]; /* "FILE:LINE", "argument minlen=N", or "default" */
};

void pwquality_defaults(struct pwquality *q);

/*
 * Applies one configuration file's TEXT (LEN bytes) as libpwquality's
 * read_config_file does: "name [=] value" lines, '#' comments, names in any
 * case. Returns 0, or -1 at the first line libpwquality refuses (an unknown
 * name, a value that is no integer, a line over 1023 bytes), which ends its
 * reading of the configuration; *BAD_LINE gets that line's number. NAME is
 * the file's path, for minlen_from.
 */
int pwquality_apply_text(struct pwquality *q, const char *text, size_t len, const char *name,
                         long *bad_line);

struct rootfs;

/* libpwquality's configuration below ROOT as pam_pwquality reads it:
 * /etc/security/pwquality.conf.d/ *.conf in name order, then
 * pwquality.conf; the first line refused ends the reading, and what was read
 * stays in force (pam_pwquality logs the error and goes on). */
void pwquality_read(const struct rootfs *root, struct pwquality *q);

/* Applies one pam_pwquality argument ("minlen=14"), as
 * pwquality_set_option does. 0, or -1 when libpwquality refuses it. */
int pwquality_apply_option(struct pwquality *q, const char *option);

/* The shortest password these settings accept: minlen less the most the
 * positive credits give (each character earns at most one), at least 6
 * while the dictionary check is on; 0 when not enforcing. */
int pwquality_shortest(const struct pwquality *q);

/* Whether NAME is a name libpwquality 1.4's configuration files take
 * (settings.c's table), in any case. */
int pwquality_known_name(const char *name);

/*
 * Calls FN for every logical line of a PAM configuration file's TEXT:
 * comments dropped, backslash-newline joined, split into at most MAX_TOK
 * fields (a control in brackets, "[success=1 default=ignore]", is one
 * field). FN gets the fields and the line's number; it returns non-zero to
 * stop. Returns 0, or -1 when a line is longer than the parser keeps
 * (4 KiB), which Linux-PAM would not read either.
 */
#define PAM_MAX_TOK 32
int pam_each_line(const char *text, size_t len,
                  int (*fn)(void *user, char **tok, int n_tok, long line_no), void *user);

/*
 * The accounts of /etc/passwd (PASSWD_TEXT) whose password is empty: an
 * empty second field, or "x" with an empty second field in /etc/shadow
 * (SHADOW_TEXT, may be NULL when there is no shadow file), as `passwd -S`
 * reports "NP". Calls FN with each name (not NUL-terminated: NAME, LEN).
 * Returns the number found, or -1 when out of memory.
 */
long passwd_empty_accounts(const char *passwd_text, size_t passwd_len, const char *shadow_text,
                           size_t shadow_len, void (*fn)(void *user, const char *name, size_t len),
                           void *user);

#endif
