/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: the password policy. What decides a new password's length is the
 * password-change stack of PAM's "passwd" service (/etc/pam.d/passwd, its
 * @include and include/substack files: Debian's common-password, Fedora's
 * system-auth), and in it the modules that enforce a length:
 *   - pam_pwquality.so: libpwquality's settings, /etc/security/
 *     pwquality.conf.d/ *.conf in name order and then pwquality.conf (the
 *     last word wins), then the module's own arguments; the shortest
 *     password it accepts follows from minlen and the credits (password.h);
 *     with enforcing = 0 it only warns;
 *   - pam_unix.so: its minlen= argument, 6 when absent (pam_unix(8)).
 * The longest of their minimums is the system's. /etc/login.defs's
 * PASS_MIN_LEN decides only where there is no PAM configuration at all
 * (shadow's passwd then checks it itself).
 *
 * Empty passwords: /etc/passwd and /etc/shadow, as `passwd -S` reads them
 * (tests/unit/test_password_policy.c holds this to passwd -S -a -R ROOT and
 * to libpwquality's own reading of pwquality.conf).
 */
#define _GNU_SOURCE
#include "password.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../probe.h"
#include "../probeset.h"

#define MAX_PAM_FILE (256u << 10)
#define MAX_CONF_FILE (256u << 10)
#define MAX_ACCOUNTS_FILE (32u << 20)
#define MAX_PAM_DEPTH 8    /* Linux-PAM's own include limit is deeper; loops end here */
#define MAX_PWQ_CONF_D 256 /* files read from pwquality.conf.d */
#define PWQ_LINE_MAX 1023  /* libpwquality's PWQSETTINGS_MAX_LINELEN */
#define PWQ_BASE_MIN_LENGTH 6

/* --- libpwquality's settings ------------------------------------------ */

/* settings.c's s_map of libpwquality 1.4.5 (Debian 12), every name. */
static const char *const pwq_int_names[] = {
	"difok",     "minlen",     "dcredit",        "ucredit",     "lcredit",    "ocredit",
	"minclass",  "maxrepeat",  "maxclassrepeat", "maxsequence", "gecoscheck", "dictcheck",
	"usercheck", "usersubstr", "enforcing",      "retry",       NULL,
};
static const char *const pwq_str_names[] = { "badwords", "dictpath", NULL };
static const char *const pwq_set_names[] = { "enforce_for_root", "local_users_only", NULL };

static int in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcasecmp(*list, name) == 0)
			return 1;
	return 0;
}

int pwquality_known_name(const char *name)
{
	return in_list(pwq_int_names, name) || in_list(pwq_str_names, name) ||
	       in_list(pwq_set_names, name);
}

void pwquality_defaults(struct pwquality *q)
{
	memset(q, 0, sizeof(*q));
	q->minlen = 8; /* PWQ_DEFAULT_MIN_LENGTH; the credits default to 0 */
	q->dictcheck = 1;
	q->enforcing = 1;
	snprintf(q->minlen_from, sizeof(q->minlen_from), "default");
}

/* set_name_value(): 0, or -1 for what libpwquality refuses. */
static int set_name_value(struct pwquality *q, const char *name, const char *value,
                          const char *from)
{
	long v;
	char *end;

	if (in_list(pwq_str_names, name) || in_list(pwq_set_names, name))
		return 0; /* nothing here depends on them */
	if (!in_list(pwq_int_names, name))
		return -1;
	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || *value == '\0' || *end != '\0' || v >= INT_MAX || v <= INT_MIN)
		return -1;
	if (strcasecmp(name, "minlen") == 0) {
		q->minlen = v < PWQ_BASE_MIN_LENGTH ? PWQ_BASE_MIN_LENGTH : (int)v;
		snprintf(q->minlen_from, sizeof(q->minlen_from), "%s", from);
	} else if (strcasecmp(name, "dcredit") == 0) {
		q->dcredit = (int)v;
	} else if (strcasecmp(name, "ucredit") == 0) {
		q->ucredit = (int)v;
	} else if (strcasecmp(name, "lcredit") == 0) {
		q->lcredit = (int)v;
	} else if (strcasecmp(name, "ocredit") == 0) {
		q->ocredit = (int)v;
	} else if (strcasecmp(name, "dictcheck") == 0) {
		q->dictcheck = (int)v;
	} else if (strcasecmp(name, "enforcing") == 0) {
		q->enforcing = (int)v;
	}
	return 0;
}

