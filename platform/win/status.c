/* SPDX-License-Identifier: Apache-2.0 */
/*
 * status (Windows): agent/status.h over a named pipe, \\.\pipe\posture-status
 * by default.
 *
 * The pipe is made with an explicit, protected DACL: SYSTEM and
 * Administrators have full control, and authenticated users may read and
 * nothing else. Reading is all a client does; making another instance of
 * the pipe (the way to impersonate the server) needs FILE_CREATE_PIPE_INSTANCE,
 * which they are not given, and FILE_FLAG_FIRST_PIPE_INSTANCE makes the
 * service refuse a name someone else already holds. Remote clients are
 * refused (PIPE_REJECT_REMOTE_CLIENTS): the status is for the machine.
 *
 * One thread accepts the clients and hands each to a thread of its own,
 * which writes the document and closes its end; at most 32 are answered at
 * once, and a client past that is closed unanswered (as on the Unix
 * socket). The pipe's buffer is small, so the write completes only once
 * the client has read all but its last few KiB; a client that does not
 * read within two seconds is cut off (the write cancelled). So whatever a
 * local user does, the service holds at most 32 documents in flight, and a
 * client that never reads delays no one else. The service's loop only
 * hands over new documents, under a lock.
 *
 * A client believes only a server that is the posture service (by the
 * process id the service control manager gives) or runs as the client's
 * own user (an agent it started at its console): a local user who took the
 * name first, before the service started, cannot hand another user, or an
 * MDM script running as SYSTEM, a forged status.
 */
#include "status.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <sddl.h>

#define PIPE_SDDL L"D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;FR;;;AU)"
/* the pipe's buffer (advisory: Windows rounds it): what a client that
 * stops reading can leave held */
#define PIPE_BUFFER 4096
/* how long a client has to read the document */
#define WRITE_WAIT_MS 2000
/* clients answered at once; past this, closed unanswered */
#define MAX_CLIENTS 32

struct status_server {
	wchar_t path[256];
	CRITICAL_SECTION lock;
	char *doc; /* under lock */
	HANDLE stop, thread;
	PSECURITY_DESCRIPTOR sd;
	HANDLE first;         /* the instance made at start, handed to the thread */
	volatile LONG active; /* clients being answered */
};

struct client {
	struct status_server *server;
	HANDLE pipe;
};

static HANDLE make_instance(struct status_server *s, int first)
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), s->sd, FALSE };

	return CreateNamedPipeW(s->path,
	                        PIPE_ACCESS_OUTBOUND | FILE_FLAG_OVERLAPPED |
	                            (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0),
	                        PIPE_TYPE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
	                        PIPE_UNLIMITED_INSTANCES, PIPE_BUFFER, 0, 0, &sa);
}

/* Waits for OV (an overlapped call on H) or the stop event: 1 done, 0 stop
 * or timeout (the call is cancelled). */
static int wait_io(struct status_server *s, HANDLE h, OVERLAPPED *ov, DWORD ms)
{
	HANDLE both[2] = { ov->hEvent, s->stop };
	DWORD n;

	if (WaitForMultipleObjects(2, both, FALSE, ms) == WAIT_OBJECT_0)
		return GetOverlappedResult(h, ov, &n, FALSE) ? 1 : 0;
	CancelIo(h);
	GetOverlappedResult(h, ov, &n, TRUE);
	return 0;
}

static void serve(struct status_server *s, HANDLE h, HANDLE ev)
{
	OVERLAPPED ov;
	char *copy = NULL;
	size_t len = 0;
	DWORD n;

	EnterCriticalSection(&s->lock);
	if (s->doc != NULL && (copy = _strdup(s->doc)) != NULL)
		len = strlen(copy);
	LeaveCriticalSection(&s->lock);
	if (copy == NULL) {
		copy = _strdup("{\"schema\":\"posture.status/1\",\"report\":null}\n");
		len = copy ? strlen(copy) : 0;
	}
	memset(&ov, 0, sizeof(ov));
	ov.hEvent = ev;
	ResetEvent(ev);
	if (copy != NULL && !WriteFile(h, copy, (DWORD)len, &n, &ov) &&
	    GetLastError() == ERROR_IO_PENDING)
		wait_io(s, h, &ov, WRITE_WAIT_MS);
	free(copy);
}

