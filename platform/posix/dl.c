/* SPDX-License-Identifier: Apache-2.0 */
/*
 * os_library_open and os_library_symbol (os.h) on POSIX: dlopen and dlsym,
 * for the libraries loaded when first needed (libcrypto, libsqlite3).
 */
#include <dlfcn.h>
#include <stdio.h>

#include "os.h"

void *os_library_open(const char *name, char *err, size_t err_len)
{
	void *lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);

	if (lib == NULL)
		snprintf(err, err_len, "cannot load %s: %s", name, dlerror());
	return lib;
}

void *os_library_symbol(void *lib, const char *symbol)
{
	return dlsym(lib, symbol);
}
