/* SPDX-License-Identifier: Apache-2.0 */
/*
 * service (Windows): the service control manager's protocol for
 * `posture.exe run` (os_service_dispatch, os.h), and the page an
 * evaluation worker shares with the service (os_progress_*).
 *
 * StartServiceCtrlDispatcherW hands the main thread to the manager, which
 * calls service_main on a thread of its own; that thread runs the service's
 * loop. The control handler answers STOP and SHUTDOWN by reporting
 * STOP_PENDING and asking the loop to stop (it must return at once); the
 * loop's end reports STOPPED with the exit code. Started from a console
 * instead, the dispatcher fails with ERROR_FAILED_SERVICE_CONTROLLER_CONNECT
 * and the caller runs the service in the foreground.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "eventlog.h"
#include "os.h"

static struct {
	wchar_t name[64];
	int (*run)(void *);
	void *arg;
	void (*stop)(void);
	SERVICE_STATUS_HANDLE handle;
	SERVICE_STATUS status;
	int rc;
} svc;

static void report(DWORD state, DWORD exit_code, DWORD wait_hint)
{
	static DWORD checkpoint = 1;

	svc.status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
	svc.status.dwCurrentState = state;
	svc.status.dwControlsAccepted =
	    state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
	/* a non-zero code is the service's own (ERROR_SERVICE_SPECIFIC_ERROR) */
	svc.status.dwWin32ExitCode = exit_code ? ERROR_SERVICE_SPECIFIC_ERROR : NO_ERROR;
	svc.status.dwServiceSpecificExitCode = exit_code;
	svc.status.dwWaitHint = wait_hint;
	svc.status.dwCheckPoint =
	    state == SERVICE_RUNNING || state == SERVICE_STOPPED ? 0 : checkpoint++;
	SetServiceStatus(svc.handle, &svc.status);
}

static DWORD WINAPI control(DWORD code, DWORD type, LPVOID data, LPVOID ctx)
{
	(void)type;
	(void)data;
	(void)ctx;
	switch (code) {
	case SERVICE_CONTROL_STOP:
	case SERVICE_CONTROL_SHUTDOWN:
		/* the network process is given up to 10 s to finish a delivery */
		report(SERVICE_STOP_PENDING, 0, 15000);
		svc.stop();
		return NO_ERROR;
	case SERVICE_CONTROL_INTERROGATE:
		return NO_ERROR;
	default:
		return ERROR_CALL_NOT_IMPLEMENTED;
	}
}

static void WINAPI service_main(DWORD argc, LPWSTR *argv)
{
	(void)argc;
	(void)argv;
	os_log_to_system();
	svc.handle = RegisterServiceCtrlHandlerExW(svc.name, control, NULL);
	if (svc.handle == NULL) {
		svc.rc = 2;
		return;
	}
	/* the service is running once its loop is: the state folder, the
	 * policy and the spool are ready within the wait hint */
	report(SERVICE_START_PENDING, 0, 10000);
	report(SERVICE_RUNNING, 0, 0);
	svc.rc = svc.run(svc.arg);
	report(SERVICE_STOPPED, (DWORD)svc.rc, 0);
}

int os_service_dispatch(const char *name, int (*run)(void *), void *arg, void (*stop)(void))
{
	SERVICE_TABLE_ENTRYW table[2];

	memset(table, 0, sizeof(table));
	if (MultiByteToWideChar(CP_UTF8, 0, name, -1, svc.name, 64) == 0)
		return -1;
	svc.run = run;
	svc.arg = arg;
	svc.stop = stop;
	table[0].lpServiceName = svc.name;
	table[0].lpServiceProc = service_main;
	if (!StartServiceCtrlDispatcherW(table))
		return -1; /* ERROR_FAILED_SERVICE_CONTROLLER_CONNECT: a console */
	return svc.rc;
}

int os_service_stop(const char *name, char *err, size_t err_len)
{
	SC_HANDLE scm, service;
	SERVICE_STATUS_PROCESS st;
	SERVICE_STATUS ignored;
	wchar_t wname[64];
	DWORD need, pid = 0;
	int rc = 0;

	if (MultiByteToWideChar(CP_UTF8, 0, name, -1, wname, 64) == 0)
		return -1;
	scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
	if (scm == NULL)
		return 0; /* no manager to ask: nothing runs under it */
	service = OpenServiceW(scm, wname, SERVICE_STOP | SERVICE_QUERY_STATUS);
	if (service == NULL) {
		CloseServiceHandle(scm);
		return 0; /* not installed */
	}
	if (QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)&st, sizeof(st), &need))
		pid = st.dwProcessId;
	if (pid != 0 && st.dwCurrentState != SERVICE_STOPPED) {
		HANDLE proc = OpenProcess(SYNCHRONIZE, FALSE, pid);

		ControlService(service, SERVICE_CONTROL_STOP, &ignored);
		if (proc != NULL) {
			if (WaitForSingleObject(proc, 30000) != WAIT_OBJECT_0) {
				snprintf(err, err_len, "the service %s did not stop within 30 s",
				         name);
				rc = -1;
			}
			CloseHandle(proc);
		}
	}
	CloseServiceHandle(service);
	CloseServiceHandle(scm);
	return rc;
}

/* The worker's progress: an unnamed file mapping of one page, whose handle
 * the worker inherits and is told on its command line. */
static HANDLE progress_map;

volatile int *os_progress_page(void)
{
	void *view;

	progress_map =
	    CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NULL);
	if (progress_map == NULL)
		return NULL;
	view = MapViewOfFile(progress_map, FILE_MAP_ALL_ACCESS, 0, 0, 4096);
	if (view == NULL) {
		CloseHandle(progress_map);
		progress_map = NULL;
	}
	return view;
}

int os_progress_token(char *out, size_t out_len)
{
	if (progress_map == NULL)
		return -1;
	snprintf(out, out_len, "%llu", (unsigned long long)(uintptr_t)progress_map);
	return 0;
}

void os_progress_inherit(int on)
{
	if (progress_map != NULL)
		SetHandleInformation(progress_map, HANDLE_FLAG_INHERIT,
		                     on ? HANDLE_FLAG_INHERIT : 0);
}

volatile int *os_progress_attach(const char *token)
{
	char *end;
	unsigned long long v = strtoull(token, &end, 10);
	HANDLE h = (HANDLE)(uintptr_t)v;
	void *view;

	if (*end != '\0' || v == 0)
		return NULL;
	view = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 4096);
	/* the view keeps the mapping; the handle is of no more use here */
	CloseHandle(h);
	return view;
}
