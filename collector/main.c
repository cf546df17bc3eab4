/* SPDX-License-Identifier: Apache-2.0 */
/*
 * posture-collector: the command line of the collector (see
 * ../shared/CONTRACT.md and README.md). Exit codes: 0 done; 1 failed; 2 bad
 * usage or a refused policy.
 */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "admin.h"
#include "config.h"
#include "atomicfile.h"
#include "db.h"
#include "enroll.h"
#include "feeds.h"
#include "fleet.h"
#include "lifecycle.h"
#include "webhooks.h"
#include "pki.h"
#include "serve.h"
#include "store.h"
#include "timefmt.h"

/* collector.ini (config.h), read before any command runs */
static struct collector_config cfg;

/* how long an admin's approval to re-enroll a device lasts */
#define REENROLL_SECONDS (24 * 3600)

static void usage(FILE *out)
{
	fputs("Usage: posture-collector COMMAND [--dir DIR] [--config FILE] [OPTIONS]\n"
	      "\n"
	      "Commands:\n"
	      "  init --dir DIR [--hostname NAME] [--store postgresql://...]\n"
	      "        create a data directory: CA, server certificate (NAME, localhost,\n"
	      "        127.0.0.1, ::1), policy-signing key, admin token, enrollment secret\n"
	      "        (printed, and in DIR/enroll-secret), and the store (SQLite in DIR,\n"
	      "        or the PostgreSQL database given, whose URL DIR/store-url keeps)\n"
	      "  serve --dir DIR [--listen ADDR:PORT] [--store URL] [--rate-limit N]\n"
	      "        [--metrics-listen ADDR:PORT] [--http1-only]\n"
	      "        the HTTPS server (default 0.0.0.0:8443): enrollment, reports, the\n"
	      "        signed policy, the fleet API and /metrics; a device may send N\n"
	      "        reports a second (default 10, bursts of 10 N; 0: no limit);\n"
	      "        /metrics needs the admin token, or --metrics-listen ADDR:PORT\n"
	      "        serves it without one on a second address (a scraper's);\n"
	      "        --http1-only offers no HTTP/2 (no rapid reset at all)\n"
	      "  fleet --dir DIR [--format text|json] [--stale 7d] [--limit N] [--days N]\n"
	      "        per check pass/fail/error/skip counts, non-compliant devices with\n"
	      "        what to fix, stale devices, compliance per day\n"
	      "  export --dir DIR --format csv|json [--since TIME] [--output FILE]\n"
	      "        every stored result, one row per device, check and report\n"
	      "  report --dir DIR REPORT_ID\n"
	      "        the report exactly as its device sent it (stored compressed)\n"
	      "  devices --dir DIR [--format text|json]\n"
	      "        the enrolled devices, last seen first\n"
	      "  device revoke --dir DIR ID\n"
	      "        refuse that device's certificate from now on\n"
	      "  device reenroll --dir DIR ID\n"
	      "        let the enrollment secret issue that enrolled device a new\n"
	      "        certificate, once, within 24 hours (a reinstalled machine); the\n"
	      "        secret alone never takes over an enrolled device id\n"
	      "  secret add --dir DIR [--expires 30d]\n"
	      "        a new enrollment secret (printed once; only its hash is kept)\n"
	      "  secret list --dir DIR / secret revoke --dir DIR ID\n"
	      "        the secrets' ids, expiry and state; refuse one from now on\n"
	      "  policy publish --dir DIR FILE\n"
	      "        validate FILE with the agent's engine, sign it as the next version\n"
	      "        and make it the policy that agents fetch\n"
	      "  feed import --dir DIR FILE...\n"
	      "        read each release feed (Chrome, Edge, Firefox, macOS, posture.feed/1),\n"
	      "        sign it with the policy key and serve it to agents (GET /v1/feeds)\n"
	      "  feed fetch --dir DIR\n"
	      "        download the sources of DIR/feeds.ini and import them (serve does\n"
	      "        this on the schedule set there, daily by default)\n"
	      "  feed list --dir DIR [--format text|json]\n"
	      "        the feeds agents get: serial, format, when fetched\n"
	      "  device retire --dir DIR ID / device owner --dir DIR ID OWNER\n"
	      "        revoke a device and leave it out of the lists (kept for the audit);\n"
	      "        name the person it belongs to (wins over the enrollment's)\n"
	      "  review --dir DIR [--stale 30d] [--format text|json]\n"
	      "        devices not seen for --stale, and hostnames enrolled more than once\n"
	      "  audit --dir DIR [--since TIME] [--format text|json] [--verify]\n"
	      "        every admin action, hash-chained; --verify checks the chain and says\n"
	      "        where it breaks (exit 1); json: one entry a line\n"
	      "  changes --dir DIR [--since TIME]\n"
	      "        each device's state changes (check, from, to, when, report), one JSON\n"
	      "        line each, oldest first (serve also sends them to [syslog])\n"
	      "  prune --dir DIR [--format text|json]\n"
	      "        one pass of the data lifecycle now (serve runs one an hour):\n"
	      "        compliance per day and check rolled up, then reports and state\n"
	      "        changes older than [retention] reports and changes pruned\n"
	      "  token add --dir DIR NAME --role viewer|admin [--expires 90d]\n"
	      "        an API token (printed once; only its hash is kept): viewer reads the\n"
	      "        fleet API, admin also changes it; token list / token revoke ID\n"
	      "  webhook add --dir DIR URL [--events LIST] / webhook list / webhook remove ID\n"
	      "        POST events to URL (https://, or http:// to the loopback address),\n"
	      "        signed with HMAC-SHA256 (the secret is printed once): " WEBHOOK_EVENT_TYPES
	      "\n"
	      "        (default: all)\n"
	      "  config\n"
	      "        print the configuration file init writes (every setting, commented\n"
	      "        where it is the default, and the release-feed sources)\n"
	      "  help  show this help\n"
	      "\n"
	      "Every command takes --store URL to name a PostgreSQL store other than the\n"
	      "one DIR records, and --config FILE: the configuration (default\n"
	      "DIR/collector.ini, or " CONFIG_SYSTEM_PATH " without --dir),\n"
	      "whose [collector] dir stands in for --dir; options given win over it.\n",
	      out);
}

