/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `posture-collector feed import`: real feeds (tests/fixtures/feeds) kept
 * as signed envelopes whose signature OpenSSL's own command line verifies
 * against the collector's policy key (an oracle this project did not
 * write), serials that only grow, a tampered body that no longer
 * verifies, and a file that is no feed refused without costing the others.
 * `feed fetch` and serve's schedule, against OpenSSL's own HTTPS server
 * (s_server -WWW) serving the fixtures: there is no internet here.
 */
#include <jansson.h>
#include <openssl/evp.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "feedstore_test.h"
#include "testutil.h"

static char *dir;

static int setup(void **state)
{
	char *argv[] = { (char *)tu_bin("posture-collector"), "init", "--dir", NULL, NULL };

	(void)state;
	dir = tu_mkdtemp();
	argv[3] = dir;
	if (tu_run(argv, NULL, NULL) != 0)
		fail_msg("expected posture-collector init to succeed in %s", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rm_rf(dir);
	free(dir);
	return 0;
}

static char *envelope_of(const char *name)
{
	char *text = tu_feed_envelope(dir, name);

	return text;
}

/* Writes the signed message of the envelope NAME (with its body changed by
 * TAMPER when set) and its signature as files; 0 when OpenSSL verifies. */
static int openssl_verifies(const char *name, int tamper)
{
	char msg_path[600], sig_path[600], pub_path[600], key_path[600], *text;
	unsigned char *body, sig[128];
	json_t *env;
	FILE *f;
	int body_len, sig_len, rc;

	text = envelope_of(name);
	env = text ? json_loads(text, 0, NULL) : NULL;
	if (env == NULL)
		fail_msg("expected the store to keep an envelope for %s", name);
	if (strcmp(json_string_value(json_object_get(env, "format")), "posture.signed-feed/1") != 0)
		fail_msg("expected posture.signed-feed/1, came %s", text);
	body = malloc(strlen(json_string_value(json_object_get(env, "body"))) + 4);
	body_len = EVP_DecodeBlock(
	    body, (const unsigned char *)json_string_value(json_object_get(env, "body")),
	    (int)strlen(json_string_value(json_object_get(env, "body"))));
	sig_len = EVP_DecodeBlock(
	    sig, (const unsigned char *)json_string_value(json_object_get(env, "signature")),
	    (int)strlen(json_string_value(json_object_get(env, "signature"))));
	assert_true(body_len > 0 && sig_len >= 64);
	/* base64 pads: the body's own length is what the base64 says less padding */
	{
		const char *b = json_string_value(json_object_get(env, "body"));
		size_t bl = strlen(b);

		body_len -= (bl > 0 && b[bl - 1] == '=') + (bl > 1 && b[bl - 2] == '=');
	}
	if (tamper)
		body[body_len / 2] ^= 1;
	snprintf(msg_path, sizeof(msg_path), "%s/msg", dir);
	snprintf(sig_path, sizeof(sig_path), "%s/sig", dir);
	f = fopen(msg_path, "wb");
	fprintf(f, "posture-feed/1\n%s\n%s\n%lld\n",
	        json_string_value(json_object_get(env, "name")),
	        json_string_value(json_object_get(env, "fetched_at")),
	        (long long)json_integer_value(json_object_get(env, "serial")));
	fwrite(body, 1, (size_t)body_len, f);
	fclose(f);
	f = fopen(sig_path, "wb");
	fwrite(sig, 1, 64, f);
	fclose(f);
	snprintf(key_path, sizeof(key_path), "%s/policy.key", dir);
	snprintf(pub_path, sizeof(pub_path), "%s/policy.pub", dir);
	{
		char *pub[] = { "openssl", "pkey", "-in",    key_path,
			        "-pubout", "-out", pub_path, NULL };

		assert_int_equal(tu_run(pub, NULL, NULL), 0);
	}
	{
		char *ver[] = { "openssl", "pkeyutl", "-verify", "-pubin",   "-inkey", pub_path,
			        "-rawin",  "-in",     msg_path,  "-sigfile", sig_path, NULL };

		rc = tu_run(ver, NULL, NULL);
	}
	free(body);
	json_decref(env);
	free(text);
	return rc;
}

static void import_sign_verify(void **state)
{
	char *out = NULL, *err = NULL;
	char *argv[] = { (char *)tu_bin("posture-collector"),
		         "feed",
		         "import",
		         "--dir",
		         dir,
		         "tests/fixtures/feeds/chrome/mac-stable-2026-09-18.json",
		         "tests/fixtures/feeds/chrome/win-stable-131-rollout.json",
		         "tests/fixtures/feeds/mozilla/firefox_history_stability_releases.json",
		         NULL };
	int rc;

	(void)state;
	rc = tu_run(argv, &out, &err);
	/* the rollout-only feed is refused (exit 2), the other two are kept */
	if (rc != 2 || strstr(out, "mac-stable-2026-09-18.json as feed serial 1") == NULL ||
	    strstr(out, "firefox_history_stability_releases.json as feed serial 2") == NULL ||
	    strstr(err, "win-stable-131-rollout.json is not a release feed") == NULL)
		fail_msg("expected two feeds imported (serials 1, 2) and one refused, exit 2; came "
		         "exit %d, out '%s', err '%s'",
		         rc, out, err);
	free(out);
	free(err);
	if (openssl_verifies("mac-stable-2026-09-18.json", 0) != 0)
		fail_msg("expected OpenSSL to verify the signed Chrome feed");
	if (openssl_verifies("mac-stable-2026-09-18.json", 1) == 0)
		fail_msg("expected OpenSSL to refuse the Chrome feed with one bit of its body "
		         "changed");
	if (openssl_verifies("firefox_history_stability_releases.json", 0) != 0)
		fail_msg("expected OpenSSL to verify the signed Firefox feed");
	/* a feed imported again gets the next serial: replays are told apart */
	argv[5] = "tests/fixtures/feeds/chrome/mac-stable-2026-09-18.json";
	argv[6] = NULL;
	out = NULL;
	rc = tu_run(argv, &out, NULL);
	if (rc != 0 || strstr(out, "as feed serial 3") == NULL)
		fail_msg("expected serial 3 on a second import, came exit %d '%s'", rc, out);
	free(out);
	/* a name agents could not use is refused */
	{
		char bad[600];

		snprintf(bad, sizeof(bad), "%s/Bad Name.json", dir);
		tu_write(dir, "Bad Name.json", "{}");
		argv[5] = bad;
		err = NULL;
		rc = tu_run(argv, NULL, &err);
		if (rc != 2 || strstr(err, "lower-case letters") == NULL)
			fail_msg("expected a bad file name refused (exit 2), came %d '%s'", rc,
			         err);
		free(err);
	}
}

/* openssl s_server -WWW on 127.0.0.1:PORT, serving the working directory
 * (the repository) with a self-signed certificate for localhost, which it
 * leaves in DIR/https.pem; its pid once it accepts connections. */
static pid_t https_server(int port)
{
	char cert[600], key[600], accept_port[16];
	pid_t pid;

	snprintf(cert, sizeof(cert), "%s/https.pem", dir);
	snprintf(key, sizeof(key), "%s/https.key", dir);
	snprintf(accept_port, sizeof(accept_port), "%d", port);
	{
		char *argv[] = { "openssl",
			         "req",
			         "-x509",
			         "-newkey",
			         "ec",
			         "-pkeyopt",
			         "ec_paramgen_curve:P-256",
			         "-nodes",
			         "-keyout",
			         key,
			         "-out",
			         cert,
			         "-subj",
			         "/CN=localhost",
			         "-addext",
			         "subjectAltName=DNS:localhost",
			         "-days",
			         "2",
			         NULL };

		assert_int_equal(tu_run(argv, NULL, NULL), 0);
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execlp("openssl", "openssl", "s_server", "-accept", accept_port, "-cert", cert,
		       "-key", key, "-WWW", "-quiet", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && !tu_can_connect(port); i++)
		usleep(10000);
	assert_true(tu_can_connect(port));
	return pid;
}

/*
 * feed fetch: each source of collector.ini downloaded over HTTPS, checked with
 * the agent's parser and signed; a server answering something that is no
 * feed costs only that source (exit 1). A URL that is not https:// is
 * refused when collector.ini is read. Then serve fetches on its own schedule
 * what is older than [fetch] every.
 */
static void fetch_over_https(void **state)
{
	int port = 24000 + (int)(getpid() % 2000) * 2;
	char text[2400], *out = NULL, *err = NULL, serve_log[600];
	char *fetch[] = {
		(char *)tu_bin("posture-collector"), "feed", "fetch", "--dir", dir, NULL
	};
	pid_t server, serve;
	int rc;

	(void)state;
	server = https_server(port);
	snprintf(text, sizeof(text),
	         "[fetch]\nevery = 1d\nca = %s/https.pem\n[sources]\n"
	         "chrome-mac.json = https://localhost:%d/tests/fixtures/feeds/chrome/"
	         "mac-stable-2026-09-18.json\n"
	         "firefox_versions.json = https://localhost:%d/tests/fixtures/feeds/mozilla/"
	         "firefox_versions.json\n"
	         "gone.json = https://localhost:%d/tests/fixtures/feeds/no-such-file.json\n",
	         dir, port, port, port);
	tu_write(dir, "collector.ini", text);
	rc = tu_run(fetch, &out, &err);
	if (rc != 1 || strstr(out, "fetched chrome-mac.json as feed serial 1") == NULL ||
	    strstr(out, "fetched firefox_versions.json as feed serial 2") == NULL ||
	    !tu_matches("feed fetch: gone.json: gone.json is not a release feed: .*nothing was "
	                "stored",
	                err))
		fail_msg("expected two feeds fetched (serials 1, 2) and gone.json refused, exit 1; "
		         "came exit %d, out '%s', err '%s'",
		         rc, out, err);
	free(out);
	free(err);
	if (openssl_verifies("chrome-mac.json", 0) != 0)
		fail_msg("expected OpenSSL to verify the fetched Chrome feed");
	/* the bytes signed are the server's, unchanged */
	{
		char *env_text = envelope_of("firefox_versions.json"), *want;
		json_t *env = json_loads(env_text, 0, NULL);
		const char *b64 = json_string_value(json_object_get(env, "body"));
		unsigned char *body = malloc(strlen(b64) + 4);
		int n = EVP_DecodeBlock(body, (const unsigned char *)b64, (int)strlen(b64));

		want = tu_slurp("tests/fixtures/feeds/mozilla/firefox_versions.json");
		n -= (b64[strlen(b64) - 1] == '=') + (b64[strlen(b64) - 2] == '=');
		if (n != (int)strlen(want) || memcmp(body, want, (size_t)n) != 0)
			fail_msg("expected the fetched body to be the file served, byte for byte");
		free(body);
		free(want);
		json_decref(env);
		free(env_text);
	}
	/* plain HTTP is never a source */
	tu_write(dir, "collector.ini", "[sources]\nedge.json = http://localhost/edge.json\n");
	err = NULL;
	rc = tu_run(fetch, NULL, &err);
	if (rc != 2 || strstr(err, "must start with https://") == NULL)
		fail_msg("expected an http:// source refused (exit 2), came %d '%s'", rc, err);
	free(err);
	/* serve fetches by itself what is older than [fetch] every: the two
	 * feeds were fetched a moment ago, so only the new source is due */
	snprintf(text, sizeof(text),
	         "[fetch]\nevery = 1d\nca = %s/https.pem\n[sources]\n"
	         "chrome-mac.json = https://localhost:%d/tests/fixtures/feeds/chrome/"
	         "mac-stable-2026-09-18.json\n"
	         "firefox_history_major_releases.json = https://localhost:%d/tests/fixtures/"
	         "feeds/mozilla/firefox_history_major_releases.json\n",
	         dir, port, port);
	tu_write(dir, "collector.ini", text);
	snprintf(serve_log, sizeof(serve_log), "%s/serve.log", dir);
	serve = fork();
	assert_true(serve >= 0);
	if (serve == 0) {
		char listen_addr[32];
		int fd = open(serve_log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		snprintf(listen_addr, sizeof(listen_addr), "127.0.0.1:%d", port + 1);
		dup2(fd, 2);
		execl(tu_bin("posture-collector"), tu_bin("posture-collector"), "serve", "--dir",
		      dir, "--listen", listen_addr, (char *)NULL);
		_exit(127);
	}
	if (!tu_wait_in_file(serve_log,
	                     "feed fetch: firefox_history_major_releases.json stored as serial 3",
	                     0, 3000)) {
		char *log = tu_slurp(serve_log);

		kill(serve, SIGTERM);
		waitpid(serve, NULL, 0);
		fail_msg("expected serve to fetch the due feed as serial 3; its log: %s", log);
	}
	kill(serve, SIGTERM);
	waitpid(serve, NULL, 0);
	kill(server, SIGTERM);
	waitpid(server, NULL, 0);
	if (tu_count_in_file(serve_log, "feed fetch: chrome-mac.json") != 0)
		fail_msg("expected serve not to fetch chrome-mac.json again (fetched a moment "
		         "ago)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(import_sign_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(fetch_over_https, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
