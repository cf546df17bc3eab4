/* SPDX-License-Identifier: Apache-2.0 */
/*
 * patch (Windows): the patch level, from the Windows Update Agent API.
 *
 * Pending updates: IUpdateSearcher::Search("IsInstalled=0 and IsHidden=0
 * and Type='Software'") with Online false, so that the search reads the
 * agent's local cache of what the last scan found and never goes to the
 * network. Each IUpdate becomes a record (Title, KBArticleIDs,
 * MsrcSeverity, Classification, ClassificationID); which are security
 * updates is decided by winrec_wua (platform/winrec/wua.c).
 * When updates were last checked for and last installed:
 * IAutomaticUpdates2::Results (LastSearchSuccessDate,
 * LastInstallationSuccessDate, in UTC). A cache that was never filled by a
 * scan is no answer: without a last successful search the probe says so
 * (n_indexes 0), as the Linux probe does for apt without lists.
 * Reboot pending, from the registry keys Windows sets:
 *   SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired
 *   SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending
 *   SYSTEM\CurrentControlSet\Control\Session Manager: PendingFileRenameOperations
 */
#define COBJMACROS
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <oleauto.h>
/* wuapi's GUIDs are in no mingw-w64 library: defined in this, the one file
 * that includes wuapi.h */
#include <initguid.h>
#include <wuapi.h>

#include "probe.h"
#include "probeset.h"
#include "registry.h"
#include "winrec/winrec.h"

#define WU "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update"
#define CBS "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing"
#define SESSION_MANAGER "SYSTEM\\CurrentControlSet\\Control\\Session Manager"

/* mingw-w64's wuapi.h stops at IAutomaticUpdates; the two interfaces
 * after it, as Microsoft's wuapi.h and [MS-UAMG] define them. */
typedef struct IAutomaticUpdatesResults IAutomaticUpdatesResults;
typedef struct {
	HRESULT(STDMETHODCALLTYPE *QueryInterface)(IAutomaticUpdatesResults *, REFIID, void **);
	ULONG(STDMETHODCALLTYPE *AddRef)(IAutomaticUpdatesResults *);
	ULONG(STDMETHODCALLTYPE *Release)(IAutomaticUpdatesResults *);
	void *dispatch[4]; /* IDispatch */
	HRESULT(STDMETHODCALLTYPE *get_LastSearchSuccessDate)
	(IAutomaticUpdatesResults *, VARIANT *);
	HRESULT(STDMETHODCALLTYPE *get_LastInstallationSuccessDate)
	(IAutomaticUpdatesResults *, VARIANT *);
} IAutomaticUpdatesResultsVtbl;
struct IAutomaticUpdatesResults {
	const IAutomaticUpdatesResultsVtbl *lpVtbl;
};

typedef struct IAutomaticUpdates2 IAutomaticUpdates2;
typedef struct {
	HRESULT(STDMETHODCALLTYPE *QueryInterface)(IAutomaticUpdates2 *, REFIID, void **);
	ULONG(STDMETHODCALLTYPE *AddRef)(IAutomaticUpdates2 *);
	ULONG(STDMETHODCALLTYPE *Release)(IAutomaticUpdates2 *);
	void *dispatch[4];          /* IDispatch */
	void *automatic_updates[7]; /* IAutomaticUpdates */
	HRESULT(STDMETHODCALLTYPE *get_Results)(IAutomaticUpdates2 *, IAutomaticUpdatesResults **);
} IAutomaticUpdates2Vtbl;
struct IAutomaticUpdates2 {
	const IAutomaticUpdates2Vtbl *lpVtbl;
};

static const GUID iid_automatic_updates2 = {
	0x4a2f5c31, 0xcfd9, 0x410e, { 0xb7, 0xfb, 0x29, 0xa6, 0x53, 0x97, 0x3a, 0x0f }
};

/* A VT_DATE (days since 1899-12-30) as Unix time, or -1. */
static long long unix_time(const VARIANT *v)
{
	if (V_VT(v) != VT_DATE || V_DATE(v) <= 0)
		return -1;
	return (long long)((V_DATE(v) - 25569.0) * 86400.0);
}

