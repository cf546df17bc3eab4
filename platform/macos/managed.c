/* SPDX-License-Identifier: Apache-2.0 */
/*
 * managed (macOS): os_managed_setting (os.h), the keys of a configuration
 * profile for the domain com.posture.agent (platform/darwin/managed.c reads
 * them; installer/macos/managed-preferences.mobileconfig is the example).
 * A profile's preferences belong to the MDM that installed it: the agent
 * cannot remove the enrollment secret from it, so it says so, and the
 * admin removes the key from the profile once the Macs have enrolled
 * (installer/macos/README.md). NOT BUILT ON THIS PROJECT'S CI: no Mac;
 * the reading is tested on Linux (tests/unit/test_darwin.c).
 */
#include <stdio.h>

#include "darwin/darwin.h"
#include "os.h"
#include "rootfs.h"

int os_managed_setting(const char *name, char *out, size_t out_len, char *err, size_t err_len)
{
	struct rootfs *host = NULL;
	char why[256];
	int rc;

	if (rootfs_open(&host, "/", why, sizeof(why)) != 0) {
		snprintf(err, err_len, "%s", why);
		return -1;
	}
	rc = darwin_managed_setting(host, name, out, out_len, err, err_len);
	rootfs_close(host);
	return rc;
}

int os_managed_setting_clear(const char *name)
{
	(void)name;
	return -1; /* the MDM's profile: only the MDM removes a key from it */
}
