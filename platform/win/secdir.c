/* SPDX-License-Identifier: Apache-2.0 */
/*
 * secdir (Windows): see secdir.h. The security descriptor is written in
 * SDDL (Microsoft's "Security Descriptor String Format"): O:BA the owner,
 * the local Administrators; D:P is a
 * protected DACL, (A;OICI;FA;;;SY) full access for SYSTEM inherited by
 * files (OI) and folders (CI), BA the local Administrators.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

#include "secdir.h"

/* owned by the Administrators group (what an elevated administrator's and
 * SYSTEM's tokens may name as owner), not by the account that made it */
#define STATE_SDDL L"O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"

/* What lets a holder change the folder, what is in it, or who may. */
#define WRITE_RIGHTS                                                                       \
	(FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_DELETE_CHILD | DELETE | \
	 WRITE_DAC | WRITE_OWNER | GENERIC_WRITE | GENERIC_ALL)

static int wide(const char *s, wchar_t *out, int len)
{
	return MultiByteToWideChar(CP_UTF8, 0, s, -1, out, len) > 0 ? 0 : -1;
}

int secdir_create(const char *dir, char *err, size_t err_len)
{
	wchar_t w[MAX_PATH];
	PSECURITY_DESCRIPTOR sd = NULL;
	SECURITY_ATTRIBUTES sa;
	BOOL ok;

	if (wide(dir, w, MAX_PATH) != 0) {
		snprintf(err, err_len, "%s: the path is too long", dir);
		return -1;
	}
	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(STATE_SDDL, SDDL_REVISION_1, &sd,
	                                                          NULL)) {
		snprintf(err, err_len, "cannot build the state folder's ACL (error %lu)",
		         (unsigned long)GetLastError());
		return -1;
	}
	sa.nLength = sizeof(sa);
	sa.lpSecurityDescriptor = sd;
	sa.bInheritHandle = FALSE;
	ok = CreateDirectoryW(w, &sa);
	if (!ok && GetLastError() != ERROR_ALREADY_EXISTS) {
		snprintf(err, err_len, "cannot create %s (error %lu)", dir,
		         (unsigned long)GetLastError());
		LocalFree(sd);
		return -1;
	}
	if (ok) {
		/* the owner again, on its own: a creation may keep the maker's */
		PSID owner = NULL;
		BOOL defaulted;
		DWORD rc = ERROR_INVALID_DATA;

		if (GetSecurityDescriptorOwner(sd, &owner, &defaulted) && owner != NULL)
			rc = SetNamedSecurityInfoW(w, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION,
			                           owner, NULL, NULL, NULL);
		if (rc != ERROR_SUCCESS) {
			snprintf(err, err_len,
			         "cannot make the Administrators group the owner of %s (error %lu)",
			         dir, (unsigned long)rc);
			LocalFree(sd);
			return -1;
		}
	}
	LocalFree(sd);
	return 0;
}

static int trusted_sid(PSID sid)
{
	static const WELL_KNOWN_SID_TYPE ok[] = { WinLocalSystemSid, WinBuiltinAdministratorsSid,
		                                  WinCreatorOwnerSid };
	size_t i;
	PSID ti = NULL;
	int is_ti = 0;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (IsWellKnownSid(sid, ok[i]))
			return 1;
	/* NT SERVICE\TrustedInstaller, which owns Windows' own folders */
	if (ConvertStringSidToSidW(
	        L"S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464", &ti)) {
		is_ti = EqualSid(sid, ti);
		LocalFree(ti);
	}
	return is_ti;
}

/* Whether SID is the account this process runs as (SYSTEM for the
 * service): as on Linux, the agent's own account may own its folder. */
static int own_account(PSID sid)
{
	HANDLE token;
	union {
		TOKEN_USER user;
		char buf[256];
	} u;
	DWORD len = 0;
	int same = 0;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
		return 0;
	if (GetTokenInformation(token, TokenUser, &u, sizeof(u), &len))
		same = EqualSid(sid, u.user.User.Sid);
	CloseHandle(token);
	return same;
}

/* DOMAIN\name of SID, or its S-1-... form */
static void account(PSID sid, char *out, size_t len)
{
	wchar_t name[256], domain[256];
	DWORD n = 256, d = 256;
	SID_NAME_USE use;
	LPWSTR str = NULL;
	char a[256], b[256];

	if (LookupAccountSidW(NULL, sid, name, &n, domain, &d, &use) &&
	    WideCharToMultiByte(CP_UTF8, 0, name, -1, a, sizeof(a), NULL, NULL) > 0 &&
	    WideCharToMultiByte(CP_UTF8, 0, domain, -1, b, sizeof(b), NULL, NULL) > 0) {
		snprintf(out, len, "%s%s%s", b, b[0] ? "\\" : "", a);
		return;
	}
	if (ConvertSidToStringSidW(sid, &str) &&
	    WideCharToMultiByte(CP_UTF8, 0, str, -1, out, (int)len, NULL, NULL) > 0) {
		LocalFree(str);
		return;
	}
	if (str != NULL)
		LocalFree(str);
	snprintf(out, len, "an unknown account");
}

