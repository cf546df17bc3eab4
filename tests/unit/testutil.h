/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the unit tests: temporary trees and running programs.
 * Header-only so each test binary stays one file.
 */
#ifndef POSTURE_TESTUTIL_H
#define POSTURE_TESTUTIL_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <regex.h>

/* Whether S matches the POSIX extended regular expression PATTERN. */
static inline int tu_matches(const char *pattern, const char *s)
{
	regex_t re;
	int rc;

	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	rc = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return rc;
}

/* Writes TEXT to DIR/REL, creating parent directories. */
static inline void tu_write(const char *dir, const char *rel, const char *text)
{
	char path[4096], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static inline void tu_symlink(const char *dir, const char *rel, const char *target)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(symlink(target, path), 0);
}

static inline char *tu_mkdtemp(void)
{
	char *dir = strdup("/tmp/posture-test.XXXXXX");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static inline void tu_rm_rf(const char *dir)
{
	pid_t pid = fork();

	if (pid == 0) {
		execlp("rm", "rm", "-rf", dir, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
}

/*
 * Runs ARGV with stdin from /dev/null; collects stdout and stderr into
 * malloc'd strings (NULL to discard). Returns the exit code, or 128+signal.
 */
static inline int tu_run(char *const argv[], char **out, char **err)
{
	int out_pipe[2], err_pipe[2], status;
	char *bufs[2] = { NULL, NULL };
	size_t lens[2] = { 0, 0 }, caps[2] = { 0, 0 };
	int fds[2], open_fds = 2;
	pid_t pid;

	assert_int_equal(pipe(out_pipe), 0);
	assert_int_equal(pipe(err_pipe), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		dup2(devnull, 0);
		dup2(out_pipe[1], 1);
		dup2(err_pipe[1], 2);
		close(out_pipe[0]);
		close(err_pipe[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(out_pipe[1]);
	close(err_pipe[1]);
	fds[0] = out_pipe[0];
	fds[1] = err_pipe[0];
	/* Drain both pipes; poll-free alternation is enough for small outputs,
	 * but read stderr fully first only after stdout hits EOF could block,
	 * so set both non-blocking and alternate. */
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	while (open_fds > 0) {
		int i, progressed = 0;

		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (fds[i] < 0)
				continue;
			if (lens[i] + 65536 > caps[i]) {
				caps[i] = caps[i] * 2 + 65536;
				bufs[i] = realloc(bufs[i], caps[i]);
				assert_non_null(bufs[i]);
			}
			n = read(fds[i], bufs[i] + lens[i], caps[i] - lens[i] - 1);
			if (n > 0) {
				lens[i] += (size_t)n;
				progressed = 1;
			} else if (n == 0) {
				close(fds[i]);
				fds[i] = -1;
				open_fds--;
				progressed = 1;
			} else if (errno != EAGAIN && errno != EINTR) {
				close(fds[i]);
				fds[i] = -1;
				open_fds--;
			}
		}
		if (!progressed)
			usleep(1000);
	}
	waitpid(pid, &status, 0);
	for (int i = 0; i < 2; i++) {
		if (bufs[i] == NULL)
			bufs[i] = calloc(1, 1);
		else
			bufs[i][lens[i]] = '\0';
	}
	if (out)
		*out = bufs[0];
	else
		free(bufs[0]);
	if (err)
		*err = bufs[1];
	else
		free(bufs[1]);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* The spooled reports (files named R-*) in DIR; 0 when DIR is absent. */
static inline size_t tu_count_reports(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "R-", 2) == 0)
			n++;
	closedir(d);
	return n;
}

/* PATH's contents (at most 4 MiB) as a malloc'd string; "" when absent. */
static inline char *tu_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 22);
	size_t n;

	assert_non_null(buf);
	if (f == NULL)
		return buf;
	n = fread(buf, 1, (1 << 22) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* A TCP socket listening on 127.0.0.1:PORT, for the servers tests play. */
static inline int tu_listen_loopback(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
		                  .sin_port = htons((uint16_t)port),
		                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 16), 0);
	return fd;
}

/* Whether 127.0.0.1:PORT can be listened on now: nothing listens there, and
 * no connection uses it as its own end (a port of the kernel's ephemeral
 * range, 32768 and up, may be one: tests pick theirs below it). */
static inline int tu_port_free(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
		                  .sin_port = htons((uint16_t)port),
		                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	if (fd < 0)
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ok = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

/* Whether something accepts connections on 127.0.0.1:PORT. */
static inline int tu_can_connect(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
		                  .sin_port = htons((uint16_t)port),
		                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

/* A program of the build under test: $BUILD/NAME (make test sets BUILD for
 * the plain and the sanitizer builds), else build/NAME. Two results may
 * be held at once. */
static inline const char *tu_bin(const char *name)
{
	static char path[2][4200];
	static int n;
	const char *b = getenv("BUILD");
	char *p = path[n++ % 2];

	snprintf(p, 4200, "%s/%s", b && *b ? b : "build", name);
	return p;
}

/* The posture binary under test: $POSTURE, else build/posture. */
static inline const char *tu_posture(void)
{
	const char *p = getenv("POSTURE");

	return p && *p ? p : "build/posture";
}

/* How many times NEEDLE occurs in the file PATH (0 when it is missing). */
static inline size_t tu_count_in_file(const char *path, const char *needle)
{
	char *text = tu_slurp(path);
	size_t n = 0;

	for (const char *p = text; p != NULL && (p = strstr(p, needle)) != NULL; p++)
		n++;
	free(text);
	return n;
}

/* Waits until NEEDLE occurs in PATH more than BEFORE times, polling every
 * 10 ms for at most TRIES polls; 1 when it did, 0 when it never came. An
 * event to wait for, not a time window: a slow machine waits longer. */
static inline int tu_wait_in_file(const char *path, const char *needle, size_t before, int tries)
{
	for (int i = 0; i < tries; i++) {
		if (tu_count_in_file(path, needle) > before)
			return 1;
		usleep(10000);
	}
	return 0;
}

/*
 * curl, a client nobody here wrote: METHOD URL trusting CA, with the client
 * certificate CERT and KEY (NULL: none), the body DATA_FILE ("@path", or
 * NULL), one more HEADER (or NULL), over HTTP/1.1 when HTTP1. Returns the
 * HTTP status (0 when there was none) and leaves the body, read from
 * OUT_FILE, in *BODY (the caller frees it).
 */
static inline int tu_curl(const char *url, const char *ca, const char *cert, const char *key,
                          const char *method, const char *data_file, const char *header, int http1,
                          const char *out_file, char **body)
{
	char *argv[26], *stdout_text = NULL, code_s[16] = "";
	int argc = 0;

	argv[argc++] = "curl";
	argv[argc++] = "-s";
	argv[argc++] = "-o";
	argv[argc++] = (char *)out_file;
	argv[argc++] = "-w";
	argv[argc++] = "%{http_code}";
	argv[argc++] = "--cacert";
	argv[argc++] = (char *)ca;
	argv[argc++] = "-X";
	argv[argc++] = (char *)method;
	if (cert) {
		argv[argc++] = "--cert";
		argv[argc++] = (char *)cert;
		argv[argc++] = "--key";
		argv[argc++] = (char *)key;
	}
	if (data_file) {
		argv[argc++] = "-H";
		argv[argc++] = "Content-Type: application/json";
		argv[argc++] = "--data-binary";
		argv[argc++] = (char *)data_file;
	}
	if (header) {
		argv[argc++] = "-H";
		argv[argc++] = (char *)header;
	}
	if (http1)
		argv[argc++] = "--http1.1";
	argv[argc++] = (char *)url;
	argv[argc] = NULL;
	unlink(out_file);
	tu_run(argv, &stdout_text, NULL);
	snprintf(code_s, sizeof(code_s), "%s", stdout_text);
	free(stdout_text);
	*body = tu_slurp(out_file);
	if (*body == NULL)
		*body = calloc(1, 1);
	return (int)strtol(code_s, NULL, 10);
}

/*
 * COLLECTOR serve --dir DATA on 127.0.0.1:PORT with the EXTRA arguments
 * (NULL-terminated; NULL for none), its stderr appended to LOG. Returns
 * its pid once it accepts connections (at most ten seconds).
 */
static inline pid_t tu_serve_start(const char *collector, const char *data, int port,
                                   char *const extra[], const char *log)
{
	char listen_addr[64];
	pid_t pid;

	snprintf(listen_addr, sizeof(listen_addr), "127.0.0.1:%d", port);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[32];
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600), argc = 0;

		dup2(fd, 2);
		argv[argc++] = (char *)collector;
		argv[argc++] = "serve";
		argv[argc++] = "--dir";
		argv[argc++] = (char *)data;
		argv[argc++] = "--listen";
		argv[argc++] = listen_addr;
		for (int i = 0; extra != NULL && extra[i] != NULL && argc < 31; i++)
			argv[argc++] = extra[i];
		argv[argc] = NULL;
		execv(collector, argv);
		_exit(127);
	}
	for (int i = 0; i < 1000 && !tu_can_connect(port); i++)
		usleep(10000);
	assert_true(tu_can_connect(port));
	return pid;
}

/* A posture.report/1 of a local policy (its checks not the published
 * one's) written as DIR/NAME: HOSTNAME, compliant or not, RESULTS (the
 * results array's JSON) and SUMMARY (its pass, fail, error, skip). */
static inline void tu_write_report(const char *dir, const char *name, const char *hostname,
                                   int compliant, const char *summary, const char *results)
{
	char text[8192];

	snprintf(text, sizeof(text),
	         "{\"schema\":\"posture.report/1\",\"report_id\":"
	         "\"00000000-0000-4000-8000-000000000000\",\"generated_at\":"
	         "\"2026-12-01T10:00:00Z\",\"device\":{\"hostname\":\"%s\",\"os\":"
	         "{\"name\":\"Debian GNU/Linux\",\"version\":\"12\"}},\"agent\":{\"version\":"
	         "\"0.1.0\"},\"policy\":{\"name\":\"local\",\"sha256\":"
	         "\"0000000000000000000000000000000000000000000000000000000000000000\"},"
	         "\"compliant\":%s,\"summary\":{%s},\"results\":%s}",
	         hostname, compliant ? "true" : "false", summary, results);
	tu_write(dir, name, text);
}

/* loadgen: DEVICES devices enroll at ENROLL_PORT with DATA's enrollment
 * secret and send REPORT to REPORT_PORT for DURATION seconds, trusting
 * DATA's CA. Its exit status (its output into *OUT when not NULL). */
static inline int tu_loadgen(const char *data, int enroll_port, int report_port, const char *report,
                             const char *devices, const char *duration, char **out)
{
	char enroll[128], reports[128], ca[4300], sf[4300], bin[4300];
	const char *b = getenv("BUILD");
	char *argv[] = {
		bin,        "--url",        reports,         "--ca",       ca,
		"--report", (char *)report, "--enroll",      enroll,       "--secret-file",
		sf,         "--devices",    (char *)devices, "--duration", (char *)duration,
		NULL
	};

	snprintf(bin, sizeof(bin), "%s/loadgen", b && *b ? b : "build");
	snprintf(enroll, sizeof(enroll), "https://localhost:%d/v1/enroll", enroll_port);
	snprintf(reports, sizeof(reports), "https://localhost:%d/v1/reports", report_port);
	snprintf(ca, sizeof(ca), "%s/ca.pem", data);
	snprintf(sf, sizeof(sf), "%s/enroll-secret", data);
	return tu_run(argv, out, NULL);
}

/*
 * A collector for a test: COLLECTOR init --dir DIR/data (its path into
 * DATA, the enrollment secret it prints into SECRET), policies/baseline.ini
 * published, and COLLECTOR serve on 127.0.0.1:PORT with the EXTRA arguments
 * (NULL-terminated; NULL for none), its stderr appended to DIR/serve.log.
 * Returns its pid once it accepts connections.
 */
static inline pid_t tu_collector_start(const char *collector, const char *dir, int port,
                                       char *const extra[], char data[4200], char secret[128])
{
	char *out = NULL, *s;
	pid_t pid;

	snprintf(data, 4200, "%s/data", dir);
	{
		char *argv[] = { (char *)collector, "init", "--dir", data, NULL };

		assert_int_equal(tu_run(argv, &out, NULL), 0);
	}
	s = strstr(out, "enrollment secret:");
	assert_non_null(s);
	assert_int_equal(sscanf(s, "enrollment secret: %127s", secret), 1);
	free(out);
	{
		/* no release feeds fetched from the internet in a test */
		char feeds_ini[4300];

		snprintf(feeds_ini, sizeof(feeds_ini), "%s/collector.ini", data);
		unlink(feeds_ini);
	}
	{
		char *argv[] = { (char *)collector,       "policy", "publish", "--dir", data,
			         "policies/baseline.ini", NULL };

		assert_int_equal(tu_run(argv, NULL, NULL), 0);
	}
	{
		char log[4300];

		snprintf(log, sizeof(log), "%s/serve.log", dir);
		pid = tu_serve_start(collector, data, port, extra, log);
	}
	return pid;
}

/* The value of the Prometheus sample NAME in the exposition TEXT, or -1. */
static inline double tu_prom_sample(const char *text, const char *name)
{
	const char *p = text;
	size_t n = strlen(name);

	while ((p = strstr(p, name)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p += n;
	}
	return -1;
}

/*
 * Validates the JSON document TEXT against docs/schema/SCHEMA with
 * python3-jsonschema (tests/schema_check.py). 0 valid; 1 invalid (the
 * reasons printed); 2 when jsonschema is missing (the caller skips).
 */
static inline int tu_schema_check(const char *schema, const char *text)
{
	char *dir = tu_mkdtemp(), doc[4200], schema_path[512];
	char *argv[] = { "/usr/bin/python3", "tests/schema_check.py", schema_path, doc, NULL };
	char *out = NULL;
	int rc;

	snprintf(schema_path, sizeof(schema_path), "docs/schema/%s", schema);
	snprintf(doc, sizeof(doc), "%s/doc.json", dir);
	tu_write(dir, "doc.json", text);
	rc = tu_run(argv, &out, NULL);
	if (rc == 1)
		fprintf(stderr, "expected a document valid against %s; jsonschema says:\n%s",
		        schema, out ? out : "");
	free(out);
	tu_rm_rf(dir);
	free(dir);
	return rc == 0 ? 0 : rc == 2 ? 2 : 1;
}

#endif
