/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Delivery over real TLS: `posture run --once` against nginx (Debian's
 * nginx-light, client certificates required) and a few misbehaving servers
 * made here, with certificates made by the openssl command line
 * (tests/tls/make-certs.sh). Every failure ends in one clear log line and the
 * report still in the spool; success empties the spool, and nginx's log
 * shows the report's body arriving once, over HTTP/2, with a verified client
 * certificate.
 */
#include "testutil.h"

#include <dirent.h>
#include <netinet/in.h>
#include <jansson.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>

enum {
	P_OK,
	P_500,
	P_503,
	P_REDIRECT,
	P_WRONGNAME,
	P_EXPIRED,
	P_OLD_TLS,
	P_400,
	P_DOWN,
	P_STALL,
	P_RESET,
	P_PROXY,
	N_PORTS
};

static char *dir;
static int base_port;
static pid_t nginx_pid;

static int port(int which)
{
	return base_port + which;
}

static const char nginx_conf[] =
    "daemon off;\n"
    "pid %1$s/nginx.pid;\n"
    "error_log %1$s/nginx-error.log;\n"
    "events {}\n"
    "http {\n"
    "  log_format bodies '$status $ssl_client_verify $server_protocol $request_body';\n"
    "  access_log %1$s/access.log bodies;\n"
    "  client_body_buffer_size 1m;\n"
    "  client_body_temp_path %1$s/body;\n"
    "  proxy_temp_path %1$s/proxy;\n"
    "  ssl_certificate %1$s/server.pem;\n"
    "  ssl_certificate_key %1$s/server.key;\n"
    "  ssl_client_certificate %1$s/ca.pem;\n"
    "  ssl_verify_client on;\n"
    "  ssl_protocols TLSv1.2 TLSv1.3;\n"
    /* the body is read (and logged) before the answer, as a collector does */
    "  server { listen 127.0.0.1:%2$d ssl http2;\n"
    "    location = /v1/reports { proxy_pass http://unix:%1$s/up.sock:/ok; }\n"
    "    location = /v1/policy { alias %1$s/served-policy.json; default_type "
    "application/json; } }\n"
    "  server { listen 127.0.0.1:%3$d ssl http2;\n"
    "    location = /v1/reports { proxy_pass http://unix:%1$s/up.sock:/s500; } }\n"
    "  server { listen 127.0.0.1:%4$d ssl http2;\n"
    "    location = /v1/reports { proxy_pass http://unix:%1$s/up.sock:/s503; } }\n"
    "  server { listen 127.0.0.1:%5$d ssl http2;\n"
    "    location = /v1/reports { proxy_pass http://unix:%1$s/up.sock:/moved; } }\n"
    "  server { listen 127.0.0.1:%6$d ssl http2;\n"
    "    ssl_certificate %1$s/wrongname.pem; ssl_certificate_key %1$s/wrongname.key;\n"
    "    location = /v1/reports { proxy_pass http://unix:%1$s/up.sock:/ok; } }\n"
    "  server { listen 127.0.0.1:%7$d ssl http2;\n"
    "    ssl_certificate %1$s/expired.pem; ssl_certificate_key %1$s/expired.key;\n"
    "    location = /v1/reports { proxy_pass http://unix:%1$s/up.sock:/ok; } }\n"
    "  server { listen 127.0.0.1:%8$d ssl;\n"
    "    ssl_protocols TLSv1 TLSv1.1; ssl_ciphers DEFAULT@SECLEVEL=0;\n"
    "    location = /v1/reports { proxy_pass http://unix:%1$s/up.sock:/ok; } }\n"
    "  server { listen 127.0.0.1:%9$d ssl http2;\n"
    "    location = /v1/reports { proxy_pass http://unix:%1$s/up.sock:/s400; } }\n"
    "  server { listen unix:%1$s/up.sock; access_log off;\n"
    "    location = /ok { return 202; }\n"
    "    location = /s500 { return 500 'database unavailable'; }\n"
    "    location = /s503 { add_header Retry-After 7 always; return 503; }\n"
    "    location = /s400 { return 400 'report_id is missing'; }\n"
    "    location = /moved { return 301 http://127.0.0.1:%2$d/v1/reports; } }\n"
    "}\n";

static pid_t stall_pid, reset_pid, service_pid, proxy_pid;

/*
 * An HTTP CONNECT proxy, as a corporate network has: each request line is
 * appended to DIR/proxy.log, then bytes are relayed both ways.
 */
