/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config: posture.ini. See config.h.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include "inifile.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "os.h"

struct config_key {
	const char *section;
	struct key_spec spec;
	size_t offset; /* of the char * (or long long for durations) in struct config */
};

static const struct config_key config_keys[] = {
	{ "collector",
	  { .name = "url", .kind = KEY_STRING },
	  offsetof(struct config, collector_url) },
	{ "collector",
	  { .name = "ca", .kind = KEY_STRING },
	  offsetof(struct config, collector_ca) },
	{ "collector",
	  { .name = "pin", .kind = KEY_STRING },
	  offsetof(struct config, collector_pin) },
	{ "collector",
	  { .name = "enroll_secret_file", .kind = KEY_STRING },
	  offsetof(struct config, enroll_secret_file) },
	{ "collector", { .name = "owner", .kind = KEY_STRING }, offsetof(struct config, owner) },
	{ "collector",
	  { .name = "proxy", .kind = KEY_STRING },
	  offsetof(struct config, collector_proxy) },
	{ "collector",
	  { .name = "connect_timeout", .kind = KEY_DURATION, .min = 1, .max = 300 },
	  offsetof(struct config, connect_timeout_secs) },
	{ "collector",
	  { .name = "timeout", .kind = KEY_DURATION, .min = 1, .max = 3600 },
	  offsetof(struct config, timeout_secs) },
	{ "agent",
	  { .name = "interval", .kind = KEY_DURATION, .min = 60, .max = 7 * 86400 },
	  offsetof(struct config, interval_secs) },
	{ "agent",
	  { .name = "evaluation_timeout", .kind = KEY_DURATION, .min = 1, .max = 86400 },
	  offsetof(struct config, evaluation_timeout_secs) },
	{ "agent", { .name = "policy", .kind = KEY_STRING }, offsetof(struct config, policy_path) },
	{ "agent",
	  { .name = "state_dir", .kind = KEY_STRING },
	  offsetof(struct config, state_dir) },
	{ "agent",
	  { .name = "status_socket", .kind = KEY_STRING },
	  offsetof(struct config, status_socket) },
	{ "agent", { .name = "feeds", .kind = KEY_STRING }, offsetof(struct config, feeds_dir) },
	{ "agent",
	  { .name = "spool_max_mb", .kind = KEY_INT, .min = 1, .max = 100000 },
	  offsetof(struct config, spool_max_bytes) },
	{ "agent",
	  { .name = "spool_max_age", .kind = KEY_DURATION, .min = 3600, .max = 3650LL * 86400 },
	  offsetof(struct config, spool_max_age) },
};

#define N_KEYS (sizeof(config_keys) / sizeof(config_keys[0]))

struct load_state {
	FILE *f;
	int line;
	struct config *cfg;
	struct diags *diags;
	int seen[N_KEYS];
};

static char *reader(char *str, int num, void *stream)
{
	struct load_state *st = stream;
	char *line = fgets(str, num, st->f);

	if (line != NULL) {
		size_t len = strlen(line);

		st->line++;
		if (len + 1 == (size_t)num && line[len - 1] != '\n') {
			diags_add(st->diags, st->line, "line is longer than %d characters",
			          num - 2);
			return NULL;
		}
	}
	return line;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct load_state *st = user;
	struct key_value v;
	char err[256];
	size_t i;

	for (i = 0; i < N_KEYS; i++)
		if (strcmp(config_keys[i].section, section) == 0 &&
		    strcmp(config_keys[i].spec.name, name) == 0)
			break;
	if (i == N_KEYS) {
		diags_add(st->diags, st->line, "[%s] %s: unknown key", section, name);
		return 1;
	}
	if (st->seen[i]) {
		diags_add(st->diags, st->line, "[%s] %s: duplicate key (first at line %d)", section,
		          name, st->seen[i]);
		return 1;
	}
	st->seen[i] = st->line;
	if (value[0] == '\0')
		return 1; /* "pin =" leaves the key unset */
	memset(&v, 0, sizeof(v));
	if (key_parse(&config_keys[i].spec, value, &v, err, sizeof(err)) != 0) {
		diags_add(st->diags, st->line, "[%s] %s: %s", section, name, err);
		return 1;
	}
	if (config_keys[i].spec.kind == KEY_DURATION || config_keys[i].spec.kind == KEY_INT) {
		long long n = v.num;

		if (strcmp(config_keys[i].spec.name, "spool_max_mb") == 0)
			n *= 1024 * 1024;
		*(long long *)((char *)st->cfg + config_keys[i].offset) = n;
	} else if (strcmp(name, "url") == 0 && strncmp(v.text, "https://", 8) != 0) {
		diags_add(
		    st->diags, st->line,
		    "[collector] url: must start with https:// (reports travel only over TLS)");
	} else if (strcmp(name, "pin") == 0 &&
	           (strncmp(v.text, "sha256//", 8) != 0 || strlen(v.text) != 8 + 44)) {
		diags_add(st->diags, st->line,
		          "[collector] pin: expected sha256// and the base64 SHA-256 of the "
		          "collector's public key (44 characters)");
	} else {
		char **slot = (char **)((char *)st->cfg + config_keys[i].offset);

		free(*slot);
		*slot = v.text;
		v.text = NULL;
	}
	key_value_clear(&v);
	return 1;
}

