/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the macOS commands' answers (platform/darwin/answers.c).
 * The input is split at NUL bytes into the answers of fdesetup status,
 * sysadminctl -screenLock status, socketfilterfw, csrutil status, spctl
 * --status, diskutil apfs list -plist and softwareupdate --list, and each
 * is read as the probes
 * read it. Every field must stay in its range and every quoted line inside
 * its buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "darwin/darwin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *part[7] = { 0 };
	const uint8_t *p = data, *end = data + size;
	struct darwin_firewall fw;
	char what[160], err[256];
	struct pl_doc *doc = NULL;
	long long delay = -1;
	int on, ask = -1;

	for (int i = 0; i < 7; i++) {
		const uint8_t *nul = p < end ? memchr(p, 0, (size_t)(end - p)) : NULL;
		size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);

		part[i] = malloc(n + 1);
		if (part[i] == NULL)
			abort();
		if (n)
			memcpy(part[i], p, n);
		part[i][n] = '\0';
		p += n + (nul ? 1 : 0);
	}
	if (darwin_parse_fdesetup(part[0], what, sizeof(what)) > DARWIN_FV_DECRYPTING ||
	    strlen(what) >= sizeof(what))
		__builtin_trap();
	if (darwin_parse_sysadminctl_lock(part[1], &ask, &delay) == 0 &&
	    ((ask != 0 && ask != 1) || delay < 0))
		__builtin_trap();
	if (darwin_parse_socketfilterfw(part[2], &fw, err, sizeof(err)) == 0 &&
	    (fw.global < 0 || fw.global > 2 || fw.block_all < -1 || fw.block_all > 1 ||
	     fw.stealth < -1 || fw.stealth > 1))
		__builtin_trap();
	on = -1;
	if (darwin_parse_csrutil(part[3], &on, what, sizeof(what)) == 0 && on != 0 && on != 1)
		__builtin_trap();
	on = -1;
	if (darwin_parse_spctl(part[4], &on, what, sizeof(what)) == 0 && on != 0 && on != 1)
		__builtin_trap();
	if (pl_parse(part[5], strlen(part[5]), &doc, err, sizeof(err)) == 0) {
		const struct pl_node *vol = darwin_boot_volume(pl_root(doc));

		if (vol != NULL && vol->type != PL_DICT)
			__builtin_trap();
		pl_free(doc);
	}
	{
		struct darwin_su_item items[4];
		size_t n = 99;

		if (darwin_parse_softwareupdate_list(part[6], items, 4, &n) == 0 && n > 4)
			__builtin_trap();
		for (size_t i = 0; i < n && i < 4; i++)
			if (strlen(items[i].label) >= sizeof(items[i].label) ||
			    strlen(items[i].title) >= sizeof(items[i].title) ||
			    strlen(items[i].version) >= sizeof(items[i].version))
				__builtin_trap();
	}
	for (int i = 0; i < 7; i++)
		free(part[i]);
	return 0;
}
