/* SPDX-License-Identifier: Apache-2.0 */
/*
 * confine: see confine.h. Linux: capabilities (capset and the bounding
 * set), PR_SET_NO_NEW_PRIVS, and a seccomp filter written as raw BPF (the
 * agent does not link libseccomp): the shape of OpenSSH's
 * sandbox-seccomp-filter.c, as a deny list, since probes read through many
 * libraries (dlopen'd SQLite and libcrypto, netlink for nftables).
 */
#define _GNU_SOURCE
#include "confine.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#endif

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZER_BUILD 1
#endif
#endif

/* what the worker keeps */
#define KEEP ((1u << CAP_DAC_READ_SEARCH) | (1u << CAP_NET_ADMIN))

static int keep_two_capabilities(char *err, size_t err_len)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) != 0) {
		snprintf(err, err_len, "capget: %s", strerror(errno));
		return -1;
	}
	/* the bounding set first (it needs CAP_SETPCAP, which goes next) */
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (cap >= 32 || !(KEEP & (1u << cap)))
			(void)prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	data[0].permitted &= KEEP;
	data[0].effective &= KEEP;
	data[0].inheritable = 0;
	data[1].permitted = data[1].effective = data[1].inheritable = 0;
	if (syscall(SYS_capset, &hdr, data) != 0) {
		snprintf(err, err_len, "capset: %s", strerror(errno));
		return -1;
	}
	return 0;
}

#ifdef NATIVE_ARCH
#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define DENY_IF(nr, errno_value)                         \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((errno_value)&SECCOMP_RET_DATA))

static int filter(char *err, size_t err_len)
{
	struct sock_filter prog[] = {
		/* another architecture's calls (or x32's) are refused whole */
		LOAD(arch),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		LOAD(nr),
#ifdef __x86_64__
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
#endif
		/* no program runs */
		DENY_IF(__NR_execve, EPERM),
		DENY_IF(__NR_execveat, EPERM),
#ifndef SANITIZER_BUILD
		/* no other process is read or steered (LeakSanitizer needs it) */
		DENY_IF(__NR_ptrace, EPERM),
		DENY_IF(__NR_process_vm_writev, EPERM),
#endif
		/* no network: a socket only for netlink (nftables) or local */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fprog = { .len = (unsigned short)(sizeof(prog) / sizeof(prog[0])),
		                    .filter = prog };

	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) != 0) {
		snprintf(err, err_len, "seccomp: %s", strerror(errno));
		return -1;
	}
	return 0;
}
#endif

int confine_worker(char *err, size_t err_len)
{
	if (keep_two_capabilities(err, err_len) != 0)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, err_len, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return -1;
	}
#ifdef NATIVE_ARCH
	return filter(err, err_len);
#else
	return 0; /* no filter for this architecture: capabilities only */
#endif
}
