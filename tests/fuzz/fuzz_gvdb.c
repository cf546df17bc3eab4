/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: GVariant database files (dconf's, gschemas.compiled). */
#include <stddef.h>
#include <stdint.h>

#include "gvdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "/org/gnome/desktop/session/idle-delay",
		                            "/org/gnome/desktop/screensaver/lock-enabled",
		                            ".locks",
		                            "org.gnome.desktop.session",
		                            "idle-delay",
		                            "" };
	struct gvdb_file f;
	size_t i;

	if (gvdb_open_bytes(data, size, &f) != 0)
		return 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct gvdb_value v;
		struct gvdb_table t;
		long long n;

		if (gvdb_get_value(&f.root, keys[i], &v) == 0) {
			if (v.data + v.len > f.data + f.len ||
			    v.type + v.type_len > (const char *)f.data + f.len)
				__builtin_trap();
			gvdb_value_number(&v, &n, NULL);
		}
		if (gvdb_get_table(&f.root, keys[i], &t) == 0) {
			gvdb_has(&t, keys[0]);
			if (gvdb_get_value(&t, "idle-delay", &v) == 0)
				gvdb_value_number(&v, &n, NULL);
		}
	}
	gvdb_close(&f);
	return 0;
}
