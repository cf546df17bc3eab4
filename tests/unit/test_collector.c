/* SPDX-License-Identifier: Apache-2.0 */
/*
 * posture-collector init and policy publish, checked with the openssl
 * command line and SQLite: the CA and server certificate verify and carry
 * the right names and usages, secrets are 0600, a second init is refused,
 * published versions only grow, the signature over each published policy
 * verifies with `openssl pkeyutl` against policy.pub exactly as agents
 * check it (agent/net/policysig.h), and a policy the agent's engine
 * refuses is never published.
 */
#include "testutil.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include "store.h"

/* The collector under test: BUILD/posture-collector (make test sets BUILD
 * for the plain and the sanitizer builds), else build/. */
static const char *collector(void)
{
	static char path[4200];
	const char *b = getenv("BUILD");

	snprintf(path, sizeof(path), "%s/posture-collector", b && *b ? b : "build");
	return path;
}

static int run_collector(const char *a1, const char *a2, const char *a3, const char *a4,
                         const char *a5, const char *a6, char **out, char **err)
{
	char *argv[] = { (char *)collector(), (char *)a1, (char *)a2, (char *)a3,
		         (char *)a4,          (char *)a5, (char *)a6, NULL };

	return tu_run(argv, out, err);
}

static void init_makes_a_data_directory(void **state)
{
	char *dir = tu_mkdtemp(), data[4200], cmd[9000], *out = NULL, *err = NULL;
	static const char *const secrets[] = { "ca.key",      "server.key",    "policy.key",
		                               "admin-token", "enroll-secret", "collector.db" };
	struct stat st;

	(void)state;
	snprintf(data, sizeof(data), "%s/data", dir);
	assert_int_equal(run_collector("init", "--dir", data, "--hostname", "posture.example.com",
	                               NULL, &out, &err),
	                 0);
	assert_true(tu_matches("enrollment secret: +[A-Za-z0-9_-]{32} \\(also in", out));
	assert_int_equal(stat(data, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
		char path[4400];

		snprintf(path, sizeof(path), "%s/%s", data, secrets[i]);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
	}
	/* openssl: the chain verifies; the names and usages are the server's */
	snprintf(cmd, sizeof(cmd),
	         "cd %s && openssl verify -CAfile ca.pem -purpose sslserver server.pem >/dev/null "
	         "&& openssl x509 -in server.pem -noout -ext subjectAltName | tr -d ' \\n' | "
	         "grep -qx 'X509v3SubjectAlternativeName:DNS:posture.example.com,DNS:localhost,"
	         "IPAddress:127.0.0.1,IPAddress:0:0:0:0:0:0:0:1' && "
	         "openssl x509 -in ca.pem -noout -ext basicConstraints | grep -q 'CA:TRUE' && "
	         "openssl pkey -in policy.key -noout -text | grep -q ED25519",
	         data);
	assert_int_equal(system(cmd), 0);
	/* the store exists with its schema, and only the secret's hash is kept */
	{
		char path[4400], *secret;
		sqlite3 *db;
		sqlite3_stmt *q;

		snprintf(path, sizeof(path), "%s/collector.db", data);
		assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL),
		                 SQLITE_OK);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(q, 0), 17);
		sqlite3_finalize(q);
		snprintf(path, sizeof(path), "%s/enroll-secret", data);
		secret = tu_slurp(path);
		secret[strcspn(secret, "\n")] = '\0';
		assert_int_equal(
		    sqlite3_prepare_v2(db, "SELECT sha256 FROM enroll_secrets", -1, &q, NULL),
		    SQLITE_OK);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		{
			unsigned char md[32];
			char hex[65];

			EVP_Digest(secret, strlen(secret), md, NULL, EVP_sha256(), NULL);
			for (int i = 0; i < 32; i++)
				snprintf(hex + 2 * i, 3, "%02x", md[i]);
			assert_string_equal((const char *)sqlite3_column_text(q, 0), hex);
		}
		sqlite3_finalize(q);
		sqlite3_close(db);
		free(secret);
	}
	free(out);
	free(err);
	/* never over an existing collector */
	assert_int_equal(run_collector("init", "--dir", data, NULL, NULL, NULL, &out, &err), 1);
	assert_true(tu_matches("^posture-collector: error: init: .*/data already holds a "
	                       "collector \\(or other files\\); refusing to overwrite it\n$",
	                       err));
	free(out);
	free(err);
	tu_rm_rf(dir);
	free(dir);
}

