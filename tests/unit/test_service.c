/* SPDX-License-Identifier: Apache-2.0 */
/*
 * posture run: --once spools one report; the running service evaluates at
 * start, re-reads a policy that changes on disk (an editor's rename), keeps
 * the last good policy when a new one is refused, reloads on SIGHUP and
 * stops cleanly on SIGTERM, leaving every report in the spool. Evaluations
 * run in a forked worker, so the service never maps libcrypto. While it
 * runs, `posture status` shows its last report from the status socket; once
 * it stopped, status evaluates on its own and says so.
 */
#include "testutil.h"

#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>

static void replace_file(const char *dir, const char *name, const char *text)
{
	char tmp[4200], path[4200];

	snprintf(tmp, sizeof(tmp), "%s/.%s.new", dir, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	{
		FILE *f = fopen(tmp, "w");

		assert_non_null(f);
		fputs(text, f);
		fclose(f);
	}
	assert_int_equal(rename(tmp, path), 0);
}

static const char good[] = "[policy]\nname = svc\n[check.os]\ntype = os_version\ndebian = 12\n";

static void once(void **state)
{
	char *dir = tu_mkdtemp(), policy[4200], state_dir[4200], spool[4300];
	char *argv[] = { (char *)tu_posture(), "run",     "--once",   "--policy",  policy,
		         "--state-dir",        state_dir, "--config", "/dev/null", NULL };
	char *err = NULL;

	(void)state;
	tu_write(dir, "policy.ini", good);
	snprintf(policy, sizeof(policy), "%s/policy.ini", dir);
	snprintf(state_dir, sizeof(state_dir), "%s/state", dir);
	snprintf(spool, sizeof(spool), "%s/spool", state_dir);
	assert_int_equal(tu_run(argv, NULL, &err), 0);
	assert_non_null(strstr(err, "spooled"));
	assert_int_equal(tu_count_reports(spool), 1);
	free(err);
	/* a collector that cannot be reached (a closed port): the report
	 * stays, and the exit code says it was not delivered */
	{
		char conf[4300];

		tu_write(dir, "posture.ini", "[collector]\nurl = https://127.0.0.1:1\n");
		snprintf(conf, sizeof(conf), "%s/posture.ini", dir);
		argv[8] = conf;
		assert_int_equal(tu_run(argv, NULL, &err), 4);
		if (!tu_matches("did not complete: 2 report\\(s\\) stay in the spool", err))
			fprintf(stderr, "expected 'did not complete: 2 report(s) stay'; got:\n%s\n",
			        err);
		assert_true(tu_matches("did not complete: 2 report\\(s\\) stay in the spool", err));
		assert_int_equal(tu_count_reports(spool), 2);
		free(err);
	}
	tu_rm_rf(dir);
	free(dir);
}

/*
 * 11. A state directory or spool that someone else can write is refused
 * at start (a planted spool symlink once made the agent write reports
 * elsewhere; a planted policy.ini -> /etc/shadow put shadow in the log).
 */
static void weak_state_directory_refused(void **state)
{
	char *dir = tu_mkdtemp(), policy[4200], state_dir[4200], spool[4300], elsewhere[4300];
	char *argv[] = { (char *)tu_posture(), "run",     "--once",   "--policy",  policy,
		         "--state-dir",        state_dir, "--config", "/dev/null", NULL };
	char *err = NULL;

	(void)state;
	tu_write(dir, "policy.ini", good);
	snprintf(policy, sizeof(policy), "%s/policy.ini", dir);
	snprintf(state_dir, sizeof(state_dir), "%s/state", dir);
	snprintf(spool, sizeof(spool), "%s/spool", state_dir);
	snprintf(elsewhere, sizeof(elsewhere), "%s/elsewhere", dir);
	assert_int_equal(mkdir(state_dir, 0700), 0);
	assert_int_equal(chmod(state_dir, 0777), 0);
	assert_int_equal(tu_run(argv, NULL, &err), 2);
	if (!tu_matches("state directory: .*/state is writable by every user \\(mode 0777\\)", err))
		fprintf(stderr, "expected the world-writable state directory refused; got:\n%s\n",
		        err);
	assert_true(
	    tu_matches("state directory: .*/state is writable by every user \\(mode 0777\\)", err));
	free(err);
	/* its own again, but the spool a link to elsewhere */
	assert_int_equal(chmod(state_dir, 0700), 0);
	assert_int_equal(mkdir(elsewhere, 0700), 0);
	assert_int_equal(symlink(elsewhere, spool), 0);
	assert_int_equal(tu_run(argv, NULL, &err), 2);
	assert_true(tu_matches("a symbolic link is refused", err));
	free(err);
	assert_int_equal(tu_count_reports(elsewhere), 0);
	/* and a group-writable spool */
	assert_int_equal(unlink(spool), 0);
	assert_int_equal(mkdir(spool, 0700), 0);
	assert_int_equal(chmod(spool, 0770), 0);
	assert_int_equal(tu_run(argv, NULL, &err), 2);
	assert_true(tu_matches("spool is writable by its group", err));
	free(err);
	tu_rm_rf(dir);
	free(dir);
}

/* The first child of PARENT that /proc lists, or 0. */
static pid_t child_of(pid_t parent)
{
	char path[64], *text;
	long child = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)parent, (int)parent);
	text = tu_slurp(path);
	if (text != NULL)
		child = strtol(text, NULL, 10);
	free(text);
	return (pid_t)child;
}