static pid_t serve_proxy(int p)
{
	int fd = tu_listen_loopback(p);
	pid_t pid;

	pid = fork();
	if (pid != 0) {
		close(fd);
		return pid;
	}
	for (;;) {
		int c = accept(fd, NULL, NULL), target, port_no = 0;
		char req[2048], host[256], logpath[4200];
		size_t got = 0;
		struct pollfd pf[2];
		FILE *log;

		if (c < 0)
			continue;
		if (fork() != 0) {
			close(c);
			continue;
		}
		while (got < sizeof(req) - 1) {
			ssize_t n = read(c, req + got, sizeof(req) - 1 - got);

			if (n <= 0)
				_exit(0);
			got += (size_t)n;
			req[got] = '\0';
			if (strstr(req, "\r\n\r\n") != NULL)
				break;
		}
		snprintf(logpath, sizeof(logpath), "%s/proxy.log", dir);
		log = fopen(logpath, "a");
		fprintf(log, "%.*s\n", (int)strcspn(req, "\r\n"), req);
		fclose(log);
		if (sscanf(req, "CONNECT %255[^:]:%d", host, &port_no) != 2)
			_exit(0);
		{
			struct sockaddr_in sa = { .sin_family = AF_INET,
				                  .sin_port = htons((uint16_t)port_no),
				                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

			target = socket(AF_INET, SOCK_STREAM, 0);
			if (connect(target, (struct sockaddr *)&sa, sizeof(sa)) != 0)
				_exit(0);
		}
		if (write(c, "HTTP/1.1 200 Connection established\r\n\r\n", 39) != 39)
			_exit(0);
		pf[0] = (struct pollfd){ .fd = c, .events = POLLIN };
		pf[1] = (struct pollfd){ .fd = target, .events = POLLIN };
		while (poll(pf, 2, 10000) > 0) {
			for (int i = 0; i < 2; i++) {
				char buf[16384];
				ssize_t n;

				if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				n = read(pf[i].fd, buf, sizeof(buf));
				if (n <= 0 || write(pf[1 - i].fd, buf, (size_t)n) != n)
					_exit(0);
			}
		}
		_exit(0);
	}
}

/* Accepts TCP connections and never speaks: the TLS handshake stalls. */
static pid_t serve_stall(int p)
{
	int fd = tu_listen_loopback(p);
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		/* accepted connections stay open, unanswered, until killed */
		for (;;)
			accept(fd, NULL, NULL);
	}
	close(fd);
	return pid;
}

/* Completes TLS, reads a little of the request, then resets the connection
 * (SO_LINGER 0): a collector or middlebox dying mid-upload. */
static pid_t serve_reset(int p)
{
	int fd = tu_listen_loopback(p);
	char cert[4200], key[4200];
	pid_t pid;

	snprintf(cert, sizeof(cert), "%s/server.pem", dir);
	snprintf(key, sizeof(key), "%s/server.key", dir);
	pid = fork();
	if (pid == 0) {
		SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

		SSL_CTX_use_certificate_file(ctx, cert, SSL_FILETYPE_PEM);
		SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM);
		for (;;) {
			int c = accept(fd, NULL, NULL);
			struct linger lg = { 1, 0 };
			char buf[256];
			SSL *ssl;

			if (c < 0)
				continue;
			ssl = SSL_new(ctx);
			SSL_set_fd(ssl, c);
			if (SSL_accept(ssl) == 1)
				SSL_read(ssl, buf, sizeof(buf));
			setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			close(c);
			SSL_free(ssl);
		}
	}
	close(fd);
	return pid;
}

static int setup(void **state)
{
	char cmd[4400], conf[4200];
	FILE *f;
	int i;

	(void)state;
	dir = tu_mkdtemp();
	chmod(dir, 0755); /* nginx's workers (www-data) read and write here */
	snprintf(cmd, sizeof(cmd), "sh tests/tls/make-certs.sh %s", dir);
	assert_int_equal(system(cmd), 0);
	/* sixteen free ports, below the kernel's ephemeral range (a client's
	 * connection elsewhere may hold a port above it: nginx then cannot
	 * bind) */
	base_port = 0;
	for (int k = 0; k < 400 && base_port == 0; k++) {
		int b = 20000 + (int)((getpid() + k * 131) % 790) * 16, all = 1;

		for (int p = 0; p < 16 && all; p++)
			all = tu_port_free(b + p);
		if (all)
			base_port = b;
	}
	assert_true(base_port != 0);
	snprintf(conf, sizeof(conf), "%s/nginx.conf", dir);
	f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, nginx_conf, dir, port(P_OK), port(P_500), port(P_503), port(P_REDIRECT),
	        port(P_WRONGNAME), port(P_EXPIRED), port(P_OLD_TLS), port(P_400));
	fclose(f);
	nginx_pid = fork();
	if (nginx_pid == 0) {
		execlp("nginx", "nginx", "-q", "-c", conf, "-p", dir, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 500 && !tu_can_connect(port(P_400)); i++)
		usleep(10000);
	assert_true(tu_can_connect(port(P_OK)));
	stall_pid = serve_stall(port(P_STALL));
	reset_pid = serve_reset(port(P_RESET));
	proxy_pid = serve_proxy(port(P_PROXY));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (service_pid > 0) {
		kill(service_pid, SIGKILL);
		waitpid(service_pid, NULL, 0);
	}
	kill(nginx_pid, SIGTERM);
	waitpid(nginx_pid, NULL, 0);
	kill(stall_pid, SIGKILL);
	waitpid(stall_pid, NULL, 0);
	kill(reset_pid, SIGKILL);
	waitpid(reset_pid, NULL, 0);
	kill(proxy_pid, SIGKILL);
	waitpid(proxy_pid, NULL, 0);
	tu_rm_rf(dir);
	free(dir);
	return 0;
}

static size_t count_lines(const char *text, const char *pattern)
{
	size_t n = 0;
	char *copy = strdup(text), *line, *save = NULL;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		n += tu_matches(pattern, line);
	free(copy);
	return n;
}

/* One agent's directory: its configuration, policy, state directory (with
 * the device certificate), status socket and log. */
