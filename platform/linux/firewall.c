/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: whether unsolicited input is dropped.
 *
 * On the running system the kernel's own ruleset is read over netlink with
 * libnftnl (nftables, and iptables-nft, which is what Debian's and Fedora's
 * iptables commands drive): every base chain on the input hook of the ip,
 * ip6 and inet families, its policy, and its last rule. Input is dropped
 * for a protocol when such a chain drops by policy, or ends in a rule that
 * drops or rejects unconditionally (firewalld's zones end that way, with
 * policy accept).
 *
 * Below another root (an image, a container's tree) there is no kernel to
 * ask, so the configuration is read instead: ufw (ENABLED=yes, and a DROP or
 * REJECT input policy), firewalld (enabled, its default zone not "trusted"),
 * or nftables.service with an input chain of policy drop in
 * /etc/nftables.conf.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../probe.h"
#include "../probeset.h"

struct input_chain {
	char table[64], chain[64];
	uint32_t family;
	int policy_drop;
	int ends_in_drop;
};

struct scan {
	struct input_chain chains[32];
	size_t n;
};

static int on_chain(const struct nlmsghdr *nlh, void *data)
{
	struct scan *s = data;
	struct nftnl_chain *c = nftnl_chain_alloc();
	uint32_t family;

	if (c == NULL)
		return MNL_CB_ERROR;
	if (nftnl_chain_nlmsg_parse(nlh, c) == 0 && nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM) &&
	    nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM) == NF_INET_LOCAL_IN && s->n < 32) {
		family = nftnl_chain_get_u32(c, NFTNL_CHAIN_FAMILY);
		if (family == NFPROTO_INET || family == NFPROTO_IPV4 || family == NFPROTO_IPV6) {
			struct input_chain *ic = &s->chains[s->n++];

			memset(ic, 0, sizeof(*ic));
			snprintf(ic->table, sizeof(ic->table), "%s",
			         nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE));
			snprintf(ic->chain, sizeof(ic->chain), "%s",
			         nftnl_chain_get_str(c, NFTNL_CHAIN_NAME));
			ic->family = family;
			ic->policy_drop = nftnl_chain_is_set(c, NFTNL_CHAIN_POLICY) &&
			                  nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY) == NF_DROP;
		}
	}
	nftnl_chain_free(c);
	return MNL_CB_OK;
}

struct rule_scan {
	struct scan *s;
	int last_unconditional_drop[32]; /* per chain, of the last rule seen */
};

/* A rule drops unconditionally when it has no match: only counters, logs
 * and a drop verdict or a reject. */
static int on_expr(struct nftnl_expr *e, void *data)
{
	int *state = data; /* 0 unknown, 1 drop so far, -1 conditional or not a drop */
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

	if (*state < 0)
		return 0;
	if (strcmp(name, "counter") == 0 || strcmp(name, "log") == 0)
		return 0;
	if (strcmp(name, "reject") == 0) {
		*state = 1;
		return 0;
	}
	if (strcmp(name, "immediate") == 0 && nftnl_expr_is_set(e, NFTNL_EXPR_IMM_VERDICT)) {
		*state = nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT) == NF_DROP ? 1 : -1;
		return 0;
	}
	*state = -1;
	return 0;
}

static int on_rule(const struct nlmsghdr *nlh, void *data)
{
	struct rule_scan *rs = data;
	struct nftnl_rule *r = nftnl_rule_alloc();
	size_t i;

	if (r == NULL)
		return MNL_CB_ERROR;
	if (nftnl_rule_nlmsg_parse(nlh, r) == 0) {
		const char *table = nftnl_rule_get_str(r, NFTNL_RULE_TABLE);
		const char *chain = nftnl_rule_get_str(r, NFTNL_RULE_CHAIN);
		uint32_t family = nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY);

		for (i = 0; i < rs->s->n; i++) {
			struct input_chain *ic = &rs->s->chains[i];
			int state = 0;

			if (ic->family != family || strcmp(ic->table, table) != 0 ||
			    strcmp(ic->chain, chain) != 0)
				continue;
			/* Rules come in chain order: the last one seen is the last. */
			nftnl_expr_foreach(r, on_expr, &state);
			rs->last_unconditional_drop[i] = state == 1;
		}
	}
	nftnl_rule_free(r);
	return MNL_CB_OK;
}

static int dump(struct mnl_socket *nl, uint16_t cmd, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t seq = (uint32_t)time(NULL), portid = mnl_socket_get_portid(nl);
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf, cmd, NFPROTO_UNSPEC, NLM_F_DUMP, seq);
	ssize_t n;
	int rc;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		rc = mnl_cb_run(buf, (size_t)n, seq, portid, cb, data);
		if (rc == MNL_CB_STOP)
			return 0;
		if (rc < 0)
			return -errno;
	}
	return n < 0 ? -errno : 0;
}

