/* SPDX-License-Identifier: Apache-2.0 */
/*
 * webhooks: see webhooks.h.
 */
#include "webhooks.h"

#include <ctype.h>
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "pki.h"
#include "timefmt.h"

#ifndef POSTURE_VERSION
#define POSTURE_VERSION "dev"
#endif

/* a claimed delivery is another collector's to retry after this long */
#define CLAIM_SECONDS 300
/* what of an answer's body is read (and dropped) */
#define MAX_ANSWER 65536

/* https://, or http:// to the loopback address; printable, no spaces */
static int url_ok(const char *url)
{
	static const char *const loopback[] = { "http://127.0.0.1:", "http://127.0.0.1/",
		                                "http://localhost:", "http://localhost/",
		                                "http://[::1]:",     "http://[::1]/" };
	size_t n = strlen(url);
	int ok = strncmp(url, "https://", 8) == 0 && n > 8;

	for (size_t i = 0; i < sizeof(loopback) / sizeof(loopback[0]); i++)
		ok |= strncmp(url, loopback[i], strlen(loopback[i])) == 0;
	if (!ok || n > 1000)
		return 0;
	for (const char *p = url; *p; p++)
		if (!isgraph((unsigned char)*p))
			return 0;
	return 1;
}

/* each of EVENTS (comma-separated) a known type, or "*" */
static int events_ok(const char *events)
{
	const char *p = events;

	if (strcmp(events, "*") == 0)
		return 1;
	while (*p) {
		size_t n = strcspn(p, ",");
		const char *k = WEBHOOK_EVENT_TYPES;
		int found = 0;

		while (*k && !found) {
			size_t m = strcspn(k, ",");

			found = m == n && n > 0 && strncmp(k, p, n) == 0;
			k += m + (k[m] == ',');
		}
		if (!found)
			return 0;
		p += n + (p[n] == ',');
	}
	return *events != '\0' && events[strlen(events) - 1] != ',';
}

long long webhooks_add(struct store *st, const char *url, const char *events, char *secret,
                       size_t secret_len, int *refused, char *err, size_t err_len)
{
	char now[32], token[100];
	const char *a[4] = { url, token, events ? events : "*", now };
	long long id;

	*refused = 0;
	if (!url_ok(url)) {
		*refused = 1;
		snprintf(err, err_len,
		         "'%.200s' is not a webhook URL: https://..., or http:// to 127.0.0.1, "
		         "localhost or [::1] (at most 1000 bytes, no spaces)",
		         url);
		return -1;
	}
	if (!events_ok(a[2])) {
		*refused = 1;
		snprintf(err, err_len, "--events '%.200s': each must be one of %s (or * for all)",
		         a[2], WEBHOOK_EVENT_TYPES);
		return -1;
	}
	if (pki_random_token(32, token, sizeof(token)) != 0) {
		snprintf(err, err_len, "cannot make a secret");
		return -1;
	}
	time_rfc3339(time(NULL), now);
	id = db_query_int(store_db(st),
	                  "INSERT INTO webhooks (url, secret, events, created_at) "
	                  "VALUES (?1, ?2, ?3, ?4) RETURNING id",
	                  a, 4, err, err_len);
	if (id > 0)
		snprintf(secret, secret_len, "%s", token);
	OPENSSL_cleanse(token, sizeof(token));
	return id;
}

