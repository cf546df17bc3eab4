/* SPDX-License-Identifier: Apache-2.0 */
/*
 * device: who this report is about and when, without leaking identifiers.
 *
 * The device id is derived from /etc/machine-id the way systemd derives
 * application-specific ids (sd_id128_get_machine_app_specific): HMAC-SHA256
 * keyed by the machine id over Posture's fixed application id, cut to 128
 * bits and marked as a version 4 UUID. It is stable across runs and
 * reinstalls, and cannot be turned back into the machine id.
 */
#ifndef POSTURE_DEVICE_H
#define POSTURE_DEVICE_H

#include <time.h>

#include <stddef.h>

/* Posture's application id for the derivation above. Never change it: every
 * enrolled device's id would change with it. */
#define POSTURE_APP_ID "e104042aefe64229a0f308c3cbc7e0e4"

/* Writes the UUID form (36 characters and NUL) of the app-specific id of
 * MACHINE_ID into out. 0 or -1. */
int device_id_from_machine_id(const unsigned char machine_id[16], char out[37]);

/* A fresh random UUID version 4 from OpenSSL's RNG. 0 or -1. */
int device_uuid4(char out[37]);

#endif
