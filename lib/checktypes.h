/* SPDX-License-Identifier: Apache-2.0 */
/*
 * checktypes: the one list of check types, as an X-macro (libuv's test
 * list is the model). Everything that enumerates the types is made from
 * it: the registry of keys (lib/checks.c), the agent's judges
 * (agent/judges.c), the platform-less build's stubs, and the test that
 * holds the documentation, the man page and the fuzz seeds to it
 * (tests/unit/test_registry.c). The order is the documented order.
 *
 * Adding a type: docs/internals/ADDING-A-CHECK.md.
 */
#ifndef POSTURE_CHECKTYPES_H
#define POSTURE_CHECKTYPES_H

/* clang-format off */
#define POSTURE_CHECK_TYPES(X) \
	X(os_patch)            \
	X(browser_version)     \
	X(disk_encryption)     \
	X(screen_lock)         \
	X(secure_boot)         \
	X(system_integrity)    \
	X(auto_updates)        \
	X(firewall)            \
	X(antivirus)           \
	X(package_version)     \
	X(os_version)          \
	X(file_content)        \
	X(file_age)            \
	X(sysctl)              \
	X(password_policy)     \
	X(process_running)
/* clang-format on */

#endif