int pwquality_apply_text(struct pwquality *q, const char *text, size_t len, const char *name,
                         long *bad_line)
{
	const char *p = text, *end = text + len;
	long line_no = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[PWQ_LINE_MAX + 2], from[160];
		char *s, *key, *value, *hash;
		int eq = 0;

		const char *nul;

		line_no++;
		/* fgets() into 1024 bytes: a line of 1023 bytes or more fills it
		 * without its newline, which libpwquality calls malformed */
		if (n >= PWQ_LINE_MAX) {
			*bad_line = line_no;
			return -1;
		}
		/* a NUL ends fgets()'s string early: malformed unless at the
		 * line's start or in the file's last line */
		nul = memchr(p, '\0', n);
		if (nul != NULL && nul > p && nl != NULL) {
			*bad_line = line_no;
			return -1;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl ? nl + 1 : end;
		hash = strchr(line, '#');
		if (hash != NULL)
			*hash = '\0';
		s = line + strlen(line);
		while (s > line && isspace((unsigned char)s[-1]))
			*--s = '\0';
		for (s = line; isspace((unsigned char)*s); s++)
			;
		if (*s == '\0')
			continue;
		key = s;
		while (*s != '\0') {
			if (isspace((unsigned char)*s) || *s == '=') {
				eq = *s == '=';
				*s++ = '\0';
				break;
			}
			s++;
		}
		while (*s != '\0') {
			if (*s != '=' || eq) {
				if (!isspace((unsigned char)*s))
					break;
			} else {
				eq = 1;
			}
			s++;
		}
		value = s;
		snprintf(from, sizeof(from), "%s:%ld", name, line_no);
		if (set_name_value(q, key, value, from) != 0) {
			*bad_line = line_no;
			return -1;
		}
	}
	return 0;
}

int pwquality_apply_option(struct pwquality *q, const char *option)
{
	const char *eq = strchr(option, '=');
	char name[80], from[160];
	size_t len = eq ? (size_t)(eq - option) : strlen(option);

	if (len > sizeof(name) - 1)
		return -1;
	memcpy(name, option, len);
	name[len] = '\0';
	snprintf(from, sizeof(from), "argument %.120s", option);
	return set_name_value(q, name, eq ? eq + 1 : option + len, from);
}

int pwquality_shortest(const struct pwquality *q)
{
	long long credits = 0, shortest;

	if (!q->enforcing)
		return 0;
	credits += q->dcredit > 0 ? q->dcredit : 0;
	credits += q->ucredit > 0 ? q->ucredit : 0;
	credits += q->lcredit > 0 ? q->lcredit : 0;
	credits += q->ocredit > 0 ? q->ocredit : 0;
	/* accepted when length + credit >= minlen, and a character earns at
	 * most one credit (check.c's simple()) */
	shortest = (long long)q->minlen - credits;
	if (shortest < ((long long)q->minlen + 1) / 2)
		shortest = ((long long)q->minlen + 1) / 2;
	if (q->dictcheck && shortest < PWQ_BASE_MIN_LENGTH)
		shortest = PWQ_BASE_MIN_LENGTH; /* cracklib's "too short" */
	return (int)shortest;
}

/* --- PAM configuration files ------------------------------------------ */

int pam_each_line(const char *text, size_t len,
                  int (*fn)(void *user, char **tok, int n_tok, long line_no), void *user)
{
	const char *p = text, *end = text + len;
	long line_no = 0;

	while (p < end) {
		char line[4096], *tok[PAM_MAX_TOK], *s;
		size_t n = 0;
		long first = line_no + 1;
		int n_tok = 0;

		/* one logical line: physical lines joined at a backslash before
		 * the newline */
		for (;;) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);
			int cont;

			line_no++;
			cont = k > 0 && p[k - 1] == '\\';
			if (cont)
				k--;
			if (n + k >= sizeof(line))
				return -1;
			memcpy(line + n, p, k);
			n += k;
			p = nl ? nl + 1 : end;
			if (!cont || p >= end)
				break;
			line[n++] = ' ';
		}
		line[n] = '\0';
		s = strchr(line, '#');
		if (s != NULL)
			*s = '\0';
		s = line;
		while (n_tok < PAM_MAX_TOK) {
			while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\v' || *s == '\f')
				s++;
			if (*s == '\0')
				break;
			tok[n_tok++] = s;
			if (*s == '[') {
				/* a bracketed field runs to its ']' ("\]" inside) */
				s++;
				while (*s != '\0' && !(*s == ']' && s[-1] != '\\'))
					s++;
				if (*s == ']')
					s++;
			} else {
				while (*s != '\0' && !isspace((unsigned char)*s))
					s++;
			}
			if (*s != '\0')
				*s++ = '\0';
		}
		if (n_tok > 0 && fn(user, tok, n_tok, first) != 0)
			break;
	}
	return 0;
}

