/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A local user's attempt to stall the status pipe: connects to
 * \\.\pipe\posture-status N times (argv[1], default 4), never reads, and
 * holds every connection for S seconds (argv[2], default 20). Prints how
 * many connections it got. tests/package/msi.sh runs it beside the service
 * and checks that posture.exe status still answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4, secs = argc > 2 ? atoi(argv[2]) : 20, got = 0;
	HANDLE h[64];

	if (n > 64)
		n = 64;
	for (int i = 0; i < n; i++) {
		h[got] = CreateFileW(L"\\\\.\\pipe\\posture-status", GENERIC_READ, 0, NULL,
		                     OPEN_EXISTING, 0, NULL);
		if (h[got] != INVALID_HANDLE_VALUE)
			got++;
		else
			WaitNamedPipeW(L"\\\\.\\pipe\\posture-status", 1000);
	}
	printf("holding %d connections without reading\n", got);
	fflush(stdout);
	Sleep((DWORD)secs * 1000);
	for (int i = 0; i < got; i++)
		CloseHandle(h[i]);
	return 0;
}
