/* SPDX-License-Identifier: Apache-2.0 */
/*
 * checks: the table of check types. See checks.h.
 */
#include "checks.h"

#include <string.h>

/* One entry per type, in the order the README documents them. */
/* clang-format off */
const struct check_type *const check_types[] = {
	&check_type_os_patch,
	&check_type_browser_version,
	&check_type_disk_encryption,
	&check_type_screen_lock,
	&check_type_secure_boot,
	&check_type_auto_updates,
	&check_type_firewall,
	&check_type_package_version,
	&check_type_os_version,
	&check_type_file_content,
	&check_type_file_age,
	&check_type_sysctl,
	&check_type_process_running,
	NULL,
};
/* clang-format on */

const struct check_type *check_type_find(const char *name)
{
	size_t i;

	for (i = 0; check_types[i] != NULL; i++)
		if (strcmp(check_types[i]->name, name) == 0)
			return check_types[i];
	return NULL;
}
