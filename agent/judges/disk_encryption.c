/* SPDX-License-Identifier: Apache-2.0 */
/*
 * disk_encryption: the judge (see lib/checks/disk_encryption.c for the keys).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "judges.h"
#include "checks/disk_encryption.h"
#include "engine.h"

static int exempt(const struct check *c, const char *mount)
{
	const struct key_value *ex = check_value(c, "exempt");
	size_t i;

	for (i = 0; i < ex->n_items; i++)
		if (strcmp(ex->items[i], mount) == 0)
			return 1;
	return 0;
}

static void append(char *buf, size_t len, const char *fmt, const char *a, const char *b)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s", used ? "; " : "");
	used = strlen(buf);
	snprintf(buf + used, len - used, fmt, a, b);
}

static void evaluate(const struct check *c, struct eval_ctx *ctx, struct result *r)
{
	int probe_rc;
	long long scope = check_value(c, "scope")->num;
	int want_swap = (int)check_value(c, "require_swap")->num;
	int want_removable = (int)check_value(c, "require_removable")->num;
	struct volume *v = NULL;
	size_t n = 0, i, judged = 0, bad = 0, unknown = 0;
	char bad_list[1024] = "", unknown_list[1024] = "", err[256];
	json_t *list = NULL;

	probe_rc = probe_disk_encryption(ctx->root, &v, &n, err, sizeof(err));
	if (result_unsupported(r, probe_rc, err))
		return;
	if (probe_rc != 0) {
		result_set(r, STATUS_ERROR, "The disks could not be listed: %s.", err);
		return;
	}
	if (r->observed != NULL)
		list = json_array();
	for (i = 0; i < n; i++) {
		int counts = 0;

		if (list != NULL) {
			json_t *item = json_object();

			json_object_set_new(item, "mount",
			                    v[i].mount[0] ? json_string(v[i].mount) : json_null());
			json_object_set_new(item, "device", json_string(v[i].device));
			json_object_set_new(item, "encrypted",
			                    v[i].encrypted < 0 ? json_null()
			                                       : json_boolean(v[i].encrypted));
			json_object_set_new(item, "method",
			                    v[i].method[0] ? json_string(v[i].method)
			                                   : json_null());
			json_object_set_new(item, "fstype", json_string(v[i].fstype));
			if (v[i].stack[0])
				json_object_set_new(item, "stack", json_string(v[i].stack));
			if (v[i].reason[0])
				json_object_set_new(item, "reason", json_string(v[i].reason));
			if (v[i].protectors[0])
				json_object_set_new(item, "key_protectors",
				                    json_string(v[i].protectors));
			if (v[i].system)
				json_object_set_new(item, "system", json_true());
			if (v[i].kind == VOLUME_UNOPENED)
				json_object_set_new(item, "opened", json_false());
			if (v[i].kind == VOLUME_REMOVABLE)
				json_object_set_new(item, "removable", json_true());
			/* fscrypt and eCryptfs protect directories, not the volume:
			 * reported, not counted. */
			json_object_set_new(
			    item, "level",
			    json_string(v[i].kind == VOLUME_DIRECTORY ? "directory" : "volume"));
			json_array_append_new(list, item);
		}
		if (v[i].kind == VOLUME_FILESYSTEM)
			counts = !exempt(c, v[i].mount) && (scope == DISK_SCOPE_ALL || v[i].system);
		else if (v[i].kind == VOLUME_SWAP)
			counts = want_swap;
		else if (v[i].kind == VOLUME_REMOVABLE)
			counts = want_removable && !exempt(c, v[i].mount);
		if (!counts)
			continue;
		judged++;
		if (v[i].encrypted == 0) {
			bad++;
			append(bad_list, sizeof(bad_list), "%s (%s)",
			       v[i].kind == VOLUME_SWAP ? "swap" : v[i].mount, v[i].device);
			/* why a volume with encryption does not count: suspended,
			 * still being encrypted */
			if (v[i].reason[0] && strcmp(v[i].method, "none") != 0) {
				size_t used = strlen(bad_list);

				snprintf(bad_list + used, sizeof(bad_list) - used, ": %s",
				         v[i].reason);
			}
		} else if (v[i].encrypted < 0) {
			unknown++;
			append(unknown_list, sizeof(unknown_list), "%s: %s", v[i].mount,
			       v[i].reason);
		}
	}
	if (list != NULL)
		json_object_set_new(r->observed, "volumes", list);
	if (r->expected != NULL) {
		json_object_set_new(r->expected, "scope",
		                    json_string(check_value(c, "scope")->text));
		json_object_set_new(r->expected, "require_swap", json_boolean(want_swap));
		if (want_removable)
			json_object_set_new(r->expected, "require_removable", json_true());
	}
	free(v);
	if (bad > 0) {
		result_set(r, STATUS_FAIL, "Not encrypted: %s.", bad_list);
		result_fix(r, "disk_encryption", NULL);
	} else if (unknown > 0) {
		result_set(r, STATUS_ERROR, "Encryption could not be determined for %s.",
		           unknown_list);
	} else if (judged == 0) {
		result_set(r, STATUS_ERROR, "No persistent local filesystem was found to check.");
	} else {
		result_set(r, STATUS_PASS, "All %zu volume%s in scope %s encrypted.", judged,
		           judged == 1 ? "" : "s", judged == 1 ? "is" : "are");
	}
}

const struct check_judge check_judge_disk_encryption = {
	.evaluate = evaluate,
};