int webhooks_list(struct store *st, json_t **out, char *err, size_t err_len)
{
	struct db_rows *r;
	int rc;

	*out = json_array();
	if (db_query(store_db(st),
	             "SELECT w.id, w.url, w.events, w.created_at, "
	             "(SELECT count(*) FROM deliveries d WHERE d.webhook_id = w.id AND "
	             "  d.delivered_at IS NULL AND d.given_up_at IS NULL), "
	             "(SELECT count(*) FROM deliveries d WHERE d.webhook_id = w.id AND "
	             "  d.delivered_at IS NOT NULL), "
	             "(SELECT count(*) FROM deliveries d WHERE d.webhook_id = w.id AND "
	             "  d.given_up_at IS NOT NULL) "
	             "FROM webhooks w WHERE w.removed_at IS NULL ORDER BY w.id",
	             NULL, 0, &r, err, err_len) != 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	while ((rc = db_next(r, err, err_len)) == 1)
		json_array_append_new(
		    *out,
		    json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)db_int(r, 0),
		              "url", db_text(r, 1), "events", db_text(r, 2), "created_at",
		              db_text(r, 3), "pending", (json_int_t)db_int(r, 4), "delivered",
		              (json_int_t)db_int(r, 5), "given_up", (json_int_t)db_int(r, 6)));
	db_rows_free(r);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int webhooks_remove(struct store *st, long long id, char *err, size_t err_len)
{
	char v[24], now[32];
	const char *a[2] = { v, now };
	long long changed = 0;

	snprintf(v, sizeof(v), "%lld", id);
	time_rfc3339(time(NULL), now);
	if (db_exec(store_db(st),
	            "UPDATE webhooks SET removed_at = ?2 WHERE id = CAST(?1 AS BIGINT) AND "
	            "removed_at IS NULL",
	            a, 2, &changed, err, err_len) != 0)
		return -1;
	if (changed == 0)
		return 0;
	if (db_exec(store_db(st),
	            "DELETE FROM deliveries WHERE webhook_id = CAST(?1 AS BIGINT) AND "
	            "delivered_at IS NULL AND given_up_at IS NULL",
	            a, 1, NULL, err, err_len) != 0)
		return -1;
	return 1;
}

long long webhooks_scan_stale(struct store *st, long long stale_s, long long now, char *err,
                              size_t err_len)
{
	char cutoff[32], at[32];
	const char *a[2] = { cutoff, at };
	long long changed = 0;

	time_rfc3339(now - stale_s, cutoff);
	time_rfc3339(now, at);
	/* (read first: an UPDATE would take SQLite's write lock each minute) */
	changed =
	    db_query_int(store_db(st), "SELECT count(*) FROM webhooks WHERE removed_at IS NULL",
	                 NULL, 0, err, err_len);
	if (changed <= 0)
		return changed; /* -1: the store failed; 0: no webhook */
	changed = 0;
	if (db_exec(store_db(st),
	            "UPDATE devices SET stale_at = ?2 WHERE revoked = 0 AND stale_at IS NULL AND "
	            "coalesce(last_report_at, first_seen) < ?1 AND "
	            "EXISTS (SELECT 1 FROM webhooks WHERE removed_at IS NULL)",
	            a, 2, &changed, err, err_len) != 0)
		return -1;
	return changed;
}

char *webhooks_body(long long id, const char *type, const char *device_id, const char *hostname,
                    const char *check_id, const char *detail, const char *at,
                    const char *created_at)
{
	json_t *doc =
	    json_pack("{s:s, s:I, s:s, s:s, s:s, s:{s:s?, s:s?}}", "schema", "posture.event/1",
	              "id", (json_int_t)id, "type", type, "at", at, "created_at", created_at,
	              "device", "id", device_id, "hostname", hostname);
	char *text;

	if (doc == NULL)
		return NULL;
	if (check_id != NULL)
		json_object_set_new(doc, "check", json_string(check_id));
	if (detail != NULL && strcmp(type, "check.overdue") == 0)
		json_object_set_new(doc, "report_id", json_string(detail));
	if (detail != NULL && strcmp(type, "device.stale") == 0)
		json_object_set_new(doc, "last_report", json_string(detail));
	text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc);
	return text;
}

void webhooks_sign(const char *secret, long long timestamp, const char *body, char out[70])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;
	char ts[24];
	size_t tn = (size_t)snprintf(ts, sizeof(ts), "%lld.", timestamp), bn = strlen(body);
	unsigned char *msg = malloc(tn + bn + 1);

	out[0] = '\0';
	if (msg == NULL)
		return;
	memcpy(msg, ts, tn);
	memcpy(msg + tn, body, bn);
	if (HMAC(EVP_sha256(), secret, (int)strlen(secret), msg, tn + bn, mac, &mac_len) != NULL) {
		memcpy(out, "v1=", 3);
		for (unsigned int i = 0; i < mac_len && i < 32; i++)
			snprintf(out + 3 + 2 * i, 3, "%02x", mac[i]);
	}
	free(msg);
}