static int open_store(const char *dir, const char *store_opt, struct store **st)
{
	char spec[4200], err[1024];

	store_spec(dir, store_opt, spec, sizeof(spec));
	if (store_open(spec, 0, st, err, sizeof(err)) != 0) {
		fprintf(stderr, "posture-collector: error: %s\n", err);
		return -1;
	}
	return 0;
}

static void on_fetched(void *arg, const struct feeds_source *src, long long serial,
                       const char *error)
{
	if (error != NULL) {
		fprintf(stderr, "posture-collector: error: feed fetch: %s: %s\n", src->name, error);
		return;
	}
	printf("fetched %s as feed serial %lld\n", src->name, serial);
	admin_audit(arg, "feed.fetch", src->name,
	            json_pack("{s:I, s:s}", "serial", (json_int_t)serial, "url", src->url));
}

/* feed import FILE... / feed fetch / feed list */
static int cmd_feed(const char *dir, const char *store_opt, const char *what, const char *format,
                    int argc, char **argv)
{
	struct store *st = NULL;
	char err[1400];
	int failed = 0;

	if (strcmp(what, "import") == 0 && argc == 0) {
		fprintf(stderr, "posture-collector: feed import: name the feed files\n");
		return 2;
	}
	if (open_store(dir, store_opt, &st) != 0)
		return 1;
	if (strcmp(what, "import") == 0) {
		/* each file on its own: one refused costs no other */
		for (int i = 0; i < argc; i++) {
			int refused = 0;
			long long serial =
			    feeds_import(dir, st, argv[i], &refused, err, sizeof(err));

			if (serial < 0) {
				fprintf(stderr, "posture-collector: error: feed import: %s\n", err);
				failed = failed == 2 || refused ? 2 : 1;
				continue;
			}
			printf("imported %s as feed serial %lld\n", argv[i], serial);
			if (admin_audit(st, "feed.import", argv[i],
			                json_pack("{s:I}", "serial", (json_int_t)serial)) != 0)
				failed = failed ? failed : 1;
		}
	} else if (strcmp(what, "fetch") == 0) {
		struct feeds_config *c = malloc(sizeof(*c));
		int got = c ? feeds_config_load(cfg.path, dir, c, err, sizeof(err)) : -1;

		if (got <= 0 || c->n == 0) {
			if (got < 0)
				fprintf(stderr, "posture-collector: error: feed fetch: %s\n",
				        c ? err : "out of memory");
			else
				fprintf(stderr,
				        "posture-collector: error: feed fetch: %s lists no "
				        "sources ([sources] NAME = https://...)\n",
				        c->path);
			failed = got < 0 ? 2 : 1;
		} else if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			fprintf(stderr, "posture-collector: error: libcurl failed to initialise\n");
			failed = 1;
		} else {
			failed = feeds_fetch(dir, st, c, on_fetched, st) > 0;
			curl_global_cleanup();
		}
		free(c);
	} else {
		json_t *list = NULL;
		size_t i;
		json_t *f;

		if (store_feeds(st, 0, &list, err, sizeof(err)) != 0) {
			fprintf(stderr, "posture-collector: error: feed list: %s\n", err);
			store_close(st);
			return 1;
		}
		if (format != NULL && strcmp(format, "json") == 0) {
			json_dumpf(list, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			fputc('\n', stdout);
		} else if (json_array_size(list) == 0) {
			printf("no feeds (posture-collector feed import or feed fetch)\n");
		} else {
			printf("%-40s %7s  %-22s %-20s %s\n", "NAME", "SERIAL", "FORMAT", "FETCHED",
			       "AGE");
			json_array_foreach (list, i, f) {
				const char *at =
				    json_string_value(json_object_get(f, "fetched_at"));
				long long t = 0;
				char age[32] = "?";

				if (at != NULL && time_parse_rfc3339(at, &t) == 0)
					snprintf(age, sizeof(age), "%lldd %lldh",
					         ((long long)time(NULL) - t) / 86400,
					         ((long long)time(NULL) - t) % 86400 / 3600);
				printf("%-40s %7lld  %-22s %-20s %s\n",
				       json_string_value(json_object_get(f, "name")),
				       (long long)json_integer_value(json_object_get(f, "serial")),
				       json_string_value(json_object_get(f, "feed_format")),
				       at ? at : "?", age);
			}
		}
		json_decref(list);
	}
	store_close(st);
	return failed;
}

/* device owner ID OWNER ("" clears it) */
static int cmd_device_owner(const char *dir, const char *store_opt, int argc, char **argv)
{
	struct store *st = NULL;
	char err[512];
	int done, rc = 0;

	if (argc != 2) {
		fprintf(stderr, "posture-collector: device owner: name the device and its owner "
		                "(an email, say; \"\" clears it)\n");
		return 2;
	}
	if (argv[1][0] != '\0' && !enroll_owner_ok(argv[1])) {
		fprintf(stderr,
		        "posture-collector: device owner: the owner is at most 254 bytes of "
		        "printable text\n");
		return 2;
	}
	if (open_store(dir, store_opt, &st) != 0)
		return 1;
	done = store_set_owner(st, argv[0], argv[1], err, sizeof(err));
	if (done < 0) {
		fprintf(stderr, "posture-collector: error: %s\n", err);
		rc = 1;
	} else if (done == 0) {
		fprintf(stderr, "posture-collector: error: no device %s\n", argv[0]);
		rc = 1;
	} else {
		if (argv[1][0])
			printf("device %s belongs to %s\n", argv[0], argv[1]);
		else
			printf("device %s has no owner now\n", argv[0]);
		rc = admin_audit(st, "device.owner", argv[0],
		                 json_pack("{s:s}", "owner", argv[1])) != 0;
	}
	store_close(st);
	return rc;
}

