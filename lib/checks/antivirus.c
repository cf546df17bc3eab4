/* SPDX-License-Identifier: Apache-2.0 */
/*
 * antivirus: an antivirus is on and its signatures are recent. Pass when a
 * product the OS knows of (Windows Security Center) is on with current
 * signatures; when that product is Microsoft Defender, or the OS keeps no
 * register, Defender's own status must also show real-time protection on
 * (require_realtime) and signatures at most max_signature_age_days old.
 */
#include <stdio.h>

#include "checks.h"

static const struct key_spec keys[] = {
	{ .name = "max_signature_age_days", .kind = KEY_INT, .def = "7", .min = 0, .max = 365 },
	{ .name = "require_realtime", .kind = KEY_BOOL, .def = "true" },
	{ .name = NULL },
};

static void default_title(const struct check *c, char *buf, size_t len)
{
	(void)c;
	snprintf(buf, len, "An antivirus is on with recent signatures");
}

const struct check_type check_type_antivirus = {
	.name = "antivirus",
	.keys = keys,
	.default_title = default_title,
	.remediation = "Turn on the antivirus and let it update its signatures.",
};
