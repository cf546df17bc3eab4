/* SPDX-License-Identifier: Apache-2.0 */
/*
 * darwin/softwareupdate: pending updates and how updates install, from
 * /Library/Preferences/com.apple.SoftwareUpdate.plist, which
 * softwareupdated keeps, and its managed twin in /Library/Managed
 * Preferences/ (a configuration profile's com.apple.SoftwareUpdate
 * payload), whose settings win key by key.
 *
 * Pending (os_patch): RecommendedUpdates, one dictionary per update
 * (Identifier, Display Name, Display Version, and on macOS 11 and later
 * MobileSoftwareUpdate for the OS's own). LastUpdatesAvailable is not
 * read: macOS 15.4 stopped keeping it (root3nl/SupportApp#207). An update
 * counts as a security update when it is:
 *   - a minor update of macOS (Identifier "MSU_UPDATE_<build>_patch_<v>_minor"):
 *     Apple ships its security fixes in them;
 *   - Safari (Identifier beginning "Safari"): its releases carry WebKit's
 *     security fixes;
 *   - or named a security update ("Security" in its Display Name).
 * A major upgrade ("..._major") is pending but not a security update: the
 * running major still receives security fixes. When updates were last
 * checked for is LastSuccessfulDate (a check that reached Apple's
 * catalog); the last install is the newest softwareupdated entry of
 * /Library/Receipts/InstallHistory.plist. A Mac whose plist has no
 * LastSuccessfulDate has never checked: nothing to compare with, which
 * the judge says (n_indexes 0), never "no updates".
 *
 * Automatic updates (auto_updates): AutomaticCheckEnabled (checks),
 * AutomaticDownload, AutomaticallyInstallMacOSUpdates (installs macOS
 * updates), CriticalUpdateInstall (security responses and system files),
 * ConfigDataInstall (XProtect and Gatekeeper data). A key set nowhere is
 * macOS's default, and the detail says "default": checking, downloading
 * and the two security installs default to on, installing macOS updates
 * to off (Apple's Platform Deployment guide, "Software update settings").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../probe.h"
#include "../probeset.h"
#include "darwin.h"

#define SU_PREFS "/Library/Preferences/com.apple.SoftwareUpdate.plist"
#define SU_MANAGED "/Library/Managed Preferences/com.apple.SoftwareUpdate.plist"

struct su_prefs {
	struct pl_doc *local, *managed;
};

/* Reads both; 0, or a negative errno with ERR when the local one exists
 * but cannot be read (a missing one is not an error: *P's doc is NULL). */
static int su_read(const struct rootfs *root, struct su_prefs *p, char *err, size_t err_len)
{
	char why[512];
	int rc;

	memset(p, 0, sizeof(*p));
	rc = darwin_plist_read(root, SU_PREFS, &p->local, err, err_len);
	if (rc != 0 && rc != -ENOENT)
		return rc;
	rc = darwin_plist_read(root, SU_MANAGED, &p->managed, why, sizeof(why));
	if (rc != 0 && rc != -ENOENT) {
		pl_free(p->local);
		snprintf(err, err_len, "%s", why);
		return rc;
	}
	return 0;
}

static void su_free(struct su_prefs *p)
{
	pl_free(p->local);
	pl_free(p->managed);
}

/* KEY's boolean: the profile's, else the Mac's, else DEF. *FROM says
 * which: "managed", "set" or "default". */
static int su_bool(const struct su_prefs *p, const char *key, int def, const char **from)
{
	int b;

	if (p->managed && pl_bool(pl_get(pl_root(p->managed), key), &b) == 0) {
		*from = "managed";
		return b;
	}
	if (p->local && pl_bool(pl_get(pl_root(p->local), key), &b) == 0) {
		*from = "set";
		return b;
	}
	*from = "default";
	return def;
}

static int is_security(const char *id, const char *name)
{
	size_t l = id ? strlen(id) : 0;

	if (id != NULL && strncmp(id, "MSU_UPDATE_", 11) == 0 && l > 6 &&
	    strcmp(id + l - 6, "_minor") == 0)
		return 1;
	if (id != NULL && strncmp(id, "Safari", 6) == 0)
		return 1;
	return name != NULL && strstr(name, "Security") != NULL;
}

