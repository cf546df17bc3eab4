/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config: see config.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "feeds.h"
#include "fleet.h"
#include "inifile.h"

const char config_default_text[] =
    "; posture-collector's configuration (docs/COLLECTOR.md, \"Configuration\").\n"
    "; Options on the command line win over these. Lines starting with ';' are\n"
    "; comments; the values shown there are the defaults.\n"
    "[collector]\n"
    "; dir = /var/lib/posture-collector ; the data directory (keys, certificates,\n"
    ";                                  ; the SQLite store)\n"
    "; listen = 0.0.0.0:8443\n"
    "; store = postgresql://posture@db.example/posture ; default: SQLite in dir\n"
    "; rate_limit = 10             ; reports a second a device may send (0: no limit)\n"
    "; metrics_listen = 127.0.0.1:9443 ; /metrics without the admin token there\n"
    "; http1_only = no\n"
    "; stale = 7d                  ; a device not heard from this long is stale\n"
    "; token_signin = yes          ; the admin token signs in to the dashboard\n"
    "\n"
    "[retention]\n"
    "; reports = 30d               ; raw reports, byte for byte (\"forever\": never pruned)\n"
    "; changes = 400d              ; each device's state changes\n"
    ";                             ; daily compliance per check is kept forever\n"
    "\n"
    "; [oidc]                      ; sign in with OpenID Connect (code flow, PKCE)\n"
    "; issuer = https://login.example.com/realms/it\n"
    "; client_id = posture\n"
    "; client_secret_file = /etc/posture-collector/oidc-secret ; none: a public client\n"
    "; redirect_uri = https://posture.example.com:8443/oidc/callback\n"
    "; scopes = openid email profile\n"
    "; role_claim = groups         ; the claim roles are read from\n"
    "; admin_values = posture-admins ; its values (comma-separated) that make an admin\n"
    "; viewer_values = *           ; and a viewer (\"*\": anyone the issuer signs in)\n"
    "; name_claim = email          ; who the audit trail says signed in\n"
    "; ca = /etc/ssl/certs/ca-certificates.crt ; to check the issuer by\n"
    "\n"
    "; [syslog]                    ; audit events and state changes, RFC 5424\n"
    "; target = udp://siem.example.com:514 ; or tcp://HOST:PORT, unix:/dev/log\n"
    "; facility = local0\n"
    "; app_name = posture-collector\n"
    "\n"
    "[webhooks]                    ; posture-collector webhook add --dir DIR URL\n"
    "; timeout = 10s               ; per delivery\n"
    "; attempts = 20               ; retried with backoff, then given up (and logged)\n"
    "; ca = FILE                   ; to check https:// receivers by (default: the system's)\n"
    "\n" FEEDS_CONFIG_SECTIONS;

long long config_parse_span(const char *text)
{
	if (strcmp(text, "off") == 0 || strcmp(text, "forever") == 0 || strcmp(text, "0") == 0)
		return 0;
	return fleet_parse_duration(text);
}

void config_locate(const char *config_opt, const char *dir_opt, char *out, size_t out_len)
{
	const char *env = getenv("POSTURE_COLLECTOR_CONFIG");

	if (config_opt != NULL) {
		snprintf(out, out_len, "%s", config_opt);
		return;
	}
	if (dir_opt != NULL) {
		snprintf(out, out_len, "%s/collector.ini", dir_opt);
		if (access(out, F_OK) != 0)
			*out = '\0';
		return;
	}
	snprintf(out, out_len, "%s", env != NULL && *env ? env : CONFIG_SYSTEM_PATH);
	if (access(out, F_OK) != 0)
		*out = '\0';
}

struct loading {
	struct collector_config *c;
	char *err;
	size_t err_len;
	int failed;
};

static const char *const facilities[] = {
	"kern",   "user",   "mail",     "daemon", "auth",   "syslog", "lpr",    "news",
	"uucp",   "cron",   "authpriv", "ftp",    "ntp",    "audit",  "alert",  "clock",
	"local0", "local1", "local2",   "local3", "local4", "local5", "local6", "local7",
};

