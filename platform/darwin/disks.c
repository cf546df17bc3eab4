/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/disks: FileVault, for the boot volume group (the volume macOS
 * runs from, "/"). Whether it is on is the running Mac's to say; a Mac's
 * disk readable here may have been unlocked to be mounted, so no file on
 * it is taken for the answer. The facts are two commands' answers
 * (darwin.h: run on the Mac, or captured there and given with --captured):
 *
 * - fdesetup status decides the state, by its lines (the wording rtrouton's
 *   check_apfs_encryption extension attribute documents): "FileVault is
 *   On." on, "FileVault is Off." off, a line beginning "Encryption in
 *   progress" encrypting, "Decryption in progress" decrypting. Encrypting
 *   and decrypting do not count as encrypted (the data is not all
 *   protected yet, or no longer); each says so in the reason. Anything
 *   else is an error quoting the first line.
 * - diskutil apfs list -plist, where it is there, names the volume: in the
 *   container holding the Preboot and Recovery roles, the volume with the
 *   Data role (macOS 10.15 and later split System and Data), else the one
 *   with no role (macOS 10.13 and 10.14). Its FileVault flag must agree
 *   with fdesetup's On or Off; when it does not, the volume is unknown
 *   with both answers in the reason, never a guess between them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../probe.h"
#include "../probeset.h"
#include "darwin.h"

enum fv_state { FV_UNKNOWN, FV_ON, FV_OFF, FV_ENCRYPTING, FV_DECRYPTING };

static int starts(const char *line, const char *prefix)
{
	return strncmp(line, prefix, strlen(prefix)) == 0;
}

/* The state fdesetup status says; FV_UNKNOWN with its first line in WHAT. */
static enum fv_state fdesetup_state(const char *text, char *what, size_t what_len)
{
	enum fv_state st = FV_UNKNOWN;
	const char *p = text;

	what[0] = '\0';
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char line[256];

		snprintf(line, sizeof(line), "%.*s", (int)(n < 255 ? n : 255), p);
		if (line[0] && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		if (what[0] == '\0' && line[0])
			snprintf(what, what_len, "%s", line);
		if (starts(line, "Encryption in progress"))
			return FV_ENCRYPTING;
		if (starts(line, "Decryption in progress"))
			return FV_DECRYPTING;
		if (starts(line, "FileVault is On"))
			st = FV_ON;
		else if (starts(line, "FileVault is Off"))
			st = FV_OFF;
		p += n;
		if (*p == '\n')
			p++;
	}
	return st;
}

static int has_role(const struct pl_node *vol, const char *role)
{
	const struct pl_node *roles = pl_get(vol, "Roles");

	if (roles == NULL || roles->type != PL_ARRAY)
		return 0;
	for (size_t i = 0; i < roles->len; i++) {
		const char *r = pl_str(roles->v.items[i]);

		if (role == NULL ? r != NULL : r != NULL && strcmp(r, role) == 0)
			return 1;
	}
	return 0;
}

/* The boot volume's dictionary in diskutil apfs list -plist, or NULL. */
static const struct pl_node *boot_volume(const struct pl_node *top)
{
	const struct pl_node *containers = pl_get(top, "Containers");

	if (containers == NULL || containers->type != PL_ARRAY)
		return NULL;
	for (size_t c = 0; c < containers->len; c++) {
		const struct pl_node *vols = pl_get(containers->v.items[c], "Volumes");
		const struct pl_node *data = NULL, *roleless = NULL;
		int preboot = 0, recovery = 0;

		if (vols == NULL || vols->type != PL_ARRAY)
			continue;
		for (size_t v = 0; v < vols->len; v++) {
			const struct pl_node *vol = vols->v.items[v];

			preboot |= has_role(vol, "Preboot");
			recovery |= has_role(vol, "Recovery");
			if (data == NULL && has_role(vol, "Data"))
				data = vol;
			if (roleless == NULL && !has_role(vol, NULL))
				roleless = vol;
		}
		if (preboot && recovery)
			return data ? data : roleless;
	}
	return NULL;
}

int darwin_probe_disk_encryption(const struct rootfs *root, struct volume **out, size_t *n_out,
                                 char *err, size_t err_len)
{
	char *text = NULL, what[256], why[512];
	size_t len = 0;
	struct volume *v;
	enum fv_state st;
	int rc;

	*out = NULL;
	*n_out = 0;
	rc = darwin_command_answer(root, DARWIN_FDESETUP_STATUS, 64u << 10, &text, &len, err,
	                           err_len);
	if (rc != 0)
		return rc;
	st = fdesetup_state(text, what, sizeof(what));
	free(text);
	if (st == FV_UNKNOWN) {
		snprintf(err, err_len, "%s said what is not known here: \"%s\"",
		         darwin_command_line(DARWIN_FDESETUP_STATUS), what);
		return -EINVAL;
	}
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	v->kind = VOLUME_FILESYSTEM;
	v->system = 1;
	snprintf(v->mount, sizeof(v->mount), "/");
	snprintf(v->fstype, sizeof(v->fstype), "apfs");
	snprintf(v->device, sizeof(v->device), "the boot volume");
	snprintf(v->method, sizeof(v->method), st == FV_OFF ? "none" : "filevault");
	v->encrypted = st == FV_ON;
	if (st == FV_ENCRYPTING)
		snprintf(v->reason, sizeof(v->reason), "FileVault is still encrypting it (%s)",
		         what);
	else if (st == FV_DECRYPTING)
		snprintf(v->reason, sizeof(v->reason), "FileVault is decrypting it (%s)", what);

	/* diskutil names the volume, and must agree */
	if (darwin_command_answer(root, DARWIN_DISKUTIL_APFS, 16u << 20, &text, &len, why,
	                          sizeof(why)) == 0) {
		struct pl_doc *doc = NULL;

		if (pl_parse(text, len, &doc, why, sizeof(why)) == 0) {
			const struct pl_node *vol = boot_volume(pl_root(doc));
			const char *dev = vol ? pl_str(pl_get(vol, "DeviceIdentifier")) : NULL;
			const char *name = vol ? pl_str(pl_get(vol, "Name")) : NULL;
			int fv = -1;

			if (dev != NULL)
				snprintf(v->device, sizeof(v->device), "%s (%s)", dev,
				         name ? name : "unnamed");
			if (vol != NULL && pl_bool(pl_get(vol, "FileVault"), &fv) == 0 &&
			    (st == FV_ON || st == FV_OFF) && fv != (st == FV_ON)) {
				v->encrypted = -1;
				snprintf(
				    v->reason, sizeof(v->reason),
				    "fdesetup says \"%s\" but diskutil says FileVault is %s on %s",
				    what, fv ? "on" : "off", v->device);
			}
			pl_free(doc);
		}
		free(text);
	}
	*out = v;
	*n_out = 1;
	return 0;
}
