/* SPDX-License-Identifier: Apache-2.0 */
/*
 * device: stable device ids and report ids. See device.h.
 */
#include "device.h"

#include "crypto.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void format_uuid(const unsigned char b[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
}

static void mark_v4(unsigned char b[16])
{
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
}

int device_id_from_machine_id(const unsigned char machine_id[16], char out[37])
{
	static const char app_hex[] = POSTURE_APP_ID;
	unsigned char app[16], mac[32];
	char err[256];
	size_t i;

	for (i = 0; i < 16; i++) {
		unsigned int byte;

		if (sscanf(&app_hex[2 * i], "%2x", &byte) != 1)
			return -1;
		app[i] = (unsigned char)byte;
	}
	if (crypto_hmac_sha256(machine_id, 16, app, sizeof(app), mac, err, sizeof(err)) != 0)
		return -1;
	mark_v4(mac);
	format_uuid(mac, out);
	return 0;
}

int device_uuid4(char out[37])
{
	unsigned char b[16];
	char err[256];

	if (crypto_random(b, sizeof(b), err, sizeof(err)) != 0)
		return -1;
	mark_v4(b);
	format_uuid(b, out);
	return 0;
}
