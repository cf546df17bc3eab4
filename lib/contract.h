/* SPDX-License-Identifier: Apache-2.0 */
/*
 * contract: the names both ends of the wire agree on (docs/CONTRACT.md),
 * written once: the agent writes them, the collector checks them. A new
 * version of a document is a new name; fields are added, never renamed.
 */
#ifndef POSTURE_CONTRACT_H
#define POSTURE_CONTRACT_H

#include <stddef.h>
#include <string.h>

/* The report (posture check --format json, and POST /v1/reports);
 * docs/schema/posture.report-1.json. */
#define CONTRACT_REPORT_SCHEMA "posture.report/1"

/* The running agent's status document (its status socket);
 * docs/schema/posture.status-1.json. */
#define CONTRACT_STATUS_SCHEMA "posture.status/1"

/* What the collector's policy signature covers before the version and the
 * text: Ed25519 over CONTRACT_POLICY_SIGNATURE + version + "\n" + text. */
#define CONTRACT_POLICY_SIGNATURE "posture-policy/1\n"
/* A release feed the collector signs (docs/COLLECTOR.md, "Release feeds"):
 * Ed25519 by the policy key over CONTRACT_FEED_SIGNATURE + name + "\n" +
 * fetched_at + "\n" + serial + "\n" + the feed's bytes. */
#define CONTRACT_FEED_SIGNATURE "posture-feed/1\n"
#define CONTRACT_SIGNED_FEED_FORMAT "posture.signed-feed/1"
/* GET /v1/feeds: {"format": CONTRACT_FEEDS_FORMAT, "feeds": [envelope...]} */
#define CONTRACT_FEEDS_FORMAT "posture.feeds/1"

/* A feed's name, which agents keep it under as a file: lower-case
 * letters, digits, '.', '_' and '-', not starting with '.', ending in
 * .json, at most MAX_LEN bytes (the collector names at most 60; agents
 * take up to 63). The one rule for the collector that signs and the agent
 * that verifies and keeps. */
static inline int contract_feed_name_ok(const char *name, size_t max_len)
{
	size_t len = strlen(name);

	if (len < 6 || len > max_len || name[0] == '.' || strcmp(name + len - 5, ".json") != 0)
		return 0;
	for (const char *p = name; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= '0' && *p <= '9') && !strchr("._-", *p))
			return 0;
	return 1;
}

#endif