/* posture run on the baseline policy, every day, with the [agent] lines
 * EXTRA (may be ""), its state in DIR/state and its log in DIR/log (the
 * paths into STATE_DIR and LOG). Its pid. */
static pid_t start_baseline_service(const char *dir, const char *extra, char state_dir[4200],
                                    char log[4200])
{
	char conf[8400], cwd[4096];
	pid_t pid;

	snprintf(state_dir, 4200, "%s/state", dir);
	snprintf(log, 4200, "%s/log", dir);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(conf, sizeof(conf),
	         "[agent]\n%sinterval = 1d\npolicy = %s/policies/baseline.ini\nstatus_socket = "
	         "%s/s.sock\n",
	         extra, cwd, dir);
	tu_write(dir, "posture.ini", conf);
	snprintf(conf, sizeof(conf), "%s/posture.ini", dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 2);
		execl(tu_posture(), "posture", "run", "--config", conf, "--state-dir", state_dir,
		      (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Once the service PID has spooled its first report (its log is LOG),
 * SIGHUP starts another evaluation, whose worker is frozen (SIGSTOP) as
 * soon as it appears; a fast machine may finish one first: then again.
 * The frozen worker's pid. */
static pid_t freeze_a_worker(pid_t pid, const char *log)
{
	assert_true(tu_wait_in_file(log, " spooled (", 0, 6000));
	for (int attempt = 0; attempt < 50; attempt++) {
		size_t before = tu_count_in_file(log, " spooled (");

		kill(pid, SIGHUP);
		for (int i = 0; i < 200000; i++) {
			pid_t w = child_of(pid);

			if (w > 0 && kill(w, SIGSTOP) == 0)
				return w;
			if (tu_count_in_file(log, " spooled (") > before)
				break; /* it finished before it could be caught */
		}
		assert_true(tu_wait_in_file(log, " spooled (", before, 6000));
	}
	fail_msg("expected to freeze an evaluation worker in 50 tries; none was caught");
	return 0;
}

/*
 * 12. The evaluation worker parses users' files with only what reading
 * needs: frozen as it starts, /proc shows it holds no capability but
 * CAP_DAC_READ_SEARCH and CAP_NET_ADMIN (bounding set too), no_new_privs,
 * and a seccomp filter. Its verdicts are those of posture check (run in
 * this process, unconfined) on the same policy.
 */
static void worker_is_confined(void **state)
{
	char *dir = tu_mkdtemp(), state_dir[4200], spool[4300], log[4200];
	char path[64], *st, *line, *save = NULL;
	unsigned long long eff = ~0ull, bnd = ~0ull;
	int nnp = -1, seccomp = -1;
	pid_t pid, w;

	(void)state;
	pid = start_baseline_service(dir, "", state_dir, log);
	snprintf(spool, sizeof(spool), "%s/spool", state_dir);
	/* a worker caught as it starts, then let go: the filter and the
	 * capabilities are set first thing, long before it is done; read
	 * /proc until they show (or the worker is gone: then another) */
	for (int attempt = 0; attempt < 20 && seccomp != 2; attempt++) {
		w = freeze_a_worker(pid, log);
		snprintf(path, sizeof(path), "/proc/%d/status", (int)w);
		kill(w, SIGCONT);
		for (int i = 0; i < 100000 && seccomp != 2; i++) {
			st = tu_slurp(path);
			if (st == NULL)
				break;
			for (line = strtok_r(st, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save)) {
				sscanf(line, "CapEff: %llx", &eff);
				sscanf(line, "CapBnd: %llx", &bnd);
				sscanf(line, "NoNewPrivs: %d", &nnp);
				sscanf(line, "Seccomp: %d", &seccomp);
			}
			free(st);
			save = NULL;
		}
	}
	if (seccomp != 2 || nnp != 1 || (eff & ~0x1004ull) != 0 || (bnd & ~0x1004ull) != 0)
		fprintf(stderr,
		        "expected the worker confined (Seccomp 2, NoNewPrivs 1, CapEff and CapBnd "
		        "within 0x1004); got Seccomp %d, NoNewPrivs %d, CapEff %llx, CapBnd %llx\n",
		        seccomp, nnp, eff, bnd);
	assert_int_equal(seccomp, 2);
	assert_int_equal(nnp, 1);
	assert_true((eff & ~0x1004ull) == 0);
	assert_true((bnd & ~0x1004ull) == 0);
	/* its verdicts: those of posture check, check by check */
	assert_true(tu_wait_in_file(log, " spooled (", 1, 6000));
	{
		char cmd[9000], *a = NULL, *b = NULL;
		char *sh[] = { "sh", "-c", cmd, NULL };

		snprintf(cmd, sizeof(cmd),
		         "/usr/bin/python3 -c \"import json,sys; "
		         "print(sorted((r['id'], r['status']) for r in "
		         "json.load(open(sys.argv[1]))['results']))\" $(ls -t %s/R-* | head -n 1)",
		         spool);
		assert_int_equal(tu_run(sh, &a, NULL), 0);
		snprintf(cmd, sizeof(cmd),
		         "%s check --format json --policy policies/baseline.ini > %s/check.json; "
		         "/usr/bin/python3 -c \"import json,sys; "
		         "print(sorted((r['id'], r['status']) for r in "
		         "json.load(open(sys.argv[1]))['results']))\" %s/check.json",
		         tu_posture(), dir, dir);
		assert_int_equal(tu_run(sh, &b, NULL), 0);
		if (strcmp(a, b) != 0)
			fprintf(stderr,
			        "expected the confined worker's verdicts to be check's:\n"
			        "worker: %s\ncheck:  %s\n",
			        a, b);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	tu_rm_rf(dir);
	free(dir);
}

/*
 * 10. An evaluation that never finishes is stopped at [agent]
 * evaluation_timeout: the worker is frozen (SIGSTOP, caught as it starts,
 * as a probe stuck on a hung file system would be), the service kills it
 * after the deadline, logs which check it was stuck in, and spools a
 * report whose every check is an error saying why; the service goes on.
 */
static void stuck_evaluation_is_stopped(void **state)
{
	char *dir = tu_mkdtemp(), state_dir[4200], spool[4300], log[4200];
	char *text, *t;
	pid_t pid;

	(void)state;
	pid = start_baseline_service(dir, "evaluation_timeout = 1s\n", state_dir, log);
	snprintf(spool, sizeof(spool), "%s/spool", state_dir);
	assert_true(freeze_a_worker(pid, log) > 0);
	if (!tu_wait_in_file(log, "did not finish within 1 s", 0, 6000) ||
	    !tu_wait_in_file(log, "0 pass, 0 fail", 0, 6000)) {
		text = tu_slurp(log);
		fprintf(stderr,
		        "expected the stuck evaluation stopped and reported; the log:\n%s\n", text);
		free(text);
		fail();
	}
	text = tu_slurp(log);
	assert_true(tu_matches("did not finish within 1 s \\(stuck in (check [a-z-]+|the package "
	                       "queries)\\); stopped it",
	                       text));
	free(text);
	/* the newest report: every check an error that says why */
	{
		char cmd[9000], *out = NULL;
		char *sh[] = { "sh", "-c", cmd, NULL };

		snprintf(cmd, sizeof(cmd), "cat $(ls -t %s/R-* | head -n 1)", spool);
		assert_int_equal(tu_run(sh, &out, NULL), 0);
		assert_true(tu_matches(
		    "\"summary\":\\{\"pass\":0,\"fail\":0,\"error\":1[0-9],\"skip\":0,\"due\":0\\}",
		    out));
		assert_true(
		    tu_matches("(did not finish within 1 s|Not evaluated: the evaluation was "
		               "stopped after 1 s)",
		               out));
		free(out);
	}
	/* and the service still runs */
	t = NULL;
	assert_int_equal(kill(pid, 0), 0);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	free(t);
	tu_rm_rf(dir);
	free(dir);
}

static void running_service(void **state)
{
	char *dir = tu_mkdtemp(), policy[4200], state_dir[4200], spool[4300], log[4200];
	char sock[4200];
	char *st_argv[] = { (char *)tu_posture(), "status",    "--socket", sock, "--format", "json",
		            "--config",           "/dev/null", NULL };
	char *out = NULL, *err = NULL;
	int status, fd;
	pid_t pid;

	(void)state;
	tu_write(dir, "policy.ini", good);
	snprintf(policy, sizeof(policy), "%s/policy.ini", dir);
	snprintf(state_dir, sizeof(state_dir), "%s/state", dir);
	snprintf(spool, sizeof(spool), "%s/spool", state_dir);
	snprintf(log, sizeof(log), "%s/log", dir);
	snprintf(sock, sizeof(sock), "%s/run/status.sock", dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* a failed assertion must not leave it */
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 2);
		execl(tu_posture(), "posture", "run", "--policy", policy, "--state-dir", state_dir,
		      "--config", "/dev/null", "--socket", sock, (char *)NULL);
		_exit(127);
	}
	usleep(700 * 1000);
	assert_int_equal(tu_count_reports(spool), 1); /* evaluated at start */
	{
		/* evaluations run in a worker: the service itself never maps
		 * libcrypto (the report's ids and hashes need it) */
		char maps_path[64], *maps = calloc(1, 1 << 20);
		FILE *f;
		size_t n;

		snprintf(maps_path, sizeof(maps_path), "/proc/%d/maps", (int)pid);
		f = fopen(maps_path, "r");
		assert_non_null(f);
		n = fread(maps, 1, (1 << 20) - 1, f);
		maps[n] = '\0';
		fclose(f);
		assert_non_null(strstr(maps, "libuv"));
		assert_null(strstr(maps, "libcrypto"));
		free(maps);
	}
	{
		/* the socket's own document, against its JSON Schema */
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		char *doc = calloc(1, 4 << 20);
		size_t len = 0;
		ssize_t n;
		int c = socket(AF_UNIX, SOCK_STREAM, 0), rc;

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
		assert_int_equal(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
		while ((n = read(c, doc + len, (4 << 20) - 1 - len)) > 0)
			len += (size_t)n;
		close(c);
		rc = tu_schema_check("posture.status-1.json", doc);
		if (rc == 2)
			printf(
			    "SKIP status document schema: python3-jsonschema is not installed\n");
		else
			assert_int_equal(rc, 0);
		free(doc);
	}
	assert_int_equal(tu_run(st_argv, &out, &err), 0);
	assert_non_null(strstr(err, "last results of the running agent"));
	assert_non_null(strstr(err, "1 report(s) waiting"));
	assert_non_null(strstr(out, "\"schema\": \"posture.report/1\""));
	assert_non_null(strstr(out, "\"id\": \"os\""));
	free(out);
	free(err);
	replace_file(dir, "policy.ini", "[check.broken]\n");
	usleep(700 * 1000);
	assert_int_equal(tu_count_reports(spool), 1); /* refused: nothing new */
	replace_file(dir, "policy.ini", good);
	usleep(700 * 1000);
	assert_int_equal(tu_count_reports(spool), 2); /* the fixed policy, evaluated */
	kill(pid, SIGHUP);
	usleep(700 * 1000);
	assert_int_equal(tu_count_reports(spool), 3);
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(access(sock, F_OK), -1); /* removed on a clean stop */
	st_argv[6] = "--policy";
	st_argv[7] = policy;
	/* --policy asks for a local evaluation: no note, no agent needed */
	assert_int_equal(tu_run(st_argv, &out, &err), 0);
	assert_null(strstr(err, "running agent"));
	free(out);
	free(err);
	{
		/* the socket and the policy from the configuration; nothing answers */
		char ini[8600], cfg_path[4300];
		char *argv[] = { (char *)tu_posture(), "status", "--config", cfg_path, NULL };

		snprintf(ini, sizeof(ini), "[agent]\npolicy = %s\nstatus_socket = %s\n", policy,
		         sock);
		tu_write(dir, "posture.ini", ini);
		snprintf(cfg_path, sizeof(cfg_path), "%s/posture.ini", dir);
		assert_int_equal(tu_run(argv, &out, &err), 0);
		assert_non_null(strstr(err, "no agent is running"));
		assert_non_null(strstr(err, sock));
		assert_non_null(strstr(out, "COMPLIANT"));
		free(out);
		free(err);
	}
	{
		FILE *f = fopen(log, "r");
		size_t n;

		assert_non_null(f);
		out = calloc(1, 65536);
		n = fread(out, 1, 65535, f);
		out[n] = '\0';
		fclose(f);
	}
	assert_non_null(strstr(out, "refused; the last good one (svc) stays in force"));
	assert_non_null(strstr(out, "SIGHUP"));
	assert_non_null(strstr(out, "SIGTERM: stopping"));
	free(out);
	tu_rm_rf(dir);
	free(dir);
}

/* Local clients that connect to the status socket and never read: past 32
 * of them the service closes new ones unanswered, and none can hold up its
 * stop. The report (~500 KB) is larger than a socket's buffer, so every
 * unread answer stays pending in the service. */
static void status_clients_that_never_read(void **state)
{
	char *dir = tu_mkdtemp(), policy[4200], state_dir[4200], spool[4300], sock[4200];
	char *big = malloc(1 << 20);
	struct sockaddr_un sa;
	int fds[40], i, answered = 0, status = 0, waited;
	size_t off = 0;
	pid_t pid;

	(void)state;
	off += (size_t)sprintf(big, "[policy]\nname = big\n");
	for (i = 0; i < 1000; i++)
		off += (size_t)sprintf(big + off,
		                       "[check.c%d]\ntype = file_content\npath = /etc/hostname\n"
		                       "pattern = ^no such line$\nremediation = %0150d\n",
		                       i, 0);
	tu_write(dir, "policy.ini", big);
	free(big);
	snprintf(policy, sizeof(policy), "%s/policy.ini", dir);
	snprintf(state_dir, sizeof(state_dir), "%s/state", dir);
	snprintf(spool, sizeof(spool), "%s/spool", state_dir);
	snprintf(sock, sizeof(sock), "%s/s.sock", dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(open("/dev/null", O_WRONLY), 2);
		execl(tu_posture(), "posture", "run", "--policy", policy, "--state-dir", state_dir,
		      "--config", "/dev/null", "--socket", sock, (char *)NULL);
		_exit(127);
	}
	for (waited = 0; tu_count_reports(spool) == 0 && waited < 300; waited++)
		usleep(100 * 1000);
	assert_int_equal(tu_count_reports(spool), 1);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	for (i = 0; i < 40; i++) {
		fds[i] = socket(AF_UNIX, SOCK_STREAM, 0);
		assert_int_equal(connect(fds[i], (struct sockaddr *)&sa, sizeof(sa)), 0);
	}
	usleep(500 * 1000);
	for (i = 0; i < 40; i++) {
		char c;

		/* answered: data waiting; refused: end of file at once */
		if (recv(fds[i], &c, 1, MSG_DONTWAIT) == 1)
			answered++;
	}
	assert_int_equal(answered, 32);
	kill(pid, SIGTERM);
	for (waited = 0; waitpid(pid, &status, WNOHANG) == 0 && waited < 50; waited++)
		usleep(100 * 1000);
	if (waited == 50) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		fail_msg("the service did not stop within 5 s while clients did not read");
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	for (i = 0; i < 40; i++)
		close(fds[i]);
	tu_rm_rf(dir);
	free(dir);
}

/* Runs `posture run --once` on POLICY with stderr in LOG, as the journal's
 * stream when JOURNAL is set; returns its exit status and the log. */
static int once_logged(const char *policy, const char *state_dir, const char *log, int journal,
                       char **text)
{
	int status, fd;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct stat st;
		char js[64];

		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 2);
		fstat(2, &st);
		snprintf(js, sizeof(js), "%llu:%llu", (unsigned long long)st.st_dev,
		         (unsigned long long)st.st_ino);
		if (journal)
			setenv("JOURNAL_STREAM", js, 1);
		else
			unsetenv("JOURNAL_STREAM");
		execl(tu_posture(), "posture", "run", "--once", "--policy", policy, "--state-dir",
		      state_dir, "--config", "/dev/null", (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	{
		FILE *f = fopen(log, "r");
		size_t n;

		assert_non_null(f);
		*text = calloc(1, 65536);
		n = fread(*text, 1, 65535, f);
		(*text)[n] = '\0';
		fclose(f);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Under systemd each line carries its priority for the journal. */
static void journal_priorities(void **state)
{
	char *dir = tu_mkdtemp(), policy[4200], state_dir[4200], log[4200], *text;

	(void)state;
	snprintf(policy, sizeof(policy), "%s/policy.ini", dir);
	snprintf(state_dir, sizeof(state_dir), "%s/state", dir);
	snprintf(log, sizeof(log), "%s/log", dir);
	tu_write(dir, "policy.ini", good);
	assert_int_equal(once_logged(policy, state_dir, log, 1, &text), 0);
	assert_true(tu_matches("<6>evaluated svc: 1 pass, *", text));
	free(text);
	assert_int_equal(once_logged(policy, state_dir, log, 0, &text), 0);
	assert_true(tu_matches("posture: evaluated svc: 1 pass, *", text));
	free(text);
	tu_write(dir, "policy.ini", "[check.broken]\n");
	assert_int_equal(once_logged(policy, state_dir, log, 1, &text), 2);
	assert_non_null(strstr(text, "\n<4>policy "));
	assert_non_null(strstr(text, "refused and there is no earlier one"));
	free(text);
	assert_int_equal(once_logged(policy, state_dir, log, 0, &text), 2);
	assert_non_null(strstr(text, "posture: warning: policy "));
	free(text);
	tu_rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(once),
		cmocka_unit_test(weak_state_directory_refused),
		cmocka_unit_test(stuck_evaluation_is_stopped),
		cmocka_unit_test(worker_is_confined),
		cmocka_unit_test(running_service),
		cmocka_unit_test(journal_priorities),
		cmocka_unit_test(status_clients_that_never_read),
	};

	return cmocka_run_group_tests_name("service", tests, NULL, NULL);
}
