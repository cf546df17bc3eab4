/* SPDX-License-Identifier: Apache-2.0 */
/*
 * loadgen: N simulated devices posting reports over mutual TLS, each on its
 * own keep-alive connection with one request in flight (as agents do),
 * driven by one libcurl multi handle. Prints requests, 2xx, errors, the
 * rate and the latency percentiles; with --log, one line per answered
 * report ("REPORT_ID STATUS SECONDS"), which the collector's tests check
 * against the store.
 *
 *   loadgen --url URL --ca CA.pem --report REPORT.json --duration S
 *           (--enroll URL --secret-file F | --cert C.pem --key K.pem)
 *           [--devices N] [--log FILE]
 *
 * With --enroll each device gets its own P-256 key and certificate from the
 * collector's POST /v1/enroll first; with --cert every device shares one
 * (a stand-in server such as nginx). Every request carries a fresh
 * report_id, written into a copy of the report's text in place.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct device {
	CURL *easy;
	char id[37];
	char *cert_pem, *key_pem;
	char *body;
	char report_id[37];
	double started;
	struct curl_slist *headers;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void uuid4(char out[37])
{
	unsigned char b[16];

	RAND_bytes(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
		fprintf(stderr, "loadgen: cannot read %s\n", path);
		exit(2);
	}
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
		exit(2);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

struct sink {
	char *data;
	size_t len;
};

static size_t collect(char *p, size_t size, size_t n, void *u)
{
	struct sink *s = u;
	char *grown = realloc(s->data, s->len + size * n + 1);

	if (grown == NULL)
		return 0;
	s->data = grown;
	memcpy(s->data + s->len, p, size * n);
	s->len += size * n;
	s->data[s->len] = '\0';
	return size * n;
}

static size_t discard(char *p, size_t size, size_t n, void *u)
{
	(void)p;
	(void)u;
	return size * n;
}

/* A fresh key and a certificate for it from the collector. */
static void enroll(struct device *d, const char *url, const char *ca, const char *secret)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509_REQ *req = X509_REQ_new();
	X509_NAME *name = X509_NAME_new();
	BIO *b = BIO_new(BIO_s_mem());
	char *csr, *body, *p;
	long code = 0;
	struct sink answer = { 0 };
	json_t *doc;
	CURL *e = curl_easy_init();
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");

	uuid4(d->id);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (unsigned char *)d->id, -1, -1, 0);
	X509_REQ_set_subject_name(req, name);
	X509_REQ_set_pubkey(req, key);
	X509_REQ_sign(req, key, EVP_sha256());
	PEM_write_bio_X509_REQ(b, req);
	BIO_get_mem_data(b, &p);
	csr = strndup(p, (size_t)BIO_pending(b));
	doc = json_pack("{s:s, s:s, s:s, s:s}", "secret", secret, "csr", csr, "device_id", d->id,
	                "hostname", "loadgen");
	body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_CAINFO, ca);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &answer);
	if (curl_easy_perform(e) != CURLE_OK ||
	    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK || code != 200) {
		fprintf(stderr, "loadgen: enrollment failed (HTTP %ld): %s\n", code,
		        answer.data ? answer.data : "");
		exit(1);
	}
	doc = json_loads(answer.data, 0, NULL);
	d->cert_pem = strdup(json_string_value(json_object_get(doc, "certificate")));
	json_decref(doc);
	BIO_reset(b);
	PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL);
	BIO_get_mem_data(b, &p);
	d->key_pem = strndup(p, (size_t)BIO_pending(b));
	free(answer.data);
	free(body);
	free(csr);
	curl_slist_free_all(h);
	curl_easy_cleanup(e);
	BIO_free(b);
	X509_NAME_free(name);
	X509_REQ_free(req);
	EVP_PKEY_free(key);
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Points D at its next report: the template with a new report_id. */
static void next_report(struct device *d, size_t id_at)
{
	uuid4(d->report_id);
	memcpy(d->body + id_at, d->report_id, 36);
	curl_easy_setopt(d->easy, CURLOPT_POSTFIELDS, d->body);
}

