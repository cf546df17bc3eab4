/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wmi: the thin live call into Windows Management Instrumentation. Each
 * object a WQL query returns becomes one record (platform/winrec/winrec.h)
 * of its properties, written as wmic writes them; what the records mean is
 * decided in platform/winrec/, where captured answers test it.
 */
#ifndef POSTURE_WIN_WMI_H
#define POSTURE_WIN_WMI_H

#include <stddef.h>

#include "winrec/winrec.h"

/* How long WMI may take to hand over the next object. */
#define WMI_TIMEOUT_MS 15000

struct wmi_object; /* one object of the answer, while its record is open */

/* Called for each object after its properties are in the record: it may
 * run the object's methods (wmi_call) and add their results. 0 or a
 * negative errno, which stops the query. */
typedef int (*wmi_each_fn)(void *user, struct wmi_object *obj, struct winrec_list *out);

/*
 * Runs QUERY (WQL) in NAMESPACE ("ROOT\\CIMV2\\Security\\..."), appending a
 * record per object to OUT (free with winrec_free). EACH may be NULL.
 * 0, or a negative errno with ERR naming the step and the HRESULT.
 */
int wmi_query(const char *namespace_, const char *query, wmi_each_fn each, void *user,
              struct winrec_list *out, char *err, size_t err_len);

/*
 * Runs METHOD of OBJ with at most one input, IN_NAME = IN_VALUE (a string;
 * IN_NAME NULL for none), and puts its output properties into RESULT as
 * one record (free with winrec_free). 0, or a negative errno: the call
 * failed, or its ReturnValue is not 0.
 */
int wmi_call(struct wmi_object *obj, const char *method, const char *in_name, const char *in_value,
             struct winrec_list *result);

#endif