/* An item of softwareupdate --list: a macOS update within the running
 * major (its security fixes), Safari, or one named a security update. */
static int list_security(const struct darwin_su_item *it, long major)
{
	if (strncmp(it->title, "macOS", 5) == 0 || strncmp(it->label, "macOS", 5) == 0)
		return major > 0 && strtol(it->version, NULL, 10) == major;
	if (strncmp(it->label, "Safari", 6) == 0 || strncmp(it->title, "Safari", 6) == 0)
		return 1;
	return strstr(it->title, "Security") != NULL;
}

#define LIST_MAX 64

/* The pending updates from softwareupdate --list's TEXT into OUT. */
static int from_list(const struct rootfs *root, const char *text, struct patch_state *out,
                     char *err, size_t err_len)
{
	struct darwin_su_item *items = calloc(LIST_MAX, sizeof(*items));
	long major = darwin_os_major(root);
	size_t n = 0;

	if (items == NULL)
		return -ENOMEM;
	if (darwin_parse_softwareupdate_list(text, items, LIST_MAX, &n) != 0) {
		snprintf(err, err_len,
		         "%s said neither which updates it found nor that there are none",
		         darwin_command_line(DARWIN_SOFTWAREUPDATE_LIST));
		free(items);
		return -EINVAL;
	}
	out->n_indexes = 1;
	out->updates = n ? calloc(n, sizeof(*out->updates)) : NULL;
	if (n && out->updates == NULL) {
		free(items);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct pending_update *pu = &out->updates[out->n_updates];
		const struct darwin_su_item *it = &items[i];

		pu->name = strdup(it->title[0] ? it->title : it->label);
		pu->installed = strdup("");
		pu->candidate = strdup(it->version);
		out->n_updates++;
		if (pu->name == NULL || pu->installed == NULL || pu->candidate == NULL) {
			free(items);
			return -ENOMEM;
		}
		snprintf(pu->archive, sizeof(pu->archive), "%s", it->label);
		pu->security = list_security(it, major);
		out->n_security += (size_t)pu->security;
	}
	free(items);
	return 0;
}

