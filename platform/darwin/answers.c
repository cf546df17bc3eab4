/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/answers: the commands' answers read (darwin.h). Each reads the
 * text as the command prints it, line by line, bounded by the answer's
 * length; a line it does not know is passed over, and an answer without
 * the one line that decides is an error quoting its first line, never a
 * default. The wordings, and where each was taken from, are in
 * tests/fixtures/macos/README.md.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "darwin.h"

/* The next line of *P into LINE (at most LINE_LEN - 1 bytes of it, a
 * trailing CR dropped); 0 at the end of the text. */
static int next_line(const char **p, char *line, size_t line_len)
{
	const char *s = *p, *end;
	size_t n, keep;

	if (*s == '\0')
		return 0;
	end = strchr(s, '\n');
	n = end ? (size_t)(end - s) : strlen(s);
	keep = n < line_len - 1 ? n : line_len - 1;
	memcpy(line, s, keep);
	line[keep] = '\0';
	if (keep > 0 && line[keep - 1] == '\r')
		line[keep - 1] = '\0';
	*p = s + n + (end ? 1 : 0);
	return 1;
}

static int starts(const char *line, const char *prefix)
{
	return strncmp(line, prefix, strlen(prefix)) == 0;
}

/* LINE in lower case into OUT. */
static void lower(const char *line, char *out, size_t out_len)
{
	size_t i;

	for (i = 0; line[i] && i + 1 < out_len; i++)
		out[i] = (char)tolower((unsigned char)line[i]);
	out[i] = '\0';
}

/* The first line that is not empty, for messages. */
static void first_line(const char *text, char *what, size_t what_len)
{
	char line[256];

	what[0] = '\0';
	while (next_line(&text, line, sizeof(line)))
		if (line[0]) {
			snprintf(what, what_len, "%s", line);
			return;
		}
	snprintf(what, what_len, "(nothing)");
}

enum darwin_fv darwin_parse_fdesetup(const char *text, char *what, size_t what_len)
{
	enum darwin_fv st = DARWIN_FV_UNKNOWN;
	char line[256];

	first_line(text, what, what_len);
	while (next_line(&text, line, sizeof(line))) {
		if (starts(line, "Encryption in progress"))
			return DARWIN_FV_ENCRYPTING;
		if (starts(line, "Decryption in progress"))
			return DARWIN_FV_DECRYPTING;
		if (starts(line, "FileVault is On"))
			st = DARWIN_FV_ON;
		else if (starts(line, "FileVault is Off"))
			st = DARWIN_FV_OFF;
	}
	return st;
}

int darwin_parse_sysadminctl_lock(const char *text, int *ask, long long *delay)
{
	char line[256];

	while (next_line(&text, line, sizeof(line))) {
		const char *p = strstr(line, "screenLock ");
		char *end;
		long long s;

		if (p == NULL)
			continue;
		p += strlen("screenLock ");
		if (strcmp(p, "is off") == 0) {
			*ask = 0;
			*delay = 0;
			return 0;
		}
		if (!starts(p, "delay is "))
			continue;
		p += strlen("delay is ");
		if (strcmp(p, "immediate") == 0) {
			*ask = 1;
			*delay = 0;
			return 0;
		}
		if (!isdigit((unsigned char)*p) && *p != '-')
			continue;
		s = strtoll(p, &end, 10);
		if (end == p || s < -1 || s > 86400LL * 366)
			continue;
		if (*end == '.') /* "300.000000 seconds" */
			for (end++; isdigit((unsigned char)*end);)
				end++;
		if (strcmp(end, " seconds") != 0)
			continue;
		/* -1: the lock is off (what some macOS releases say instead of "is off") */
		*ask = s >= 0;
		*delay = s >= 0 ? s : 0;
		return 0;
	}
	return -1;
}

/* "... (State = N)" in LINE: N, or -1. */
static int state_number(const char *line)
{
	const char *p = strstr(line, "(State = ");

	if (p == NULL || p[9] < '0' || p[9] > '2' || p[10] != ')')
		return -1;
	return p[9] - '0';
}

/* On or off said by a line LOW (lower case): "enabled"/"is on" 1,
 * "disabled"/"is off" 0, else -1. The negative words are looked for
 * first: "disabled" holds "enabled". */
static int on_off(const char *low)
{
	if (strstr(low, "disabled") != NULL || strstr(low, " is off") != NULL)
		return 0;
	if (strstr(low, "enabled") != NULL || strstr(low, " is on") != NULL)
		return 1;
	return -1;
}

int darwin_parse_socketfilterfw(const char *text, struct darwin_firewall *fw, char *err,
                                size_t err_len)
{
	const char *p = text;
	char line[256], low[256];

	fw->global = fw->block_all = fw->stealth = -1;
	while (next_line(&p, line, sizeof(line))) {
		lower(line, low, sizeof(low));
		if (starts(line, "Firewall is ")) {
			int n = state_number(line);

			if (n < 0 && starts(line, "Firewall is enabled"))
				n = 1;
			else if (n < 0 && starts(line, "Firewall is disabled"))
				n = 0;
			if (n >= 0)
				fw->global = n;
			if (starts(line, "Firewall is set to block all"))
				fw->block_all = 1;
		} else if (strstr(low, "block all") != NULL) {
			fw->block_all = on_off(low);
		} else if (strstr(low, "stealth mode") != NULL) {
			fw->stealth = on_off(low);
		}
	}
	if (fw->global < 0) {
		char what[160];

		first_line(text, what, sizeof(what));
		snprintf(err, err_len, "no line says whether the firewall is on: \"%s\"", what);
		return -EINVAL;
	}
	if (fw->global == 2)
		fw->block_all = 1;
	else if (fw->global == 1 && fw->block_all == 1)
		fw->global = 2;
	return 0;
}