/* token add NAME --role viewer|admin [--expires D] / token list / token revoke ID */
static int cmd_token(const char *dir, const char *store_opt, const char *what, const char *role,
                     long long expires, const char *format, int argc, char **argv)
{
	struct store *st = NULL;
	char err[1024];
	int rc = 0;

	if ((strcmp(what, "list") == 0) != (argc == 0) || argc > 1) {
		fprintf(stderr, "posture-collector: token %s: %s\n", what,
		        strcmp(what, "add") == 0    ? "give the token a name"
		        : strcmp(what, "list") == 0 ? "takes no arguments"
		                                    : "give one token ID");
		return 2;
	}
	if (strcmp(what, "add") == 0) {
		const char *name = argv[0];
		size_t n = strlen(name);

		if (role == NULL || (strcmp(role, "viewer") != 0 && strcmp(role, "admin") != 0)) {
			fprintf(stderr,
			        "posture-collector: token add: --role viewer or --role admin "
			        "is required\n");
			return 2;
		}
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
				n = 0;
		if (n == 0 || n > 64) {
			fprintf(stderr,
			        "posture-collector: token add: the name is 1 to 64 bytes of "
			        "printable text\n");
			return 2;
		}
	}
	if (open_store(dir, store_opt, &st) != 0)
		return 1;
	if (strcmp(what, "add") == 0) {
		char token[120], random[100], sha[65], until[32] = "", id_s[24];
		long long id;

		if (pki_random_token(32, random, sizeof(random)) != 0) {
			fprintf(stderr, "posture-collector: error: cannot make a token\n");
			store_close(st);
			return 1;
		}
		snprintf(token, sizeof(token), "posture_%s", random);
		OPENSSL_cleanse(random, sizeof(random));
		admin_sha256_hex(token, strlen(token), sha);
		if (expires > 0)
			time_rfc3339(time(NULL) + (time_t)expires, until);
		id = store_token_add(st, argv[0], role, sha, until[0] ? until : NULL, err,
		                     sizeof(err));
		if (id < 0) {
			fprintf(stderr, "posture-collector: error: token add: %s\n", err);
			rc = 1;
		} else {
			printf("token %lld (%s, %s, expires %s): %s\n", id, argv[0], role,
			       until[0] ? until : "never", token);
			snprintf(id_s, sizeof(id_s), "%lld", id);
			rc = admin_audit(st, "token.add", id_s,
			                 json_pack("{s:s, s:s, s:s}", "name", argv[0], "role", role,
			                           "expires", until[0] ? until : "never")) != 0;
		}
		OPENSSL_cleanse(token, sizeof(token));
	} else if (strcmp(what, "list") == 0) {
		json_t *list = NULL, *t;
		size_t i;

		if (store_tokens(st, &list, err, sizeof(err)) != 0) {
			fprintf(stderr, "posture-collector: error: %s\n", err);
			rc = 1;
		} else if (format != NULL && strcmp(format, "json") == 0) {
			char *text = json_dumps(list, JSON_COMPACT);

			printf("%s\n", text ? text : "[]");
			free(text);
		} else {
			printf("%-5s  %-7s  %-8s  %-20s  %-20s  %s\n", "id", "role", "state",
			       "created", "expires", "name");
			json_array_foreach (list, i, t) {
				const char *x = json_string_value(json_object_get(t, "expires_at"));

				printf("%-5lld  %-7s  %-8s  %-20s  %-20s  %s\n",
				       (long long)json_integer_value(json_object_get(t, "id")),
				       json_string_value(json_object_get(t, "role")),
				       json_string_value(json_object_get(t, "state")),
				       json_string_value(json_object_get(t, "created_at")),
				       x ? x : "never",
				       json_string_value(json_object_get(t, "name")));
			}
		}
		json_decref(list);
	} else {
		char *end;
		long long id = strtoll(argv[0], &end, 10);
		int done = *end || id <= 0 ? 0 : store_token_revoke(st, id, err, sizeof(err));

		if (done < 0) {
			fprintf(stderr, "posture-collector: error: %s\n", err);
			rc = 1;
		} else if (done == 0) {
			fprintf(stderr, "posture-collector: error: no live token %s\n", argv[0]);
			rc = 1;
		} else {
			printf("token %lld revoked\n", id);
			rc = admin_audit(st, "token.revoke", argv[0], NULL) != 0;
		}
	}
	store_close(st);
	return rc;
}

/* webhook add URL [--events LIST] / webhook list / webhook remove ID */
static int cmd_webhook(const char *dir, const char *store_opt, const char *what, const char *events,
                       const char *format, int argc, char **argv)
{
	struct store *st = NULL;
	char err[1024];
	int rc = 0;

	if ((strcmp(what, "list") == 0) != (argc == 0) || argc > 1) {
		fprintf(stderr, "posture-collector: webhook %s: %s\n", what,
		        strcmp(what, "add") == 0    ? "give one URL"
		        : strcmp(what, "list") == 0 ? "takes no arguments"
		                                    : "give one webhook ID");
		return 2;
	}
	if (open_store(dir, store_opt, &st) != 0)
		return 1;
	if (strcmp(what, "add") == 0) {
		char secret[100];
		int refused = 0;
		long long id = webhooks_add(st, argv[0], events, secret, sizeof(secret), &refused,
		                            err, sizeof(err));

		if (id < 0) {
			fprintf(stderr, "posture-collector: %swebhook add: %s\n",
			        refused ? "" : "error: ", err);
			rc = refused ? 2 : 1;
		} else {
			char id_s[24];

			printf("webhook %lld: %s (events: %s)\nsigning secret: %s\n", id, argv[0],
			       events ? events : "*", secret);
			OPENSSL_cleanse(secret, sizeof(secret));
			snprintf(id_s, sizeof(id_s), "%lld", id);
			rc = admin_audit(st, "webhook.add", id_s,
			                 json_pack("{s:s, s:s}", "url", argv[0], "events",
			                           events ? events : "*")) != 0;
		}
	} else if (strcmp(what, "list") == 0) {
		json_t *list = NULL, *w;
		size_t i;

		if (webhooks_list(st, &list, err, sizeof(err)) != 0) {
			fprintf(stderr, "posture-collector: error: %s\n", err);
			rc = 1;
		} else if (format != NULL && strcmp(format, "json") == 0) {
			char *text = json_dumps(list, JSON_COMPACT);

			printf("%s\n", text ? text : "[]");
			free(text);
		} else {
			printf("%-5s  %-9s  %-9s  %-8s  %-40s  %s\n", "id", "pending", "delivered",
			       "given up", "url", "events");
			json_array_foreach (list, i, w) {
				printf(
				    "%-5lld  %-9lld  %-9lld  %-8lld  %-40s  %s\n",
				    (long long)json_integer_value(json_object_get(w, "id")),
				    (long long)json_integer_value(json_object_get(w, "pending")),
				    (long long)json_integer_value(json_object_get(w, "delivered")),
				    (long long)json_integer_value(json_object_get(w, "given_up")),
				    json_string_value(json_object_get(w, "url")),
				    json_string_value(json_object_get(w, "events")));
			}
		}
		json_decref(list);
	} else {
		char *end;
		long long id = strtoll(argv[0], &end, 10);
		int done = *end || id <= 0 ? 0 : webhooks_remove(st, id, err, sizeof(err));

		if (done < 0) {
			fprintf(stderr, "posture-collector: error: %s\n", err);
			rc = 1;
		} else if (done == 0) {
			fprintf(stderr, "posture-collector: error: no webhook %s\n", argv[0]);
			rc = 1;
		} else {
			printf("webhook %lld removed (its undelivered events are dropped)\n", id);
			rc = admin_audit(st, "webhook.remove", argv[0], NULL) != 0;
		}
	}
	store_close(st);
	return rc;
}