static DWORD WINAPI client_thread(LPVOID arg)
{
	struct client *c = arg;
	HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);

	if (ev != NULL) {
		serve(c->server, c->pipe, ev);
		CloseHandle(ev);
	}
	/* closing (not disconnecting) leaves the written document for the
	 * client to read */
	CloseHandle(c->pipe);
	InterlockedDecrement(&c->server->active);
	free(c);
	return 0;
}

/* Answers the connected client on H in a thread of its own; H is closed
 * unanswered when MAX_CLIENTS are being answered already. */
static void answer(struct status_server *s, HANDLE h)
{
	struct client *c;
	HANDLE t;

	if (InterlockedIncrement(&s->active) > MAX_CLIENTS || (c = malloc(sizeof(*c))) == NULL) {
		InterlockedDecrement(&s->active);
		CloseHandle(h);
		return;
	}
	c->server = s;
	c->pipe = h;
	t = CreateThread(NULL, 64 * 1024, client_thread, c, STACK_SIZE_PARAM_IS_A_RESERVATION,
	                 NULL);
	if (t == NULL)
		client_thread(c); /* answered here, then */
	else
		CloseHandle(t);
}

static DWORD WINAPI serve_thread(LPVOID arg)
{
	struct status_server *s = arg;
	HANDLE h = s->first, ev = CreateEventW(NULL, TRUE, FALSE, NULL);

	s->first = INVALID_HANDLE_VALUE;
	while (ev != NULL && h != INVALID_HANDLE_VALUE) {
		OVERLAPPED ov;
		int connected;

		memset(&ov, 0, sizeof(ov));
		ov.hEvent = ev;
		ResetEvent(ev);
		if (ConnectNamedPipe(h, &ov))
			connected = 1;
		else if (GetLastError() == ERROR_PIPE_CONNECTED)
			connected = 1;
		else if (GetLastError() == ERROR_IO_PENDING)
			connected = wait_io(s, h, &ov, INFINITE);
		else
			connected = 0;
		if (WaitForSingleObject(s->stop, 0) == WAIT_OBJECT_0)
			break;
		if (connected)
			answer(s, h);
		else
			CloseHandle(h);
		h = make_instance(s, 0);
	}
	if (h != INVALID_HANDLE_VALUE)
		CloseHandle(h);
	if (ev != NULL)
		CloseHandle(ev);
	return 0;
}

static void free_server(struct status_server *s)
{
	if (s->stop != NULL)
		CloseHandle(s->stop);
	if (s->sd != NULL)
		LocalFree(s->sd);
	DeleteCriticalSection(&s->lock);
	free(s->doc);
	free(s);
}

int status_server_start(uv_loop_t *loop, const char *path, struct status_server **out, char *err,
                        size_t errlen)
{
	struct status_server *s = calloc(1, sizeof(*s));

	(void)loop; /* served from a thread of its own */
	*out = NULL;
	if (s == NULL) {
		snprintf(err, errlen, "status pipe %s: out of memory", path);
		return -1;
	}
	InitializeCriticalSection(&s->lock);
	if (strncmp(path, "\\\\.\\pipe\\", 9) != 0 ||
	    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, s->path, 256) == 0) {
		snprintf(err, errlen, "status pipe %s: not a pipe name (\\\\.\\pipe\\NAME)", path);
		free_server(s);
		return -1;
	}
	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(PIPE_SDDL, SDDL_REVISION_1,
	                                                          &s->sd, NULL)) {
		snprintf(err, errlen, "status pipe %s: cannot build its ACL (error %lu)", path,
		         (unsigned long)GetLastError());
		free_server(s);
		return -1;
	}
	s->first = make_instance(s, 1);
	if (s->first == INVALID_HANDLE_VALUE) {
		DWORD e = GetLastError();

		snprintf(err, errlen, "status pipe %s: %s (error %lu)", path,
		         e == ERROR_ACCESS_DENIED || e == ERROR_PIPE_BUSY
		             ? "another program, perhaps another agent, holds this name"
		             : "cannot be made",
		         (unsigned long)e);
		free_server(s);
		return -1;
	}
	s->stop = CreateEventW(NULL, TRUE, FALSE, NULL);
	s->thread = s->stop ? CreateThread(NULL, 0, serve_thread, s, 0, NULL) : NULL;
	if (s->thread == NULL) {
		snprintf(err, errlen, "status pipe %s: cannot start its thread (error %lu)", path,
		         (unsigned long)GetLastError());
		CloseHandle(s->first);
		free_server(s);
		return -1;
	}
	*out = s;
	return 0;
}

