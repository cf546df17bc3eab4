/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry: reading the Windows registry, in UTF-8, for the probes.
 * Keys are opened read-only, in the 64-bit view unless VIEW says
 * KEY_WOW64_32KEY; nothing here writes.
 */
#ifndef POSTURE_WIN_REGISTRY_H
#define POSTURE_WIN_REGISTRY_H

#include <stddef.h>
#include <windows.h>

/* REG_SZ or REG_EXPAND_SZ (not expanded) NAME of ROOT\PATH into OUT as UTF-8.
 * 0, -ENOENT when the key or value is absent, -EINVAL when it is another
 * type, -ENAMETOOLONG when OUT is short. */
int reg_string(HKEY root, const char *path, const char *name, REGSAM view, char *out,
               size_t out_len);

/* REG_DWORD NAME of ROOT\PATH into *OUT. 0, -ENOENT or -EINVAL. A REG_SZ of
 * decimal digits is taken too: policies written by hand often are. */
int reg_dword(HKEY root, const char *path, const char *name, REGSAM view, unsigned long *out);

/* 1 when ROOT\PATH exists (and may be read), else 0. */
int reg_exists(HKEY root, const char *path, REGSAM view);

/* Calls FN for each subkey name of ROOT\PATH (UTF-8) until it returns
 * nonzero. 0, or -ENOENT when the key is absent. */
int reg_each_subkey(HKEY root, const char *path, REGSAM view,
                    int (*fn)(void *user, const char *name), void *user);

#endif