/* --- /etc/passwd and /etc/shadow -------------------------------------- */

struct shadow_entry {
	const char *name;
	size_t len;
	int empty;
};

static int shadow_cmp(const void *a, const void *b)
{
	const struct shadow_entry *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);

	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

/* The second colon-separated field of a LINE of LEN bytes, or NULL. */
static const char *field2(const char *line, size_t len, size_t *name_len, size_t *f2_len)
{
	const char *c1 = memchr(line, ':', len), *c2;

	if (c1 == NULL)
		return NULL;
	*name_len = (size_t)(c1 - line);
	c2 = memchr(c1 + 1, ':', len - *name_len - 1);
	*f2_len = c2 ? (size_t)(c2 - c1 - 1) : len - *name_len - 1;
	return c1 + 1;
}

long passwd_empty_accounts(const char *passwd_text, size_t passwd_len, const char *shadow_text,
                           size_t shadow_len, void (*fn)(void *user, const char *name, size_t len),
                           void *user)
{
	struct shadow_entry *sh = NULL;
	size_t n_sh = 0, cap = 0;
	const char *p, *end;
	long found = 0;

	for (p = shadow_text, end = shadow_text ? shadow_text + shadow_len : NULL;
	     shadow_text != NULL && p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p), name_len, f2_len;
		const char *f2 = field2(p, len, &name_len, &f2_len);

		if (f2 != NULL && name_len > 0) {
			if (n_sh == cap) {
				size_t grown_cap = cap ? cap * 2 : 64;
				struct shadow_entry *grown =
				    realloc(sh, grown_cap * sizeof(*grown));

				if (grown == NULL) {
					free(sh);
					return -1;
				}
				sh = grown;
				cap = grown_cap;
			}
			sh[n_sh].name = p;
			sh[n_sh].len = name_len;
			sh[n_sh].empty = f2_len == 0;
			n_sh++;
		}
		p = nl ? nl + 1 : end;
	}
	if (n_sh > 1)
		qsort(sh, n_sh, sizeof(*sh), shadow_cmp);
	for (p = passwd_text, end = passwd_text + passwd_len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p), name_len, f2_len;
		const char *f2 = field2(p, len, &name_len, &f2_len);

		/* NIS compat entries ("+", "-name") are not accounts here */
		if (f2 != NULL && name_len > 0 && p[0] != '+' && p[0] != '-') {
			int empty = f2_len == 0;

			if (f2_len == 1 && f2[0] == 'x' && n_sh > 0) {
				struct shadow_entry key = { p, name_len, 0 }, *hit;

				hit = bsearch(&key, sh, n_sh, sizeof(*sh), shadow_cmp);
				empty = hit != NULL && hit->empty;
			}
			if (empty) {
				found++;
				fn(user, p, name_len);
			}
		}
		p = nl ? nl + 1 : end;
	}
	free(sh);
	return found;
}

/* --- The probe -------------------------------------------------------- */

/* A decimal argument as pam_unix reads it (strtol); out of range or
 * garbage gives 0, which enforces nothing. */
static int atoi_bounded(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || v < 0 || v > INT_MAX)
		return 0;
	return (int)v;
}

struct walk {
	const struct rootfs *root;
	const struct pwquality *conf; /* libpwquality's files, read once */
	int depth;
	int found_pam;
	int min_length;
	char from[256];
	char *err;
	size_t err_len;
	int rc;
	const char *file; /* the file being read, for min_length_from */
};

static int walk_file(struct walk *w, const char *name);

