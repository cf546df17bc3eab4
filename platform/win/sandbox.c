/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sandbox (Windows): what posture-net.exe gives up before it reads a byte
 * from the network, on its own token, for good:
 *
 * - every privilege is removed from the token (SE_PRIVILEGE_REMOVED, which
 *   cannot be undone: a process holds no privilege to add one back), so
 *   the SYSTEM service's backup, restore, debug and take-ownership rights
 *   are gone;
 * - the token's integrity level is lowered to Low. Windows' mandatory
 *   integrity control then refuses it every write to a file, a registry key
 *   or a process labelled above Low, which is every object not explicitly
 *   made writable from Low: it can write nowhere in the state folder or
 *   anywhere else, whatever the groups in its token say (raising the level
 *   back needs SeTcbPrivilege, removed above);
 * - it is put in a job that allows one active process and kills it when the
 *   job's last handle closes, so it cannot start programs.
 *
 * It needs no files: the service hands it the certificate, the key and the
 * collector's CA over the channel, and stores what it answers.
 */
#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

/* Low: S-1-16-4096 */
static int lower_integrity(HANDLE token, char *err, size_t err_len)
{
	SID_IDENTIFIER_AUTHORITY mandatory = SECURITY_MANDATORY_LABEL_AUTHORITY;
	TOKEN_MANDATORY_LABEL label;
	PSID low = NULL;
	BOOL ok;

	if (!AllocateAndInitializeSid(&mandatory, 1, SECURITY_MANDATORY_LOW_RID, 0, 0, 0, 0, 0, 0,
	                              0, &low)) {
		snprintf(err, err_len, "cannot build the Low integrity SID (error %lu)",
		         (unsigned long)GetLastError());
		return -1;
	}
	label.Label.Attributes = SE_GROUP_INTEGRITY;
	label.Label.Sid = low;
	ok = SetTokenInformation(token, TokenIntegrityLevel, &label,
	                         sizeof(label) + GetLengthSid(low));
	FreeSid(low);
	if (!ok) {
		snprintf(err, err_len, "cannot lower the token to Low integrity (error %lu)",
		         (unsigned long)GetLastError());
		return -1;
	}
	return 0;
}

/* Whether the token now says Low: read back, since a call that succeeds
 * without effect would leave the process believing it is confined. */
static int is_low(HANDLE token)
{
	char buf[128];
	TOKEN_MANDATORY_LABEL *got = (TOKEN_MANDATORY_LABEL *)buf;
	DWORD need = 0;

	if (!GetTokenInformation(token, TokenIntegrityLevel, buf, sizeof(buf), &need))
		return 0;
	return *GetSidSubAuthority(got->Label.Sid, *GetSidSubAuthorityCount(got->Label.Sid) - 1) ==
	       SECURITY_MANDATORY_LOW_RID;
}

/* Wine keeps no integrity levels: its SetTokenInformation succeeds and
 * changes nothing. */
static int under_wine(void)
{
	HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");

	return ntdll != NULL && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

static int remove_privileges(HANDLE token, char *err, size_t err_len)
{
	TOKEN_PRIVILEGES *tp;
	DWORD need = 0;

	GetTokenInformation(token, TokenPrivileges, NULL, 0, &need);
	if (need == 0 || (tp = malloc(need)) == NULL) {
		snprintf(err, err_len, "cannot read the token's privileges (error %lu)",
		         (unsigned long)GetLastError());
		return -1;
	}
	if (!GetTokenInformation(token, TokenPrivileges, tp, need, &need)) {
		free(tp);
		snprintf(err, err_len, "cannot read the token's privileges (error %lu)",
		         (unsigned long)GetLastError());
		return -1;
	}
	for (DWORD i = 0; i < tp->PrivilegeCount; i++)
		tp->Privileges[i].Attributes = SE_PRIVILEGE_REMOVED;
	if (tp->PrivilegeCount > 0 && (!AdjustTokenPrivileges(token, FALSE, tp, 0, NULL, NULL) ||
	                               GetLastError() != ERROR_SUCCESS)) {
		snprintf(err, err_len, "cannot remove the token's privileges (error %lu)",
		         (unsigned long)GetLastError());
		free(tp);
		return -1;
	}
	free(tp);
	return 0;
}

int sandbox_drop_user(const char *user, char *who, size_t who_len, char *err, size_t err_len)
{
	HANDLE token;
	int rc;

	(void)user; /* Windows: no account to become; the token is cut down */
	if (!OpenProcessToken(GetCurrentProcess(),
	                      TOKEN_ADJUST_PRIVILEGES | TOKEN_ADJUST_DEFAULT | TOKEN_QUERY,
	                      &token)) {
		snprintf(err, err_len, "cannot open this process's token (error %lu)",
		         (unsigned long)GetLastError());
		return -1;
	}
	rc = remove_privileges(token, err, err_len);
	if (rc == 0)
		rc = lower_integrity(token, err, err_len);
	if (rc == 0 && !is_low(token)) {
		if (under_wine()) {
			snprintf(who, who_len,
			         "a token without privileges (Wine keeps no integrity levels)");
			CloseHandle(token);
			return 0;
		}
		snprintf(err, err_len, "the token's integrity level did not go down to Low");
		rc = -1;
	}
	CloseHandle(token);
	if (rc == 0)
		snprintf(who, who_len, "a Low-integrity token without privileges");
	return rc;
}

int sandbox_enter(char *err, size_t err_len)
{
	JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim;
	HANDLE job = CreateJobObjectW(NULL, NULL);

	if (job == NULL) {
		snprintf(err, err_len, "cannot create a job object (error %lu)",
		         (unsigned long)GetLastError());
		return -1;
	}
	memset(&lim, 0, sizeof(lim));
	lim.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_ACTIVE_PROCESS |
	                                       JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE |
	                                       JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
	lim.BasicLimitInformation.ActiveProcessLimit = 1;
	if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &lim, sizeof(lim)) ||
	    !AssignProcessToJobObject(job, GetCurrentProcess())) {
		snprintf(err, err_len, "cannot confine this process to a job (error %lu)",
		         (unsigned long)GetLastError());
		CloseHandle(job);
		return -1;
	}
	/* the handle stays open for the process's life: closing it would end
	 * the process (KILL_ON_JOB_CLOSE) */
	return 0;
}
