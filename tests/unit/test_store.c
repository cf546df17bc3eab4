/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The collector's report intake and store without HTTP: a real report from
 * `posture check --format json` is checked and stored once, however many
 * times it arrives; the device is the identity given (its certificate), not
 * the body's; the latest state per check only moves forward; SQL
 * metacharacters are data; and each kind of bad report is refused with a
 * sentence that says what is wrong.
 */
#include "testutil.h"

#include <sqlite3.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "enroll.h"
#include "pki.h"
#include "reportin.h"
#include "store.h"

static char *dir;
static struct store *st;
static char db_path[4200];

static int setup(void **state)
{
	char err[512];

	(void)state;
	dir = tu_mkdtemp();
	snprintf(db_path, sizeof(db_path), "%s/collector.db", dir);
	assert_int_equal(store_open(db_path, 1, &st, err, sizeof(err)), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(st);
	tu_rm_rf(dir);
	free(dir);
	return 0;
}

static long long count(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	long long n = -1;

	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

/* A report the agent itself produced for this machine. */
static char *agent_report(void)
{
	char *argv[] = { (char *)tu_posture(),    "check", "--format", "json", "--policy",
		         "policies/baseline.ini", NULL };
	char *out = NULL;

	tu_run(argv, &out, NULL);
	assert_true(strlen(out) > 100);
	return out;
}

/* A secret as the store keeps it: its SHA-256 in hex. */
static void secret_hash(const char *secret, char out[65])
{
	unsigned char md[32];

	EVP_Digest(secret, strlen(secret), md, NULL, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static int add(const char *device, const char *body, int *duplicate, char *err, size_t len)
{
	struct report_in r;
	int rc;

	/* as the server hands it over: exactly the body's bytes, no NUL after
	 * them (under ASan a read past the end is caught here) */
	size_t n = strlen(body);
	char *exact = malloc(n);

	memcpy(exact, body, n);
	if (reportin_parse(exact, n, &r, err, len) != 0) {
		free(exact);
		return -2;
	}
	rc = store_add_report(st, device, &r, exact, n, duplicate, err, len);
	reportin_free(&r);
	free(exact);
	return rc;
}

static void stored_once(void **state)
{
	char err[512], *body = agent_report();
	int dup = -1;
	long long results;

	(void)state;
	assert_int_equal(add("cert-device-1", body, &dup, err, sizeof(err)), 0);
	assert_int_equal(dup, 0);
	results = count("SELECT count(*) FROM results");
	assert_true(results >= 10);
	assert_int_equal(add("cert-device-1", body, &dup, err, sizeof(err)), 0);
	assert_int_equal(dup, 1);
	assert_int_equal(count("SELECT count(*) FROM reports"), 1);
	assert_int_equal(count("SELECT count(*) FROM results"), results);
	assert_int_equal(count("SELECT count(*) FROM latest"), results);
	/* the device is the certificate's, whatever the body says */
	assert_int_equal(count("SELECT count(*) FROM devices WHERE id = 'cert-device-1'"), 1);
	assert_int_equal(count("SELECT count(*) FROM devices"), 1);
	free(body);
}

/* The same check in an older report does not overwrite a newer state. */
static void latest_moves_forward(void **state)
{
	char err[512];
	int dup;
	static const char newer[] =
	    "{\"schema\":\"posture.report/"
	    "1\",\"report_id\":\"11111111-1111-4111-8111-111111111111\","
	    "\"generated_at\":\"2026-11-25T12:00:00Z\",\"device\":{\"hostname\":\"h\"},"
	    "\"policy\":{\"name\":\"p\"},\"compliant\":true,"
	    "\"summary\":{\"pass\":1,\"fail\":0,\"error\":0,\"skip\":0},"
	    "\"results\":[{\"id\":\"c1\",\"type\":\"os_version\",\"status\":\"pass\"}]}";
	static const char older[] =
	    "{\"schema\":\"posture.report/"
	    "1\",\"report_id\":\"22222222-2222-4222-8222-222222222222\","
	    "\"generated_at\":\"2026-11-24T12:00:00Z\",\"device\":{\"hostname\":\"h\"},"
	    "\"policy\":{\"name\":\"p\"},\"compliant\":false,"
	    "\"summary\":{\"pass\":0,\"fail\":1,\"error\":0,\"skip\":0},"
	    "\"results\":[{\"id\":\"c1\",\"type\":\"os_version\",\"status\":\"fail\"}]}";

	(void)state;
	assert_int_equal(add("dev-2", newer, &dup, err, sizeof(err)), 0);
	assert_int_equal(add("dev-2", older, &dup, err, sizeof(err)), 0);
	assert_int_equal(count("SELECT count(*) FROM latest WHERE device_id = 'dev-2' AND "
	                       "check_id = 'c1' AND status = 'pass'"),
	                 1);
	assert_int_equal(count("SELECT count(*) FROM results r JOIN reports p USING (report_id) "
	                       "WHERE p.device_id = 'dev-2'"),
	                 2);
}

static void sql_metacharacters_are_data(void **state)
{
	char err[512];
	int dup;
	static const char body[] =
	    "{\"schema\":\"posture.report/"
	    "1\",\"report_id\":\"33333333-3333-4333-8333-333333333333\","
	    "\"generated_at\":\"2026-11-25T12:00:00Z\",\"device\":{\"hostname\":\"x'); DROP TABLE "
	    "devices; --\"},\"policy\":{\"name\":\"p\\\" OR 1=1\"},\"compliant\":false,"
	    "\"summary\":{\"pass\":0,\"fail\":1,\"error\":0,\"skip\":0},"
	    "\"results\":[{\"id\":\"c'; DELETE FROM reports; "
	    "--\",\"type\":\"t\",\"status\":\"fail\","
	    "\"remediation\":\"<script>alert(1)</script>\"}]}";

	(void)state;
	assert_int_equal(add("dev-'3", body, &dup, err, sizeof(err)), 0);
	assert_int_equal(count("SELECT count(*) FROM devices WHERE id = 'dev-''3' AND hostname = "
	                       "'x''); DROP TABLE devices; --'"),
	                 1);
	assert_int_equal(count("SELECT count(*) FROM latest WHERE check_id = "
	                       "'c''; DELETE FROM reports; --'"),
	                 1);
	assert_true(count("SELECT count(*) FROM reports") >= 3);
}

static void bad_reports_say_why(void **state)
{
	static const struct {
		const char *body, *why;
	} cases[] = {
		{ "{\"schema\":", "^the body is not JSON: .*\\(line 1, column" },
		{ "[1]", "^the report is not a JSON object$" },
		{ "{\"schema\":\"posture.report/2\"}", "^schema must be \"posture.report/1\"$" },
		{ "{\"schema\":\"posture.report/1\",\"report_id\":\"nope\"}",
		  "^report_id must be a UUID$" },
		{ "{\"schema\":\"posture.report/"
		  "1\",\"report_id\":\"44444444-4444-4444-8444-4444444444"
		  "44\",\"generated_at\":\"yesterday\"}",
		  "^generated_at must be an RFC 3339 time$" },
		{ "{\"schema\":\"posture.report/"
		  "1\",\"report_id\":\"44444444-4444-4444-8444-4444444444"
		  "44\",\"generated_at\":\"2026-11-25T12:00:00Z\",\"device\":{},\"policy\":{"
		  "\"name\":"
		  "\"p\"},\"compliant\":true,\"summary\":{\"pass\":2,\"fail\":0,\"error\":0,"
		  "\"skip\":0},"
		  "\"results\":[{\"id\":\"a\",\"type\":\"t\",\"status\":\"pass\"}]}",
		  "^summary.pass must be 1, the number of results with that status$" },
		{ "{\"schema\":\"posture.report/"
		  "1\",\"report_id\":\"44444444-4444-4444-8444-4444444444"
		  "44\",\"generated_at\":\"2026-11-25T12:00:00Z\",\"device\":{},\"policy\":{"
		  "\"name\":"
		  "\"p\"},\"compliant\":true,\"summary\":{\"pass\":2,\"fail\":0,\"error\":0,"
		  "\"skip\":0},"
		  "\"results\":[{\"id\":\"a\",\"type\":\"t\",\"status\":\"pass\"},{\"id\":\"a\","
		  "\"type\":\"t\",\"status\":\"pass\"}]}",
		  "^results\\[1\\]: check id 'a' appears twice$" },
		{ "{\"schema\":\"posture.report/"
		  "1\",\"report_id\":\"44444444-4444-4444-8444-4444444444"
		  "44\",\"generated_at\":\"2026-11-25T12:00:00Z\",\"device\":{},\"policy\":{"
		  "\"name\":"
		  "\"p\"},\"compliant\":true,\"summary\":{\"pass\":0,\"fail\":1,\"error\":0,"
		  "\"skip\":0},"
		  "\"results\":[{\"id\":\"a\",\"type\":\"t\",\"status\":\"fail\"}]}",
		  "^compliant is true but 1 check\\(s\\) failed, and results\\[0\\] \\(a\\) is no "
		  "failure within a grace period" },
		/* within grace only while not overdue */
		{ "{\"schema\":\"posture.report/"
		  "1\",\"report_id\":\"44444444-4444-4444-8444-4444444444"
		  "44\",\"generated_at\":\"2026-11-25T12:00:00Z\",\"device\":{},\"policy\":{"
		  "\"name\":"
		  "\"p\"},\"compliant\":true,\"summary\":{\"pass\":0,\"fail\":1,\"error\":0,"
		  "\"skip\":0},"
		  "\"results\":[{\"id\":\"a\",\"type\":\"t\",\"status\":\"fail\",\"due_at\":"
		  "\"2026-11-20T12:00:00Z\",\"overdue\":true}]}",
		  "^compliant is true but 1 check\\(s\\) failed, and results\\[0\\] \\(a\\)" },
		{ "{\"schema\":\"posture.report/"
		  "1\",\"report_id\":\"44444444-4444-4444-8444-4444444444"
		  "44\",\"generated_at\":\"2026-11-25T12:00:00Z\",\"device\":{},\"policy\":{"
		  "\"name\":"
		  "\"p\"},\"compliant\":false,\"summary\":{\"pass\":0,\"fail\":0,\"error\":0,"
		  "\"skip\":0},"
		  "\"results\":[{\"id\":\"a\",\"type\":\"t\",\"status\":\"broken\"}]}",
		  "^results\\[0\\] needs an id" },
		/* where yajl is laxer than JSON */
		{ "{\"schema\":\f\"posture.report/1\"}",
		  "^the body is not JSON: a form feed between its values \\(line 1, column "
		  "11\\)$" },
		{ "{\"schema\":\"posture.report/1\",\n\v\"x\":1}",
		  "^the body is not JSON: a vertical tab between its values \\(line 2, column "
		  "1\\)$" },
		{ "{\"schema\":\"\xed\xa0\x80\"}", /* a surrogate, encoded */
		  "^the body is not JSON: bytes that are not UTF-8 \\(line 1, column 12\\)$" },
		{ "{\"schema\":\"\xc0\x80\"}", /* an overlong NUL */
		  "^the body is not JSON: bytes that are not UTF-8 \\(line 1, column 12\\)$" },
		{ "{\"schema\":\"\xf4\x90\x80\x80\"}", /* past U+10FFFF */
		  "^the body is not JSON: bytes that are not UTF-8 \\(line 1, column 12\\)$" },
		{ "{\"a\":\"\\ud800\"}", "^the body is not JSON: half a surrogate pair escaped "
		                         "alone \\(line 1, column 7\\)$" },
		{ "{\"a\":\"x\\udc00\"}", "^the body is not JSON: half a surrogate pair escaped "
		                          "alone \\(line 1, column 8\\)$" },
		{ "{\"a\":\"\\ud83d\\u0041\"}",
		  "^the body is not JSON: half a surrogate pair "
		  "escaped alone \\(line 1, column 7\\)$" }, /* a string left open after the value:
		                                              * yajl took it for the end of its
		                                              * input */
		{ "{}\n\"", "^the body is not JSON: more after the report's value \\(line 2, "
		            "column 1\\)$" },
		/* deeper than simdjson goes (1024): yajl takes it, simdjson's
		 * reason is given */
		{ NULL, "^the body is not JSON: The JSON document was too deep" },
		/* JSON leaves the size of integers to the reader: jansson,
		 * which reads observed values back, holds 64 signed bits */
		{ "{\"schema\":\"posture.report/1\",\"x\":9223372036854775808}",
		  "^the body is not JSON: .*integer overflow \\(line 1, column 34\\)$" },
		{ "{\"schema\":\"posture.report/1\",\"x\":[{\"y\":-9223372036854775809}]}",
		  "^the body is not JSON: .*integer overflow" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct report_in r;
		char err[512];

		char deep[2 * 1100 + 1];
		const char *body = cases[i].body;

		if (body == NULL) {
			memset(deep, '[', 1100);
			memset(deep + 1100, ']', 1100);
			deep[2 * 1100] = '\0';
			body = deep;
		}
		err[0] = '\0';
		assert_int_equal(reportin_parse(body, strlen(body), &r, err, sizeof(err)), -1);
		if (!tu_matches(cases[i].why, err))
			fprintf(stderr, "case %zu: %s\n", i, err);
		assert_true(tu_matches(cases[i].why, err));
	}
}

/* A compliant report may hold failures within their grace period (the
 * agent's grace_days): each with a due_at and overdue false. */
static void failures_within_grace_are_compliant(void **state)
{
	static const char body[] =
	    "{\"schema\":\"posture.report/1\",\"report_id\":\"44444444-4444-4444-8444-"
	    "444444444444\",\"generated_at\":\"2026-11-25T12:00:00Z\",\"device\":{},"
	    "\"policy\":{\"name\":\"p\"},\"compliant\":true,\"summary\":{\"pass\":1,"
	    "\"fail\":1,\"error\":0,\"skip\":0,\"due\":1},\"results\":[{\"id\":\"a\","
	    "\"type\":\"t\",\"status\":\"pass\"},{\"id\":\"b\",\"type\":\"t\",\"status\":"
	    "\"fail\",\"first_failed_at\":\"2026-11-20T12:00:00Z\",\"due_at\":\"2026-12-04T"
	    "12:00:00Z\",\"overdue\":false}]}";
	struct report_in r;
	char err[512] = "";

	(void)state;
	if (reportin_parse(body, strlen(body), &r, err, sizeof(err)) != 0)
		fail_msg(
		    "expected a failure within grace accepted in a compliant report, came '%s'",
		    err);
	assert_true(r.compliant);
	assert_int_equal(r.n_results, 2);
	assert_string_equal(r.results[1].due_at, "2026-12-04T12:00:00Z");
	assert_string_equal(r.results[1].status, "due"); /* kept apart from failures that count */
	assert_int_equal(r.results[1].overdue, 0);
	assert_int_equal(r.results[0].overdue, -1);
	reportin_free(&r);
}

/* A report larger than the writer's parsers keep (reportscan.cc lets them
 * go after 256 KiB), read whole, then a small one: read alike after it. */
static void a_large_report_then_a_small_one(void **state)
{
	char *body = agent_report(), *at, *large, err[512];
	size_t pad = 400 * 1024, n = strlen(body) + pad + 64;
	struct report_in r;
	int rc;

	(void)state;
	/* the first observed value gets a long string */
	at = strstr(body, "\"observed\":");
	assert_non_null(at);
	at = strchr(at, '{');
	assert_non_null(at);
	at++;
	large = malloc(n);
	assert_non_null(large);
	memcpy(large, body, (size_t)(at - body));
	memcpy(large + (at - body), "\"pad\":\"", 7);
	memset(large + (at - body) + 7, 'x', pad);
	snprintf(large + (at - body) + 7 + pad, n - (size_t)(at - body) - 7 - pad, "\",%s", at);
	rc = reportin_parse(large, strlen(large), &r, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "refused: %s\n", err);
	assert_int_equal(rc, 0);
	assert_true(r.results[0].observed_len > pad);
	assert_memory_equal(r.results[0].observed, "{\"pad\":\"xxx", 11);
	reportin_free(&r);
	rc = reportin_parse(body, strlen(body), &r, err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_non_null(r.results[0].observed);
	assert_true(r.results[0].observed >= body && r.results[0].observed < body + strlen(body));
	reportin_free(&r);
	free(large);
	free(body);
}

/* What JSON allows and yajl's laxness checks must not refuse: a pair of
 * surrogates escaped, an escaped backslash before a u, an escaped NUL in
 * an observed value, characters of four bytes. */
static void strict_json_still_accepts_json(void **state)
{
	char *body = agent_report(), *at, *mixed, err[512];
	const char *odd = "{\"s\":\"\\ud83d\\ude00 \\\\ud800 \\u0000 \xf0\x9f\x98\x80 \xc3\xa9\"}";
	struct report_in r;
	size_t n;
	int rc;

	(void)state;
	/* the first observed value becomes ODD */
	at = strstr(body, "\"observed\":");
	assert_non_null(at);
	at = strchr(at, '{');
	n = strlen(body) + strlen(odd) + 1;
	mixed = malloc(n);
	snprintf(mixed, n, "%.*s%s%s", (int)(at - body), body, odd, at);
	/* ODD went in before the old value: put it back to one value */
	{
		char *old = mixed + (at - body) + strlen(odd);
		int depth = 0;
		char *end = old;

		assert_true(*old == '{');
		for (;; end++) {
			if (*end == '{')
				depth++;
			else if (*end == '}' && --depth == 0)
				break;
		}
		memmove(old, end + 1, strlen(end + 1) + 1);
	}
	err[0] = '\0';
	rc = reportin_parse(mixed, strlen(mixed), &r, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "refused: %s\n", err);
	assert_int_equal(rc, 0);
	reportin_free(&r);
	free(mixed);
	free(body);
}

/* A CSR for KEY with CN, as PEM (malloc'd); SIGNER signs it (KEY when NULL). */
static char *make_csr(EVP_PKEY *key, EVP_PKEY *signer, const char *cn)
{
	X509_REQ *req = X509_REQ_new();
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *pem;
	long len;

	X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(req), "CN", MBSTRING_UTF8,
	                           (const unsigned char *)cn, -1, -1, 0);
	X509_REQ_set_pubkey(req, key);
	X509_REQ_sign(req, signer ? signer : key, EVP_sha256());
	PEM_write_bio_X509_REQ(b, req);
	len = BIO_get_mem_data(b, &data);
	pem = strndup(data, (size_t)len);
	BIO_free(b);
	X509_REQ_free(req);
	return pem;
}

static char *request(const char *secret, const char *csr, const char *device_id)
{
	json_t *doc = json_pack("{s:s, s:s, s:s}", "csr", csr, "hostname", "laptop-7", "device_id",
	                        device_id);
	char *text;

	if (secret != NULL)
		json_object_set_new(doc, "secret", json_string(secret));
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return text;
}

/*
 * POST /v1/enroll's logic: the secret by its hash, proof of possession, a
 * P-256 key only, the CN = device id; renewal by the current certificate;
 * a revoked device refused.
 */
/* Stored bodies decode back, and damaged ones are refused with a reason
 * rather than read past or returned short. */
static void bodies_decode(void **state)
{
	const char *text =
	    "{\"schema\":\"posture.report/1\",\"pad\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}";
	void *ctx = NULL, *packed = NULL;
	size_t packed_len = 0, len = 0;
	char *out = NULL, err[256];

	(void)state;
	assert_int_equal(
	    store_pack(&ctx, NULL, 0, text, strlen(text), &packed, &packed_len, err, sizeof(err)),
	    0);
	assert_int_equal(store_body_decode(packed, packed_len, "zstd", NULL, 0, NULL, &out, &len,
	                                   err, sizeof(err)),
	                 0);
	assert_int_equal(len, strlen(text));
	assert_string_equal(out, text);
	free(out);
	/* older rows: the text itself */
	assert_int_equal(store_body_decode(text, strlen(text), "identity", NULL, 0, NULL, &out,
	                                   &len, err, sizeof(err)),
	                 0);
	assert_string_equal(out, text);
	free(out);
	/* cut short, flipped, or in an encoding nobody wrote */
	assert_int_equal(store_body_decode(packed, packed_len - 3, "zstd", NULL, 0, NULL, &out,
	                                   &len, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "damaged"));
	((unsigned char *)packed)[packed_len / 2] ^= 0x5a;
	assert_int_equal(store_body_decode(packed, packed_len, "zstd", NULL, 0, NULL, &out, &len,
	                                   err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "damaged"));
	assert_int_equal(
	    store_body_decode("xx", 2, "brotli", NULL, 0, NULL, &out, &len, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown encoding (brotli)"));
	free(packed);
	store_pack_free(ctx);
}

/* A body compressed against its device's base decodes with that base and
 * no other: without it, against another text, or against a base that has
 * a base itself, it is refused. */
static void bodies_decode_against_base(void **state)
{
	const char *first = "{\"schema\":\"posture.report/1\",\"report_id\":\"one\",\"results\":"
	                    "[{\"id\":\"disk\",\"status\":\"pass\"},{\"id\":\"fw\",\"status\":"
	                    "\"fail\"}],\"pad\":\"lorem ipsum dolor sit amet consectetur\"}";
	const char *next = "{\"schema\":\"posture.report/1\",\"report_id\":\"two\",\"results\":"
	                   "[{\"id\":\"disk\",\"status\":\"pass\"},{\"id\":\"fw\",\"status\":"
	                   "\"pass\"}],\"pad\":\"lorem ipsum dolor sit amet consectetur\"}";
	const char *other = "{\"something\":\"else entirely, of another length than the base\"}";
	void *ctx = NULL, *base = NULL, *delta = NULL, *wrong = NULL;
	size_t base_len = 0, delta_len = 0, wrong_len = 0, len = 0;
	char *out = NULL, err[256];

	(void)state;
	assert_int_equal(
	    store_pack(&ctx, NULL, 0, first, strlen(first), &base, &base_len, err, sizeof(err)), 0);
	assert_int_equal(store_pack(&ctx, first, strlen(first), next, strlen(next), &delta,
	                            &delta_len, err, sizeof(err)),
	                 0);
	/* the base's text is the window: far fewer bytes than whole */
	assert_true(delta_len * 2 < base_len);
	assert_int_equal(store_body_decode(delta, delta_len, "zstd-base", base, base_len, "zstd",
	                                   &out, &len, err, sizeof(err)),
	                 0);
	assert_int_equal(len, strlen(next));
	assert_string_equal(out, next);
	free(out);
	/* the base stored as text (older rows) serves as well */
	assert_int_equal(store_body_decode(delta, delta_len, "zstd-base", first, strlen(first),
	                                   "identity", &out, &len, err, sizeof(err)),
	                 0);
	assert_string_equal(out, next);
	free(out);
	/* without its base, or against one that has a base, or another text */
	assert_int_equal(store_body_decode(delta, delta_len, "zstd-base", NULL, 0, NULL, &out, &len,
	                                   err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "its base is missing"));
	assert_int_equal(store_body_decode(delta, delta_len, "zstd-base", delta, delta_len,
	                                   "zstd-base", &out, &len, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "its base has a base"));
	assert_int_equal(
	    store_pack(&ctx, NULL, 0, other, strlen(other), &wrong, &wrong_len, err, sizeof(err)),
	    0);
	assert_int_equal(store_body_decode(delta, delta_len, "zstd-base", wrong, wrong_len, "zstd",
	                                   &out, &len, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "damaged"));
	/* the context forgets the base after one frame */
	free(wrong);
	assert_int_equal(
	    store_pack(&ctx, NULL, 0, next, strlen(next), &wrong, &wrong_len, err, sizeof(err)), 0);
	assert_int_equal(store_body_decode(wrong, wrong_len, "zstd", NULL, 0, NULL, &out, &len, err,
	                                   sizeof(err)),
	                 0);
	assert_string_equal(out, next);
	free(out);
	free(wrong);
	free(base);
	free(delta);
	store_pack_free(ctx);
}

static void enrollment(void **state)
{
	static const char id[] = "0f8fad5b-d9cb-469f-a165-70867728950e";
	char err[256], what[768], *ca_pem, *answer = NULL, *body, *csr, ca_path[4300];
	EVP_PKEY *ca_key = pki_new_ec_key(), *key = pki_new_ec_key(), *other = pki_new_ec_key();
	EVP_PKEY *rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	X509 *ca = pki_make_ca(ca_key, "test CA", 30, err, sizeof(err)), *issued;
	struct enroll_ctx c = { .store = st,
		                .ca = ca,
		                .ca_key = ca_key,
		                .policy_pub_pem = "-----BEGIN PUBLIC KEY-----\n",
		                .cert_days = 90 };
	char hex[65];
	int status = 0;

	(void)state;
	snprintf(ca_path, sizeof(ca_path), "%s/ca.pem", dir);
	assert_int_equal(pki_write_cert(ca_path, ca, err, sizeof(err)), 0);
	ca_pem = tu_slurp(ca_path);
	c.ca_pem = ca_pem;
	secret_hash("s3cret", hex);
	assert_true(store_add_enroll_secret(st, hex, NULL, err, sizeof(err)) > 0);
	/* an expired secret and a revoked one are refused, in constant time
	 * like the rest */
	{
		char hex2[65], hex3[65];
		long long id3;

		secret_hash("expired", hex2);
		assert_true(store_add_enroll_secret(st, hex2, "2020-01-01T00:00:00Z", err,
		                                    sizeof(err)) > 0);
		assert_int_equal(store_check_enroll_secret(st, hex2), 0);
		secret_hash("revoked", hex3);
		id3 = store_add_enroll_secret(st, hex3, "2999-01-01T00:00:00Z", err, sizeof(err));
		assert_true(id3 > 0);
		assert_int_equal(store_check_enroll_secret(st, hex3), 1);
		assert_int_equal(store_revoke_enroll_secret(st, id3, err, sizeof(err)), 1);
		assert_int_equal(store_check_enroll_secret(st, hex3), 0);
		assert_int_equal(store_revoke_enroll_secret(st, 99999, err, sizeof(err)), 0);
		assert_int_equal(store_check_enroll_secret(st, hex), 1);
		{
			json_t *list = NULL;

			assert_int_equal(store_enroll_secrets(st, &list, err, sizeof(err)), 0);
			assert_int_equal(json_array_size(list), 3);
			assert_string_equal(
			    json_string_value(json_object_get(json_array_get(list, 0), "state")),
			    "active");
			assert_string_equal(
			    json_string_value(json_object_get(json_array_get(list, 1), "state")),
			    "expired");
			assert_string_equal(
			    json_string_value(json_object_get(json_array_get(list, 2), "state")),
			    "revoked");
			json_decref(list);
		}
	}

	/* the right secret: a certificate for this key, CN the device id */
	csr = make_csr(key, NULL, "whatever");
	body = request("s3cret", csr, id);
	enroll_handle(&c, body, strlen(body), NULL, &status, &answer, what, sizeof(what));
	assert_int_equal(status, 200);
	{
		json_t *a = json_loads(answer, 0, NULL);
		BIO *b = BIO_new_mem_buf(json_string_value(json_object_get(a, "certificate")), -1);
		char cn[64];

		issued = PEM_read_bio_X509(b, NULL, NULL, NULL);
		BIO_free(b);
		assert_non_null(issued);
		assert_int_equal(X509_check_private_key(issued, key), 1);
		assert_int_equal(X509_verify(issued, ca_key), 1);
		X509_NAME_get_text_by_NID(X509_get_subject_name(issued), NID_commonName, cn,
		                          sizeof(cn));
		assert_string_equal(cn, id);
		assert_string_equal(json_string_value(json_object_get(a, "ca")), ca_pem);
		json_decref(a);
	}
	assert_int_equal(count("SELECT count(*) FROM devices WHERE id = "
	                       "'0f8fad5b-d9cb-469f-a165-70867728950e' AND hostname = 'laptop-7' "
	                       "AND length(cert_serial) > 10"),
	                 1);
	free(answer);
	free(body);

	/* the secret again for the enrolled id: no takeover (409), and the
	 * device keeps its certificate's serial */
	{
		char *again = request("s3cret", csr, id);

		enroll_handle(&c, again, strlen(again), NULL, &status, &answer, what, sizeof(what));
		assert_int_equal(status, 409);
		assert_non_null(strstr(answer, "is already enrolled"));
		assert_non_null(strstr(what, "refused (HTTP 409)"));
		free(answer);
		free(again);
	}

	/* a wrong secret */
	body = request("guess", csr, id);
	enroll_handle(&c, body, strlen(body), NULL, &status, &answer, what, sizeof(what));
	assert_int_equal(status, 401);
	assert_string_equal(answer, "{\"error\":\"invalid enrollment secret\"}");
	free(answer);
	free(body);
	/* neither secret nor certificate */
	body = request(NULL, csr, id);
	enroll_handle(&c, body, strlen(body), NULL, &status, &answer, what, sizeof(what));
	assert_int_equal(status, 401);
	free(answer);
	free(body);
	free(csr);

	/* a request not signed by the key it carries; an RSA key */
	csr = make_csr(key, other, "x");
	body = request("s3cret", csr, "22222222-3333-4444-8555-666666666666");
	enroll_handle(&c, body, strlen(body), NULL, &status, &answer, what, sizeof(what));
	assert_int_equal(status, 400);
	assert_non_null(strstr(answer, "not a certificate request signed by its own key"));
	free(answer);
	free(body);
	free(csr);
	csr = make_csr(rsa, NULL, "x");
	body = request("s3cret", csr, "22222222-3333-4444-8555-666666666666");
	enroll_handle(&c, body, strlen(body), NULL, &status, &answer, what, sizeof(what));
	assert_int_equal(status, 400);
	assert_non_null(strstr(answer, "must be ECDSA P-256"));
	free(answer);
	free(body);
	free(csr);

	/* renewal: no secret, the current certificate; the CN stays the
	 * certificate's whatever the body claims */
	csr = make_csr(other, NULL, "x");
	body = request(NULL, csr, "11111111-2222-4333-8444-555555555555");
	enroll_handle(&c, body, strlen(body), issued, &status, &answer, what, sizeof(what));
	assert_int_equal(status, 200);
	assert_non_null(strstr(answer, "certificate"));
	assert_int_equal(count("SELECT count(*) FROM devices WHERE id = "
	                       "'11111111-2222-4333-8444-555555555555'"),
	                 0);
	free(answer);
	/* a revoked device cannot renew */
	{
		sqlite3 *db;

		assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db,
		                              "UPDATE devices SET revoked = 1 WHERE id = "
		                              "'0f8fad5b-d9cb-469f-a165-70867728950e'",
		                              NULL, NULL, NULL),
		                 SQLITE_OK);
		sqlite3_close(db);
	}
	enroll_handle(&c, body, strlen(body), issued, &status, &answer, what, sizeof(what));
	assert_int_equal(status, 403);
	free(answer);
	free(body);
	free(csr);
	X509_free(issued);
	X509_free(ca);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
	EVP_PKEY_free(rsa);
	free(ca_pem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stored_once),
		cmocka_unit_test(latest_moves_forward),
		cmocka_unit_test(sql_metacharacters_are_data),
		cmocka_unit_test(bad_reports_say_why),
		cmocka_unit_test(failures_within_grace_are_compliant),
		cmocka_unit_test(a_large_report_then_a_small_one),
		cmocka_unit_test(strict_json_still_accepts_json),
		cmocka_unit_test(bodies_decode),
		cmocka_unit_test(bodies_decode_against_base),
		cmocka_unit_test(enrollment),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
