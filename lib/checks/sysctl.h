/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sysctl: what the check type's keys (sysctl.c) and its judge
 * (agent/judges/sysctl.c) share.
 */
#ifndef POSTURE_CHECKS_SYSCTL_H
#define POSTURE_CHECKS_SYSCTL_H

/* The values of the "op" key, in the order of its choices. */
enum sysctl_op {
	SYSCTL_OP_EQ,
	SYSCTL_OP_NE,
	SYSCTL_OP_LT,
	SYSCTL_OP_LE,
	SYSCTL_OP_GT,
	SYSCTL_OP_GE
};

/* S as a whole decimal integer: 0, or -1 when it is not one. */
int sysctl_parse_integer(const char *s, long long *out);

#endif
