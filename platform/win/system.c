/* SPDX-License-Identifier: Apache-2.0 */
/*
 * system.c (Windows): the OS interface of os.h.
 *   random bytes   BCryptGenRandom with the system-preferred generator
 *   memory         the process heap compacted
 *   program dir    GetModuleFileNameW, as UTF-8
 *   log            the console's standard error; the Event Log when the
 *                  service runs (os_log_is_system)
 *   libraries      LoadLibraryW / GetProcAddress
 */
#include "os.h"
#include "eventlog.h"
#include "messages.h" /* windmc's, from messages.mc */

#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <windows.h>
#include <bcrypt.h>

int os_random(void *buf, size_t len)
{
	if (len > 0xFFFFFFFFu)
		return -1;
	return BCryptGenRandom(NULL, buf, (ULONG)len, BCRYPT_USE_SYSTEM_PREFERRED_RNG) == 0 ? 0
	                                                                                    : -1;
}

void os_release_memory(void)
{
	HeapCompact(GetProcessHeap(), 0);
}

void os_drop_inheritable_privileges(void)
{
	/* handles are not inherited unless made so (CreateProcess's
	 * bInheritHandles and each handle's flag); nothing to drop */
}

int os_program_dir(char *out, size_t out_len)
{
	wchar_t path[MAX_PATH];
	DWORD n = GetModuleFileNameW(NULL, path, MAX_PATH);
	wchar_t *slash;
	int len;

	if (n == 0 || n >= MAX_PATH)
		return -1;
	slash = wcsrchr(path, L'\\');
	if (slash == NULL)
		return -1;
	*slash = L'\0';
	len = WideCharToMultiByte(CP_UTF8, 0, path, -1, out, (int)out_len, NULL, NULL);
	return len > 0 ? 0 : -1;
}

/* The Event Log: the service (os_service_dispatch says so) and the
 * programs it starts, which inherit no usable standard error, write there
 * under the source "Posture" that the MSI registers (posture.exe's message
 * table, platform/win/messages.mc); at a console, standard error. */
static int log_system = -1;
static HANDLE event_source;

void os_log_to_system(void)
{
	log_system = 1;
}

int os_log_is_system(void)
{
	if (log_system < 0) {
		HANDLE err = GetStdHandle(STD_ERROR_HANDLE);

		log_system = err == NULL || err == INVALID_HANDLE_VALUE ||
		             GetFileType(err) == FILE_TYPE_UNKNOWN;
	}
	return log_system;
}

void os_log_line(int priority, const char *program, const char *line)
{
	wchar_t wline[4096];
	const wchar_t *strings[1] = { wline };
	char text[4200];
	WORD type;
	DWORD id;

	if (!os_log_is_system()) {
		os_log_console(priority, program, line);
		return;
	}
	if (event_source == NULL)
		event_source = RegisterEventSourceW(NULL, L"Posture");
	snprintf(text, sizeof(text), "%s: %s", program, line);
	if (event_source == NULL || MultiByteToWideChar(CP_UTF8, 0, text, -1, wline, 4096) == 0) {
		os_log_console(priority, program, line);
		return;
	}
	if (priority <= LOG_ERR) {
		type = EVENTLOG_ERROR_TYPE;
		id = POSTURE_EVENT_ERROR;
	} else if (priority == LOG_WARNING) {
		type = EVENTLOG_WARNING_TYPE;
		id = POSTURE_EVENT_WARNING;
	} else {
		type = EVENTLOG_INFORMATION_TYPE;
		id = POSTURE_EVENT_INFO;
	}
	ReportEventW(event_source, type, 0, id, NULL, 1, 0, strings, NULL);
}

void *os_library_open(const char *name, char *err, size_t err_len)
{
	wchar_t wname[MAX_PATH];
	HMODULE lib = NULL;

	if (MultiByteToWideChar(CP_UTF8, 0, name, -1, wname, MAX_PATH) > 0)
		lib = LoadLibraryExW(wname, NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
	if (lib == NULL)
		snprintf(err, err_len, "cannot load %s: error %lu", name, GetLastError());
	return (void *)lib;
}

void *os_library_symbol(void *lib, const char *symbol)
{
	return (void *)GetProcAddress((HMODULE)lib, symbol);
}
