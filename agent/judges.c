/* SPDX-License-Identifier: Apache-2.0 */
/*
 * judges: every type's judge, in the order of check_types[]. See judges.h.
 */
#include "judges.h"

#include <stddef.h>

static const struct check_judge *const judges[] = {
#define CHECK_JUDGE_ENTRY(name) &check_judge_##name,
	POSTURE_CHECK_TYPES(CHECK_JUDGE_ENTRY)
#undef CHECK_JUDGE_ENTRY
};

const struct check_judge *judge_for(const struct check_type *t)
{
	size_t i = check_type_index(t);

	return i < CHECK_TYPE_COUNT ? judges[i] : NULL;
}
