/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wmi (Windows): WQL queries and method calls through COM (IWbemLocator,
 * IWbemServices), each object turned into a record as wmic's /format:list
 * would print it. See wmi.h. Kept thin: no interpretation here.
 */
#define COBJMACROS
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <oleauto.h>
#include <wbemidl.h>

#include "wmi.h"

struct wmi_object {
	IWbemServices *svc;
	IWbemClassObject *obj;
};

static int to_wide(const char *s, wchar_t *out, int out_len)
{
	return MultiByteToWideChar(CP_UTF8, 0, s, -1, out, out_len) > 0 ? 0 : -ENAMETOOLONG;
}

static void to_utf8(const wchar_t *w, char *out, size_t out_len)
{
	if (w == NULL || WideCharToMultiByte(CP_UTF8, 0, w, -1, out, (int)out_len, NULL, NULL) <= 0)
		out[0] = '\0';
}

static void append(char *buf, size_t len, const char *text)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s", text);
}

/* One scalar of type VT as wmic writes it; QUOTE for array members. */
static void scalar(VARTYPE vt, const void *p, int quote, char *out, size_t out_len)
{
	char text[1024];

	switch (vt) {
	case VT_BSTR:
		to_utf8(*(BSTR const *)p, text, sizeof(text));
		snprintf(out, out_len, quote ? "\"%s\"" : "%s", text);
		return;
	case VT_BOOL:
		snprintf(out, out_len, "%s", *(const VARIANT_BOOL *)p ? "TRUE" : "FALSE");
		return;
	case VT_I1:
		snprintf(out, out_len, "%d", *(const signed char *)p);
		return;
	case VT_UI1:
		snprintf(out, out_len, "%u", *(const unsigned char *)p);
		return;
	case VT_I2:
		snprintf(out, out_len, "%d", *(const short *)p);
		return;
	case VT_UI2:
		snprintf(out, out_len, "%u", *(const unsigned short *)p);
		return;
	case VT_I4:
	case VT_INT:
		snprintf(out, out_len, "%ld", (long)*(const LONG *)p);
		return;
	case VT_UI4:
	case VT_UINT:
		snprintf(out, out_len, "%lu", (unsigned long)*(const ULONG *)p);
		return;
	case VT_I8:
		snprintf(out, out_len, "%lld", (long long)*(const LONGLONG *)p);
		return;
	case VT_UI8:
		snprintf(out, out_len, "%llu", (unsigned long long)*(const ULONGLONG *)p);
		return;
	default:
		out[0] = '\0';
	}
}

/* VALUE as wmic writes it: arrays as {a,b}, NULL as nothing. 0, or -1
 * for a type no probe reads (an embedded object), which is left out. */
static int render(const VARIANT *value, char *out, size_t out_len)
{
	out[0] = '\0';
	if (V_VT(value) == VT_NULL || V_VT(value) == VT_EMPTY)
		return 0;
	if (V_VT(value) & VT_ARRAY) {
		SAFEARRAY *sa = V_ARRAY(value);
		VARTYPE vt = V_VT(value) & VT_TYPEMASK;
		LONG lo, hi, i;
		char *data;

		if (vt == VT_UNKNOWN || vt == VT_DISPATCH || sa == NULL ||
		    SafeArrayGetLBound(sa, 1, &lo) != S_OK ||
		    SafeArrayGetUBound(sa, 1, &hi) != S_OK ||
		    SafeArrayAccessData(sa, (void **)&data) != S_OK)
			return -1;
		append(out, out_len, "{");
		for (i = lo; i <= hi; i++) {
			char item[1100];

			scalar(vt, data + (size_t)(i - lo) * SafeArrayGetElemsize(sa), 1, item,
			       sizeof(item));
			if (i > lo)
				append(out, out_len, ",");
			append(out, out_len, item);
		}
		append(out, out_len, "}");
		SafeArrayUnaccessData(sa);
		return 0;
	}
	if (V_VT(value) == VT_UNKNOWN || V_VT(value) == VT_DISPATCH)
		return -1;
	scalar(V_VT(value), &V_BSTR(value), 0, out, out_len);
	return 0;
}