static int yes_no(const char *v)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "on") == 0 ||
	    strcmp(v, "1") == 0)
		return 1;
	if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0 ||
	    strcmp(v, "0") == 0)
		return 0;
	return -1;
}

#define FAIL(...)                                          \
	do {                                               \
		snprintf(l->err, l->err_len, __VA_ARGS__); \
		l->failed = 1;                             \
		return 0;                                  \
	} while (0)

/* a text setting: NAME's value into FIELD, refused when it does not fit */
#define TEXT(key, field)                                                                     \
	if (strcmp(name, key) == 0) {                                                        \
		if (strlen(value) >= sizeof(field))                                          \
			FAIL("%s: [%s] %s is longer than %zu bytes", c->path, section, name, \
			     sizeof(field) - 1);                                             \
		snprintf(field, sizeof(field), "%s", value);                                 \
		return 1;                                                                    \
	}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct loading *l = user;
	struct collector_config *c = l->c;

	if (l->failed)
		return 0;
	if (strcmp(section, "fetch") == 0 || strcmp(section, "sources") == 0 ||
	    strcmp(section, "ca") == 0) {
		c->has_feed_sections = 1; /* feeds.c reads them */
		return 1;
	}
	if (strcmp(section, "collector") == 0) {
		TEXT("dir", c->dir)
		TEXT("listen", c->listen)
		TEXT("store", c->store)
		TEXT("metrics_listen", c->metrics_listen)
		if (strcmp(name, "http1_only") == 0 || strcmp(name, "token_signin") == 0) {
			int v = yes_no(value);

			if (v < 0)
				FAIL("%s: [collector] %s = %s is not yes or no", c->path, name,
				     value);
			*(name[0] == 'h' ? &c->http1_only : &c->token_signin) = v;
			return 1;
		}
		if (strcmp(name, "rate_limit") == 0) {
			char *end;
			double v = strtod(value, &end);

			if (*value == '\0' || *end != '\0' || !(v >= 0 && v <= 1e6))
				FAIL("%s: [collector] rate_limit = %s is not a number of reports "
				     "a second",
				     c->path, value);
			c->rate = v;
			return 1;
		}
		if (strcmp(name, "stale") == 0) {
			c->stale_s = fleet_parse_duration(value);
			if (c->stale_s <= 0)
				FAIL("%s: [collector] stale = %s is not a duration such as 7d, "
				     "12h or 2w",
				     c->path, value);
			return 1;
		}
	} else if (strcmp(section, "retention") == 0) {
		if (strcmp(name, "reports") == 0 || strcmp(name, "changes") == 0) {
			long long v = config_parse_span(value);

			/* reports: the last two days are rolled up again each
			 * pass (late spooled reports), from their reports */
			long long least = name[0] == 'r' ? 3 * 86400 : 86400;

			if (v < 0 || (v > 0 && v < least))
				FAIL("%s: [retention] %s = %s is not a duration of %s or more "
				     "(30d, 8w) or forever",
				     c->path, name, value, name[0] == 'r' ? "3 days" : "a day");
			*(name[0] == 'r' ? &c->retain_reports_s : &c->retain_changes_s) = v;
			return 1;
		}
	} else if (strcmp(section, "oidc") == 0) {
		TEXT("issuer", c->oidc.issuer)
		TEXT("client_id", c->oidc.client_id)
		TEXT("client_secret_file", c->oidc.client_secret_file)
		TEXT("redirect_uri", c->oidc.redirect_uri)
		TEXT("scopes", c->oidc.scopes)
		TEXT("role_claim", c->oidc.role_claim)
		TEXT("admin_values", c->oidc.admin_values)
		TEXT("viewer_values", c->oidc.viewer_values)
		TEXT("name_claim", c->oidc.name_claim)
		TEXT("ca", c->oidc.ca)
	} else if (strcmp(section, "syslog") == 0) {
		TEXT("target", c->syslog_target)
		TEXT("app_name", c->syslog_app)
		if (strcmp(name, "facility") == 0) {
			for (size_t i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
				if (strcmp(value, facilities[i]) == 0) {
					c->syslog_facility = (int)i;
					return 1;
				}
			FAIL("%s: [syslog] facility = %s is not a syslog facility (local0 to "
			     "local7, daemon, auth, ...)",
			     c->path, value);
		}
	} else if (strcmp(section, "webhooks") == 0) {
		TEXT("ca", c->webhook_ca)
		if (strcmp(name, "timeout") == 0) {
			c->webhook_timeout_s = config_parse_span(value);
			if (c->webhook_timeout_s <= 0 || c->webhook_timeout_s > 300)
				FAIL("%s: [webhooks] timeout = %s is not a duration from 1s to 5m",
				     c->path, value);
			return 1;
		}
		if (strcmp(name, "attempts") == 0) {
			char *end;
			long v = strtol(value, &end, 10);

			if (*value == '\0' || *end != '\0' || v < 1 || v > 100)
				FAIL("%s: [webhooks] attempts = %s is not a number from 1 to 100",
				     c->path, value);
			c->webhook_attempts = (int)v;
			return 1;
		}
	} else {
		FAIL("%s: unknown section [%s]", c->path, section);
	}
	FAIL("%s: unknown setting [%s] %s", c->path, section, name);
}