static int live(struct firewall_state *out, char *err, size_t err_len)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	struct scan s = { .n = 0 };
	struct rule_scan rs = { .s = &s };
	size_t i;
	int rc;

	if (nl == NULL || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, err_len, "cannot open a netfilter netlink socket: %s",
		         strerror(errno));
		if (nl != NULL)
			mnl_socket_close(nl);
		return -errno;
	}
	rc = dump(nl, NFT_MSG_GETCHAIN, on_chain, &s);
	if (rc == 0 && s.n > 0)
		rc = dump(nl, NFT_MSG_GETRULE, on_rule, &rs);
	mnl_socket_close(nl);
	if (rc != 0) {
		snprintf(err, err_len, "cannot read the nftables ruleset: %s",
		         rootfs_strerror(-rc));
		return rc;
	}
	snprintf(out->source, sizeof(out->source), "kernel ruleset (nftables)");
	for (i = 0; i < s.n; i++) {
		const struct input_chain *ic = &s.chains[i];
		int drops = ic->policy_drop || rs.last_unconditional_drop[i];
		size_t used = strlen(out->detail);

		snprintf(out->detail + used, sizeof(out->detail) - used, "%s%s %s %s: %s",
		         used ? "; " : "",
		         ic->family == NFPROTO_INET   ? "inet"
		         : ic->family == NFPROTO_IPV4 ? "ip"
		                                      : "ip6",
		         ic->table, ic->chain,
		         ic->policy_drop                 ? "policy drop"
		         : rs.last_unconditional_drop[i] ? "ends in drop/reject"
		                                         : "accepts by default");
		if (!drops)
			continue;
		if (ic->family == NFPROTO_INET || ic->family == NFPROTO_IPV4)
			out->ipv4_drops = 1;
		if (ic->family == NFPROTO_INET || ic->family == NFPROTO_IPV6)
			out->ipv6_drops = 1;
	}
	out->n_input_chains = s.n;
	return 0;
}

/* --- configuration -------------------------------------------------------- */

static int file_has(const struct rootfs *root, const char *path, const char *needle)
{
	char *buf = NULL;
	int found;

	if (rootfs_read_file(root, path, 1 << 20, &buf, NULL) != 0)
		return 0;
	found = strstr(buf, needle) != NULL;
	free(buf);
	return found;
}

static int service_enabled(const struct rootfs *root, const char *unit)
{
	char path[256], target[256];

	snprintf(path, sizeof(path), "/etc/systemd/system/multi-user.target.wants/%s", unit);
	return rootfs_readlink(root, path, target, sizeof(target)) >= 0;
}

static void configured(const struct rootfs *root, struct firewall_state *out)
{
	snprintf(out->source, sizeof(out->source), "configuration (no kernel to ask below --root)");
	if (file_has(root, "/etc/ufw/ufw.conf", "\nENABLED=yes") ||
	    file_has(root, "/etc/ufw/ufw.conf", "ENABLED=yes\n")) {
		int drop = file_has(root, "/etc/default/ufw", "DEFAULT_INPUT_POLICY=\"DROP\"") ||
		           file_has(root, "/etc/default/ufw", "DEFAULT_INPUT_POLICY=\"REJECT\"");

		snprintf(out->detail, sizeof(out->detail), "ufw enabled, input policy %s",
		         drop ? "drop/reject" : "accept");
		out->ipv4_drops = out->ipv6_drops = drop;
		return;
	}
	if (service_enabled(root, "firewalld.service")) {
		char *conf = NULL, zone[64] = "public";
		const char *p;
		int open_zone;

		if (rootfs_read_file(root, "/etc/firewalld/firewalld.conf", 1 << 20, &conf, NULL) ==
		    0) {
			for (p = conf; (p = strstr(p, "DefaultZone=")) != NULL; p++)
				if (p == conf || p[-1] == '\n')
					snprintf(zone, sizeof(zone), "%.*s",
					         (int)strcspn(p + 12, "\r\n"), p + 12);
			free(conf);
		}
		/* "trusted" accepts everything; Fedora Workstation's own zone
		 * accepts every port from 1025 up. */
		open_zone = strcmp(zone, "trusted") == 0 || strcmp(zone, "FedoraWorkstation") == 0;
		snprintf(out->detail, sizeof(out->detail),
		         "firewalld enabled, default zone %s (%s)", zone,
		         open_zone ? "accepts unsolicited input" : "rejects unsolicited input");
		out->ipv4_drops = out->ipv6_drops = !open_zone;
		return;
	}
	if (service_enabled(root, "nftables.service")) {
		char *conf = NULL;
		int drop = 0;

		if (rootfs_read_file(root, "/etc/nftables.conf", 1 << 20, &conf, NULL) == 0) {
			const char *hook = strstr(conf, "hook input");

			drop = hook != NULL && strstr(hook, "policy drop") != NULL;
			free(conf);
		}
		snprintf(out->detail, sizeof(out->detail),
		         "nftables.service enabled, /etc/nftables.conf input policy %s",
		         drop ? "drop" : "accept");
		out->ipv4_drops = out->ipv6_drops = drop;
		return;
	}
	snprintf(out->detail, sizeof(out->detail), "no ufw, firewalld or nftables.service enabled");
}

int native_probe_firewall(const struct rootfs *root, struct firewall_state *out, char *err,
                          size_t err_len)
{
	char *v6 = NULL;

	memset(out, 0, sizeof(*out));
	if (rootfs_read_file(root, "/proc/sys/net/ipv6/conf/all/disable_ipv6", 64, &v6, NULL) ==
	    0) {
		out->ipv6_disabled = v6[0] == '1';
		free(v6);
	}
	if (rootfs_is_host(root))
		return live(out, err, err_len);
	configured(root, out);
	return 0;
}
