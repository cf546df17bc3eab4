/* SPDX-License-Identifier: Apache-2.0 */
/*
 * checks: the table of check types. See checks.h.
 */
#include "checks.h"

#include <string.h>

/* One entry per type of checktypes.h, in its order. */
const struct check_type *const check_types[] = {
#define CHECK_TYPE_ENTRY(name) &check_type_##name,
	POSTURE_CHECK_TYPES(CHECK_TYPE_ENTRY)
#undef CHECK_TYPE_ENTRY
	    NULL,
};

const struct check_type *check_type_find(const char *name)
{
	size_t i;

	for (i = 0; check_types[i] != NULL; i++)
		if (strcmp(check_types[i]->name, name) == 0)
			return check_types[i];
	return NULL;
}

size_t check_type_index(const struct check_type *t)
{
	size_t i;

	for (i = 0; check_types[i] != NULL; i++)
		if (check_types[i] == t)
			return i;
	return CHECK_TYPE_COUNT;
}