static size_t on_answer(char *ptr, size_t size, size_t nmemb, void *arg)
{
	size_t *seen = arg, n = size * nmemb;

	(void)ptr;
	*seen += n;
	return *seen > MAX_ANSWER ? 0 : n; /* a flood of an answer ends the transfer */
}

struct due {
	long long event, webhook, attempts, next_at;
	char *url, *secret, *body, *type;
};

static void due_free(struct due *d)
{
	free(d->url);
	if (d->secret)
		OPENSSL_cleanse(d->secret, strlen(d->secret));
	free(d->secret);
	free(d->body);
	free(d->type);
}

/* POSTs D: 0 with a 2xx, else -1 with WHY */
static int post(CURL *curl, const struct collector_config *c, const struct due *d, long long now,
                char *why, size_t why_len)
{
	struct curl_slist *h = NULL;
	char line[200], sig[70];
	size_t seen = 0;
	long status = 0;
	CURLcode rc;

	webhooks_sign(d->secret, now, d->body, sig);
	h = curl_slist_append(h, "Content-Type: application/json");
	snprintf(line, sizeof(line), "Posture-Event: %s", d->type);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "Posture-Event-Id: %lld", d->event);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "Posture-Timestamp: %lld", now);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "Posture-Signature: %s", sig);
	h = curl_slist_append(h, line);
	h = curl_slist_append(h, "Expect:");
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, d->url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, d->body);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(d->body));
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "posture-collector/" POSTURE_VERSION);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)c->webhook_timeout_s);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)c->webhook_timeout_s);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_answer);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &seen);
	if (c->webhook_ca[0] != '\0')
		curl_easy_setopt(curl, CURLOPT_CAINFO, c->webhook_ca);
	rc = curl_easy_perform(curl);
	curl_slist_free_all(h);
	if (rc == CURLE_WRITE_ERROR && seen > MAX_ANSWER)
		rc = CURLE_OK; /* the status came; the rest is not read */
	if (rc != CURLE_OK) {
		snprintf(why, why_len, "%s", curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		snprintf(why, why_len, "HTTP %ld", status);
		return -1;
	}
	return 0;
}