static void last_times(struct patch_state *ps)
{
	IUnknown *unk = NULL;
	IAutomaticUpdates2 *au = NULL;
	IAutomaticUpdatesResults *res = NULL;
	VARIANT v;

	if (FAILED(CoCreateInstance(&CLSID_AutomaticUpdates, NULL, CLSCTX_INPROC_SERVER,
	                            &IID_IUnknown, (void **)&unk)))
		return;
	if (SUCCEEDED(unk->lpVtbl->QueryInterface(unk, &iid_automatic_updates2, (void **)&au)) &&
	    SUCCEEDED(au->lpVtbl->get_Results(au, &res)) && res != NULL) {
		VariantInit(&v);
		if (SUCCEEDED(res->lpVtbl->get_LastSearchSuccessDate(res, &v))) {
			ps->last_check = unix_time(&v);
			if (ps->last_check >= 0)
				snprintf(ps->last_check_source, sizeof(ps->last_check_source),
				         "Windows Update (LastSearchSuccessDate)");
		}
		VariantClear(&v);
		if (SUCCEEDED(res->lpVtbl->get_LastInstallationSuccessDate(res, &v)))
			ps->last_install = unix_time(&v);
		VariantClear(&v);
		res->lpVtbl->Release(res);
	}
	if (au != NULL)
		au->lpVtbl->Release(au);
	unk->lpVtbl->Release(unk);
}

static void put_bstr(struct winrec_list *l, const char *name, BSTR value)
{
	char text[2048];

	if (value == NULL ||
	    WideCharToMultiByte(CP_UTF8, 0, value, -1, text, sizeof(text), NULL, NULL) <= 0)
		return;
	winrec_put(l, name, text);
}

/* What a BSTR getter gave (HR, *S) as NAME, then *S freed. */
static void take(struct winrec_list *l, const char *name, HRESULT hr, BSTR *s)
{
	if (SUCCEEDED(hr))
		put_bstr(l, name, *s);
	SysFreeString(*s);
	*s = NULL;
}

/* IUpdate's properties into the last record of L. */
static void one_update(IUpdate *u, struct winrec_list *l)
{
	BSTR s = NULL;
	IStringCollection *kbs = NULL;
	ICategoryCollection *cats = NULL;
	LONG n = 0, i;

	take(l, "Title", IUpdate_get_Title(u, &s), &s);
	take(l, "MsrcSeverity", IUpdate_get_MsrcSeverity(u, &s), &s);
	if (SUCCEEDED(IUpdate_get_KBArticleIDs(u, &kbs)) && kbs != NULL) {
		char list[512] = "{";

		IStringCollection_get_Count(kbs, &n);
		for (i = 0; i < n && i < 8; i++) {
			char kb[64];

			if (FAILED(IStringCollection_get_Item(kbs, i, &s)))
				continue;
			if (WideCharToMultiByte(CP_UTF8, 0, s, -1, kb, sizeof(kb), NULL, NULL) >
			    0) {
				size_t used = strlen(list);

				snprintf(list + used, sizeof(list) - used, "%s\"%s\"",
				         used > 1 ? "," : "", kb);
			}
			SysFreeString(s);
			s = NULL;
		}
		IStringCollection_Release(kbs);
		strncat(list, "}", sizeof(list) - strlen(list) - 1);
		winrec_put(l, "KBArticleIDs", list);
	}
	if (SUCCEEDED(IUpdate_get_Categories(u, &cats)) && cats != NULL) {
		n = 0;
		ICategoryCollection_get_Count(cats, &n);
		for (i = 0; i < n; i++) {
			ICategory *c = NULL;

			if (FAILED(ICategoryCollection_get_Item(cats, i, &c)) || c == NULL)
				continue;
			if (SUCCEEDED(ICategory_get_Type(c, &s)) && s != NULL &&
			    wcscmp(s, L"UpdateClassification") == 0) {
				SysFreeString(s);
				s = NULL;
				take(l, "Classification", ICategory_get_Name(c, &s), &s);
				take(l, "ClassificationID", ICategory_get_CategoryID(c, &s), &s);
			}
			SysFreeString(s);
			s = NULL;
			ICategory_Release(c);
		}
		ICategoryCollection_Release(cats);
	}
}