struct agent_dir {
	char dir[4200], conf[4300], policy[4300], state_dir[4300], spool[4400], sock[4300],
	    log[4300];
};

/* (Re)writes posture.ini: the collector at localhost:P trusted through
 * DIR/CA, COLLECTOR_EXTRA more lines of [collector], AGENT_EXTRA of [agent]. */
static void agent_configure(const struct agent_dir *a, int p, const char *ca,
                            const char *collector_extra, const char *agent_extra)
{
	char text[4096];

	snprintf(text, sizeof(text),
	         "[collector]\nurl = https://localhost:%d\nca = %s/%s\n%s[agent]\n"
	         "state_dir = %s\nstatus_socket = %s\n%s",
	         p, dir, ca, collector_extra ? collector_extra : "", a->state_dir, a->sock,
	         agent_extra ? agent_extra : "");
	tu_write(a->dir, "posture.ini", text);
}

/* Prepares DIR/NAME for an agent (see agent_configure), with a one-check
 * policy named NAME. */
static void agent_dir_init(struct agent_dir *a, const char *name, int p, const char *ca,
                           const char *collector_extra, const char *agent_extra)
{
	char text[256], cmd[9000];

	snprintf(a->dir, sizeof(a->dir), "%s/%s", dir, name);
	snprintf(a->conf, sizeof(a->conf), "%s/posture.ini", a->dir);
	snprintf(a->policy, sizeof(a->policy), "%s/policy.ini", a->dir);
	snprintf(a->state_dir, sizeof(a->state_dir), "%s/state", a->dir);
	snprintf(a->spool, sizeof(a->spool), "%s/spool", a->state_dir);
	snprintf(a->sock, sizeof(a->sock), "%s/status.sock", a->dir);
	snprintf(a->log, sizeof(a->log), "%s/agent.log", a->dir);
	mkdir(a->dir, 0700);
	agent_configure(a, p, ca, collector_extra, agent_extra);
	snprintf(text, sizeof(text),
	         "[policy]\nname = %s\n[check.os]\ntype = os_version\ndebian = 12\n", name);
	tu_write(a->dir, "policy.ini", text);
	mkdir(a->state_dir, 0700);
	snprintf(cmd, sizeof(cmd), "cp %s/device.crt %s/device.key %s/", dir, dir, a->state_dir);
	assert_int_equal(system(cmd), 0);
}

/* posture run in the background (with --policy when WITH_POLICY), its
 * stderr appended to the log; teardown kills it if a test fails. */
static pid_t agent_start(const struct agent_dir *a, int with_policy)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(a->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		int devnull = open("/dev/null", O_RDWR);

		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(fd, 2);
		if (with_policy)
			execl(tu_posture(), tu_posture(), "run", "--config", a->conf, "--policy",
			      a->policy, (char *)NULL);
		else
			execl(tu_posture(), tu_posture(), "run", "--config", a->conf, (char *)NULL);
		_exit(127);
	}
	service_pid = pid;
	return pid;
}

static void agent_stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	service_pid = 0;
}

/*
 * Runs `posture run --once` with a fresh state directory holding the device
 * certificate, against PORT with CA (a file in dir) and PIN (or NULL).
 * Returns the agent's stderr (malloc'd); *SPOOLED gets the reports left in
 * the spool, *REJECTED those in spool/rejected.
 */
static char *deliver_once(int p, const char *ca, const char *pin, const char *extra,
                          size_t *spooled, size_t *rejected, char report_id[64])
{
	struct agent_dir a;
	char name[32], collector[1024], rejected_dir[4500], *err = NULL, *out = NULL;
	char *argv[] = { (char *)tu_posture(), "run",    "--once", "--config", a.conf,
		         "--policy",           a.policy, NULL };
	static int n;
	int rc;

	snprintf(name, sizeof(name), "run%d", n++);
	snprintf(collector, sizeof(collector), "%s%s%sconnect_timeout = 2s\ntimeout = 4s\n%s",
	         pin ? "pin = " : "", pin ? pin : "", pin ? "\n" : "", extra ? extra : "");
	agent_dir_init(&a, name, p, ca, collector, NULL);
	rc = tu_run(argv, &out, &err);
	*spooled = tu_count_reports(a.spool);
	/* exit 4 exactly when reports stay undelivered */
	if (rc != (*spooled > 0 ? 4 : 0))
		fprintf(stderr,
		        "run --once: expected exit %d (%zu report(s) left in the spool), got "
		        "%d:\n%s\n",
		        *spooled > 0 ? 4 : 0, *spooled, rc, err);
	assert_int_equal(rc, *spooled > 0 ? 4 : 0);
	snprintf(rejected_dir, sizeof(rejected_dir), "%s/rejected", a.spool);
	*rejected = tu_count_reports(rejected_dir);
	report_id[0] = '\0';
	{
		const char *r = strstr(err, "report ");

		if (r != NULL)
			sscanf(r, "report %63[0-9a-f-]", report_id);
	}
	free(out);
	return err;
}

static char *pin_of_server(void)
{
	char path[4200], *pin;

	snprintf(path, sizeof(path), "%s/server.pin", dir);
	pin = tu_slurp(path);
	pin[strcspn(pin, "\n")] = '\0';
	return pin;
}

