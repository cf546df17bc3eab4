/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sandbox (Linux): see sandbox.h. The shape of OpenSSH's sandbox-seccomp-filter.c,
 * written with libseccomp rather than raw BPF.
 */
#define _GNU_SOURCE
#include "sandbox.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef HAVE_SECCOMP
#include <seccomp.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZER_BUILD 1
#endif
#endif

/* 0 when this process holds no capability (permitted, effective or
 * ambient), after clearing the ambient set; -1 with ERR naming them. */
static int no_capabilities(char *err, size_t err_len)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) != 0) {
		snprintf(err, err_len, "capget: %s", strerror(errno));
		return -1;
	}
	if (data[0].permitted | data[1].permitted | data[0].effective | data[1].effective) {
		snprintf(err, err_len,
		         "the network process holds capabilities (permitted %08x%08x); it must "
		         "be started without any",
		         data[1].permitted, data[0].permitted);
		return -1;
	}
	return 0;
}

int sandbox_drop_user(const char *user, char *who, size_t who_len, char *err, size_t err_len)
{
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

#ifdef SANITIZER_BUILD
	/* LeakSanitizer reads /proc/PID/task and ptraces the process at exit,
	 * which a process that changed its uid cannot do; the sanitizer build
	 * (make test's second pass) keeps root and the system-call filter, the
	 * plain build tests the change of user */
	if (geteuid() == 0) {
		snprintf(who, who_len, "root (sanitizer build)");
		return 0;
	}
#endif
	if (geteuid() != 0) {
		pw = getpwuid(geteuid());
		snprintf(who, who_len, "%s", pw ? pw->pw_name : "(unnamed user)");
		/* started by an unprivileged service (the posture user with
		 * ambient capabilities under systemd): none may reach here */
		return no_capabilities(err, err_len);
	}
	pw = getpwnam(user);
	if (pw == NULL)
		pw = getpwnam("nobody");
	if (pw == NULL || pw->pw_uid == 0) {
		snprintf(err, err_len,
		         "neither the %s user nor nobody exists to run the network as", user);
		return -1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	snprintf(who, who_len, "%s", pw->pw_name);
	if (setgroups(0, NULL) != 0 || setresgid(gid, gid, gid) != 0 ||
	    setresuid(uid, uid, uid) != 0) {
		snprintf(err, err_len, "cannot become %s: %s", who, strerror(errno));
		return -1;
	}
	/* and make sure there is no way back */
	if (setresuid(0, 0, 0) == 0 || geteuid() == 0) {
		snprintf(err, err_len, "root could be regained after dropping to %s", who);
		return -1;
	}
	return 0;
}

#ifdef HAVE_SECCOMP
/* What libuv's epoll loop, libcurl (with its threaded resolver), OpenSSL,
 * glibc's resolver and malloc use, found by strace over every test of
 * tests/unit/test_transport.c. */
static const char *const allowed[] = {
	"read",
	"write",
	"readv",
	"writev",
	"pread64",
	"close",
	"fstat",
	"newfstatat",
	"statx",
	"lseek",
	"openat",
	"fcntl",
	"ioctl",
	"access",
	"faccessat",
	"faccessat2",
	"readlink",
	"getdents64",
	/* memory */
	"brk",
	"mmap",
	"munmap",
	"mremap",
	"mprotect",
	"madvise",
	/* the loop */
	"epoll_create1",
	"epoll_ctl",
	"epoll_wait",
	"epoll_pwait",
	"poll",
	"ppoll",
	"pipe2",
	"eventfd2",
	"timerfd_create",
	"timerfd_settime",
	/* sockets */
	"socket",
	"connect",
	"getsockopt",
	"setsockopt",
	"getsockname",
	"getpeername",
	"sendto",
	"recvfrom",
	"sendmsg",
	"recvmsg",
	"sendmmsg",
	"shutdown",
	"bind",
	"socketpair",
	/* threads (libcurl resolves names on a thread) */
	"clone",
	"clone3",
	"futex",
	"set_robust_list",
	"rseq",
	"exit",
	"exit_group",
	"sched_yield",
	"sched_getaffinity",
	"gettid",
	"getpid",
	"tgkill",
	/* time, randomness, signals */
	"clock_gettime",
	"clock_nanosleep",
	"nanosleep",
	"gettimeofday",
	"getrandom",
	"rt_sigaction",
	"rt_sigprocmask",
	"rt_sigreturn",
	"sigaltstack",
	"restart_syscall",
	/* identity lookups that libraries make */
	"getuid",
	"geteuid",
	"getgid",
	"getegid",
	"uname",
	"prlimit64",
	"sysinfo",
#ifdef SANITIZER_BUILD
	/* LeakSanitizer stops the process at exit from a traced clone */
	"prctl",
	"ptrace",
	"wait4",
	"waitid",
	"getppid",
	"kill",
	"process_vm_readv",
	"open",
	"getdents",
	"stat",
	"lstat",
	"readlinkat",
	"dup",
	"dup2",
	"pipe",
#endif
};
#endif

int sandbox_enter(char *err, size_t err_len)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, err_len, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return -1;
	}
#ifdef HAVE_SECCOMP
	{
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
		size_t i;
		int rc;

		if (ctx == NULL) {
			snprintf(err, err_len, "seccomp_init failed");
			return -1;
		}
		for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
			int nr = seccomp_syscall_resolve_name(allowed[i]);

			/* a call this architecture does not have is simply absent */
			if (nr == __NR_SCMP_ERROR)
				continue;
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
			if (rc != 0) {
				snprintf(err, err_len, "seccomp: cannot allow %s: %s", allowed[i],
				         strerror(-rc));
				seccomp_release(ctx);
				return -1;
			}
		}
		rc = seccomp_load(ctx);
		seccomp_release(ctx);
		if (rc != 0) {
			snprintf(err, err_len, "seccomp: cannot load the filter: %s",
			         strerror(-rc));
			return -1;
		}
	}
#endif
	return 0;
}