/* review [--stale 30d] [--format text|json] */
static int cmd_review(const char *dir, const char *store_opt, long long stale, const char *format)
{
	struct store *st = NULL;
	char err[512];
	json_t *doc = NULL, *d, *g;
	size_t i, k;

	if (open_store(dir, store_opt, &st) != 0)
		return 1;
	if (fleet_review(st, stale, 0, &doc, err, sizeof(err)) != 0) {
		fprintf(stderr, "posture-collector: error: review: %s\n", err);
		store_close(st);
		return 1;
	}
	store_close(st);
	if (format != NULL && strcmp(format, "json") == 0) {
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	} else {
		printf("not seen for %lld days: %zu\n", stale / 86400,
		       json_array_size(json_object_get(doc, "stale")));
		json_array_foreach (json_object_get(doc, "stale"), i, d) {
			printf("  %-36s %-30s %-30s last report %s\n",
			       json_string_value(json_object_get(d, "id")),
			       json_string_value(json_object_get(d, "hostname"))
			           ? json_string_value(json_object_get(d, "hostname"))
			           : "-",
			       json_string_value(json_object_get(d, "owner"))
			           ? json_string_value(json_object_get(d, "owner"))
			           : "-",
			       json_string_value(json_object_get(d, "last_report"))
			           ? json_string_value(json_object_get(d, "last_report"))
			           : "never");
		}
		printf("hostnames enrolled more than once: %zu\n",
		       json_array_size(json_object_get(doc, "duplicates")));
		json_array_foreach (json_object_get(doc, "duplicates"), i, g) {
			printf("  %s:\n", json_string_value(json_object_get(g, "hostname")));
			json_array_foreach (json_object_get(g, "devices"), k, d) {
				printf("    %-36s first seen %s, %s\n",
				       json_string_value(json_object_get(d, "id")),
				       json_string_value(json_object_get(d, "first_seen")),
				       json_string_value(json_object_get(d, "state")));
			}
		}
		printf("hardware (serial numbers) enrolled more than once: %zu\n",
		       json_array_size(json_object_get(doc, "duplicate_serials")));
		json_array_foreach (json_object_get(doc, "duplicate_serials"), i, g) {
			printf("  serial %s:\n", json_string_value(json_object_get(g, "serial")));
			json_array_foreach (json_object_get(g, "devices"), k, d) {
				const char *h = json_string_value(json_object_get(d, "hostname"));

				printf("    %-36s %s, first seen %s, %s\n",
				       json_string_value(json_object_get(d, "id")), h ? h : "-",
				       json_string_value(json_object_get(d, "first_seen")),
				       json_string_value(json_object_get(d, "state")));
			}
		}
		if (json_array_size(json_object_get(doc, "stale")) +
		        json_array_size(json_object_get(doc, "duplicates")) +
		        json_array_size(json_object_get(doc, "duplicate_serials")) >
		    0)
			printf(
			    "retire what is no longer used: posture-collector device retire --dir "
			    "DIR ID\n");
	}
	json_decref(doc);
	return 0;
}

/* audit [--since T] [--format text|json] [--verify] */
static int cmd_audit(const char *dir, const char *store_opt, const char *since, const char *format,
                     int verify)
{
	struct store *st = NULL;
	char utc[24], err[1024];
	json_t *doc = NULL, *e, *brk;
	size_t i;
	int rc = 0;

	if (since != NULL && fleet_parse_time(since, utc) != 0) {
		fprintf(stderr,
		        "posture-collector: audit: --since '%s' is not a date (2026-11-01) "
		        "or an RFC 3339 time\n",
		        since);
		return 2;
	}
	if (open_store(dir, store_opt, &st) != 0)
		return 1;
	if (store_audit(st, since ? utc : NULL, verify, &doc, err, sizeof(err)) != 0) {
		fprintf(stderr, "posture-collector: error: audit: %s\n", err);
		store_close(st);
		return 1;
	}
	store_close(st);
	if (format != NULL && strcmp(format, "json") == 0) {
		/* one entry a line (JSON lines), for a SIEM */
		json_array_foreach (json_object_get(doc, "entries"), i, e) {
			char *line = json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER);

			if (line != NULL)
				printf("%s\n", line);
			free(line);
		}
	} else {
		json_array_foreach (json_object_get(doc, "entries"), i, e) {
			char *detail = json_dumps(json_object_get(e, "detail"), JSON_COMPACT);

			printf("%6lld %s %-22s %-40s %s %s\n",
			       (long long)json_integer_value(json_object_get(e, "seq")),
			       json_string_value(json_object_get(e, "at")),
			       json_string_value(json_object_get(e, "action")),
			       json_string_value(json_object_get(e, "target")),
			       json_string_value(json_object_get(e, "actor")),
			       detail ? detail : "");
			free(detail);
		}
	}
	if (verify) {
		brk = json_object_get(doc, "break");
		if (json_is_object(brk)) {
			fprintf(stderr,
			        "posture-collector: audit: the chain breaks at entry %lld: %s\n",
			        (long long)json_integer_value(json_object_get(brk, "seq")),
			        json_string_value(json_object_get(brk, "why")));
			rc = 1;
		} else {
			fprintf(stderr, "posture-collector: audit: the chain verifies\n");
		}
	}
	json_decref(doc);
	return rc;
}

