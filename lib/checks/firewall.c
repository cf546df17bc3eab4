/* SPDX-License-Identifier: Apache-2.0 */
/*
 * firewall: unsolicited input is dropped, for IPv4 and (unless it is turned
 * off) IPv6: a ruleset that drops it, or ufw or firewalld enabled.
 */
#include <stdio.h>

#include "checks.h"

static const struct key_spec keys[] = {
	{ .name = NULL },
};

static void default_title(const struct check *c, char *buf, size_t len)
{
	(void)c;
	snprintf(buf, len, "A firewall drops unsolicited input");
}

const struct check_type check_type_firewall = {
	.name = "firewall",
	.keys = keys,
	.default_title = default_title,
	.remediation = "Turn on the firewall, so that it drops unsolicited input.",
};
