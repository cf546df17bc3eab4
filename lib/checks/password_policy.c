/* SPDX-License-Identifier: Apache-2.0 */
/*
 * password_policy: new passwords must be at least min_length characters
 * long, as the system's password-change rules enforce it (Linux: PAM's
 * passwd stack with pam_pwquality and pam_unix), and no account may have an
 * empty password. The shared-responsibility model asks for strong
 * passwords; length is what NIST SP 800-63B asks of them.
 */
#include <stdio.h>

#include "checks.h"

static const char *const empty_choices[] = { "fail", "ignore", NULL };

static const struct key_spec keys[] = {
	{ .name = "min_length", .kind = KEY_INT, .def = "12", .min = 1, .max = 256 },
	{ .name = "empty_passwords", .kind = KEY_ENUM, .def = "fail", .choices = empty_choices },
	{ .name = NULL },
};

static void default_title(const struct check *c, char *buf, size_t len)
{
	snprintf(buf, len, "Passwords have at least %lld characters%s",
	         check_value(c, "min_length")->num,
	         check_value(c, "empty_passwords")->num == 0 ? " and none is empty" : "");
}

const struct check_type check_type_password_policy = {
	.name = "password_policy",
	.keys = keys,
	.default_title = default_title,
	.remediation = "Require longer passwords for every account, and give every account "
	               "without a password one, or lock it.",
};