/* Verifies the newest policy in the store with openssl against DATA/policy.pub; returns
 * its version. */
static long long verify_published(const char *dir, const char *data)
{
	char path[4400], cmd[9000];
	json_t *doc;
	long long version;
	const char *text, *sig;

	{
		struct store *st = NULL;
		char err[512];

		snprintf(path, sizeof(path), "%s/collector.db", data);
		assert_int_equal(store_open(path, 0, &st, err, sizeof(err)), 0);
		assert_int_equal(store_current_policy(st, &doc, err, sizeof(err)), 1);
		store_close(st);
	}
	version = json_integer_value(json_object_get(doc, "version"));
	text = json_string_value(json_object_get(doc, "policy"));
	sig = json_string_value(json_object_get(doc, "signature"));
	assert_non_null(text);
	assert_non_null(sig);
	{
		char msg_path[4400], head[64];
		FILE *f;

		snprintf(msg_path, sizeof(msg_path), "%s/signed-bytes", dir);
		f = fopen(msg_path, "w");
		snprintf(head, sizeof(head), "posture-policy/1\n%lld\n", version);
		fputs(head, f);
		fputs(text, f);
		fclose(f);
		snprintf(path, sizeof(path), "%s/sig.b64", dir);
		f = fopen(path, "w");
		fprintf(f, "%s\n", sig);
		fclose(f);
	}
	snprintf(cmd, sizeof(cmd),
	         "cd %s && base64 -d sig.b64 > sig.bin && openssl pkeyutl -verify -pubin -inkey "
	         "%s/policy.pub -rawin -in signed-bytes -sigfile sig.bin >/dev/null",
	         dir, data);
	assert_int_equal(system(cmd), 0);
	/* one changed byte and openssl refuses it */
	snprintf(cmd, sizeof(cmd),
	         "cd %s && printf x >> signed-bytes && ! openssl pkeyutl -verify -pubin -inkey "
	         "%s/policy.pub -rawin -in signed-bytes -sigfile sig.bin >/dev/null 2>&1",
	         dir, data);
	assert_int_equal(system(cmd), 0);
	json_decref(doc);
	return version;
}