static void delivered(void **state)
{
	size_t spooled, rejected;
	char id[64], path[4200], *log, *err;
	char *pin = pin_of_server();

	(void)state;
	err = deliver_once(port(P_OK), "ca.pem", pin, NULL, &spooled, &rejected, id);
	assert_int_equal(spooled, 0);
	assert_non_null(strstr(err, "delivered (HTTP 202)"));
	assert_int_equal(count_lines(err, "^posture: (warning|error):"), 0);
	snprintf(path, sizeof(path), "%s/access.log", dir);
	log = tu_slurp(path);
	/* the body arrived once, over HTTP/2, with a client certificate that
	 * nginx verified against the collector's CA */
	assert_true(strlen(id) == 36);
	{
		char pattern[256];

		snprintf(pattern, sizeof(pattern), "^202 SUCCESS HTTP/2.0 .*%s", id);
		assert_int_equal(count_lines(log, pattern), 1);
	}
	free(log);
	free(err);
	free(pin);
}

/* One failure: exactly one warning line matching PATTERN, the report kept. */
static void expect_kept(int p, const char *ca, const char *pin, const char *extra,
                        const char *pattern)
{
	size_t spooled, rejected;
	char id[64];
	char *err = deliver_once(p, ca, pin, extra, &spooled, &rejected, id);

	if (count_lines(err, pattern) != 1 || count_lines(err, "^posture: (warning|error):") != 1)
		fprintf(stderr, "agent's log:\n%s\nwanted one line matching: %s\n", err, pattern);
	assert_int_equal(count_lines(err, pattern), 1);
	assert_int_equal(count_lines(err, "^posture: (warning|error):"), 1);
	assert_int_equal(spooled, 1);
	assert_int_equal(rejected, 0);
	free(err);
}

/* Failures that must each end in one warning line matching PATTERN, the
 * report kept in the spool: the collector at WHICH, trusted through CA, with
 * PIN. */
struct failure_case {
	int which;
	const char *ca, *pin, *pattern;
};

static const struct failure_case failure_cases[] = {
	/* wrong_ca */
	{ P_OK, "other-ca.pem", NULL,
	  "warning: delivery: the collector's certificate is not trusted: SSL "
	  "certificate problem: unable to get local issuer certificate; this agent trusts "
	  "the CA in .*/other-ca.pem: it must be the collector's ca.pem .*; 1 report" },
	/* expired_certificate */
	{ P_EXPIRED, "ca.pem", NULL,
	  "warning: delivery: the collector's certificate is not trusted: .*certificate "
	  "has expired" },
	/* hostname_mismatch */
	{ P_WRONGNAME, "ca.pem", NULL,
	  "warning: delivery: the collector's certificate is not for the host in "
	  "https://localhost:[0-9]+/v1/reports: .*"
	  "(does not match|no alternative certificate subject name matches).*localhost.*"
	  "use a name it was issued for" },
	/* old_tls_only */
	{ P_OLD_TLS, "ca.pem", NULL,
	  "warning: delivery: TLS handshake with https://localhost:[0-9]+/v1/reports "
	  "failed: .*(protocol version|unsupported protocol|no protocols available)" },
	/* pin_mismatch */
	{ P_OK, "ca.pem", "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
	  "warning: delivery: the collector's public key does not match the "
	  "configured pin" },
	/* server_down */
	{ P_DOWN, "ca.pem", NULL,
	  "warning: delivery: cannot connect to the collector: Failed to connect to "
	  "localhost port [0-9]+" },
	/* server_error */
	{ P_500, "ca.pem", NULL,
	  "warning: delivery: the collector answered HTTP 500: database unavailable; "
	  "1 report\\(s\\) stay in the spool" },
	/* stall */
	{ P_STALL, "ca.pem", NULL, "warning: delivery: the collector did not answer in time: " },
	/* reset_mid_upload */
	{ P_RESET, "ca.pem", NULL,
	  "warning: delivery: .*(reset|Recv failure|Send failure|closed|SSL_read|"
	  "SSL_write|unexpected eof)" },
	/* redirect_to_http */
	{ P_REDIRECT, "ca.pem", NULL,
	  "warning: delivery: the collector redirected to http://127.0.0.1:[0-9]+/"
	  "v1/reports; redirects are not followed" },
};

static void failure_kept(void **state)
{
	const struct failure_case *c = *state;

	expect_kept(port(c->which), c->ca, c->pin, NULL, c->pattern);
}

static void unavailable_retry_after(void **state)
{
	size_t spooled, rejected;
	char id[64];
	char *err;

	(void)state;
	expect_kept(port(P_503), "ca.pem", NULL, NULL,
	            "warning: delivery: the collector answered HTTP 503");
	/* the running service honours Retry-After: its next attempt is 7 s away */
	err = deliver_once(port(P_503), "ca.pem", NULL, NULL, &spooled, &rejected, id);
	free(err);
}

static void refused_report(void **state)
{
	size_t spooled, rejected;
	char id[64];
	char *err;

	(void)state;
	err = deliver_once(port(P_400), "ca.pem", NULL, NULL, &spooled, &rejected, id);
	assert_int_equal(count_lines(err, "error: delivery: report R-[0-9-]+\\.json: the "
	                                  "collector refused the report \\(HTTP 400\\): "
	                                  "report_id is missing; kept in the spool's rejected/"),
	                 1);
	assert_int_equal(spooled, 0);
	assert_int_equal(rejected, 1);
	free(err);
}