int config_load(const char *path, int must_exist, struct collector_config *c, char *err,
                size_t err_len)
{
	struct loading l = { c, err, err_len, 0 };
	size_t len;
	char *text;
	int line;

	memset(c, 0, sizeof(*c));
	c->http1_only = -1;
	c->rate = -1;
	c->stale_s = -1;
	c->token_signin = 1;
	c->retain_reports_s = 30LL * 86400;
	c->retain_changes_s = 400LL * 86400;
	c->syslog_facility = 16;
	snprintf(c->syslog_app, sizeof(c->syslog_app), "posture-collector");
	c->webhook_timeout_s = 10;
	c->webhook_attempts = 20;
	snprintf(c->oidc.scopes, sizeof(c->oidc.scopes), "openid email profile");
	snprintf(c->oidc.role_claim, sizeof(c->oidc.role_claim), "groups");
	snprintf(c->oidc.viewer_values, sizeof(c->oidc.viewer_values), "*");
	snprintf(c->oidc.name_claim, sizeof(c->oidc.name_claim), "email");
	if (path == NULL || *path == '\0')
		return must_exist ? (snprintf(err, err_len, "no configuration file"), -1) : 1;
	snprintf(c->path, sizeof(c->path), "%s", path);
	text = admin_read_file(path, 1u << 20, &len, err, err_len);
	if (text == NULL) {
		if (errno == ENOENT && !must_exist) {
			c->path[0] = '\0';
			return 1;
		}
		return -1;
	}
	line = memchr(text, '\0', len) ? 1 : inifile_parse_string(text, on_key, &l);
	free(text);
	if (line != 0 || l.failed) {
		if (!l.failed)
			snprintf(err, err_len,
			         "%s: line %d is not INI (a [section] or name = value, lines of "
			         "at most %d bytes)",
			         c->path, line, INIFILE_MAX_LINE - 2);
		else if (line > 0) {
			size_t n = strlen(err);

			snprintf(err + n, err_len - n, " (line %d)", line);
		}
		return -1;
	}
	if (c->oidc.issuer[0] != '\0' &&
	    (strncmp(c->oidc.issuer, "https://", 8) != 0 || c->oidc.client_id[0] == '\0' ||
	     strncmp(c->oidc.redirect_uri, "https://", 8) != 0)) {
		snprintf(err, err_len,
		         "%s: [oidc] needs an https:// issuer, a client_id and an https:// "
		         "redirect_uri",
		         c->path);
		return -1;
	}
	if (c->syslog_target[0] != '\0' && strncmp(c->syslog_target, "udp://", 6) != 0 &&
	    strncmp(c->syslog_target, "tcp://", 6) != 0 &&
	    strncmp(c->syslog_target, "unix:", 5) != 0) {
		snprintf(err, err_len,
		         "%s: [syslog] target = %s is not udp://HOST:PORT, tcp://HOST:PORT or "
		         "unix:PATH",
		         c->path, c->syslog_target);
		return -1;
	}
	return 0;
}
