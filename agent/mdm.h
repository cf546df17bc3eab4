/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mdm: the agent's answers in the shapes MDM systems read. Jamf Pro runs an
 * extension attribute script and keeps what it prints between <result> and
 * </result>; Intune runs a custom-compliance discovery script, reads one
 * line of JSON (setting name to value) and judges it against the rules
 * JSON uploaded with the compliance policy, which posture writes from the
 * same policy so the two always agree.
 */
#ifndef POSTURE_MDM_H
#define POSTURE_MDM_H

#include <jansson.h>
#include <stdio.h>

#include "engine.h"
#include "policy.h"

/* The name of the Intune setting that holds the whole verdict. */
#define MDM_INTUNE_COMPLIANT "PostureCompliant"

/* Whether check result R meets the policy: not failed, and not an error
 * where the policy says on_error = fail. */
int mdm_result_ok(const struct result *r);

/* Prints the Jamf extension attribute: <result>Compliant</result>,
 * <result>Non-compliant: ID, ID</result> (the checks that do not meet the
 * policy) or <result>Unknown: ID, ID could not be evaluated</result>. */
void mdm_jamf(const struct evaluation *ev, FILE *out);

/* The Intune discovery document: PostureCompliant (boolean), PostureFailed
 * and PostureErrors (counts), and for every check its id with true when it
 * meets the policy. */
json_t *mdm_intune_values(const struct evaluation *ev);

/* The Intune rules JSON for POLICY (Microsoft's schema: Rules of
 * SettingName, Operator, DataType, Operand, MoreInfoUrl, RemediationStrings
 * with en_US): PostureCompliant must be true, and each check's setting must
 * be true, its remediation string the check's title and advice. NULL with
 * ERR (Intune takes at most 100 rules). */
json_t *mdm_intune_rules(const struct policy *policy, const char *more_info_url, char *err,
                         size_t err_len);

#endif