int darwin_probe_os_patch(const struct rootfs *root, int fresh, struct patch_state *out, char *err,
                          size_t err_len)
{
	struct su_prefs p;
	const struct pl_node *list;
	double when;
	int rc;

	memset(out, 0, sizeof(*out));
	out->last_check = out->last_install = -1;
	snprintf(out->package_manager, sizeof(out->package_manager), "Software Update");
	rc = su_read(root, &p, err, err_len);
	if (rc != 0)
		return rc;
	out->last_install = darwin_newest_install(root, NULL, NULL, 0);
	/* the list as of now: asked on the Mac when the policy wants it
	 * (fresh_list), or captured there with the disk */
	if (!rootfs_is_host(root) || fresh) {
		char *text = NULL, why[512];
		size_t len = 0;
		int lrc = darwin_command_answer(root, DARWIN_SOFTWAREUPDATE_LIST, 1u << 20, &text,
		                                &len, why, sizeof(why));

		if (lrc == 0) {
			lrc = from_list(root, text, out, err, err_len);
			free(text);
			if (lrc != 0) {
				patch_state_free(out);
				su_free(&p);
				return lrc;
			}
			if (rootfs_is_host(root)) {
				out->last_check = (long long)time(NULL);
				snprintf(out->last_check_source, sizeof(out->last_check_source),
				         "softwareupdate --list, now");
			} else if (p.local != NULL &&
			           pl_time(pl_get(pl_root(p.local), "LastSuccessfulDate"), &when) ==
			               0) {
				out->last_check = (long long)when;
				snprintf(out->last_check_source, sizeof(out->last_check_source),
				         "%s LastSuccessfulDate", SU_PREFS);
			}
			su_free(&p);
			return 0;
		}
		if (lrc != -ENODATA) { /* asked, and it failed: said, not replaced */
			snprintf(err, err_len, "%s", why);
			su_free(&p);
			return lrc;
		}
	}
	if (p.local == NULL) {
		/* never checked: the judge says there is nothing to compare with */
		snprintf(out->no_lists_why, sizeof(out->no_lists_why),
		         "Software Update has never checked for updates on this Mac (there is no "
		         "%s), so nothing says which updates are pending",
		         SU_PREFS);
		su_free(&p);
		return 0;
	}
	if (pl_time(pl_get(pl_root(p.local), "LastSuccessfulDate"), &when) == 0) {
		out->last_check = (long long)when;
		snprintf(out->last_check_source, sizeof(out->last_check_source),
		         "%s LastSuccessfulDate", SU_PREFS);
		out->n_indexes = 1;
	} else {
		snprintf(out->no_lists_why, sizeof(out->no_lists_why),
		         "Software Update has never checked for updates on this Mac (%s has no "
		         "LastSuccessfulDate), so nothing says which updates are pending",
		         SU_PREFS);
	}
	list = pl_get(pl_root(p.local), "RecommendedUpdates");
	if (list != NULL && list->type == PL_ARRAY && list->len > 0) {
		out->updates = calloc(list->len, sizeof(*out->updates));
		if (out->updates == NULL) {
			su_free(&p);
			return -ENOMEM;
		}
		for (size_t i = 0; i < list->len; i++) {
			const struct pl_node *u = list->v.items[i];
			const char *id = pl_str(pl_get(u, "Identifier"));
			const char *name = pl_str(pl_get(u, "Display Name"));
			const char *version = pl_str(pl_get(u, "Display Version"));
			struct pending_update *pu = &out->updates[out->n_updates];

			if (id == NULL && name == NULL)
				continue;
			pu->name = strdup(name ? name : id);
			pu->installed = strdup("");
			pu->candidate = strdup(version ? version : "");
			if (pu->name == NULL || pu->installed == NULL || pu->candidate == NULL) {
				out->n_updates++;
				patch_state_free(out);
				su_free(&p);
				return -ENOMEM;
			}
			snprintf(pu->archive, sizeof(pu->archive), "%s", id ? id : "");
			pu->security = is_security(id, name);
			out->n_security += (size_t)pu->security;
			out->n_updates++;
		}
	}
	su_free(&p);
	return 0;
}

int darwin_probe_auto_updates(const struct rootfs *root, struct update_automation *out, char *err,
                              size_t err_len)
{
	struct su_prefs p;
	const char *f_check, *f_dl, *f_os, *f_crit, *f_conf;
	int check, dl, os, crit, conf, rc;

	memset(out, 0, sizeof(*out));
	rc = su_read(root, &p, err, err_len);
	if (rc != 0)
		return rc;
	check = su_bool(&p, "AutomaticCheckEnabled", 1, &f_check);
	dl = su_bool(&p, "AutomaticDownload", 1, &f_dl);
	os = su_bool(&p, "AutomaticallyInstallMacOSUpdates", 0, &f_os);
	crit = su_bool(&p, "CriticalUpdateInstall", 1, &f_crit);
	conf = su_bool(&p, "ConfigDataInstall", 1, &f_conf);
	su_free(&p);
	snprintf(out->mechanism, sizeof(out->mechanism), "Software Update");
	out->installed = 1;
	out->enabled = check;
	out->scheduled = check;
	out->installs = os;
	if (!check)
		snprintf(out->unscheduled, sizeof(out->unscheduled),
		         "it never checks for updates (AutomaticCheckEnabled off)");
	snprintf(out->detail, sizeof(out->detail),
	         "check %s (%s), download %s (%s), install macOS updates %s (%s), security "
	         "responses %s (%s), XProtect data %s (%s)",
	         check ? "on" : "off", f_check, dl ? "on" : "off", f_dl, os ? "on" : "off", f_os,
	         crit ? "on" : "off", f_crit, conf ? "on" : "off", f_conf);
	return 0;
}
