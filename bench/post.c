/* SPDX-License-Identifier: Apache-2.0 */
/*
 * post: the transport's limit for bench/delivery.sh. POSTs every file named
 * on the command line, in order, over one keep-alive HTTP/2 connection with
 * a client certificate, using libcurl's easy interface: the same library,
 * TLS and collector as the agent, without its spool, fsyncs, network process
 * or message hop. Prints the count of 2xx answers.
 * Usage: post URL CA CERT KEY FILE...
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>

static size_t discard(char *p, size_t size, size_t n, void *u)
{
	(void)p;
	(void)u;
	return size * n;
}

int main(int argc, char **argv)
{
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	CURL *e = curl_easy_init();
	long ok = 0;

	if (argc < 6 || e == NULL)
		return 2;
	curl_easy_setopt(e, CURLOPT_URL, argv[1]);
	curl_easy_setopt(e, CURLOPT_CAINFO, argv[2]);
	curl_easy_setopt(e, CURLOPT_SSLCERT, argv[3]);
	curl_easy_setopt(e, CURLOPT_SSLKEY, argv[4]);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	for (int i = 5; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		char *body;
		long len, code = 0;

		if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0)
			return 2;
		rewind(f);
		body = malloc((size_t)len + 1);
		if (body == NULL || fread(body, 1, (size_t)len, f) != (size_t)len)
			return 2;
		fclose(f);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, len);
		if (curl_easy_perform(e) == CURLE_OK &&
		    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK && code / 100 == 2)
			ok++;
		free(body);
	}
	printf("%ld\n", ok);
	curl_easy_cleanup(e);
	curl_slist_free_all(h);
	return 0;
}
