/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A test double of the Windows agent, for tests/package/msi.sh only (never
 * shipped): a Windows service that does what the installer asks of the real
 * posture.exe's service side, started as "posture.exe service": it reports
 * running to the service control manager, writes what it was started with
 * and the policy values msiexec wrote (HKLM\SOFTWARE\Policies\Posture) to
 * C:\ProgramData\Posture\service-double.txt, and stops when told; and
 * "posture.exe purge-state", which the installer runs on removal.
 * Built with MinGW-w64; run under Wine by the test.
 */
#include <windows.h>
#include <shlobj.h>
#include <stdio.h>
#include <string.h>

static SERVICE_STATUS_HANDLE handle;
static SERVICE_STATUS status;
static HANDLE stopped;

static DWORD WINAPI control(DWORD code, DWORD type, LPVOID data, LPVOID context)
{
	(void)type;
	(void)data;
	(void)context;
	if (code == SERVICE_CONTROL_STOP || code == SERVICE_CONTROL_SHUTDOWN) {
		status.dwCurrentState = SERVICE_STOP_PENDING;
		SetServiceStatus(handle, &status);
		SetEvent(stopped);
	}
	return NO_ERROR;
}

static void value(FILE *out, const char *name)
{
	char buf[512];
	DWORD len = sizeof(buf);

	if (RegGetValueA(HKEY_LOCAL_MACHINE, "SOFTWARE\\Policies\\Posture", name, RRF_RT_REG_SZ,
	                 NULL, buf, &len) == ERROR_SUCCESS)
		fprintf(out, "%s=%s\n", name, buf);
	else
		fprintf(out, "%s absent\n", name);
}

static void WINAPI service_main(DWORD argc, LPSTR *argv)
{
	char path[MAX_PATH];
	FILE *out;

	(void)argc;
	(void)argv;
	handle = RegisterServiceCtrlHandlerExA("posture", control, NULL);
	if (handle == NULL)
		return;
	stopped = CreateEventA(NULL, TRUE, FALSE, NULL);
	status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
	status.dwControlsAccepted = SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN;
	status.dwCurrentState = SERVICE_RUNNING;
	SetServiceStatus(handle, &status);
	/* C:\\ProgramData, as the service sees it */
	if (SHGetFolderPathA(NULL, CSIDL_COMMON_APPDATA, NULL, SHGFP_TYPE_CURRENT, path) == S_OK &&
	    strlen(path) + 32 < sizeof(path) &&
	    (strcat(path, "\\Posture\\service-double.txt"), (out = fopen(path, "w")) != NULL)) {
		fprintf(out, "started as: %s\n", GetCommandLineA());
		value(out, "CollectorUrl");
		value(out, "EnrollSecret");
		value(out, "CollectorPin");
		fclose(out);
	}
	WaitForSingleObject(stopped, INFINITE);
	status.dwCurrentState = SERVICE_STOPPED;
	SetServiceStatus(handle, &status);
}

/* "purge-state", which the installer runs on removal: the files the agent
 * wrote under C:\\ProgramData\\Posture go (the double's own, and the state
 * directory's files). */
static int purge_state(void)
{
	char data[MAX_PATH], path[MAX_PATH + 64];
	WIN32_FIND_DATAA found;
	HANDLE h;

	if (SHGetFolderPathA(NULL, CSIDL_COMMON_APPDATA, NULL, SHGFP_TYPE_CURRENT, data) != S_OK)
		return 1;
	snprintf(path, sizeof(path), "%s\\Posture\\service-double.txt", data);
	DeleteFileA(path);
	snprintf(path, sizeof(path), "%s\\Posture\\state\\*", data);
	h = FindFirstFileA(path, &found);
	if (h == INVALID_HANDLE_VALUE)
		return 0;
	do {
		if (!(found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
			snprintf(path, sizeof(path), "%s\\Posture\\state\\%s", data, found.cFileName);
			DeleteFileA(path);
		}
	} while (FindNextFileA(h, &found));
	FindClose(h);
	return 0;
}

int main(int argc, char **argv)
{
	SERVICE_TABLE_ENTRYA table[] = { { "posture", service_main }, { NULL, NULL } };

	if (argc == 2 && strcmp(argv[1], "service") == 0)
		return StartServiceCtrlDispatcherA(table) ? 0 : 1;
	if (argc == 2 && strcmp(argv[1], "purge-state") == 0)
		return purge_state();
	fprintf(stderr, "a test double of posture.exe: only 'service' and 'purge-state'\n");
	return 2;
}