static void publish_signs_growing_versions(void **state)
{
	char *dir = tu_mkdtemp(), data[4200], bad[4200], *out = NULL, *err = NULL;

	(void)state;
	snprintf(data, sizeof(data), "%s/data", dir);
	assert_int_equal(run_collector("init", "--dir", data, NULL, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(run_collector("policy", "publish", "--dir", data, "policies/baseline.ini",
	                               NULL, &out, &err),
	                 0);
	assert_string_equal(out, "published policies/baseline.ini as version 1\n");
	free(out);
	free(err);
	assert_int_equal(verify_published(dir, data), 1);
	assert_int_equal(run_collector("policy", "publish", "--dir", data, "policies/baseline.ini",
	                               NULL, NULL, NULL),
	                 0);
	assert_int_equal(verify_published(dir, data), 2);
	/* refused by the agent's engine: exit 2, the FILE:LINE error, no version */
	tu_write(dir, "bad.ini", "[policy]\nname = bad\n[check.a]\ntype = nope\n");
	snprintf(bad, sizeof(bad), "%s/bad.ini", dir);
	assert_int_equal(run_collector("policy", "publish", "--dir", data, bad, NULL, &out, &err),
	                 2);
	assert_true(tu_matches("bad.ini:4: \\[check.a\\] type: unknown check type 'nope'", err));
	assert_true(tu_matches("policy publish: .*bad.ini refused; nothing was published", err));
	assert_int_equal(verify_published(dir, data), 2);
	free(out);
	free(err);
	tu_rm_rf(dir);
	free(dir);
}

static void usage_errors(void **state)
{
	char *err = NULL;

	(void)state;
	assert_int_equal(run_collector("init", NULL, NULL, NULL, NULL, NULL, NULL, &err), 2);
	assert_true(tu_matches("init: --dir DIR is required", err));
	free(err);
	assert_int_equal(run_collector("frobnicate", "--dir", "x", NULL, NULL, NULL, NULL, &err),
	                 2);
	assert_true(tu_matches("unknown command 'frobnicate'", err));
	free(err);
}

/*
 * collector.ini: init writes one into the data directory (every setting,
 * the feed sources); --config FILE names the data directory by [collector]
 * dir; a setting the collector does not know, a bad value and a missing
 * file are refused with exit 2, naming the file, the line and the setting.
 */
static void configuration_file(void **state)
{
	char *dir = tu_mkdtemp(), data[4200], conf[4300], *out = NULL, *err = NULL, *text;
	struct stat st;

	(void)state;
	snprintf(data, sizeof(data), "%s/data", dir);
	assert_int_equal(run_collector("init", "--dir", data, NULL, NULL, NULL, &out, NULL), 0);
	free(out);
	snprintf(conf, sizeof(conf), "%s/collector.ini", data);
	assert_int_equal(stat(conf, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	text = tu_slurp(conf);
	if (strstr(text, "[retention]") == NULL || strstr(text, "[sources]") == NULL ||
	    strstr(text, "macos.json = https://gdmf.apple.com/v2/pmv") == NULL)
		fail_msg("expected init's collector.ini to carry [retention] and the feed "
		         "sources; came:\n%s",
		         text);
	free(text);

	/* a lifecycle pass now; a change of retention goes to the audit trail */
	if (run_collector("prune", "--dir", data, NULL, NULL, NULL, &out, &err) != 0 ||
	    strcmp(out, "rolled up 0 days; pruned 0 reports, 0 state changes, 0 expired "
	                "sessions\n") != 0)
		fail_msg("expected an empty store's prune to do nothing; came out '%s', err '%s'",
		         out, err);
	free(out);
	free(err);
	text = tu_slurp(conf);
	{
		size_t more_len = strlen(text) + 64;
		char *more = malloc(more_len);

		snprintf(more, more_len, "%s[retention]\nreports = 60d\n", text);
		tu_write(data, "collector.ini", more);
		free(more);
	}
	free(text);
	assert_int_equal(run_collector("prune", "--dir", data, NULL, NULL, NULL, &out, NULL), 0);
	free(out);
	assert_int_equal(
	    run_collector("audit", "--dir", data, "--format", "json", NULL, &out, NULL), 0);
	if (!tu_matches("\"action\":\"retention.change\",\"target\":\"retain_reports\","
	                "\"detail\":\\{\"from\":\"30d\",\"to\":\"60d\"\\}",
	                out))
		fail_msg("expected the audit trail to record retain_reports from 30d to 60d; "
		         "came:\n%s",
		         out);
	free(out);

	snprintf(conf, sizeof(conf), "%s/elsewhere.ini", dir);
	{
		char body[4400];

		snprintf(body, sizeof(body),
		         "[collector]\ndir = %s ; the data directory\n[retention]\nreports = "
		         "8w\nchanges = forever\n",
		         data);
		tu_write(dir, "elsewhere.ini", body);
	}
	if (run_collector("devices", "--config", conf, "--format", "json", NULL, &out, &err) != 0 ||
	    strcmp(out, "[]\n") != 0)
		fail_msg("expected --config to find the data directory by [collector] dir and "
		         "list no devices; came out '%s', err '%s'",
		         out, err);
	free(out);
	free(err);

	tu_write(dir, "elsewhere.ini", "[collector]\ndir = /nonexistent\nlisten_on = :8443\n");
	err = NULL;
	if (run_collector("devices", "--config", conf, NULL, NULL, NULL, NULL, &err) != 2 ||
	    !tu_matches("elsewhere.ini: unknown setting \\[collector\\] listen_on \\(line 3\\)",
	                err))
		fail_msg("expected an unknown setting refused with exit 2 and its line; came "
		         "'%s'",
		         err);
	free(err);
	tu_write(dir, "elsewhere.ini", "[retention]\nreports = 3h\n");
	err = NULL;
	if (run_collector("devices", "--config", conf, "--dir", data, NULL, NULL, &err) != 2 ||
	    !tu_matches("\\[retention\\] reports = 3h is not a duration of 3 days or more", err))
		fail_msg("expected a retention under a day refused; came '%s'", err);
	free(err);
	snprintf(conf, sizeof(conf), "%s/missing.ini", dir);
	err = NULL;
	if (run_collector("devices", "--config", conf, NULL, NULL, NULL, NULL, &err) != 2 ||
	    !tu_matches("missing.ini", err))
		fail_msg("expected a missing --config file refused, naming it; came '%s'", err);
	free(err);
	tu_rm_rf(dir);
	free(dir);
}

/* Enrollment secrets: added with an expiry, listed by state (never shown
 * again), revoked; bad input refused with exit 2 or 1. */
/* SQL on DATA's store, as someone with the file would run it. */
static void store_sql(const char *data, const char *sql)
{
	char path[4400];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/collector.db", data);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/*
 * The audit trail: each admin action of the command line appended in
 * order, with who ran it; JSON lines whose entries name the hash before
 * them; --verify holds on the untouched chain, and says where it breaks
 * after a hand edit of an entry, and after an entry is removed.
 */
static void audit_trail(void **state)
{
	char *dir = tu_mkdtemp(), data[4200], *out = NULL, *err = NULL, *line, *save = NULL;
	static const char *const actions[] = { "collector.init", "policy.publish", "secret.add",
		                               "secret.revoke", "device.revoke" };
	const char *prev = "0000000000000000000000000000000000000000000000000000000000000000";
	json_t *entries[8] = { NULL };
	size_t n = 0;

	(void)state;
	snprintf(data, sizeof(data), "%s/data", dir);
	assert_int_equal(run_collector("init", "--dir", data, NULL, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(run_collector("policy", "publish", "--dir", data, "policies/baseline.ini",
	                               NULL, NULL, NULL),
	                 0);
	assert_int_equal(run_collector("secret", "add", "--dir", data, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(run_collector("secret", "revoke", "--dir", data, "2", NULL, NULL, NULL),
	                 0);
	/* a device that does not exist: refused, and nothing recorded */
	assert_int_equal(
	    run_collector("device", "revoke", "--dir", data, "no-such-device", NULL, NULL, NULL),
	    1);
	store_sql(data, "INSERT INTO devices (id, hostname, first_seen, last_seen) VALUES "
	                "('d1', 'h', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
	assert_int_equal(run_collector("device", "revoke", "--dir", data, "d1", NULL, NULL, NULL),
	                 0);
	assert_int_equal(
	    run_collector("audit", "--dir", data, "--format", "json", "--verify", &out, &err), 0);
	if (strstr(err, "the chain verifies") == NULL)
		fail_msg("expected the untouched chain to verify, came '%s'", err);
	for (line = strtok_r(out, "\n", &save); line && n < 8; line = strtok_r(NULL, "\n", &save))
		entries[n++] = json_loads(line, 0, NULL);
	if (n != 5)
		fail_msg("expected 5 entries, came %zu: %s", n, out);
	for (size_t i = 0; i < n; i++) {
		const char *action = json_string_value(json_object_get(entries[i], "action"));

		if (action == NULL || strcmp(action, actions[i]) != 0)
			fail_msg("expected entry %zu to be %s, came %s", i + 1, actions[i],
			         action ? action : "(none)");
		assert_string_equal(json_string_value(json_object_get(entries[i], "prev_sha256")),
		                    prev);
		assert_true(tu_matches("^cli uid [0-9]+ ",
		                       json_string_value(json_object_get(entries[i], "actor"))));
		prev = json_string_value(json_object_get(entries[i], "sha256"));
	}
	assert_string_equal(json_string_value(json_object_get(entries[4], "target")), "d1");
	free(out);
	free(err);
	/* an entry edited by hand */
	store_sql(data, "UPDATE audit SET target = 'someone-else' WHERE seq = 4");
	out = err = NULL;
	assert_int_equal(run_collector("audit", "--dir", data, "--verify", NULL, NULL, &out, &err),
	                 1);
	if (strstr(err, "breaks at entry 4: its hash does not match its contents") == NULL)
		fail_msg("expected the edited entry 4 named, came '%s'", err);
	free(out);
	free(err);
	/* put back, then one removed */
	store_sql(data, "UPDATE audit SET target = '2' WHERE seq = 4");
	assert_int_equal(run_collector("audit", "--dir", data, "--verify", NULL, NULL, NULL, NULL),
	                 0);
	store_sql(data, "DELETE FROM audit WHERE seq = 3");
	out = err = NULL;
	assert_int_equal(run_collector("audit", "--dir", data, "--verify", NULL, NULL, &out, &err),
	                 1);
	if (strstr(err, "breaks at entry 4: the entries before it are missing") == NULL)
		fail_msg("expected the gap before entry 4 named, came '%s'", err);
	free(out);
	free(err);
	/* devices and people: an owner, the review, retirement */
	assert_int_equal(
	    run_collector("device", "owner", "--dir", data, "d1", "bob@example.com", NULL, NULL),
	    0);
	out = NULL;
	assert_int_equal(
	    run_collector("review", "--dir", data, "--format", "json", NULL, &out, NULL), 0);
	{
		json_t *rv = json_loads(out, 0, NULL), *st = json_object_get(rv, "stale");

		if (json_array_size(st) != 1 ||
		    strcmp(json_string_value(json_object_get(json_array_get(st, 0), "owner")),
		           "bob@example.com") != 0)
			fail_msg("expected d1 (bob's, never reported) in the review, came %s", out);
		json_decref(rv);
	}
	free(out);
	assert_int_equal(run_collector("device", "retire", "--dir", data, "d1", NULL, NULL, NULL),
	                 0);
	out = NULL;
	assert_int_equal(
	    run_collector("review", "--dir", data, "--format", "json", NULL, &out, NULL), 0);
	if (strstr(out, "\"d1\"") != NULL)
		fail_msg("expected a retired device left out of the review, came %s", out);
	free(out);
	out = NULL;
	assert_int_equal(run_collector("audit", "--dir", data, NULL, NULL, NULL, &out, NULL), 0);
	assert_true(tu_matches("device\\.owner +d1 .*bob@example\\.com", out));
	assert_true(tu_matches("device\\.retire +d1 ", out));
	free(out);
	/* --since keeps what came after */
	out = NULL;
	assert_int_equal(
	    run_collector("audit", "--dir", data, "--since", "2100-01-01", NULL, &out, NULL), 0);
	assert_string_equal(out, "");
	free(out);
	for (size_t i = 0; i < n; i++)
		json_decref(entries[i]);
	tu_rm_rf(dir);
	free(dir);
}

static void secrets(void **state)
{
	char *dir = tu_mkdtemp(), data[4200], *out = NULL, *err = NULL;
	long long id = 0;

	(void)state;
	snprintf(data, sizeof(data), "%s/data", dir);
	assert_int_equal(run_collector("init", "--dir", data, NULL, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(
	    run_collector("secret", "add", "--dir", data, "--expires", "30d", &out, &err), 0);
	assert_true(tu_matches("^enrollment secret 2: [A-Za-z0-9_-]{32} \\(expires: "
	                       "20[0-9-]+T[0-9:]+Z\\)\n$",
	                       out));
	sscanf(out, "enrollment secret %lld", &id);
	assert_int_equal(id, 2);
	free(out);
	free(err);
	assert_int_equal(run_collector("secret", "revoke", "--dir", data, "1", NULL, &out, &err),
	                 0);
	free(out);
	free(err);
	assert_int_equal(run_collector("secret", "list", "--dir", data, NULL, NULL, &out, &err), 0);
	assert_true(tu_matches("\n1 +[0-9TZ:-]+ +never +revoked\n", out));
	assert_true(tu_matches("\n2 +[0-9TZ:-]+ +20[0-9TZ:-]+ +active\n", out));
	/* the secret itself is never shown again */
	assert_false(tu_matches("[A-Za-z0-9_-]{32}", out));
	free(out);
	free(err);
	assert_int_equal(run_collector("secret", "revoke", "--dir", data, "7", NULL, NULL, &err),
	                 1);
	assert_true(tu_matches("no secret 7", err));
	free(err);
	assert_int_equal(
	    run_collector("secret", "add", "--dir", data, "--expires", "soon", NULL, &err), 2);
	assert_true(tu_matches("--expires: 'soon' is not a duration", err));
	free(err);
	assert_int_equal(run_collector("secret", "rotate", "--dir", data, NULL, NULL, NULL, &err),
	                 2);
	free(err);
	/* a port with trailing garbage is refused, not read as its digits */
	assert_int_equal(
	    run_collector("serve", "--dir", data, "--listen", "127.0.0.1:84x3", NULL, NULL, &err),
	    1);
	assert_true(tu_matches("--listen must be ADDRESS:PORT", err));
	free(err);
	tu_rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_makes_a_data_directory),
		cmocka_unit_test(publish_signs_growing_versions),
		cmocka_unit_test(audit_trail),
		cmocka_unit_test(usage_errors),
		cmocka_unit_test(configuration_file),
		cmocka_unit_test(secrets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