static int set_default(char **slot, const char *value)
{
	if (*slot == NULL)
		*slot = strdup(value);
	return *slot == NULL ? -1 : 0;
}

/* A managed value (os_managed_setting) replaces the file's. */
static int managed(const char *name, char **slot, struct diags *diags)
{
	char v[8192], err[256];
	int rc = os_managed_setting(name, v, sizeof(v), err, sizeof(err));

	if (rc < 0) {
		diags_add(diags, 0, "%s", err);
		return 0; /* config_load refuses the configuration for it */
	}
	if (rc != 1)
		return 0;
	free(*slot);
	*slot = strdup(v);
	return *slot == NULL ? -1 : 0;
}

/* What an MDM or the installer set comes before the file (os.h). The CA
 * is a path, or the certificate itself as one line of base64, which has
 * no backslash or colon. */
static int apply_managed(struct config *cfg, struct diags *diags)
{
	char *ca = NULL;

	if (managed("CollectorUrl", &cfg->collector_url, diags) != 0 ||
	    managed("CollectorPin", &cfg->collector_pin, diags) != 0 ||
	    managed("CollectorCa", &ca, diags) != 0 || managed("Owner", &cfg->owner, diags) != 0)
		return -1;
	if (ca != NULL && strpbrk(ca, "\\:") == NULL && ca[0] != '/') {
		free(cfg->collector_ca_base64);
		cfg->collector_ca_base64 = ca;
	} else if (ca != NULL) {
		free(cfg->collector_ca);
		cfg->collector_ca = ca;
	}
	return 0;
}

int config_load(const char *path, struct config *cfg, struct diags *diags)
{
	struct load_state st;
	size_t n_before = diags->n_items;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	memset(&st, 0, sizeof(st));
	st.cfg = cfg;
	st.diags = diags;
	st.f = fopen(path ? path : CONFIG_DEFAULT_PATH, "r");
	if (st.f == NULL && !(path == NULL && errno == ENOENT)) {
		diags_add(diags, 1, "cannot read configuration: %s", strerror(errno));
		return -1;
	}
	if (st.f != NULL) {
		rc = inifile_parse_stream(reader, &st, handler, &st);
		fclose(st.f);
		if (rc > 0)
			diags_add(diags, rc, "expected 'key = value' or '[section]'");
	}
	if (apply_managed(cfg, diags) != 0)
		diags_add(diags, 0, "out of memory");
	if (cfg->interval_secs == 0)
		cfg->interval_secs = 15 * 60;
	if (cfg->connect_timeout_secs == 0)
		cfg->connect_timeout_secs = 30;
	if (cfg->timeout_secs == 0)
		cfg->timeout_secs = 120;
	if (cfg->evaluation_timeout_secs == 0)
		cfg->evaluation_timeout_secs = 300;
	if (cfg->spool_max_bytes == 0)
		cfg->spool_max_bytes = 50LL * 1024 * 1024;
	if (cfg->spool_max_age == 0)
		cfg->spool_max_age = 30LL * 86400;
	if (set_default(&cfg->policy_path, CONFIG_DEFAULT_POLICY) != 0 ||
	    set_default(&cfg->state_dir, CONFIG_DEFAULT_STATE_DIR) != 0 ||
	    set_default(&cfg->status_socket, CONFIG_DEFAULT_STATUS_SOCKET) != 0)
		diags_add(diags, 0, "out of memory");
	if (diags->n_items > n_before) {
		config_free(cfg);
		return -1;
	}
	return 0;
}

void config_free(struct config *cfg)
{
	free(cfg->collector_url);
	free(cfg->collector_ca);
	free(cfg->collector_pin);
	free(cfg->collector_proxy);
	free(cfg->enroll_secret_file);
	free(cfg->owner);
	free(cfg->policy_path);
	free(cfg->state_dir);
	free(cfg->feeds_dir);
	free(cfg->status_socket);
	free(cfg->collector_ca_base64);
	memset(cfg, 0, sizeof(*cfg));
}