static void consider(struct walk *w, int length, const char *fmt, const char *a, const char *b)
{
	if (length > w->min_length) {
		w->min_length = length;
		snprintf(w->from, sizeof(w->from), fmt, a, b);
	}
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int on_pam_line(void *user, char **tok, int n_tok, long line_no)
{
	struct walk *w = user;
	const char *type = tok[0], *module;
	char where[300];
	int i;

	(void)line_no;
	if (strcmp(tok[0], "@include") == 0) {
		if (n_tok >= 2)
			w->rc = walk_file(w, tok[1]);
		return w->rc != 0;
	}
	if (type[0] == '-')
		type++;
	if (strcasecmp(type, "password") != 0 || n_tok < 3)
		return 0;
	if (strcasecmp(tok[1], "include") == 0 || strcasecmp(tok[1], "substack") == 0) {
		w->rc = walk_file(w, tok[2]);
		return w->rc != 0;
	}
	module = base_name(tok[2]);
	snprintf(where, sizeof(where), "%s:%ld", w->file, line_no);
	if (strcmp(module, "pam_pwquality.so") == 0) {
		struct pwquality q = *w->conf;
		char what[200];

		for (i = 3; i < n_tok; i++)
			pwquality_apply_option(&q, tok[i]); /* refused ones: logged, ignored */
		snprintf(what, sizeof(what), "minlen %d from %s", q.minlen, q.minlen_from);
		consider(w, pwquality_shortest(&q), "pam_pwquality.so (%s), in %s", what, where);
	} else if (strcmp(module, "pam_unix.so") == 0) {
		int minlen = 6; /* pam_unix(8) */

		for (i = 3; i < n_tok; i++)
			if (strncmp(tok[i], "minlen=", 7) == 0)
				minlen = atoi_bounded(tok[i] + 7);
		consider(w, minlen, "pam_unix.so, in %s%s", where, "");
	}
	return 0;
}

/* Reads one PAM file by NAME (relative to /etc/pam.d, or absolute) and
 * walks its password lines. 0, or a negative errno for a file that exists
 * and cannot be read. */
static int walk_file(struct walk *w, const char *name)
{
	char path[PATH_MAX];
	const char *saved = w->file;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (w->depth >= MAX_PAM_DEPTH) {
		snprintf(w->err, w->err_len, "PAM's includes nest more than %d deep at %s",
		         MAX_PAM_DEPTH, name);
		return -ELOOP;
	}
	if (name[0] == '/')
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/etc/pam.d/%s", name);
	rc = rootfs_read_file(w->root, path, MAX_PAM_FILE, &text, &len);
	if (rc == -ENOENT && name[0] != '/') {
		/* Linux-PAM's vendor directory, read when /etc/pam.d lacks the
		 * file */
		snprintf(path, sizeof(path), "/usr/lib/pam.d/%s", name);
		rc = rootfs_read_file(w->root, path, MAX_PAM_FILE, &text, &len);
	}
	if (rc == -ENOENT)
		return 0; /* Linux-PAM skips a missing include */
	if (rc != 0) {
		snprintf(w->err, w->err_len, "cannot read %s: %s", path, rootfs_strerror(-rc));
		return rc;
	}
	w->found_pam = 1;
	w->depth++;
	w->file = path;
	if (pam_each_line(text, len, on_pam_line, w) != 0 && w->rc == 0) {
		snprintf(w->err, w->err_len, "%s has a line longer than 4 KiB", path);
		w->rc = -EINVAL;
	}
	w->file = saved;
	w->depth--;
	free(text);
	return w->rc;
}

/* settings.c's filter_conf: the first ".conf" in the name ends it */
static int conf_name(const char *name)
{
	const char *p = strstr(name, ".conf");

	return p != NULL && p[5] == '\0';
}

/* libpwquality's configuration as pam_pwquality reads it: conf.d first,
 * then the file; the first line refused ends the reading, and what was
 * read stays in force (pam_pwquality logs the error and goes on). */
void pwquality_read(const struct rootfs *root, struct pwquality *q)
{
	static const char dir_path[] = "/etc/security/pwquality.conf.d";
	char *names[MAX_PWQ_CONF_D];
	size_t n = 0, i;
	struct dirent *de;
	int derr = 0, refused = 0;
	DIR *dir;

	pwquality_defaults(q);
	dir = rootfs_opendir(root, dir_path, &derr);
	while (dir != NULL && (de = readdir(dir)) != NULL && n < MAX_PWQ_CONF_D)
		if (conf_name(de->d_name) && (names[n] = strdup(de->d_name)) != NULL)
			n++;
	if (dir != NULL)
		closedir(dir);
	for (i = 1; i < n; i++) { /* insertion sort: a handful of names */
		char *x = names[i];
		size_t j = i;

		for (; j > 0 && strcmp(names[j - 1], x) > 0; j--)
			names[j] = names[j - 1];
		names[j] = x;
	}
	for (i = 0; i < n; i++) {
		char path[PATH_MAX], *text = NULL;
		size_t len = 0;
		long bad = 0;

		snprintf(path, sizeof(path), "%s/%s", dir_path, names[i]);
		if (!refused && rootfs_read_file(root, path, MAX_CONF_FILE, &text, &len) == 0 &&
		    pwquality_apply_text(q, text, len, path, &bad) != 0)
			refused = 1;
		free(text);
		free(names[i]);
	}
	if (!refused) {
		char *text = NULL;
		size_t len = 0;
		long bad = 0;

		if (rootfs_read_file(root, "/etc/security/pwquality.conf", MAX_CONF_FILE, &text,
		                     &len) == 0)
			pwquality_apply_text(q, text, len, "/etc/security/pwquality.conf", &bad);
		free(text);
	}
}

static int on_login_defs(const struct rootfs *root, int *out)
{
	char *text = NULL, *p, *line;
	size_t len = 0;
	int rc = rootfs_read_file(root, "/etc/login.defs", MAX_CONF_FILE, &text, &len);

	*out = -1;
	if (rc != 0)
		return rc == -ENOENT ? 0 : rc;
	for (line = text; line != NULL && *line; line = p) {
		char key[32];
		long v;

		p = strchr(line, '\n');
		if (p != NULL)
			*p++ = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		/* login.defs(5): "NAME VALUE", '#' starts a comment line */
		if (sscanf(line, "%31s %ld", key, &v) == 2 && strcmp(key, "PASS_MIN_LEN") == 0 &&
		    v >= 0 && v <= INT_MAX)
			*out = (int)v;
	}
	free(text);
	return 0;
}

static void on_empty(void *user, const char *name, size_t len)
{
	struct password_state *out = user;

	if (out->n_empty < PASSWORD_LISTED)
		snprintf(out->empty[out->n_empty], sizeof(out->empty[0]), "%.*s",
		         (int)(len < 63 ? len : 63), name);
	out->n_empty++;
}

int native_probe_password_policy(const struct rootfs *root, struct password_state *out, char *err,
                                 size_t err_len)
{
	struct pwquality conf;
	struct walk w;
	char *passwd = NULL, *shadow = NULL;
	size_t passwd_len = 0, shadow_len = 0;
	long n;
	int rc;

	memset(out, 0, sizeof(*out));
	pwquality_read(root, &conf);
	memset(&w, 0, sizeof(w));
	w.root = root;
	w.conf = &conf;
	w.err = err;
	w.err_len = err_len;
	w.file = "";
	rc = walk_file(&w, "passwd");
	if (rc == 0 && !w.found_pam)
		rc = walk_file(&w, "other"); /* Linux-PAM's fallback service */
	if (rc != 0)
		return rc;
	rc = on_login_defs(root, &out->login_defs_min_len);
	if (rc != 0) {
		snprintf(err, err_len, "cannot read /etc/login.defs: %s", rootfs_strerror(-rc));
		return rc;
	}
	if (w.found_pam) {
		out->min_length = w.min_length;
		snprintf(out->min_length_from, sizeof(out->min_length_from), "%s", w.from);
	} else if (out->login_defs_min_len >= 0) {
		out->min_length = out->login_defs_min_len;
		snprintf(out->min_length_from, sizeof(out->min_length_from),
		         "PASS_MIN_LEN in /etc/login.defs (no PAM configuration)");
	}
	rc = rootfs_read_file(root, "/etc/passwd", MAX_ACCOUNTS_FILE, &passwd, &passwd_len);
	if (rc != 0) {
		snprintf(err, err_len, "cannot read /etc/passwd: %s", rootfs_strerror(-rc));
		return rc;
	}
	rc = rootfs_read_file(root, "/etc/shadow", MAX_ACCOUNTS_FILE, &shadow, &shadow_len);
	if (rc != 0 && rc != -ENOENT) {
		snprintf(err, err_len, "cannot read /etc/shadow: %s", rootfs_strerror(-rc));
		free(passwd);
		return rc;
	}
	n = passwd_empty_accounts(passwd, passwd_len, shadow, shadow_len, on_empty, out);
	free(passwd);
	free(shadow);
	if (n < 0) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}