int status_server_set(struct status_server *s, const char *json_text)
{
	size_t n = strlen(json_text);
	char *copy = malloc(n + 2);

	if (copy == NULL)
		return -1;
	memcpy(copy, json_text, n);
	copy[n] = '\n';
	copy[n + 1] = '\0';
	EnterCriticalSection(&s->lock);
	free(s->doc);
	s->doc = copy;
	LeaveCriticalSection(&s->lock);
	return 0;
}

void status_server_stop(struct status_server *s)
{
	if (s == NULL)
		return;
	SetEvent(s->stop);
	WaitForSingleObject(s->thread, INFINITE);
	CloseHandle(s->thread);
	/* the clients' threads see the stop and end at once */
	while (InterlockedCompareExchange(&s->active, 0, 0) != 0)
		Sleep(10);
	free_server(s);
}

/* The user SID of process PID, into OUT (a buffer of LEN bytes). */
static int process_user(DWORD pid, void *out, DWORD len)
{
	HANDLE proc = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid), token;
	char buf[256];
	DWORD need;
	int rc = -1;

	if (proc == NULL)
		return -1;
	if (OpenProcessToken(proc, TOKEN_QUERY, &token)) {
		if (GetTokenInformation(token, TokenUser, buf, sizeof(buf), &need) &&
		    CopySid(len, out, ((TOKEN_USER *)buf)->User.Sid))
			rc = 0;
		CloseHandle(token);
	}
	CloseHandle(proc);
	return rc;
}

/* The process id of the service "posture", as the service control manager
 * tells it to any authenticated user; 0 when it does not run. */
static DWORD service_pid(void)
{
	SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT), svc;
	SERVICE_STATUS_PROCESS st;
	DWORD need, pid = 0;

	if (scm == NULL)
		return 0;
	svc = OpenServiceW(scm, L"posture", SERVICE_QUERY_STATUS);
	if (svc != NULL) {
		if (QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE *)&st, sizeof(st),
		                         &need) &&
		    st.dwCurrentState == SERVICE_RUNNING)
			pid = st.dwProcessId;
		CloseServiceHandle(svc);
	}
	CloseServiceHandle(scm);
	return pid;
}

/* Whether the server end of the pipe H is the service (the process the
 * service manager runs as "posture": a user cannot read a SYSTEM process's
 * token, but may ask the manager) or a process of this user's own (an agent
 * started at this user's console). 0, or -1 with ERR. */
static int trusted_server(HANDLE h, const char *path, char *err, size_t errlen)
{
	ULONG pid = 0;
	char server[SECURITY_MAX_SID_SIZE], me[SECURITY_MAX_SID_SIZE];
	LPSTR name = NULL;
	int known;

	if (!GetNamedPipeServerProcessId(h, &pid)) {
		snprintf(err, errlen, "%s: cannot tell who serves it (error %lu); not believed",
		         path, (unsigned long)GetLastError());
		return -1;
	}
	if (pid != 0 && pid == service_pid())
		return 0;
	known = process_user(pid, server, sizeof(server)) == 0;
	if (known && process_user(GetCurrentProcessId(), me, sizeof(me)) == 0 &&
	    EqualSid(server, me))
		return 0;
	if (known)
		ConvertSidToStringSidA(server, &name);
	snprintf(err, errlen,
	         "%s is served by process %lu (user %s), which is neither the posture service "
	         "nor yours: its answer is not believed",
	         path, (unsigned long)pid, name ? name : "unknown to you");
	LocalFree(name);
	return -1;
}

