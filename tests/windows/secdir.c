/* SPDX-License-Identifier: Apache-2.0 */
/*
 * platform/win/secdir.c under Wine. A state folder made by secdir_create
 * is trusted, and a plain file refused, on Wine's real files. Wine gives
 * files a security descriptor made from their Unix owner and mode, whatever
 * was asked, so the rule itself (secdir_judge) is checked on descriptors
 * written in SDDL and built by Wine's own
 * ConvertStringSecurityDescriptorToSecurityDescriptorW: one line per case,
 * exit status 1 on the first that does not come out as expected.
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <sddl.h>

#include "secdir.h"

static int expect(const char *what, int rc, int want, const char *err, const char *word)
{
	if (rc != want || (word != NULL && strstr(err, word) == NULL)) {
		printf("FAIL %s: expected %d%s%s, came %d: %s\n", what, want,
		       word ? " naming " : "", word ? word : "", rc, err);
		return 1;
	}
	printf("ok %s: %s\n", what, rc == 0 ? "trusted" : err);
	return 0;
}

static int judge(const char *what, const wchar_t *sddl, int want, const char *word)
{
	PSECURITY_DESCRIPTOR sd = NULL;
	char err[512] = "";
	int rc;

	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd,
	                                                          NULL)) {
		printf("FAIL %s: Wine does not read the SDDL (error %lu)\n", what,
		       (unsigned long)GetLastError());
		return 1;
	}
	rc = secdir_judge("the folder", sd, err, sizeof(err));
	LocalFree(sd);
	return expect(what, rc, want, err, word);
}

int main(int argc, char **argv)
{
	char err[512] = "", path[512];
	const char *base = argc > 1 ? argv[1] : "C:\\ProgramData\\PostureTest";
	int bad = 0;
	HANDLE f;

	CreateDirectoryA(base, NULL);
	snprintf(path, sizeof(path), "%s\\state", base);
	bad |= expect("secdir_create", secdir_create(path, err, sizeof(err)), 0, err, NULL);
	bad |= expect("its folder", secdir_trusted(path, err, sizeof(err)), 0, err, NULL);
	snprintf(path, sizeof(path), "%s\\a-file", base);
	f = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
	if (f != INVALID_HANDLE_VALUE)
		CloseHandle(f);
	bad |= expect("a file", secdir_trusted(path, err, sizeof(err)), -1, err, "not a folder");

	/* the descriptor secdir_create asks for */
	bad |= judge("SYSTEM and Administrators only", L"O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)",
	             0, NULL);
	bad |= judge("read for Users too",
	             L"O:SYD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FR;;;BU)", 0, NULL);
	bad |= judge("Users may modify",
	             L"O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;BU)", -1, "Users");
	/* users may add files and folders (WD, AD), and own what they add */
	bad |= judge("Users may add folders",
	             L"O:SYD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICIIO;GA;;;CO)"
	             L"(A;OICI;0x1200a9;;;BU)(A;CI;0x6;;;BU)",
	             -1, "Users");
	bad |= judge("Everyone full control, inherited only",
	             L"O:SYD:P(A;OICI;FA;;;SY)(A;OICIIO;GA;;;WD)", -1, "below it");
	bad |= judge("owned by Users", L"O:BUD:P(A;OICI;FA;;;SY)", -1, "belongs to");
	bad |= judge("no DACL", L"O:SY", -1, "no access control list");
	bad |= judge("TrustedInstaller's",
	             L"O:S-1-5-80-956008885-3418522649-1831038044-1853292631-"
	             L"2271478464D:P(A;OICI;FA;;;S-1-5-80-956008885-3418522649-"
	             L"1831038044-1853292631-2271478464)(A;;0x1200a9;;;BU)",
	             0, NULL);
	return bad;
}