/*
 * A network process that lies about its message sizes (as a compromised one
 * might) is killed with one error line; the report stays in the spool. One
 * that answers for a report not in flight is treated the same way.
 */
static void misbehaving_network_process(void **state)
{
	static const char *const scripts[] = {
		/* a frame of an unknown type */
		"#!/bin/sh\nhead -c 64 <&3 >/dev/null\nprintf 'c\\000\\000\\000\\000\\000\\000"
		"\\000' >&3\nsleep 5\n",
		/* a field longer than its frame */
		"#!/bin/sh\nhead -c 64 <&3 >/dev/null\nprintf '\\003\\000\\000\\000\\010\\000"
		"\\000\\000\\377\\000\\000\\000abcd' >&3\nsleep 5\n",
		/* "delivered" for a report that was never handed over */
		"#!/bin/sh\nhead -c 64 <&3 >/dev/null\nprintf '"
		"\\003\\000\\000\\000\\032\\000\\000\\000\\001\\000"
		"\\000\\000\\170\\001\\000\\000\\000\\060\\003\\000"
		"\\000\\000\\062\\060\\062\\001\\000\\000\\000\\060"
		"\\000\\000\\000\\000"
		"' >&3\nsleep 5\n",
	};
	static const char *const expected[] = {
		"error: delivery: malformed message from the network process \\(message of "
		"unknown type 99\\); restarting it",
		"error: delivery: malformed message from the network process \\(field 1 of a "
		"message of type 3 claims 255 bytes, 4 remain\\); restarting it",
		"error: delivery: result for x, which is not in flight; restarting the network "
		"process",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		char helper[4200], env[4300], *err;
		size_t spooled, rejected;
		char id[64];

		snprintf(helper, sizeof(helper), "%s/fake-net-%zu", dir, i);
		tu_write(dir, strrchr(helper, '/') + 1, scripts[i]);
		chmod(helper, 0755);
		snprintf(env, sizeof(env), "POSTURE_NET_HELPER=%s", helper);
		putenv(env);
		err = deliver_once(port(P_OK), "ca.pem", NULL, NULL, &spooled, &rejected, id);
		unsetenv("POSTURE_NET_HELPER");
		if (count_lines(err, expected[i]) != 1)
			fprintf(stderr, "agent's log:\n%s\nwanted: %s\n", err, expected[i]);
		assert_int_equal(count_lines(err, expected[i]), 1);
		assert_int_equal(spooled, 1);
		free(err);
	}
}

/* A report over the collector's 1 MiB limit is not sent (it would fail
 * forever); it goes to rejected/ with one error line, and the next report
 * is delivered. */
static void oversized_report_set_aside(void **state)
{
	struct agent_dir a;
	char *argv[] = { (char *)tu_posture(), "run",    "--once", "--config", a.conf,
		         "--policy",           a.policy, NULL };
	char rejected[4500], *big, *err = NULL;
	size_t n = (1u << 20) + 100;

	(void)state;
	agent_dir_init(&a, "oversized", port(P_OK), "ca.pem", NULL, NULL);
	mkdir(a.spool, 0700);
	big = malloc(n + 1);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	tu_write(a.spool, "R-00000000000000000001-000000.json", big);
	free(big);
	assert_int_equal(tu_run(argv, NULL, &err), 0);
	assert_int_equal(count_lines(err, "^posture: error: delivery: report "
	                                  "R-00000000000000000001-000000.json is 1048676 bytes, "
	                                  "more than the collector accepts \\(1048576\\); kept in "
	                                  "the spool's rejected/ directory$"),
	                 1);
	assert_non_null(strstr(err, "delivered (HTTP 202); 0 waiting"));
	snprintf(rejected, sizeof(rejected), "%s/rejected", a.spool);
	assert_int_equal(tu_count_reports(rejected), 1);
	assert_int_equal(tu_count_reports(a.spool), 0);
	free(err);
}

/* Waits up to 10 s for a line matching PATTERN in the file PATH. */
static int wait_for_line(const char *path, const char *pattern)
{
	for (int i = 0; i < 1000; i++) {
		char *text = tu_slurp(path);
		size_t n = count_lines(text, pattern);

		free(text);
		if (n > 0)
			return 1;
		usleep(10000);
	}
	{
		char *text = tu_slurp(path);

		fprintf(stderr, "%s:\n%s\nno line matches: %s\n", path, text, pattern);
		free(text);
	}
	return 0;
}

/*
 * The running service: a 503 with Retry-After: 7 puts the next attempt 7 s
 * away (longer than the first backoff step), `posture status` says that
 * delivery is failing and why; SIGHUP with the collector's address fixed
 * delivers the waiting reports at once and status says so.
 */