static int cmd_fleet(struct store *st, const char *format, const struct fleet_options *o)
{
	json_t *doc = NULL;
	char err[1024];

	if (fleet_summary(st, o, &doc, err, sizeof(err)) != 0) {
		fprintf(stderr, "posture-collector: error: fleet: %s\n", err);
		return 1;
	}
	if (strcmp(format, "json") == 0)
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	else
		fleet_print(doc, stdout);
	if (strcmp(format, "json") == 0)
		putchar('\n');
	json_decref(doc);
	return 0;
}

static int cmd_devices(struct store *st, const char *format)
{
	json_t *list = NULL, *d;
	char err[1024];
	size_t i;

	if (store_devices(st, &list, err, sizeof(err)) != 0) {
		fprintf(stderr, "posture-collector: error: devices: %s\n", err);
		return 1;
	}
	if (strcmp(format, "json") == 0) {
		json_dumpf(list, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(list);
		return 0;
	}
	printf("%-36s  %-20s  %-24s  %-10s  %-20s  %s\n", "device", "hostname", "os", "agent",
	       "last seen", "state");
	json_array_foreach (list, i, d) {
		const char *host = json_string_value(json_object_get(d, "hostname"));
		const char *os = json_string_value(json_object_get(d, "os"));
		const char *agent = json_string_value(json_object_get(d, "agent_version"));
		json_t *c = json_object_get(d, "compliant");

		printf("%-36s  %-20s  %-24s  %-10s  %-20s  %s\n",
		       json_string_value(json_object_get(d, "id")), host ? host : "-",
		       os && *os ? os : "-", agent ? agent : "-",
		       json_string_value(json_object_get(d, "last_seen")),
		       json_is_true(json_object_get(d, "revoked")) ? "revoked"
		       : json_is_true(c)                           ? "compliant"
		       : json_is_false(c)                          ? "non-compliant"
		                                                   : "never reported");
	}
	json_decref(list);
	return 0;
}

/* changes [--since TIME]: each device's state changes, one JSON line each */
static int cmd_changes(const char *dir, const char *store_opt, const char *since)
{
	struct store *st = NULL;
	char err[1024], utc[24];
	long long after = 0;
	int rc = 0;

	if (since != NULL) {
		if (fleet_parse_time(since, utc) != 0) {
			fprintf(
			    stderr,
			    "posture-collector: changes: --since '%s' is not a date (2026-11-01) "
			    "or an RFC 3339 time\n",
			    since);
			return 2;
		}
		since = utc;
	}
	if (open_store(dir, store_opt, &st) != 0)
		return 1;
	for (;;) {
		json_t *list = NULL, *x;
		size_t i;

		if (store_changes_after(st, after, since, 1000, &list, err, sizeof(err)) != 0) {
			fprintf(stderr, "posture-collector: error: changes: %s\n", err);
			rc = 1;
			break;
		}
		json_array_foreach (list, i, x) {
			char *text;

			after = (long long)json_integer_value(json_object_get(x, "seq"));
			json_object_del(x, "seq");
			text = json_dumps(x, JSON_COMPACT | JSON_SORT_KEYS);
			if (text != NULL)
				printf("%s\n", text);
			free(text);
		}
		i = json_array_size(list);
		json_decref(list);
		if (i < 1000)
			break;
	}
	store_close(st);
	if (fflush(stdout) != 0)
		rc = 1;
	return rc;
}

/* prune: one lifecycle pass, what it did on stdout */
static int cmd_prune(const char *dir, const char *store_opt, const char *format)
{
	struct lifecycle_result res;
	struct store *st = NULL;
	char err[1024];
	int rc;

	if (open_store(dir, store_opt, &st) != 0)
		return 1;
	rc = lifecycle_pass(st, &cfg, admin_actor(), (long long)time(NULL), NULL, &res, err,
	                    sizeof(err));
	store_close(st);
	if (rc != 0) {
		fprintf(stderr,
		        "posture-collector: error: prune: %s (what was pruned before stays "
		        "pruned)\n",
		        err);
		return 1;
	}
	if (format != NULL && strcmp(format, "json") == 0)
		printf("{\"days_rolled\":%d,\"reports\":%lld,\"changes\":%lld,\"sessions\":%lld,"
		       "\"batches\":%lld}\n",
		       res.days_rolled, res.pruned.reports, res.pruned.changes, res.pruned.sessions,
		       res.pruned.batches);
	else
		printf("rolled up %d days; pruned %lld reports, %lld state changes, %lld expired "
		       "sessions\n",
		       res.days_rolled, res.pruned.reports, res.pruned.changes,
		       res.pruned.sessions);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "hostname", required_argument, NULL, 'n' },
		{ "listen", required_argument, NULL, 'l' },
		{ "store", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "since", required_argument, NULL, 'S' },
		{ "output", required_argument, NULL, 'o' },
		{ "stale", required_argument, NULL, 't' },
		{ "limit", required_argument, NULL, 'L' },
		{ "days", required_argument, NULL, 'D' },
		{ "rate-limit", required_argument, NULL, 'r' },
		{ "metrics-listen", required_argument, NULL, 'M' },
		{ "http1-only", no_argument, NULL, '1' },
		{ "expires", required_argument, NULL, 'x' },
		{ "verify", no_argument, NULL, 'V' },
		{ "events", required_argument, NULL, 'E' },
		{ "role", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *hostname = "localhost", *listen_addr = "0.0.0.0:8443", *cmd;
	const char *metrics_listen = NULL, *config_opt = NULL, *events = NULL, *role = NULL;
	int http1_only = -1, verify = 0, stale_given = 0, listen_given = 0, rate_given = 0;
	char config_path[4200];
	const char *store_opt = NULL, *format = NULL, *since = NULL, *output = NULL;
	struct fleet_options fo = { .stale_seconds = 7 * 86400, .limit = 100, .days = 30 };
	double rate = 10;
	long long expires = 0;
	char err[1024], *end;
	int ch, sub = 1;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "config") == 0) {
		/* the file init writes, to start a configuration elsewhere */
		if (argc != 2) {
			fprintf(stderr, "posture-collector: config takes no arguments\n");
			return 2;
		}
		fputs(config_default_text, stdout);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (strcmp(cmd, "feed") == 0) {
		if (argc < 3 || (strcmp(argv[2], "import") != 0 && strcmp(argv[2], "fetch") != 0 &&
		                 strcmp(argv[2], "list") != 0)) {
			fprintf(
			    stderr,
			    "posture-collector: feed: the subcommand is import, fetch or list\n");
			return 2;
		}
		sub = 2;
	}
	if (strcmp(cmd, "policy") == 0 || strcmp(cmd, "device") == 0) {
		const char *want =
		    strcmp(cmd, "policy") == 0 ? "publish" : "revoke, reenroll, retire or owner";

		if (argc < 3 ||
		    (strcmp(argv[2], "publish") != 0 && strcmp(argv[2], "revoke") != 0 &&
		     strcmp(argv[2], "reenroll") != 0 && strcmp(argv[2], "retire") != 0 &&
		     strcmp(argv[2], "owner") != 0) ||
		    (strcmp(cmd, "policy") == 0) != (strcmp(argv[2], "publish") == 0)) {
			fprintf(stderr, "posture-collector: %s: the subcommand is %s\n", cmd, want);
			return 2;
		}
		sub = 2;
	}
	if (strcmp(cmd, "token") == 0) {
		if (argc < 3 || (strcmp(argv[2], "add") != 0 && strcmp(argv[2], "list") != 0 &&
		                 strcmp(argv[2], "revoke") != 0)) {
			fprintf(
			    stderr,
			    "posture-collector: token: the subcommand is add, list or revoke\n");
			return 2;
		}
		sub = 2;
	}
	if (strcmp(cmd, "webhook") == 0) {
		if (argc < 3 || (strcmp(argv[2], "add") != 0 && strcmp(argv[2], "list") != 0 &&
		                 strcmp(argv[2], "remove") != 0)) {
			fprintf(
			    stderr,
			    "posture-collector: webhook: the subcommand is add, list or remove\n");
			return 2;
		}
		sub = 2;
	}
	if (strcmp(cmd, "secret") == 0) {
		if (argc < 3 || (strcmp(argv[2], "add") != 0 && strcmp(argv[2], "list") != 0 &&
		                 strcmp(argv[2], "revoke") != 0)) {
			fprintf(
			    stderr,
			    "posture-collector: secret: the subcommand is add, list or revoke\n");
			return 2;
		}
		sub = 2;
	}
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc - sub, argv + sub, ":d:c:n:l:s:f:S:o:t:L:D:r:x:M:E:R:1Vh",
	                         longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'c':
			config_opt = optarg;
			break;
		case 'E':
			events = optarg;
			break;
		case 'R':
			role = optarg;
			break;
		case 'n':
			hostname = optarg;
			break;
		case 'l':
			listen_addr = optarg;
			listen_given = 1;
			break;
		case 'M':
			metrics_listen = optarg;
			break;
		case '1':
			http1_only = 1;
			break;
		case 'V':
			verify = 1;
			break;
		case 's':
			store_opt = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'S':
			since = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 't':
			stale_given = 1;
			fo.stale_seconds = fleet_parse_duration(optarg);
			if (fo.stale_seconds <= 0) {
				fprintf(
				    stderr,
				    "posture-collector: --stale: '%s' is not a duration such as "
				    "7d, 12h, 30m or 2w\n",
				    optarg);
				return 2;
			}
			break;
		case 'L':
		case 'D': {
			long v = strtol(optarg, &end, 10);

			if (*optarg == '\0' || *end != '\0' || v < 1 || v > 100000) {
				fprintf(stderr,
				        "posture-collector: --%s: '%s' is not a number from 1 to "
				        "100000\n",
				        ch == 'L' ? "limit" : "days", optarg);
				return 2;
			}
			if (ch == 'L')
				fo.limit = (int)v;
			else
				fo.days = (int)v;
			break;
		}
		case 'x':
			expires = fleet_parse_duration(optarg);
			if (expires <= 0) {
				fprintf(
				    stderr,
				    "posture-collector: --expires: '%s' is not a duration such as "
				    "30d, 12h or 2w\n",
				    optarg);
				return 2;
			}
			break;
		case 'r':
			rate_given = 1;
			rate = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || !(rate >= 0 && rate <= 1e6)) {
				fprintf(stderr,
				        "posture-collector: --rate-limit: '%s' is not a number of "
				        "reports a second\n",
				        optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			fprintf(stderr, "posture-collector: %s: %s needs a value\n", cmd,
			        argv[sub + optind - 1]);
			return 2;
		default:
			fprintf(stderr, "posture-collector: %s: bad option %s\n", cmd,
			        argv[sub + optind - 1]);
			return 2;
		}
	}
	/* the configuration file, then what the command line says over it */
	config_locate(config_opt, dir, config_path, sizeof(config_path));
	if (config_load(config_path, config_opt != NULL, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "posture-collector: error: %s\n", err);
		return 2;
	}
	if (dir == NULL && cfg.dir[0] != '\0')
		dir = cfg.dir;
	if (dir == NULL) {
		fprintf(stderr,
		        "posture-collector: %s: --dir DIR is required (or a configuration file "
		        "whose [collector] dir names it: --config FILE, or %s)\n",
		        cmd, CONFIG_SYSTEM_PATH);
		return 2;
	}
	if (store_opt == NULL && cfg.store[0] != '\0')
		store_opt = cfg.store;
	if (!listen_given && cfg.listen[0] != '\0')
		listen_addr = cfg.listen;
	if (metrics_listen == NULL && cfg.metrics_listen[0] != '\0')
		metrics_listen = cfg.metrics_listen;
	if (http1_only < 0)
		http1_only = cfg.http1_only > 0;
	if (!rate_given && cfg.rate >= 0)
		rate = cfg.rate;
	if (!stale_given && cfg.stale_s > 0)
		fo.stale_seconds = cfg.stale_s;
	if (format != NULL && strcmp(cmd, "export") != 0 && strcmp(format, "text") != 0 &&
	    strcmp(format, "json") != 0) {
		fprintf(stderr, "posture-collector: %s: --format is text or json\n", cmd);
		return 2;
	}
	if (strcmp(cmd, "init") == 0) {
		char secret[100];

		if (optind != argc - sub) {
			fprintf(stderr, "posture-collector: init takes no arguments\n");
			return 2;
		}
		if (store_opt != NULL && !db_spec_is_postgresql(store_opt)) {
			fprintf(stderr, "posture-collector: init: --store must be a postgresql:// "
			                "URL (the default is SQLite in DIR)\n");
			return 2;
		}
		/* and, unless one was given, the configuration file (with where
		 * release feeds come from, for `feed fetch` and serve) */
		if (admin_init(dir, hostname, store_opt, secret, sizeof(secret), err,
		               sizeof(err)) != 0 ||
		    (cfg.path[0] == '\0' &&
		     atomic_write_file(-1, dir, "collector.ini", config_default_text,
		                       strlen(config_default_text), 0640, err, sizeof(err)) != 0)) {
			fprintf(stderr, "posture-collector: error: init: %s\n", err);
			return 1;
		}
		printf("collector data directory %s created for %s\n"
		       "agents trust:       %s/ca.pem\n"
		       "enrollment secret:  %s (also in %s/enroll-secret)\n"
		       "admin token:        %s/admin-token\n",
		       dir, hostname, dir, secret, dir, dir);
		return 0;
	}
	if (strcmp(cmd, "secret") == 0) {
		const char *what = argv[2];
		char spec[4200], secret[100], when[32];
		int want_args = strcmp(what, "revoke") == 0;

		if (optind != argc - sub - want_args) {
			fprintf(stderr, "posture-collector: secret %s: %s\n", what,
			        want_args ? "give one secret ID" : "takes no arguments");
			return 2;
		}
		store_spec(dir, store_opt, spec, sizeof(spec));
		if (strcmp(what, "add") == 0) {
			long long id = admin_secret_add(spec, expires, secret, sizeof(secret), when,
			                                sizeof(when), err, sizeof(err));

			if (id < 0) {
				fprintf(stderr, "posture-collector: error: secret add: %s\n", err);
				return 1;
			}
			printf("enrollment secret %lld: %s (expires: %s)\n", id, secret, when);
			OPENSSL_cleanse(secret, sizeof(secret));
			return 0;
		} else {
			struct store *st = NULL;
			int rc = 0;

			if (open_store(dir, store_opt, &st) != 0)
				return 1;
			if (strcmp(what, "list") == 0) {
				json_t *list = NULL, *e;
				size_t i;

				if (store_enroll_secrets(st, &list, err, sizeof(err)) != 0) {
					fprintf(stderr, "posture-collector: error: %s\n", err);
					rc = 1;
				} else {
					printf("%-6s  %-20s  %-20s  %s\n", "id", "created",
					       "expires", "state");
					json_array_foreach (list, i, e) {
						const char *x = json_string_value(
						    json_object_get(e, "expires_at"));

						printf(
						    "%-6lld  %-20s  %-20s  %s\n",
						    (long long)json_integer_value(
						        json_object_get(e, "id")),
						    json_string_value(
						        json_object_get(e, "created_at")),
						    x ? x : "never",
						    json_string_value(json_object_get(e, "state")));
					}
				}
				json_decref(list);
			} else {
				char *idend;
				long long id = strtoll(argv[sub + optind], &idend, 10);
				int done =
				    *idend || id <= 0
				        ? 0
				        : store_revoke_enroll_secret(st, id, err, sizeof(err));

				if (done < 0) {
					fprintf(stderr, "posture-collector: error: %s\n", err);
					rc = 1;
				} else if (done == 0) {
					fprintf(stderr, "posture-collector: error: no secret %s\n",
					        argv[sub + optind]);
					rc = 1;
				} else {
					printf("enrollment secret %lld revoked\n", id);
					rc = admin_audit(st, "secret.revoke", argv[sub + optind],
					                 NULL) != 0;
				}
			}
			store_close(st);
			return rc;
		}
	}
	if (strcmp(cmd, "token") == 0)
		return cmd_token(dir, store_opt, argv[2], role, expires, format,
		                 argc - sub - optind, argv + sub + optind);
	if (strcmp(cmd, "webhook") == 0)
		return cmd_webhook(dir, store_opt, argv[2], events, format, argc - sub - optind,
		                   argv + sub + optind);
	/* device owner ID OWNER: two arguments */
	if (strcmp(cmd, "device") == 0 && strcmp(argv[2], "owner") == 0)
		return cmd_device_owner(dir, store_opt, argc - sub - optind, argv + sub + optind);
	if ((strcmp(cmd, "feed") != 0 || strcmp(argv[2], "import") != 0) &&
	    optind != argc - sub -
	                  ((sub == 2 && strcmp(cmd, "feed") != 0) || strcmp(cmd, "report") == 0
	                       ? 1
	                       : 0)) {
		fprintf(stderr, "posture-collector: %s: unexpected argument %s\n", cmd,
		        optind < argc - sub ? argv[sub + optind] : "(missing)");
		return 2;
	}
	if (strcmp(cmd, "serve") == 0) {
		char spec[4200];
		struct serve_options so = { .dir = dir,
			                    .listen = listen_addr,
			                    .store = spec,
			                    .rate_per_second = rate,
			                    .rate_burst = rate * 10 < 1 ? 1 : rate * 10,
			                    .stale_seconds = fo.stale_seconds,
			                    .metrics_listen = metrics_listen,
			                    .http1_only = http1_only,
			                    .config = &cfg };

		store_spec(dir, store_opt, spec, sizeof(spec));
		if (serve_run(&so, err, sizeof(err)) != 0) {
			fprintf(stderr, "posture-collector: error: serve: %s\n", err);
			return 1;
		}
		return 0;
	}
	if (strcmp(cmd, "fleet") == 0 || strcmp(cmd, "devices") == 0 ||
	    strcmp(cmd, "device") == 0 || strcmp(cmd, "export") == 0) {
		struct store *st = NULL;
		int rc = 0;

		if (strcmp(cmd, "export") == 0 &&
		    (format == NULL ||
		     (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0))) {
			fprintf(stderr,
			        "posture-collector: export: --format csv or --format json is "
			        "required\n");
			return 2;
		}
		if (since != NULL) {
			char utc[24];

			if (fleet_parse_time(since, utc) != 0) {
				fprintf(stderr,
				        "posture-collector: export: --since '%s' is not a date "
				        "(2026-11-01) or an RFC 3339 time\n",
				        since);
				return 2;
			}
			since = strdup(utc);
		}
		if (open_store(dir, store_opt, &st) != 0) {
			if (strcmp(cmd, "export") == 0 && output != NULL)
				fprintf(stderr,
				        "posture-collector: export: nothing was written to %s\n",
				        output);
			free((char *)since);
			return 1;
		}
		if (strcmp(cmd, "fleet") == 0) {
			rc = cmd_fleet(st, format ? format : "text", &fo);
		} else if (strcmp(cmd, "devices") == 0) {
			rc = cmd_devices(st, format ? format : "text");
		} else if (strcmp(cmd, "export") == 0) {
			/* written beside OUTPUT and renamed over it only when
			 * complete and durable (lib/atomicfile.h): a failed export
			 * never leaves a partial file in place of a whole one */
			struct atomic_file af;
			FILE *out = stdout;
			long long rows = 0;
			int failed;

			if (output != NULL) {
				out = NULL;
				if (atomic_begin(&af, -1, NULL, output, 0644, err, sizeof(err)) ==
				    0) {
					int fd = dup(af.fd);

					out = fd >= 0 ? fdopen(fd, "w") : NULL;
					if (out == NULL) {
						snprintf(err, sizeof(err), "cannot write %s: %s",
						         output, strerror(errno));
						if (fd >= 0)
							close(fd);
						atomic_abort(&af);
					}
				}
			}
			if (out == NULL) {
				fprintf(stderr, "posture-collector: error: export: %s\n", err);
				rc = 1;
			} else {
				failed = fleet_export(st,
				                      strcmp(format, "csv") == 0 ? FLEET_CSV
				                                                 : FLEET_JSON,
				                      since, out, &rows, err, sizeof(err)) != 0;
				if (output != NULL) {
					if (fclose(out) != 0 && !failed) {
						snprintf(err, sizeof(err), "cannot write %s: %s",
						         output, strerror(errno));
						failed = 1;
					}
					if (failed)
						atomic_abort(&af);
					else if (atomic_commit(&af, err, sizeof(err)) != 0)
						failed = 1;
				}
				if (failed) {
					fprintf(stderr, "posture-collector: error: export: %s%s\n",
					        err, output ? "; nothing was written" : "");
					rc = 1;
				} else {
					fprintf(stderr, "posture-collector: exported %lld rows\n",
					        rows);
					rc = admin_audit(st, "export", output ? output : "stdout",
					                 json_pack("{s:s, s:s?, s:I}", "format",
					                           format, "since", since, "rows",
					                           (json_int_t)rows)) != 0;
				}
			}
		} else {
			const char *id = argv[sub + optind];
			int reenroll = strcmp(argv[2], "reenroll") == 0;
			int retire = strcmp(argv[2], "retire") == 0;
			int done = reenroll ? store_allow_reenroll(st, id, REENROLL_SECONDS, err,
			                                           sizeof(err))
			           : retire ? store_retire_device(st, id, err, sizeof(err))
			                    : store_revoke_device(st, id, err, sizeof(err));

			if (done < 0) {
				fprintf(stderr, "posture-collector: error: %s\n", err);
				rc = 1;
			} else if (done == 0) {
				fprintf(stderr, "posture-collector: error: no device %s\n", id);
				rc = 1;
			} else if (admin_audit(st,
			                       reenroll ? "device.reenroll"
			                       : retire ? "device.retire"
			                                : "device.revoke",
			                       id, NULL) != 0) {
				rc = 1;
			}
			if (done > 0 && reenroll) {
				printf(
				    "device %s may enroll again with the enrollment secret, once, "
				    "within %d hours; its current certificate stays valid until "
				    "then\n",
				    id, REENROLL_SECONDS / 3600);
				fprintf(
				    stderr,
				    "posture-collector: admin approved re-enrollment of device %s "
				    "(posture-collector device reenroll)\n",
				    id);
			} else if (done > 0 && retire) {
				printf(
				    "device %s retired: revoked, and left out of the fleet's lists "
				    "(its history stays; state=retired finds it)\n",
				    id);
			} else if (done > 0) {
				printf(
				    "device %s revoked: its certificate is refused from now on\n",
				    id);
			}
		}
		free((char *)since);
		store_close(st);
		return rc;
	}
	if (strcmp(cmd, "audit") == 0)
		return cmd_audit(dir, store_opt, since, format, verify);
	if (strcmp(cmd, "prune") == 0)
		return cmd_prune(dir, store_opt, format);
	if (strcmp(cmd, "changes") == 0)
		return cmd_changes(dir, store_opt, since);
	if (strcmp(cmd, "review") == 0)
		return cmd_review(dir, store_opt, stale_given ? fo.stale_seconds : 30 * 86400,
		                  format);
	if (strcmp(cmd, "report") == 0) {
		struct store *st = NULL;
		char *body = NULL;
		size_t len = 0;
		int got;

		if (open_store(dir, store_opt, &st) != 0)
			return 1;
		got = store_report_body(st, argv[sub + optind], &body, &len, err, sizeof(err));
		store_close(st);
		if (got < 0) {
			fprintf(stderr, "posture-collector: error: report: %s\n", err);
			return 1;
		}
		if (got == 0) {
			fprintf(stderr, "posture-collector: error: no report %s\n",
			        argv[sub + optind]);
			return 1;
		}
		/* the bytes the device sent, unchanged (an auditor can hash them) */
		got = fwrite(body, 1, len, stdout) == len && fflush(stdout) == 0;
		free(body);
		return got ? 0 : 1;
	}
	if (strcmp(cmd, "feed") == 0)
		return cmd_feed(dir, store_opt, argv[2], format, argc - (sub + optind),
		                argv + sub + optind);
	if (strcmp(cmd, "policy") == 0) {
		long long version;
		int refused = 0;

		version =
		    admin_publish(dir, store_opt, argv[sub + optind], &refused, err, sizeof(err));
		if (version < 0) {
			fprintf(stderr, "posture-collector: error: policy publish: %s\n", err);
			return refused ? 2 : 1;
		}
		printf("published %s as version %lld\n", argv[sub + optind], version);
		return 0;
	}
	fprintf(stderr, "posture-collector: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
