/* SPDX-License-Identifier: Apache-2.0 */
/*
 * platform/win/sandbox.c under Wine: what posture-net.exe gives up. After
 * sandbox_drop_user and sandbox_enter, this process's token must say Low
 * integrity and hold no privilege, and the process must not be able to
 * start another (its job allows one). One line per fact, exit status 1 on
 * the first that is not so. Wine 8 keeps no integrity levels and does not
 * enforce a job's process limit: those two say SKIP under Wine (the
 * sandbox reads the level back and says so itself); what Wine shows is
 * that every privilege is gone. Whether Windows then refuses writes to
 * Medium-labelled files is its mandatory integrity control: not run here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "sandbox.h"

int main(int argc, char **argv)
{
	char who[64], err[256];
	HANDLE token;
	TOKEN_MANDATORY_LABEL *label;
	TOKEN_PRIVILEGES *privs;
	DWORD need = 0, rid, enabled = 0;
	STARTUPINFOA si;
	PROCESS_INFORMATION pi;
	char cmd[MAX_PATH + 16];

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return 0;
	if (sandbox_drop_user("posture", who, sizeof(who), err, sizeof(err)) != 0 ||
	    sandbox_enter(err, sizeof(err)) != 0) {
		printf("FAIL the sandbox: %s\n", err);
		return 1;
	}
	printf("ok sandbox: %s\n", who);
	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
		printf("FAIL cannot open the token (error %lu)\n", (unsigned long)GetLastError());
		return 1;
	}
	GetTokenInformation(token, TokenIntegrityLevel, NULL, 0, &need);
	label = malloc(need);
	if (label == NULL || !GetTokenInformation(token, TokenIntegrityLevel, label, need, &need)) {
		printf("FAIL cannot read the integrity level (error %lu)\n",
		       (unsigned long)GetLastError());
		return 1;
	}
	rid = *GetSidSubAuthority(label->Label.Sid, *GetSidSubAuthorityCount(label->Label.Sid) - 1);
	if (rid != SECURITY_MANDATORY_LOW_RID && strstr(who, "Wine keeps no integrity levels")) {
		/* the sandbox read the level back and said so */
		printf("SKIP integrity level: Wine keeps none (the token still says 0x%lx)\n",
		       (unsigned long)rid);
	} else if (rid != SECURITY_MANDATORY_LOW_RID) {
		printf("FAIL integrity level: expected Low (0x%lx), came 0x%lx\n",
		       (unsigned long)SECURITY_MANDATORY_LOW_RID, (unsigned long)rid);
		return 1;
	} else {
		printf("ok integrity level Low (0x%lx)\n", (unsigned long)rid);
	}
	need = 0;
	GetTokenInformation(token, TokenPrivileges, NULL, 0, &need);
	privs = malloc(need ? need : 1);
	if (privs == NULL || !GetTokenInformation(token, TokenPrivileges, privs, need, &need)) {
		printf("FAIL cannot read the privileges (error %lu)\n",
		       (unsigned long)GetLastError());
		return 1;
	}
	for (DWORD i = 0; i < privs->PrivilegeCount; i++)
		if (privs->Privileges[i].Attributes & SE_PRIVILEGE_ENABLED)
			enabled++;
	if (privs->PrivilegeCount != 0) {
		printf("FAIL privileges: expected none left, came %lu (%lu enabled)\n",
		       (unsigned long)privs->PrivilegeCount, (unsigned long)enabled);
		return 1;
	}
	printf("ok no privilege left in the token\n");
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	GetModuleFileNameA(NULL, cmd, MAX_PATH);
	strcat(cmd, " child");
	if (CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
		HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");

		WaitForSingleObject(pi.hProcess, 5000);
		if (ntdll != NULL && GetProcAddress(ntdll, "wine_get_version") != NULL) {
			printf("SKIP the job's one-process limit: Wine does not enforce it\n");
			return 0;
		}
		printf("FAIL a program was started from the sandbox\n");
		return 1;
	}
	printf("ok starting a program is refused (error %lu)\n", (unsigned long)GetLastError());
	return 0;
}