static void service_retry_after_and_reload(void **state)
{
	struct agent_dir a;
	char *err = NULL;
	char *status_argv[] = { (char *)tu_posture(), "status", "--socket", a.sock, NULL };
	char *logpath = a.log;
	pid_t pid;

	(void)state;
	agent_dir_init(&a, "service", port(P_503), "ca.pem", NULL, NULL);
	pid = agent_start(&a, 1);
	assert_true(wait_for_line(logpath, "warning: delivery: the collector answered HTTP 503; "
	                                   "1 report\\(s\\) stay in the spool, next attempt "
	                                   "in 7 s$"));
	assert_int_equal(tu_run(status_argv, NULL, &err), 0);
	assert_true(tu_matches("delivery to https://localhost:[0-9]+ is failing: the collector "
	                       "answered HTTP 503; next attempt at 20[0-9-]+T",
	                       err));
	free(err);
	agent_configure(&a, port(P_OK), "ca.pem", NULL, NULL);
	kill(pid, SIGHUP);
	assert_true(wait_for_line(logpath, "delivery: report R-[0-9-]+\\.json delivered \\(HTTP "
	                                   "202\\); 0 waiting"));
	/* the re-evaluation after SIGHUP is delivered too */
	for (int i = 0; i < 500; i++) {
		char *t = tu_slurp(logpath);
		size_t n = count_lines(t, "delivered \\(HTTP 202\\); 0 waiting");

		free(t);
		if (n >= 2)
			break;
		usleep(10000);
	}
	assert_int_equal(tu_run(status_argv, NULL, &err), 0);
	assert_true(tu_matches("last delivered to https://localhost:[0-9]+ at 20", err));
	free(err);
	agent_stop(pid);
	{
		char *t = tu_slurp(logpath);

		/* nothing but the one 503 went wrong */
		assert_int_equal(count_lines(t, "^posture: (warning|error):"), 1);
		free(t);
	}
}

/* Serves VERSION of TEXT as the collector's signed policy, signed with the
 * test's Ed25519 policy key; TAMPER flips one byte of the text afterwards. */
static void serve_policy(long long version, const char *text, int tamper)
{
	char path[4200], head[64], *msg, *body, *served;
	unsigned char sig[64], b64[100];
	size_t sig_len = sizeof(sig), head_len, len = strlen(text);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY *key;
	FILE *f;
	json_t *doc;

	snprintf(path, sizeof(path), "%s/policy.key", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(key);
	head_len = (size_t)snprintf(head, sizeof(head), "posture-policy/1\n%lld\n", version);
	msg = malloc(head_len + len);
	memcpy(msg, head, head_len);
	memcpy(msg + head_len, text, len);
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, NULL, NULL, key), 1);
	assert_int_equal(EVP_DigestSign(ctx, sig, &sig_len, (unsigned char *)msg, head_len + len),
	                 1);
	EVP_EncodeBlock(b64, sig, (int)sig_len);
	served = strdup(text);
	if (tamper)
		served[len / 2] ^= 0x01;
	doc = json_pack("{s:I, s:s, s:s}", "version", (json_int_t)version, "policy", served,
	                "signature", (char *)b64);
	body = json_dumps(doc, JSON_COMPACT);
	tu_write(dir, "served-policy.json", body);
	{
		/* nginx's ETag is mtime and size: make each served policy's differ,
		 * as a collector's ETag differs per version */
		struct timeval tv[2] = { { 1000000 + version * 10 + tamper, 0 },
			                 { 1000000 + version * 10 + tamper, 0 } };
		char served_path[4200];

		snprintf(served_path, sizeof(served_path), "%s/served-policy.json", dir);
		utimes(served_path, tv);
	}
	free(body);
	free(served);
	free(msg);
	json_decref(doc);
	EVP_PKEY_free(key);
	EVP_MD_CTX_free(ctx);
}

/*
 * The collector's signed policy: a newer one takes over (and survives a
 * restart, from the state directory); a replayed older version, a
 * tampered byte and a signed but invalid policy are each refused with a
 * log line while the last good policy stays in force.
 */
static void signed_policy(void **state)
{
	struct agent_dir a;
	char agent_extra[4400], cmd[9000];
	char *logpath = a.log;
	static const char v2[] =
	    "[policy]\nname = fromcollector\nversion = 2\n[check.os]\ntype = os_version\n"
	    "debian = 12\n";
	pid_t pid;

	(void)state;
	/* the local policy named in posture.ini, which the collector's replaces */
	snprintf(agent_extra, sizeof(agent_extra), "policy = %s/signed/policy.ini\n", dir);
	agent_dir_init(&a, "signed", port(P_OK), "ca.pem", NULL, agent_extra);
	snprintf(cmd, sizeof(cmd), "cp %s/policy.pub %s/policy-key.pem", dir, a.state_dir);
	assert_int_equal(system(cmd), 0);
	serve_policy(2, v2, 0);
	for (int round = 0; round < 2; round++) {
		pid = agent_start(&a, 0);
		if (round == 0) {
			assert_true(wait_for_line(logpath, "policy version 2 from the collector "
			                                   "\\(fromcollector\\) is in force"));
			assert_true(wait_for_line(logpath, "evaluated fromcollector: 1 pass"));
			serve_policy(1, v2, 0);
			kill(pid, SIGHUP);
			assert_true(wait_for_line(logpath,
			                          "warning: policy version 1 from the collector "
			                          "refused: not newer than version 2 in force"));
			serve_policy(3, v2, 1);
			kill(pid, SIGHUP);
			assert_true(wait_for_line(logpath,
			                          "warning: policy from the collector refused: the "
			                          "collector's policy \\(version 3\\) has a bad "
			                          "signature"));
			serve_policy(4, "[policy]\nname = broken\n[check.x]\ntype = nonsense\n", 0);
			kill(pid, SIGHUP);
			assert_true(wait_for_line(logpath, "warning: policy version 4 from the "
			                                   "collector refused; .*/state/policy.ini "
			                                   "stays in force"));
		} else {
			/* a restart keeps the collector's policy in force */
			assert_true(wait_for_line(logpath, "running: policy .*/state/policy.ini"));
			assert_true(wait_for_line(logpath, "evaluated fromcollector"));
		}
		agent_stop(pid);
	}
}