int status_fetch(const char *path, int timeout_ms, char **text, int *errnum, char *err,
                 size_t errlen)
{
	wchar_t w[256];
	HANDLE h, ev;
	ULONGLONG deadline = GetTickCount64() + (ULONGLONG)timeout_ms;
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int rc = -1;

	*text = NULL;
	*errnum = 0;
	if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, w, 256) == 0) {
		*errnum = ENAMETOOLONG;
		snprintf(err, errlen, "%s: not a pipe name", path);
		return -1;
	}
	for (;;) {
		h = CreateFileW(w, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED,
		                NULL);
		if (h != INVALID_HANDLE_VALUE)
			break;
		if (GetLastError() != ERROR_PIPE_BUSY || GetTickCount64() >= deadline) {
			DWORD e = GetLastError();

			*errnum = e == ERROR_FILE_NOT_FOUND  ? ENOENT
			          : e == ERROR_PIPE_BUSY     ? ETIMEDOUT
			          : e == ERROR_ACCESS_DENIED ? EACCES
			                                     : ECONNREFUSED;
			snprintf(err, errlen, "%s: %s", path,
			         e == ERROR_FILE_NOT_FOUND ? "no agent is listening"
			         : e == ERROR_PIPE_BUSY    ? "the agent is busy"
			                                   : strerror(*errnum));
			return -1;
		}
		WaitNamedPipeW(w, (DWORD)(deadline - GetTickCount64()));
	}
	if (trusted_server(h, path, err, errlen) != 0) {
		*errnum = EACCES;
		CloseHandle(h);
		return -1;
	}
	ev = CreateEventW(NULL, TRUE, FALSE, NULL);
	while (ev != NULL) {
		OVERLAPPED ov;
		DWORD n = 0;
		ULONGLONG now = GetTickCount64();

		if (cap - len < 4096) {
			char *grown;

			if (cap > (64u << 20)) {
				snprintf(err, errlen, "%s: answer larger than 64 MiB", path);
				goto out;
			}
			grown = realloc(buf, cap ? cap * 2 : 65536);
			if (grown == NULL) {
				snprintf(err, errlen, "out of memory");
				goto out;
			}
			buf = grown;
			cap = cap ? cap * 2 : 65536;
		}
		memset(&ov, 0, sizeof(ov));
		ov.hEvent = ev;
		ResetEvent(ev);
		if (!ReadFile(h, buf + len, (DWORD)(cap - len - 1), &n, &ov)) {
			DWORD e = GetLastError();

			if (e == ERROR_BROKEN_PIPE)
				break; /* the whole document */
			if (e != ERROR_IO_PENDING) {
				snprintf(err, errlen, "%s: read failed (error %lu)", path,
				         (unsigned long)e);
				goto out;
			}
			if (now >= deadline ||
			    WaitForSingleObject(ev, (DWORD)(deadline - now)) != WAIT_OBJECT_0) {
				CancelIo(h);
				GetOverlappedResult(h, &ov, &n, TRUE);
				snprintf(err, errlen, "%s: the agent did not answer within %d ms",
				         path, timeout_ms);
				goto out;
			}
			if (!GetOverlappedResult(h, &ov, &n, FALSE)) {
				if (GetLastError() == ERROR_BROKEN_PIPE)
					break;
				snprintf(err, errlen, "%s: read failed (error %lu)", path,
				         (unsigned long)GetLastError());
				goto out;
			}
		}
		len += n;
	}
	if (ev == NULL) {
		snprintf(err, errlen, "%s: cannot wait for the agent", path);
		goto out;
	}
	if (buf == NULL)
		buf = calloc(1, 1);
	else
		buf[len] = '\0';
	*text = buf;
	buf = NULL;
	rc = *text ? 0 : -1;
out:
	free(buf);
	if (ev != NULL)
		CloseHandle(ev);
	CloseHandle(h);
	return rc;
}
