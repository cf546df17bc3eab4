/* SPDX-License-Identifier: Apache-2.0 */
/*
 * contract: the names both ends of the wire agree on (docs/CONTRACT.md),
 * written once: the agent writes them, the collector checks them. A new
 * version of a document is a new name; fields are added, never renamed.
 */
#ifndef POSTURE_CONTRACT_H
#define POSTURE_CONTRACT_H

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

#endif