/* Every non-system property of OBJ into the last record of OUT. */
static int properties(IWbemClassObject *obj, struct winrec_list *out)
{
	BSTR name = NULL;
	VARIANT value;
	/* on the heap: a value may be as long as a record holds */
	char *text = malloc(WINREC_MAX_VALUE + 1);
	int rc = 0;

	if (text == NULL)
		return -ENOMEM;
	if (IWbemClassObject_BeginEnumeration(obj, WBEM_FLAG_NONSYSTEM_ONLY) != S_OK) {
		free(text);
		return -EIO;
	}
	VariantInit(&value);
	while (rc == 0 &&
	       IWbemClassObject_Next(obj, 0, &name, &value, NULL, NULL) == WBEM_S_NO_ERROR) {
		char n[WINREC_MAX_NAME + 1];

		to_utf8(name, n, sizeof(n));
		if (n[0] && render(&value, text, WINREC_MAX_VALUE + 1) == 0)
			rc = winrec_put(out, n, text);
		SysFreeString(name);
		VariantClear(&value);
	}
	IWbemClassObject_EndEnumeration(obj);
	free(text);
	return rc == -EEXIST ? 0 : rc;
}

static int com_started;

static HRESULT start_com(void)
{
	HRESULT hr;

	if (com_started)
		return S_OK;
	hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
	if (FAILED(hr) && hr != RPC_E_CHANGED_MODE)
		return hr;
	/* The process's COM security: who may call back, how we call.
	 * RPC_E_TOO_LATE: someone set it already, which serves as well. */
	hr = CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_DEFAULT,
	                          RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, NULL);
	if (FAILED(hr) && hr != RPC_E_TOO_LATE)
		return hr;
	com_started = 1;
	return S_OK;
}

int wmi_query(const char *namespace_, const char *query, wmi_each_fn each, void *user,
              struct winrec_list *out, char *err, size_t err_len)
{
	IWbemLocator *loc = NULL;
	IWbemServices *svc = NULL;
	IEnumWbemClassObject *it = NULL;
	wchar_t wns[256], wq[512];
	BSTR bns = NULL, bq = NULL, blang = NULL;
	HRESULT hr;
	int rc = 0;

	out->recs = NULL;
	out->n = 0;
	if (to_wide(namespace_, wns, 256) != 0 || to_wide(query, wq, 512) != 0)
		return -ENAMETOOLONG;
	hr = start_com();
	if (FAILED(hr)) {
		snprintf(err, err_len, "COM could not be started (0x%08lx)", (unsigned long)hr);
		return -EIO;
	}
	hr = CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER, &IID_IWbemLocator,
	                      (void **)&loc);
	if (FAILED(hr)) {
		snprintf(err, err_len, "WMI is not available (0x%08lx)", (unsigned long)hr);
		return -EIO;
	}
	bns = SysAllocString(wns);
	hr = IWbemLocator_ConnectServer(loc, bns, NULL, NULL, NULL, 0, NULL, NULL, &svc);
	if (FAILED(hr)) {
		int denied = hr == (HRESULT)WBEM_E_ACCESS_DENIED || hr == E_ACCESSDENIED;

		snprintf(err, err_len, "WMI namespace %s could not be opened (0x%08lx%s)",
		         namespace_, (unsigned long)hr,
		         hr == (HRESULT)WBEM_E_INVALID_NAMESPACE ? ": no such namespace"
		         : denied ? ": access denied; it answers administrators and SYSTEM only"
		                  : "");
		rc = hr == (HRESULT)WBEM_E_INVALID_NAMESPACE ? -ENOENT : denied ? -EACCES : -EIO;
		goto done;
	}
	/* BitLocker's provider asks for packet privacy */
	CoSetProxyBlanket((IUnknown *)svc, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
	                  RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IMPERSONATE, NULL,
	                  EOAC_NONE);
	blang = SysAllocString(L"WQL");
	bq = SysAllocString(wq);
	hr = IWbemServices_ExecQuery(
	    svc, blang, bq, WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY, NULL, &it);
	if (FAILED(hr)) {
		snprintf(err, err_len, "WMI query \"%s\" failed (0x%08lx)", query,
		         (unsigned long)hr);
		rc = -EIO;
		goto done;
	}
	for (;;) {
		IWbemClassObject *obj = NULL;
		ULONG got = 0;

		hr = IEnumWbemClassObject_Next(it, WMI_TIMEOUT_MS, 1, &obj, &got);
		if (hr == WBEM_S_TIMEDOUT) {
			snprintf(err, err_len, "WMI gave no answer to \"%s\" within %d s", query,
			         WMI_TIMEOUT_MS / 1000);
			rc = -ETIMEDOUT;
			break;
		}
		if (FAILED(hr)) {
			snprintf(err, err_len, "WMI query \"%s\" failed (0x%08lx)", query,
			         (unsigned long)hr);
			rc = -EIO;
			break;
		}
		if (got == 0)
			break;
		rc = winrec_begin(out);
		if (rc == 0)
			rc = properties(obj, out);
		if (rc == 0 && each != NULL) {
			struct wmi_object o = { .svc = svc, .obj = obj };

			rc = each(user, &o, out);
		}
		IWbemClassObject_Release(obj);
		if (rc != 0) {
			if (rc == -E2BIG)
				snprintf(err, err_len,
				         "WMI's answer to \"%s\" is larger than %d objects", query,
				         WINREC_MAX_RECORDS);
			else if (err[0] == '\0')
				snprintf(err, err_len, "WMI's answer to \"%s\" could not be kept",
				         query);
			break;
		}
	}