int main(int argc, char **argv)
{
	const char *url = NULL, *ca = NULL, *report = NULL, *enroll_url = NULL;
	const char *secret_file = NULL, *cert = NULL, *key = NULL, *log_path = NULL;
	int n_devices = 50;
	double duration = 10;
	char *tmpl, *id, secret[256] = "";
	size_t id_at, n_lat = 0, cap_lat = 1 << 20;
	double *lat = malloc(sizeof(double) * cap_lat);
	long long requests = 0, ok = 0, failed = 0, statuses[600] = { 0 };
	struct device *devs;
	CURLM *multi;
	FILE *log = NULL;
	double t0, t1;
	int running = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (v == NULL) {
			fprintf(stderr, "loadgen: %s needs a value\n", a);
			return 2;
		}
		i++;
		if (strcmp(a, "--url") == 0)
			url = v;
		else if (strcmp(a, "--ca") == 0)
			ca = v;
		else if (strcmp(a, "--report") == 0)
			report = v;
		else if (strcmp(a, "--enroll") == 0)
			enroll_url = v;
		else if (strcmp(a, "--secret-file") == 0)
			secret_file = v;
		else if (strcmp(a, "--cert") == 0)
			cert = v;
		else if (strcmp(a, "--key") == 0)
			key = v;
		else if (strcmp(a, "--log") == 0)
			log_path = v;
		else if (strcmp(a, "--devices") == 0)
			n_devices = (int)strtol(v, NULL, 10);
		else if (strcmp(a, "--duration") == 0)
			duration = strtod(v, NULL);
		else {
			fprintf(stderr, "loadgen: unknown option %s\n", a);
			return 2;
		}
	}
	if (url == NULL || ca == NULL || report == NULL || n_devices < 1 || lat == NULL ||
	    (enroll_url == NULL) == (cert == NULL)) {
		fprintf(stderr, "usage: loadgen --url URL --ca CA --report FILE --duration S "
		                "(--enroll URL --secret-file F | --cert C --key K) [--devices N] "
		                "[--log FILE]\n");
		return 2;
	}
	tmpl = slurp(report);
	id = strstr(tmpl, "\"report_id\"");
	id = id ? strchr(id + 11, '"') : NULL;
	if (id == NULL || strlen(id) < 38 || id[37] != '"') {
		fprintf(stderr, "loadgen: %s has no report_id to vary\n", report);
		return 2;
	}
	id_at = (size_t)(id + 1 - tmpl);
	if (secret_file) {
		char *s = slurp(secret_file);

		s[strcspn(s, "\r\n")] = '\0';
		snprintf(secret, sizeof(secret), "%s", s);
		free(s);
	}
	if (log_path && (log = fopen(log_path, "w")) == NULL) {
		fprintf(stderr, "loadgen: cannot write %s\n", log_path);
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	multi = curl_multi_init();
	/* one connection per device, as real agents have */
	curl_multi_setopt(multi, CURLMOPT_PIPELINING, (long)CURLPIPE_NOTHING);
	devs = calloc((size_t)n_devices, sizeof(*devs));
	for (int i = 0; i < n_devices; i++) {
		struct device *d = &devs[i];

		if (enroll_url)
			enroll(d, enroll_url, ca, secret);
		d->body = strdup(tmpl);
		d->easy = curl_easy_init();
		d->headers = curl_slist_append(NULL, "Content-Type: application/json");
		curl_easy_setopt(d->easy, CURLOPT_URL, url);
		curl_easy_setopt(d->easy, CURLOPT_CAINFO, ca);
		if (enroll_url) {
			struct curl_blob c = { d->cert_pem, strlen(d->cert_pem), CURL_BLOB_NOCOPY };
			struct curl_blob k = { d->key_pem, strlen(d->key_pem), CURL_BLOB_NOCOPY };

			curl_easy_setopt(d->easy, CURLOPT_SSLCERT_BLOB, &c);
			curl_easy_setopt(d->easy, CURLOPT_SSLCERTTYPE, "PEM");
			curl_easy_setopt(d->easy, CURLOPT_SSLKEY_BLOB, &k);
			curl_easy_setopt(d->easy, CURLOPT_SSLKEYTYPE, "PEM");
		} else {
			curl_easy_setopt(d->easy, CURLOPT_SSLCERT, cert);
			curl_easy_setopt(d->easy, CURLOPT_SSLKEY, key);
		}
		curl_easy_setopt(d->easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
		curl_easy_setopt(d->easy, CURLOPT_HTTPHEADER, d->headers);
		curl_easy_setopt(d->easy, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(d->easy, CURLOPT_TIMEOUT, 30L);
		curl_easy_setopt(d->easy, CURLOPT_PRIVATE, d);
	}
	t0 = now_s();
	for (int i = 0; i < n_devices; i++) {
		next_report(&devs[i], id_at);
		devs[i].started = now_s();
		curl_multi_add_handle(multi, devs[i].easy);
	}
	do {
		CURLMsg *m;
		int left;

		curl_multi_perform(multi, &running);
		while ((m = curl_multi_info_read(multi, &left)) != NULL) {
			struct device *d;
			long code = 0;
			double t = now_s();

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&d);
			curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &code);
			requests++;
			if (m->data.result == CURLE_OK && code >= 200 && code < 300) {
				ok++;
				if (n_lat < cap_lat)
					lat[n_lat++] = t - d->started;
			} else {
				failed++;
			}
			if (code > 0 && code < 600)
				statuses[code]++;
			if (log)
				fprintf(log, "%s %ld %.6f\n", d->report_id,
				        m->data.result == CURLE_OK ? code : 0L, t - d->started);
			curl_multi_remove_handle(multi, d->easy);
			if (t - t0 < duration) {
				/* after a transport failure (a collector gone), pause a
				 * little instead of spinning */
				if (m->data.result != CURLE_OK) {
					struct timespec pause = { 0, 20 * 1000000 };

					nanosleep(&pause, NULL);
				}
				next_report(d, id_at);
				d->started = now_s();
				curl_multi_add_handle(multi, d->easy);
				running++;
			}
		}
		if (running)
			curl_multi_poll(multi, NULL, 0, 100, NULL);
	} while (running);
	t1 = now_s();
	qsort(lat, n_lat, sizeof(*lat), compare_double);
	{
		printf("devices %d  requests %lld  2xx %lld  failed %lld  seconds %.2f  rate %.0f/s  "
		       "p50 %.2f ms  p99 %.2f ms\n",
		       n_devices, requests, ok, failed, t1 - t0, (double)ok / (t1 - t0),
		       n_lat ? lat[n_lat / 2] * 1000 : 0, n_lat ? lat[n_lat * 99 / 100] * 1000 : 0);
		for (int c = 100; c < 600; c++)
			if (statuses[c] && (c < 200 || c >= 300))
				printf("  HTTP %d: %lld\n", c, statuses[c]);
	}
	if (log)
		fclose(log);
	for (int i = 0; i < n_devices; i++) {
		curl_easy_cleanup(devs[i].easy);
		curl_slist_free_all(devs[i].headers);
		free(devs[i].body);
		free(devs[i].cert_pem);
		free(devs[i].key_pem);
	}
	free(devs);
	free(lat);
	free(tmpl);
	curl_multi_cleanup(multi);
	curl_global_cleanup();
	return 0;
}
