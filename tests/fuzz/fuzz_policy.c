/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the policy parser and every check type's validation. */
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct policy_env envs[] = { { .pkg_system = "deb" },
		                                  { .pkg_system = "rpm" },
		                                  { .pkg_system = NULL } };
	struct policy *p = NULL;
	struct diags d;

	diags_init(&d, "fuzz.ini");
	policy_parse("fuzz.ini", (const char *)data, size, &envs[size % 3], &p, &d);
	/* A policy is refused with errors or accepted with checks, never both
	 * and never neither. */
	if ((p == NULL) == (d.n_items == 0))
		__builtin_trap();
	if (p != NULL && p->n_checks == 0)
		__builtin_trap();
	policy_free(p);
	diags_free(&d);
	return 0;
}