done:
	if (it != NULL)
		IEnumWbemClassObject_Release(it);
	if (svc != NULL)
		IWbemServices_Release(svc);
	IWbemLocator_Release(loc);
	SysFreeString(bns);
	SysFreeString(bq);
	SysFreeString(blang);
	if (rc != 0)
		winrec_free(out);
	return rc;
}

int wmi_call(struct wmi_object *o, const char *method, const char *in_name, const char *in_value,
             struct winrec_list *result)
{
	IWbemClassObject *cls = NULL, *sig = NULL, *in = NULL, *outp = NULL;
	VARIANT path, v;
	wchar_t wmethod[64], wname[64], wvalue[256];
	BSTR bmethod = NULL, bclass = NULL;
	HRESULT hr;
	int rc = -EIO;

	result->recs = NULL;
	result->n = 0;
	if (to_wide(method, wmethod, 64) != 0)
		return -ENAMETOOLONG;
	VariantInit(&path);
	VariantInit(&v);
	if (IWbemClassObject_Get(o->obj, L"__PATH", 0, &path, NULL, NULL) != S_OK ||
	    V_VT(&path) != VT_BSTR)
		goto done;
	if (in_name != NULL) {
		VARIANT cname;

		if (to_wide(in_name, wname, 64) != 0 || to_wide(in_value, wvalue, 256) != 0)
			goto done;
		VariantInit(&cname);
		if (IWbemClassObject_Get(o->obj, L"__CLASS", 0, &cname, NULL, NULL) != S_OK ||
		    V_VT(&cname) != VT_BSTR) {
			VariantClear(&cname);
			goto done;
		}
		bclass = SysAllocString(V_BSTR(&cname));
		VariantClear(&cname);
		if (IWbemServices_GetObject(o->svc, bclass, 0, NULL, &cls, NULL) != S_OK ||
		    IWbemClassObject_GetMethod(cls, wmethod, 0, &sig, NULL) != S_OK ||
		    sig == NULL || IWbemClassObject_SpawnInstance(sig, 0, &in) != S_OK)
			goto done;
		V_VT(&v) = VT_BSTR;
		V_BSTR(&v) = SysAllocString(wvalue);
		if (IWbemClassObject_Put(in, wname, 0, &v, 0) != S_OK)
			goto done;
	}
	bmethod = SysAllocString(wmethod);
	hr = IWbemServices_ExecMethod(o->svc, V_BSTR(&path), bmethod, 0, NULL, in, &outp, NULL);
	if (FAILED(hr) || outp == NULL)
		goto done;
	rc = winrec_begin(result);
	if (rc == 0)
		rc = properties(outp, result);
	if (rc == 0) {
		const char *ret = winrec_get(&result->recs[0], "ReturnValue");

		if (ret != NULL && strcmp(ret, "0") != 0)
			rc = -EIO;
	}
	if (rc != 0)
		winrec_free(result);
done:
	if (outp != NULL)
		IWbemClassObject_Release(outp);
	if (in != NULL)
		IWbemClassObject_Release(in);
	if (sig != NULL)
		IWbemClassObject_Release(sig);
	if (cls != NULL)
		IWbemClassObject_Release(cls);
	SysFreeString(bmethod);
	SysFreeString(bclass);
	VariantClear(&path);
	VariantClear(&v);
	return rc;
}