/* The value of KEY in /proc/PID/status, or "" (static buffer). */
static const char *proc_status(pid_t pid, const char *key)
{
	static char value[256];
	char path[64], line[512];
	FILE *f;

	value[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return value;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, strlen(key)) == 0 && line[strlen(key)] == ':') {
			snprintf(value, sizeof(value), "%s", line + strlen(key) + 1);
			value[strcspn(value, "\n")] = '\0';
			break;
		}
	fclose(f);
	return value;
}

/*
 * While it talks to the collector, the network process is not root (when
 * the agent is), cannot gain privileges, runs under a seccomp filter, and
 * holds no descriptor but its own: checked from /proc while a delivery
 * hangs on the server that never answers.
 */
static void network_process_is_confined(void **state)
{
	struct agent_dir a;
	char cmd[9000], net_pid_text[32] = "";
	const char *state_dir = a.state_dir;
	pid_t pid, net = 0;

	(void)state;
	agent_dir_init(&a, "confined", port(P_STALL), "ca.pem",
	               "timeout = 60s\nconnect_timeout = 60s\n", NULL);
	pid = agent_start(&a, 1);
	for (int i = 0; i < 500 && net == 0; i++) {
		FILE *p;

		snprintf(cmd, sizeof(cmd), "pgrep -P %d posture-net", (int)pid);
		p = popen(cmd, "r");
		if (p != NULL && fgets(net_pid_text, sizeof(net_pid_text), p) != NULL)
			net = (pid_t)strtol(net_pid_text, NULL, 10);
		if (p != NULL)
			pclose(p);
		if (net == 0)
			usleep(10000);
	}
	assert_true(net > 0);
	usleep(300000); /* past its start-up, into the stalled handshake */
	assert_string_equal(proc_status(net, "NoNewPrivs"), "\t1");
	assert_string_equal(proc_status(net, "Seccomp"), "\t2");
	/* the sanitizer build keeps root in posture-net (see sandbox.c) */
#ifndef __SANITIZE_ADDRESS__
	if (geteuid() == 0) {
		char uid[64];

		snprintf(uid, sizeof(uid), "%s", proc_status(net, "Uid"));
		assert_true(tu_matches("^\t[1-9][0-9]*\t[1-9][0-9]*\t[1-9][0-9]*\t[1-9]", uid));
		assert_string_equal(proc_status(net, "CapEff"), "\t0000000000000000");
		assert_true(tu_matches("^\t *$", proc_status(net, "Groups")));
	}
#endif
	{
		/* stdin, stdout to /dev/null, stderr the log, the socket to the
		 * agent, and libuv's and libcurl's own: nothing of the agent's
		 * (no spool directory, no status socket, no key file) */
		char fds[64], target[4200], link[4300];
		DIR *d;
		struct dirent *de;

		snprintf(fds, sizeof(fds), "/proc/%d/fd", (int)net);
		d = opendir(fds);
		assert_non_null(d);
		while ((de = readdir(d)) != NULL) {
			ssize_t n;

			if (de->d_name[0] == '.')
				continue;
			snprintf(link, sizeof(link), "%s/%s", fds, de->d_name);
			n = readlink(link, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			if (strstr(target, state_dir) != NULL || strstr(target, ".key") != NULL)
				fprintf(stderr, "posture-net holds %s\n", target);
			assert_null(strstr(target, state_dir));
			assert_null(strstr(target, ".key"));
		}
		closedir(d);
	}
	agent_stop(pid);
}

/* Through a CONNECT proxy: the [collector] proxy key, then HTTPS_PROXY
 * from the environment; the proxy sees only the tunnel, TLS stays end to
 * end (the same client certificate is verified by nginx). */
static void through_a_proxy(void **state)
{
	size_t spooled, rejected;
	char id[64], extra[128], env[128], path[4200], *err, *log;

	(void)state;
	snprintf(extra, sizeof(extra), "proxy = http://127.0.0.1:%d\n", port(P_PROXY));
	err = deliver_once(port(P_OK), "ca.pem", NULL, extra, &spooled, &rejected, id);
	assert_non_null(strstr(err, "delivered (HTTP 202)"));
	assert_int_equal(spooled, 0);
	free(err);
	snprintf(path, sizeof(path), "%s/proxy.log", dir);
	log = tu_slurp(path);
	assert_int_equal(count_lines(log, "^CONNECT localhost:[0-9]+ HTTP/1.1$"), 1);
	free(log);
	snprintf(env, sizeof(env), "HTTPS_PROXY=http://127.0.0.1:%d", port(P_PROXY));
	putenv(env);
	err = deliver_once(port(P_OK), "ca.pem", NULL, NULL, &spooled, &rejected, id);
	unsetenv("HTTPS_PROXY");
	assert_non_null(strstr(err, "delivered (HTTP 202)"));
	assert_int_equal(spooled, 0);
	free(err);
	snprintf(path, sizeof(path), "%s/proxy.log", dir);
	log = tu_slurp(path);
	{
		char want[128];

		snprintf(want, sizeof(want), "CONNECT localhost:%d HTTP/1.1", port(P_OK));
		assert_non_null(strstr(log, want));
		assert_int_equal(count_lines(log, "^CONNECT localhost:[0-9]+ HTTP/1.1$"), 2);
	}
	free(log);
}

/* How many times S occurs in TEXT. */
static size_t occurrences(const char *text, const char *s)
{
	size_t n = 0;

	for (const char *p = strstr(text, s); p; p = strstr(p + 1, s))
		n++;
	return n;
}

/*
 * The agent killed with SIGKILL at random points of evaluation and delivery,
 * 200 times over: afterwards every report it ever spooled has reached the
 * collector, nothing is left in the spool or set aside as corrupt, and a
 * report arrives twice only when the kill came between the collector's 2xx
 * and the spool's removal (the collector's report_id idempotency stores it
 * once).
 */
static void killed_mid_delivery(void **state)
{
	struct agent_dir a;
	char path[4500];
	char *argv[] = { (char *)tu_posture(), "run",    "--once", "--config", a.conf,
		         "--policy",           a.policy, NULL };
	const char *logpath = a.log, *spool = a.spool;
	char *agent_log, *access, *line, *save = NULL;
	size_t spooled_ids = 0, duplicates = 0, runs = 200;
	unsigned seed = (unsigned)getpid();

	(void)state;
	agent_dir_init(&a, "killed", port(P_OK), "ca.pem", NULL, NULL);
	for (size_t i = 0; i < runs; i++) {
		size_t before = tu_count_in_file(logpath, " spooled (");
		pid_t pid = agent_start(&a, 1);

		/* even runs: anywhere from start-up through evaluation; odd
		 * runs: once this run's report is spooled (an event, however
		 * slow the machine), anywhere through the TLS handshake, the
		 * upload and the removal */
		if (i % 2 && !tu_wait_in_file(logpath, " spooled (", before, 6000))
			fail_msg("run %zu: expected the agent to log a spooled report within 60 s; "
			         "it did not",
			         i);
		usleep((useconds_t)(rand_r(&seed) % 30000));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		service_pid = 0;
	}
	/* the next start delivers what the kills left behind */
	{
		char *err = NULL;

		assert_int_equal(tu_run(argv, NULL, &err), 0);
		{
			FILE *f = fopen(logpath, "a");

			fputs(err, f);
			fclose(f);
		}
		free(err);
	}
	assert_int_equal(tu_count_reports(spool), 0);
	snprintf(path, sizeof(path), "%s/corrupt", spool);
	assert_int_equal(tu_count_reports(path), 0);
	snprintf(path, sizeof(path), "%s/rejected", spool);
	assert_int_equal(tu_count_reports(path), 0);
	agent_log = tu_slurp(logpath);
	snprintf(path, sizeof(path), "%s/access.log", dir);
	access = tu_slurp(path);
	for (line = strtok_r(agent_log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char id[64];
		const char *r = strstr(line, "; report ");
		size_t n;

		if (r == NULL || sscanf(r, "; report %63[0-9a-f-] spooled", id) != 1)
			continue;
		spooled_ids++;
		n = occurrences(access, id);
		if (n == 0)
			fprintf(stderr, "report %s was spooled and never delivered\n", id);
		assert_true(n >= 1);
		duplicates += n - 1;
	}
	fprintf(stderr,
	        "killed %zu times: %zu reports logged as spooled, all delivered; %zu "
	        "delivered twice (2xx lost to the kill)\n",
	        runs, spooled_ids, duplicates);
	/* every odd run spooled one before it was killed */
	if (spooled_ids < runs / 2)
		fail_msg(
		    "expected at least %zu reports logged as spooled (one per odd run), got %zu",
		    runs / 2, spooled_ids);
	assert_true(duplicates <= runs);
	free(agent_log);
	free(access);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(delivered),
		{ "wrong_ca", failure_kept, NULL, NULL, (void *)&failure_cases[0] },
		{ "expired_certificate", failure_kept, NULL, NULL, (void *)&failure_cases[1] },
		{ "hostname_mismatch", failure_kept, NULL, NULL, (void *)&failure_cases[2] },
		{ "old_tls_only", failure_kept, NULL, NULL, (void *)&failure_cases[3] },
		{ "pin_mismatch", failure_kept, NULL, NULL, (void *)&failure_cases[4] },
		{ "server_down", failure_kept, NULL, NULL, (void *)&failure_cases[5] },
		{ "server_error", failure_kept, NULL, NULL, (void *)&failure_cases[6] },
		cmocka_unit_test(unavailable_retry_after),
		{ "stall", failure_kept, NULL, NULL, (void *)&failure_cases[7] },
		{ "reset_mid_upload", failure_kept, NULL, NULL, (void *)&failure_cases[8] },
		{ "redirect_to_http", failure_kept, NULL, NULL, (void *)&failure_cases[9] },
		cmocka_unit_test(refused_report),
		cmocka_unit_test(oversized_report_set_aside),
		cmocka_unit_test(misbehaving_network_process),
		cmocka_unit_test(service_retry_after_and_reload),
		cmocka_unit_test(signed_policy),
		cmocka_unit_test(network_process_is_confined),
		cmocka_unit_test(through_a_proxy),
		cmocka_unit_test(killed_mid_delivery),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