int webhooks_deliver(struct store *st, const struct collector_config *c, long long now,
                     const int *stop, char *err, size_t err_len)
{
	struct db *db = store_db(st);
	struct due due[50];
	size_t n = 0;
	struct db_rows *r;
	char now_s[24];
	const char *a[1] = { now_s };
	CURL *curl;
	int rc, tried = 0;

	snprintf(now_s, sizeof(now_s), "%lld", now);
	if (db_query(db,
	             "SELECT d.event_id, d.webhook_id, d.attempts, d.next_at, w.url, w.secret, "
	             "e.type, e.device_id, e.hostname, e.check_id, e.detail, e.at, e.created_at "
	             "FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id "
	             "JOIN events e ON e.id = d.event_id "
	             "WHERE d.delivered_at IS NULL AND d.given_up_at IS NULL AND "
	             "d.next_at <= CAST(?1 AS BIGINT) AND w.removed_at IS NULL "
	             "ORDER BY d.next_at, d.event_id LIMIT 50",
	             a, 1, &r, err, err_len) != 0)
		return -1;
	while ((rc = db_next(r, err, err_len)) == 1 && n < 50) {
		struct due *d = &due[n];

		d->event = db_int(r, 0);
		d->webhook = db_int(r, 1);
		d->attempts = db_int(r, 2);
		d->next_at = db_int(r, 3);
		d->url = strdup(db_text(r, 4) ? db_text(r, 4) : "");
		d->secret = strdup(db_text(r, 5) ? db_text(r, 5) : "");
		d->type = strdup(db_text(r, 6) ? db_text(r, 6) : "");
		d->body = webhooks_body(
		    d->event, d->type, db_text(r, 7), db_text(r, 8), db_text(r, 9), db_text(r, 10),
		    db_text(r, 11) ? db_text(r, 11) : "", db_text(r, 12) ? db_text(r, 12) : "");
		if (d->url == NULL || d->secret == NULL || d->type == NULL || d->body == NULL) {
			due_free(d);
			continue;
		}
		n++;
	}
	db_rows_free(r);
	if (rc < 0) {
		for (size_t i = 0; i < n; i++)
			due_free(&due[i]);
		return -1;
	}
	curl = n ? curl_easy_init() : NULL;
	for (size_t i = 0; i < n; i++) {
		struct due *d = &due[i];
		char ev[24], wh[24], old[24], until[24], why[300], at[32];
		const char *claim[4] = { ev, wh, old, until };
		long long claimed = 0;

		if (curl == NULL || (stop && __atomic_load_n(stop, __ATOMIC_RELAXED)))
			break;
		snprintf(ev, sizeof(ev), "%lld", d->event);
		snprintf(wh, sizeof(wh), "%lld", d->webhook);
		snprintf(old, sizeof(old), "%lld", d->next_at);
		snprintf(until, sizeof(until), "%lld", now + CLAIM_SECONDS);
		/* claimed by whoever moves next_at first */
		if (db_exec(db,
		            "UPDATE deliveries SET next_at = CAST(?4 AS BIGINT) WHERE "
		            "event_id = CAST(?1 AS BIGINT) AND webhook_id = CAST(?2 AS BIGINT) AND "
		            "next_at = CAST(?3 AS BIGINT) AND delivered_at IS NULL",
		            claim, 4, &claimed, err, err_len) != 0) {
			tried = -1;
			break;
		}
		if (claimed != 1)
			continue;
		tried++;
		time_rfc3339(now, at);
		if (post(curl, c, d, now, why, sizeof(why)) == 0) {
			const char *done[3] = { ev, wh, at };

			if (db_exec(
			        db,
			        "UPDATE deliveries SET delivered_at = ?3, attempts = attempts + 1, "
			        "last_error = NULL WHERE event_id = CAST(?1 AS BIGINT) AND "
			        "webhook_id = CAST(?2 AS BIGINT)",
			        done, 3, NULL, err, err_len) != 0) {
				tried = -1;
				break;
			}
		} else {
			long long attempts = d->attempts + 1, wait = 5;
			int give_up = attempts >= c->webhook_attempts;
			char next[24];
			const char *failed[5] = { ev, wh, next, why, give_up ? at : NULL };

			for (long long k = 1; k < attempts && wait < 3600; k++)
				wait *= 2;
			snprintf(next, sizeof(next), "%lld", now + (wait < 3600 ? wait : 3600));
			if (db_exec(
			        db,
			        "UPDATE deliveries SET attempts = attempts + 1, "
			        "next_at = CAST(?3 AS BIGINT), last_error = ?4, given_up_at = ?5 "
			        "WHERE event_id = CAST(?1 AS BIGINT) AND "
			        "webhook_id = CAST(?2 AS BIGINT)",
			        failed, 5, NULL, err, err_len) != 0) {
				tried = -1;
				break;
			}
			fprintf(stderr,
			        "posture-collector: webhook %lld: event %lld (%s) not delivered to "
			        "%.200s: %s; %s\n",
			        d->webhook, d->event, d->type, d->url, why,
			        give_up ? "given up after the last attempt" : "will retry");
		}
	}
	if (curl)
		curl_easy_cleanup(curl);
	for (size_t i = 0; i < n; i++)
		due_free(&due[i]);
	return tried;
}

long long webhooks_prune(struct store *st, const char *before, char *err, size_t err_len)
{
	const char *a[1] = { before };
	long long gone = 0;

	if (db_exec(store_db(st),
	            "DELETE FROM events WHERE created_at < ?1 AND NOT EXISTS (SELECT 1 FROM "
	            "deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.event_id = "
	            "events.id AND d.delivered_at IS NULL AND d.given_up_at IS NULL AND "
	            "w.removed_at IS NULL)",
	            a, 1, &gone, err, err_len) != 0 ||
	    db_exec(store_db(st),
	            "DELETE FROM deliveries WHERE NOT EXISTS (SELECT 1 FROM events e "
	            "WHERE e.id = deliveries.event_id)",
	            NULL, 0, NULL, err, err_len) != 0)
		return -1;
	return gone;
}
