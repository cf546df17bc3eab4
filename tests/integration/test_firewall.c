/* SPDX-License-Identifier: Apache-2.0 */
/*
 * firewall against the kernel: each ruleset is loaded with the real nft
 * into a private network namespace (unshare(CLONE_NEWNET)), where the probe
 * then reads the kernel's ruleset over netlink; `nft list chains` there
 * confirms what was loaded. The configuration-only path is tested on the
 * fw-* fixture roots by test_cli.
 */
#define _GNU_SOURCE
#include "testutil.h"

#include <sched.h>

#include "probe.h"

struct scenario {
	const char *name;
	const char *ruleset;
	int ipv4, ipv6;
};

static const struct scenario scenarios[] = {
	{ "no ruleset", "", 0, 0 },
	{ "inet input chain with policy drop",
	  "table inet filter {\n chain input {\n  type filter hook input priority filter; policy "
	  "drop;\n  ct state established,related accept\n  iif \"lo\" accept\n }\n}\n",
	  1, 1 },
	{ "firewalld's shape: policy accept, ending in reject",
	  "table inet firewalld {\n chain filter_INPUT {\n  type filter hook input priority filter "
	  "+ "
	  "10; policy accept;\n  ct state established,related accept\n  iifname \"lo\" accept\n  "
	  "counter reject with icmpx admin-prohibited\n }\n}\n",
	  1, 1 },
	{ "iptables-nft's shape, IPv4 only",
	  "table ip filter {\n chain INPUT {\n  type filter hook input priority filter; policy "
	  "drop;\n }\n}\n",
	  1, 0 },
	{ "policy accept with a conditional drop only",
	  "table inet filter {\n chain input {\n  type filter hook input priority filter; policy "
	  "accept;\n  tcp dport 23 drop\n }\n}\n",
	  0, 0 },
};

static void rulesets_in_a_private_namespace(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		int status;
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0) {
			struct firewall_state f;
			struct rootfs *root;
			char err[256], path[] = "/tmp/posture-nft.XXXXXX";
			char *load[] = { "nft", "-f", path, NULL };
			char *list[] = { "nft", "list", "chains", NULL };
			char *out = NULL;
			int fd;

			if (unshare(CLONE_NEWNET) != 0)
				_exit(100);
			fd = mkstemp(path);
			if (fd < 0 ||
			    write(fd, scenarios[i].ruleset, strlen(scenarios[i].ruleset)) < 0)
				_exit(101);
			close(fd);
			if (scenarios[i].ruleset[0] != '\0' && tu_run(load, NULL, NULL) != 0)
				_exit(102);
			unlink(path);
			if (tu_run(list, &out, NULL) != 0)
				_exit(103);
			if ((strstr(out, "hook input") != NULL) !=
			    (scenarios[i].ruleset[0] != '\0'))
				_exit(104);
			if (rootfs_open(&root, "/", err, sizeof(err)) != 0 ||
			    probe_firewall(root, &f, err, sizeof(err)) != 0)
				_exit(105);
			_exit(f.ipv4_drops | f.ipv6_drops << 1);
		}
		waitpid(pid, &status, 0);
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) >= 100)
			fail_msg("%s: setup step %d failed (unshare or nft)", scenarios[i].name,
			         WEXITSTATUS(status) - 100);
		if ((WEXITSTATUS(status) & 1) != scenarios[i].ipv4 ||
		    (WEXITSTATUS(status) >> 1 & 1) != scenarios[i].ipv6)
			fail_msg("%s: probe says ipv4 %d ipv6 %d", scenarios[i].name,
			         WEXITSTATUS(status) & 1, WEXITSTATUS(status) >> 1 & 1);
		print_message("%s: ipv4 %s, ipv6 %s\n", scenarios[i].name,
		              scenarios[i].ipv4 ? "dropped" : "accepted",
		              scenarios[i].ipv6 ? "dropped" : "accepted");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rulesets_in_a_private_namespace),
	};

	return cmocka_run_group_tests_name("firewall", tests, NULL, NULL);
}