int secdir_judge(const char *dir, PSECURITY_DESCRIPTOR sd, char *err, size_t err_len)
{
	PSID owner = NULL;
	PACL dacl = NULL;
	BOOL defaulted, present = FALSE;
	char who[300];
	DWORD i;

	if (!GetSecurityDescriptorOwner(sd, &owner, &defaulted) ||
	    !GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted)) {
		snprintf(err, err_len, "cannot read the permissions of %s", dir);
		return -1;
	}
	if (owner == NULL || !(trusted_sid(owner) || own_account(owner))) {
		if (owner != NULL)
			account(owner, who, sizeof(who));
		snprintf(err, err_len,
		         "%s belongs to %s, who may change its permissions and so steer the "
		         "agent; refusing to use it (make SYSTEM or Administrators its owner)",
		         dir, owner ? who : "no one");
		return -1;
	}
	if (!present || dacl == NULL) {
		snprintf(err, err_len,
		         "%s has no access control list, so every user may write to it; "
		         "refusing to use it",
		         dir);
		return -1;
	}
	for (i = 0; i < dacl->AceCount; i++) {
		ACE_HEADER *h;
		ACCESS_ALLOWED_ACE *ace;

		if (!GetAce(dacl, i, (void **)&h) || h->AceType != ACCESS_ALLOWED_ACE_TYPE)
			continue;
		ace = (ACCESS_ALLOWED_ACE *)h;
		if (!(ace->Mask & WRITE_RIGHTS) || trusted_sid((PSID)&ace->SidStart) ||
		    own_account((PSID)&ace->SidStart))
			continue;
		account((PSID)&ace->SidStart, who, sizeof(who));
		snprintf(err, err_len,
		         "%s lets %s write to it or change its permissions%s: anyone who can "
		         "write there can steer the agent; refusing to use it (give only SYSTEM "
		         "and Administrators write access)",
		         dir, who,
		         (h->AceFlags & INHERIT_ONLY_ACE) ? " (in what is created below it)" : "");
		return -1;
	}
	return 0;
}

int secdir_trusted(const char *dir, char *err, size_t err_len)
{
	wchar_t w[MAX_PATH];
	PSECURITY_DESCRIPTOR sd = NULL;
	DWORD rc, attrs;
	int result;

	if (wide(dir, w, MAX_PATH) != 0) {
		snprintf(err, err_len, "%s: the path is too long", dir);
		return -1;
	}
	attrs = GetFileAttributesW(w);
	if (attrs == INVALID_FILE_ATTRIBUTES || !(attrs & FILE_ATTRIBUTE_DIRECTORY)) {
		snprintf(err, err_len, "%s is not a folder", dir);
		return -1;
	}
	if (attrs & FILE_ATTRIBUTE_REPARSE_POINT) {
		snprintf(err, err_len,
		         "%s is a link (reparse point): it may lead anywhere; refusing to use it",
		         dir);
		return -1;
	}
	rc = GetNamedSecurityInfoW(w, SE_FILE_OBJECT,
	                           OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, NULL,
	                           NULL, NULL, NULL, &sd);
	if (rc != ERROR_SUCCESS) {
		snprintf(err, err_len, "cannot read the permissions of %s (error %lu)", dir,
		         (unsigned long)rc);
		return -1;
	}
	result = secdir_judge(dir, sd, err, err_len);
	LocalFree(sd);
	return result;
}

/* The data folder: SYSTEM and Administrators full control, Users read and
 * execute (FILE_GENERIC_READ | FILE_GENERIC_EXECUTE), inherited by what is
 * below, nothing from C:\ProgramData */
#define DATA_SDDL L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"

int secdir_protect_data(const char *dir, char *err, size_t err_len)
{
	wchar_t w[MAX_PATH];
	PSECURITY_DESCRIPTOR sd = NULL;
	PACL dacl = NULL;
	BOOL present = FALSE, defaulted;
	DWORD rc;

	if (wide(dir, w, MAX_PATH) != 0) {
		snprintf(err, err_len, "%s: the path is too long", dir);
		return -1;
	}
	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(DATA_SDDL, SDDL_REVISION_1, &sd,
	                                                          NULL) ||
	    !GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted) || !present) {
		snprintf(err, err_len, "cannot build the data folder's ACL (error %lu)",
		         (unsigned long)GetLastError());
		if (sd != NULL)
			LocalFree(sd);
		return -1;
	}
	rc = SetNamedSecurityInfoW(w, SE_FILE_OBJECT,
	                           DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
	                           NULL, NULL, dacl, NULL);
	LocalFree(sd);
	if (rc != ERROR_SUCCESS) {
		snprintf(err, err_len, "cannot set the ACL of %s (error %lu)", dir,
		         (unsigned long)rc);
		return -1;
	}
	return 0;
}