static int search(struct winrec_list *l, char *err, size_t err_len)
{
	IUpdateSession *session = NULL;
	IUpdateSearcher *searcher = NULL;
	ISearchResult *result = NULL;
	IUpdateCollection *updates = NULL;
	OperationResultCode code = orcNotStarted;
	BSTR criteria = SysAllocString(L"IsInstalled=0 and IsHidden=0 and Type='Software'");
	BSTR app = SysAllocString(L"Posture");
	HRESULT hr;
	LONG n = 0, i;
	int rc = -EIO;

	hr = CoCreateInstance(&CLSID_UpdateSession, NULL, CLSCTX_INPROC_SERVER, &IID_IUpdateSession,
	                      (void **)&session);
	if (FAILED(hr)) {
		snprintf(err, err_len, "the Windows Update Agent is not available (0x%08lx)",
		         (unsigned long)hr);
		goto done;
	}
	IUpdateSession_put_ClientApplicationID(session, app);
	hr = IUpdateSession_CreateUpdateSearcher(session, &searcher);
	if (SUCCEEDED(hr))
		hr = IUpdateSearcher_put_Online(searcher, VARIANT_FALSE);
	if (SUCCEEDED(hr))
		hr = IUpdateSearcher_Search(searcher, criteria, &result);
	if (SUCCEEDED(hr) && result != NULL)
		hr = ISearchResult_get_ResultCode(result, &code);
	if (FAILED(hr) || result == NULL) {
		snprintf(err, err_len, "the Windows Update Agent's search failed (0x%08lx)",
		         (unsigned long)hr);
		goto done;
	}
	if (code != orcSucceeded && code != orcSucceededWithErrors) {
		snprintf(err, err_len,
		         "the Windows Update Agent's search ended with result code %d", (int)code);
		goto done;
	}
	if (FAILED(ISearchResult_get_Updates(result, &updates)) || updates == NULL ||
	    FAILED(IUpdateCollection_get_Count(updates, &n))) {
		snprintf(err, err_len, "the Windows Update Agent's search gave no update list");
		goto done;
	}
	rc = 0;
	for (i = 0; i < n && rc == 0; i++) {
		IUpdate *u = NULL;

		if (FAILED(IUpdateCollection_get_Item(updates, i, &u)) || u == NULL)
			continue;
		rc = winrec_begin(l);
		if (rc == 0)
			one_update(u, l);
		IUpdate_Release(u);
	}
	if (rc != 0)
		snprintf(err, err_len, "more than %d pending updates", WINREC_MAX_RECORDS);
done:
	if (updates != NULL)
		IUpdateCollection_Release(updates);
	if (result != NULL)
		ISearchResult_Release(result);
	if (searcher != NULL)
		IUpdateSearcher_Release(searcher);
	if (session != NULL)
		IUpdateSession_Release(session);
	SysFreeString(criteria);
	SysFreeString(app);
	return rc;
}

static void reboot_pending(struct patch_state *ps)
{
	char value[8];
	int rc;

	if (reg_exists(HKEY_LOCAL_MACHINE, WU "\\RebootRequired", 0)) {
		ps->reboot_required = 1;
		snprintf(ps->reboot_reason, sizeof(ps->reboot_reason),
		         "Windows Update installed updates that need a restart");
		return;
	}
	if (reg_exists(HKEY_LOCAL_MACHINE, CBS "\\RebootPending", 0)) {
		ps->reboot_required = 1;
		snprintf(ps->reboot_reason, sizeof(ps->reboot_reason),
		         "Windows servicing (CBS) has changes pending a restart");
		return;
	}
	/* REG_MULTI_SZ: any value means files wait to be replaced at boot */
	rc = reg_string(HKEY_LOCAL_MACHINE, SESSION_MANAGER, "PendingFileRenameOperations", 0,
	                value, sizeof(value));
	if (rc == 0 || rc == -EINVAL || rc == -ENAMETOOLONG) {
		ps->reboot_required = 1;
		snprintf(ps->reboot_reason, sizeof(ps->reboot_reason),
		         "files wait to be replaced at the next restart "
		         "(PendingFileRenameOperations)");
	}
}

int native_probe_os_patch(const struct rootfs *root, struct patch_state *out, char *err,
                          size_t err_len)
{
	struct winrec_list l = { 0 };
	HRESULT hr;
	int rc;

	memset(out, 0, sizeof(*out));
	out->last_check = -1;
	out->last_install = -1;
	if (!rootfs_is_host(root)) {
		snprintf(err, err_len,
		         "Windows Update's state of another root cannot be read (--root)");
		return -ENOTSUP;
	}
	snprintf(out->package_manager, sizeof(out->package_manager), "Windows Update");
	reboot_pending(out);
	hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
	if (FAILED(hr) && hr != RPC_E_CHANGED_MODE) {
		snprintf(err, err_len, "COM could not be started (0x%08lx)", (unsigned long)hr);
		return -EIO;
	}
	last_times(out);
	rc = search(&l, err, err_len);
	if (rc == 0)
		rc = winrec_wua(&l, out, err, err_len);
	winrec_free(&l);
	if (rc != 0) {
		patch_state_free(out);
		return rc;
	}
	/* an empty cache that no scan ever filled answers nothing */
	out->n_indexes = out->last_check >= 0 ? 1 : 0;
	return 0;
}