int darwin_parse_csrutil(const char *text, int *on, char *what, size_t what_len)
{
	const char *p = text;
	char line[256];
	int custom = strstr(text, "Custom Configuration") != NULL;

	first_line(text, what, what_len);
	while (next_line(&p, line, sizeof(line))) {
		const char *s = strstr(line, "System Integrity Protection status: ");

		if (s == NULL)
			continue;
		s += strlen("System Integrity Protection status: ");
		if (starts(s, "disabled")) {
			*on = 0;
			return 0;
		}
		if (starts(s, "enabled") && !custom) {
			*on = 1;
			return 0;
		}
		if (custom) { /* some protections turned off, whatever the word */
			*on = 0;
			snprintf(what, what_len, "a custom configuration: %s", line);
			return 0;
		}
	}
	return -1;
}

int darwin_parse_spctl(const char *text, int *on, char *what, size_t what_len)
{
	const char *p = text;
	char line[256];

	first_line(text, what, what_len);
	while (next_line(&p, line, sizeof(line))) {
		if (strcmp(line, "assessments enabled") == 0) {
			*on = 1;
			return 0;
		}
		if (strcmp(line, "assessments disabled") == 0) {
			*on = 0;
			return 0;
		}
	}
	return -1;
}

static int has_role(const struct pl_node *vol, const char *role)
{
	const struct pl_node *roles = pl_get(vol, "Roles");

	if (roles == NULL || roles->type != PL_ARRAY)
		return 0;
	for (size_t i = 0; i < roles->len; i++) {
		const char *r = pl_str(roles->v.items[i]);

		if (role == NULL ? r != NULL : r != NULL && strcmp(r, role) == 0)
			return 1;
	}
	return 0;
}

const struct pl_node *darwin_boot_volume(const struct pl_node *top)
{
	const struct pl_node *containers = pl_get(top, "Containers");

	if (containers == NULL || containers->type != PL_ARRAY)
		return NULL;
	for (size_t c = 0; c < containers->len; c++) {
		const struct pl_node *vols = pl_get(containers->v.items[c], "Volumes");
		const struct pl_node *data = NULL, *roleless = NULL;
		int preboot = 0, recovery = 0;

		if (vols == NULL || vols->type != PL_ARRAY)
			continue;
		for (size_t v = 0; v < vols->len; v++) {
			const struct pl_node *vol = vols->v.items[v];

			preboot |= has_role(vol, "Preboot");
			recovery |= has_role(vol, "Recovery");
			if (data == NULL && has_role(vol, "Data"))
				data = vol;
			if (roleless == NULL && !has_role(vol, NULL))
				roleless = vol;
		}
		if (preboot && recovery)
			return data ? data : roleless;
	}
	return NULL;
}

/* "Key: value," in a Title line: VALUE of KEY into OUT, 0 or -1. */
static int su_field(const char *line, const char *key, char *out, size_t out_len)
{
	size_t kl = strlen(key);
	const char *p = line;

	while ((p = strstr(p, key)) != NULL) {
		/* at the start of the line's text or after ", " */
		if ((p == line || p[-1] == ' ' || p[-1] == '\t') && strncmp(p + kl, ": ", 2) == 0) {
			const char *v = p + kl + 2, *end = strstr(v, ", ");
			size_t n = end ? (size_t)(end - v) : strlen(v);

			while (n > 0 && (v[n - 1] == ',' || v[n - 1] == ' '))
				n--;
			if (n >= out_len)
				n = out_len - 1;
			memcpy(out, v, n);
			out[n] = '\0';
			return 0;
		}
		p += kl;
	}
	return -1;
}

int darwin_parse_softwareupdate_list(const char *text, struct darwin_su_item *items, size_t max,
                                     size_t *n_items)
{
	const char *p = text;
	char line[512];
	int known = 0;
	struct darwin_su_item *cur = NULL;

	*n_items = 0;
	while (next_line(&p, line, sizeof(line))) {
		const char *s = line;

		while (*s == ' ' || *s == '\t')
			s++;
		if (strstr(s, "No new software available") == s ||
		    strstr(s, "Software Update found the following") == s) {
			known = 1;
			continue;
		}
		if (starts(s, "* Label: ")) {
			cur = NULL;
			if (*n_items >= max)
				continue; /* counted no further: the caller's bound */
			cur = &items[(*n_items)++];
			memset(cur, 0, sizeof(*cur));
			snprintf(cur->label, sizeof(cur->label), "%s", s + strlen("* Label: "));
			continue;
		}
		if (cur != NULL && starts(s, "Title: ")) {
			char v[32] = "";

			su_field(s, "Title", cur->title, sizeof(cur->title));
			su_field(s, "Version", cur->version, sizeof(cur->version));
			if (su_field(s, "Recommended", v, sizeof(v)) == 0)
				cur->recommended = strcmp(v, "YES") == 0;
			if (su_field(s, "Action", v, sizeof(v)) == 0)
				cur->restart = strcmp(v, "restart") == 0;
			cur = NULL;
		}
	}
	return known ? 0 : -1;
}
