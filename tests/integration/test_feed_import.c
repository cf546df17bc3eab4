/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `posture-collector feed import`: real feeds (tests/fixtures/feeds) kept
 * as signed envelopes whose signature OpenSSL's own command line verifies
 * against the collector's policy key (an oracle this project did not
 * write), serials that only grow, a tampered body that no longer
 * verifies, and a file that is no feed refused without costing the others.
 */
#include <jansson.h>
#include <openssl/evp.h>

#include "testutil.h"

static char *dir;

static const char *bin(const char *name)
{
	static char path[2][4200];
	static int n;
	const char *b = getenv("BUILD");
	char *p = path[n++ % 2];

	snprintf(p, 4200, "%s/%s", b && *b ? b : "build", name);
	return p;
}

static int setup(void **state)
{
	char *argv[] = { (char *)bin("posture-collector"), "init", "--dir", NULL, NULL };

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

/* Writes the signed message of the envelope NAME (with its body changed by
 * TAMPER when set) and its signature as files; 0 when OpenSSL verifies. */
static int openssl_verifies(const char *name, int tamper)
{
	char path[600], msg_path[600], sig_path[600], pub_path[600], key_path[600], *text;
	unsigned char *body, sig[128];
	json_t *env;
	FILE *f;
	int body_len, sig_len, rc;

	snprintf(path, sizeof(path), "%s/feeds/%s", dir, name);
	text = tu_slurp(path);
	env = text ? json_loads(text, 0, NULL) : NULL;
	if (env == NULL)
		fail_msg("expected an envelope at %s", path);
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
	char *argv[] = { (char *)bin("posture-collector"),
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(import_sign_verify, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
