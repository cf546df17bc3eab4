/* SPDX-License-Identifier: Apache-2.0 */
/*
 * winrec: Windows' API answers as records, and BitLocker's volumes made of
 * them, against answers captured from real Windows machines
 * (tests/fixtures/windows/answers/, sources in its README.md).
 */
#include "judges/antivirus.h"
#include "winrec/winrec.h"
#include "testutil.h"

#define ANSWERS "tests/fixtures/windows/answers/"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void parse_file(const char *name, struct winrec_list *l)
{
	char path[256], err[256] = "";
	size_t len;
	char *text;

	snprintf(path, sizeof(path), ANSWERS "%s", name);
	text = slurp(path, &len);
	if (winrec_parse(text, len, l, err, sizeof(err)) != 0)
		fail_msg("%s: expected to parse, got: %s", name, err);
	free(text);
}

static void parse_text(const char *text, struct winrec_list *l, int want_rc, const char *want_err)
{
	char err[256] = "";
	int rc = winrec_parse(text, strlen(text), l, err, sizeof(err));

	if (rc != want_rc)
		fail_msg("expected rc %d, got %d (%s) for:\n%s", want_rc, rc, err, text);
	if (want_err != NULL && strstr(err, want_err) == NULL)
		fail_msg("expected an error naming \"%s\", got \"%s\"", want_err, err);
}

static void test_both_forms(void **state)
{
	struct winrec_list l;

	(void)state;
	/* wmic: CR CR LF line ends, blank lines around and between objects */
	parse_text("\r\r\n\r\r\ndisplayName=Windows Defender\r\r\nproductState=397568\r\r\n"
	           "\r\r\n\r\r\ndisplayName=Other\r\r\nproductState=266240\r\r\n\r\r\n",
	           &l, 0, NULL);
	assert_int_equal(l.n, 2);
	assert_string_equal(winrec_get(&l.recs[0], "DISPLAYNAME"), "Windows Defender");
	assert_string_equal(winrec_get(&l.recs[1], "productState"), "266240");
	winrec_free(&l);
	/* Format-List: aligned colons, an empty value, a wrapped value */
	parse_text("Name      : C:\nEmpty     :\nLong      : {a,\n            b}\n", &l, 0, NULL);
	assert_int_equal(l.n, 1);
	assert_string_equal(winrec_get(&l.recs[0], "Empty"), "");
	assert_string_equal(winrec_get(&l.recs[0], "Long"), "{a, b}");
	winrec_free(&l);
}

static void test_utf16(void **state)
{
	/* what `wmic ... > file` writes: UTF-16LE with a BOM; "Ä" is U+00C4 */
	static const char text[] = "\xFF\xFE"
	                           "N\0a\0m\0e\0=\0\xC4\0\r\0\r\0\n\0";
	struct winrec_list l;
	char err[128];

	(void)state;
	assert_int_equal(winrec_parse(text, sizeof(text) - 1, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(winrec_get(&l.recs[0], "Name"), "\xC3\x84");
	winrec_free(&l);
}

static void test_bad_input(void **state)
{
	struct winrec_list l;
	char big[WINREC_MAX_VALUE + 64];

	(void)state;
	parse_text("PS C:\\> Get-Thing\n", &l, -EINVAL, "line 1");
	winrec_free(&l);
	parse_text("A=1\nA=2\n", &l, -EINVAL, "A is given twice");
	winrec_free(&l);
	parse_text("   continued\n", &l, -EINVAL, "continues no value");
	winrec_free(&l);
	{
		char err[128];
		static const char nul[] = "A=1\nB=\0\n";

		assert_int_equal(winrec_parse(nul, sizeof(nul) - 1, &l, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "NUL"));
		winrec_free(&l);
	}
	memset(big, 'x', sizeof(big));
	memcpy(big, "A=", 2);
	big[sizeof(big) - 1] = '\0';
	parse_text(big, &l, -EINVAL, "longer than");
	winrec_free(&l);
}

static void test_values(void **state)
{
	char items[4][64];
	long long t;

	(void)state;
	assert_int_equal(winrec_items("{\"Tpm\",\"RecoveryPassword\"}", items, 4), 2);
	assert_string_equal(items[1], "RecoveryPassword");
	assert_int_equal(winrec_items("{RecoveryPassword, Tpm}", items, 4), 2);
	assert_string_equal(items[0], "RecoveryPassword");
	assert_int_equal(winrec_items("{}", items, 4), 0);
	assert_int_equal(winrec_items("{1,2,3,4,5}", items, 4), -E2BIG);
	/* 2025-03-11 01:52:18 UTC, as a Defender capture gives it */
	assert_int_equal(winrec_cimtime("20250311015218.000000+000", &t), 0);
	assert_int_equal(t, 1741657938LL);
	/* the same instant written one hour ahead of UTC */
	assert_int_equal(winrec_cimtime("20250311025218.000000+060", &t), 0);
	assert_int_equal(t, 1741657938LL);
	assert_int_equal(winrec_cimtime("16010101000000.000000+000", &t), -ENOENT);
	assert_int_equal(winrec_cimtime("2025031101521", &t), -EINVAL);
	assert_int_equal(winrec_bool("TRUE"), 1);
	assert_int_equal(winrec_bool("False"), 0);
	assert_int_equal(winrec_bool("yes"), -EINVAL);
}

static const struct volume *by_mount(const struct volume *v, size_t n, const char *mount)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].mount, mount) == 0)
			return &v[i];
	fail_msg("expected a volume %s among %zu", mount, n);
	return NULL;
}

/* Microsoft's Get-BitLockerVolume example 3: an OS volume, XTS-AES 128,
 * fully encrypted, protection on. */
static void test_bitlocker_encrypted(void **state)
{
	struct winrec_list l;
	struct volume *v;
	size_t n;
	char err[256];

	(void)state;
	parse_file("bitlocker-docs-example3.txt", &l);
	assert_int_equal(winrec_bitlocker(&l, &v, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].mount, "C:");
	assert_int_equal(v[0].kind, VOLUME_FILESYSTEM);
	assert_int_equal(v[0].system, 1);
	assert_int_equal(v[0].encrypted, 1);
	assert_string_equal(v[0].method, "bitlocker xts-aes-128");
	assert_string_equal(v[0].protectors, "RecoveryPassword, Tpm");
	free(v);
	winrec_free(&l);
}

/* Example 1: a data volume being encrypted, an OS volume with only a TPM
 * protector and nothing encrypted, three decrypted data volumes. */
static void test_bitlocker_mixed(void **state)
{
	struct winrec_list l;
	struct volume *v;
	const struct volume *c, *d;
	size_t n;
	char err[256];

	(void)state;
	parse_file("bitlocker-docs-example1.txt", &l);
	assert_int_equal(winrec_bitlocker(&l, &v, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 5);
	c = by_mount(v, n, "C:");
	assert_int_equal(c->system, 1);
	assert_int_equal(c->encrypted, 0);
	assert_string_equal(c->method, "none");
	assert_string_equal(c->protectors, "Tpm");
	d = by_mount(v, n, "D:");
	assert_int_equal(d->system, 0);
	assert_int_equal(d->kind, VOLUME_FILESYSTEM);
	assert_int_equal(d->encrypted, 0);
	assert_string_equal(d->reason, "BitLocker encryption is in progress at 1%");
	assert_int_equal(by_mount(v, n, "G:")->encrypted, 0);
	free(v);
	winrec_free(&l);
}

/* WMI's own numbers, as the live call gives them, each rule once: the
 * values are those of Microsoft's Win32_EncryptableVolume reference. */
static void test_bitlocker_wmi_numbers(void **state)
{
	static const struct {
		const char *conv, *prot, *lock, *type, *letter;
		int encrypted, kind, system;
		const char *reason;
	} cases[] = {
		{ "1", "1", "0", "0", "C:", 1, VOLUME_FILESYSTEM, 1, "" },
		{ "1", "0", "0", "0", "C:", 0, VOLUME_FILESYSTEM, 1, "suspended" },
		{ "4", "0", "0", "1", "D:", 0, VOLUME_FILESYSTEM, 0, "paused at 40%" },
		{ "3", "0", "0", "1", "D:", 0, VOLUME_FILESYSTEM, 0, "decryption is in progress" },
		{ "", "2", "1", "2", "E:", 1, VOLUME_REMOVABLE, 0, "locked" },
		{ "0", "0", "0", "1", NULL, 0, VOLUME_UNMOUNTED, 0, "" },
		{ "9", "1", "0", "1", "F:", -1, VOLUME_FILESYSTEM, 0,
		  "unknown conversion status (9)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct winrec_list l = { 0 };
		struct volume *v;
		size_t n;
		char err[256];

		assert_int_equal(winrec_begin(&l), 0);
		assert_int_equal(
		    winrec_put(&l, "DeviceID",
		               "\\\\?\\Volume{d3e5f4b0-0000-0000-0000-100000000000}\\"),
		    0);
		if (cases[i].letter)
			assert_int_equal(winrec_put(&l, "DriveLetter", cases[i].letter), 0);
		assert_int_equal(winrec_put(&l, "ConversionStatus", cases[i].conv), 0);
		assert_int_equal(winrec_put(&l, "ProtectionStatus", cases[i].prot), 0);
		assert_int_equal(winrec_put(&l, "LockStatus", cases[i].lock), 0);
		assert_int_equal(winrec_put(&l, "VolumeType", cases[i].type), 0);
		assert_int_equal(winrec_put(&l, "EncryptionMethod", "7"), 0);
		assert_int_equal(winrec_put(&l, "EncryptionPercentage", "40"), 0);
		assert_int_equal(winrec_put(&l, "KeyProtectorTypes", "{1,3}"), 0);
		assert_int_equal(winrec_bitlocker(&l, &v, &n, err, sizeof(err)), 0);
		assert_int_equal(n, 1);
		if (v[0].encrypted != cases[i].encrypted || (int)v[0].kind != cases[i].kind ||
		    v[0].system != cases[i].system ||
		    (cases[i].reason[0] ? strstr(v[0].reason, cases[i].reason) == NULL
		                        : v[0].reason[0] != '\0'))
			fail_msg("case %zu: expected encrypted %d kind %d system %d reason \"%s\", "
			         "got %d %d %d \"%s\"",
			         i, cases[i].encrypted, cases[i].kind, cases[i].system,
			         cases[i].reason, v[0].encrypted, (int)v[0].kind, v[0].system,
			         v[0].reason);
		assert_string_equal(v[0].protectors, "Tpm, RecoveryPassword");
		assert_string_equal(v[0].method, "bitlocker xts-aes-256");
		free(v);
		winrec_free(&l);
	}
}

static void put_update(struct winrec_list *l, const char *title, const char *kb, const char *cls,
                       const char *cls_id, const char *msrc)
{
	assert_int_equal(winrec_begin(l), 0);
	assert_int_equal(winrec_put(l, "Title", title), 0);
	assert_int_equal(winrec_put(l, "KBArticleIDs", kb), 0);
	assert_int_equal(winrec_put(l, "MsrcSeverity", msrc), 0);
	if (cls)
		assert_int_equal(winrec_put(l, "Classification", cls), 0);
	if (cls_id)
		assert_int_equal(winrec_put(l, "ClassificationID", cls_id), 0);
}

/* Windows Update's pending updates. The titles are real ones, from a
 * Windows Server 2016's update history (PSWindowsUpdate issue 41's
 * Get-WUHistory output); the classification GUIDs are Microsoft's
 * (Security Updates 0FA1201D-..., Update Rollups 28BC880E-..., Critical
 * Updates E6CF1350-..., as a real Windows Update log lists them in
 * ansible issue 50003), lower case as IUpdate's CategoryID gives them. */
static void test_wua(void **state)
{
	struct winrec_list l = { 0 };
	struct patch_state ps = { 0 };
	char err[256];

	(void)state;
	put_update(&l,
	           "2024-09 Cumulative Update for Windows Server 2016 for x64-based Systems "
	           "(KB5043051)",
	           "{\"5043051\"}", "Security Updates", "0fa1201d-4330-4fa8-8ae9-b877473b6441", "");
	put_update(&l, "Windows Malicious Software Removal Tool x64 - v5.128 (KB890830)",
	           "{\"890830\"}", "Update Rollups", "28bc880e-0592-4cbf-8f95-c79b17911d5f", "");
	/* rated by MSRC, whatever its classification */
	put_update(&l, "Security Update for SQL Server 2022 RTM GDR (KB5042211)", "{\"5042211\"}",
	           "Critical Updates", "e6cf1350-c01b-414d-a61f-263d14d133b4", "Important");
	/* no GUID: the English name decides */
	put_update(&l,
	           "2024-09 Servicing Stack Update for Windows Server 2016 for x64-based "
	           "Systems (KB5043124)",
	           "{}", "Security Updates", NULL, "");
	assert_int_equal(winrec_wua(&l, &ps, err, sizeof(err)), 0);
	assert_int_equal(ps.n_updates, 4);
	assert_int_equal(ps.n_security, 3);
	/* sorted by title */
	assert_string_equal(ps.updates[0].candidate, "KB5043051");
	assert_int_equal(ps.updates[0].security, 1);
	assert_string_equal(ps.updates[1].candidate, "");
	assert_int_equal(ps.updates[1].security, 1);
	assert_string_equal(ps.updates[2].archive, "Critical Updates");
	assert_int_equal(ps.updates[2].security, 1);
	assert_string_equal(ps.updates[3].candidate, "KB890830");
	assert_int_equal(ps.updates[3].security, 0);
	patch_state_free(&ps);
	winrec_free(&l);
	/* an update without a title is refused, naming it */
	assert_int_equal(winrec_begin(&l), 0);
	assert_int_equal(winrec_put(&l, "KBArticleIDs", "{}"), 0);
	memset(&ps, 0, sizeof(ps));
	assert_int_equal(winrec_wua(&l, &ps, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "update 1 has no Title"));
	patch_state_free(&ps);
	winrec_free(&l);
}

static void av_init(struct av_state *st)
{
	memset(st, 0, sizeof(*st));
	st->defender_service = st->defender_av = st->defender_realtime = -1;
	st->signature_age = -1;
}

/* The verdict on ST, its status and message. */
static enum status verdict(const struct av_state *st, long long max_age, int want_rt, char *message,
                           size_t len)
{
	struct result r = { 0 };
	enum status s;

	r.observed = json_object();
	r.expected = json_object();
	antivirus_verdict(st, max_age, want_rt, &r);
	snprintf(message, len, "%s", r.message ? r.message : "");
	s = r.status;
	free(r.message);
	free(r.remediation);
	json_decref(r.observed);
	json_decref(r.expected);
	return s;
}

static void load(const char *name, struct winrec_list *l)
{
	parse_file(name, l);
}

/* Get-MpComputerStatus in Microsoft's reference: on, real-time protection
 * on, signatures of the day; a Windows without Security Center (Server). */
static void test_defender_docs(void **state)
{
	struct winrec_list l;
	struct av_state st;
	char err[256], msg[512];

	(void)state;
	av_init(&st);
	load("defender-docs-example1.txt", &l);
	assert_int_equal(winrec_defender(&l, &st, err, sizeof(err)), 0);
	winrec_free(&l);
	assert_int_equal(st.defender_service, 1);
	assert_int_equal(st.defender_av, 1);
	assert_int_equal(st.defender_realtime, 1);
	assert_int_equal(st.signature_age, 0);
	if (verdict(&st, 7, 1, msg, sizeof(msg)) != STATUS_PASS)
		fail_msg("expected pass, came: %s", msg);
	assert_string_equal(msg, "Microsoft Defender Antivirus is on with real-time protection, "
	                         "its signatures 0 days old.");
	/* the same machine 30 days later would fail a week's limit */
	st.signature_age = 30;
	assert_int_equal(verdict(&st, 7, 1, msg, sizeof(msg)), STATUS_FAIL);
	assert_string_equal(msg, "Microsoft Defender's signatures are 30 days old, more than 7.");
	st.signature_age = 0;
	st.defender_realtime = 0;
	assert_int_equal(verdict(&st, 7, 1, msg, sizeof(msg)), STATUS_FAIL);
	assert_int_equal(verdict(&st, 7, 0, msg, sizeof(msg)), STATUS_PASS);
}

/* wmic's answer on a Windows Server 2022 (glpi-agent issue 868), as far as
 * it was published: RealTimeProtectionEnabled is past the cut, so real-time
 * protection is unknown, an error when the policy asks for it. */
static void test_defender_wmic(void **state)
{
	struct winrec_list l;
	struct av_state st;
	char err[256], msg[512];

	(void)state;
	av_init(&st);
	load("defender-ws2022-glpi868.txt", &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(winrec_defender(&l, &st, err, sizeof(err)), 0);
	winrec_free(&l);
	assert_string_equal(st.defender_mode, "Normal");
	assert_int_equal(st.defender_realtime, -1);
	assert_int_equal(verdict(&st, 7, 1, msg, sizeof(msg)), STATUS_ERROR);
	assert_string_equal(msg, "Microsoft Defender's status lacks real-time protection.");
	assert_int_equal(verdict(&st, 7, 0, msg, sizeof(msg)), STATUS_PASS);
}

/* Security Center. 397568 is Defender's productState as a real machine gave
 * it (Idera PowerTips, "Identifying Antivirus Engine State", 2020); the
 * other values apply the same bit rule (winrec.h). F-Secure's object is
 * fusioninventory-agent issue 501's wmic capture, cut where it was
 * published, before productState: its state is unknown. */
static void test_security_center(void **state)
{
	struct winrec_list l = { 0 };
	struct av_state st;
	char err[256], msg[512];

	(void)state;
	av_init(&st);
	assert_int_equal(winrec_begin(&l), 0);
	assert_int_equal(winrec_put(&l, "displayName", "Windows Defender"), 0);
	assert_int_equal(winrec_put(&l, "productState", "397568"), 0);
	assert_int_equal(winrec_security_center(&l, &st, err, sizeof(err)), 0);
	winrec_free(&l);
	assert_int_equal(st.n_products, 1);
	assert_int_equal(st.products[0].state, AV_ON);
	assert_int_equal(st.products[0].up_to_date, 1);
	assert_int_equal(st.products[0].defender, 1);
	/* Defender on in Security Center, its own status unread */
	assert_int_equal(verdict(&st, 7, 1, msg, sizeof(msg)), STATUS_PASS);
	/* with its own status, that decides */
	load("defender-docs-example1.txt", &l);
	assert_int_equal(winrec_defender(&l, &st, err, sizeof(err)), 0);
	winrec_free(&l);
	st.defender_realtime = 0;
	assert_int_equal(verdict(&st, 7, 1, msg, sizeof(msg)), STATUS_FAIL);

	/* F-Secure, state unknown, with Defender off (393472: 0x060100) */
	av_init(&st);
	load("securitycenter-fsecure-fusioninventory501.txt", &l);
	assert_int_equal(winrec_security_center(&l, &st, err, sizeof(err)), 0);
	winrec_free(&l);
	assert_int_equal(winrec_begin(&l), 0);
	assert_int_equal(winrec_put(&l, "displayName", "Windows Defender"), 0);
	assert_int_equal(winrec_put(&l, "productState", "393472"), 0);
	assert_int_equal(winrec_security_center(&l, &st, err, sizeof(err)), 0);
	winrec_free(&l);
	assert_int_equal(st.n_products, 2);
	assert_int_equal(st.products[0].state, -1);
	assert_int_equal(st.products[1].state, AV_OFF);
	assert_int_equal(verdict(&st, 7, 1, msg, sizeof(msg)), STATUS_ERROR);
	assert_non_null(strstr(msg, "F-Secure Client Security 12.00 is unknown"));
	/* F-Secure on with old signatures, then current ones: the states set
	 * directly, as the bit rule gives them for 266256 (0x041010) and
	 * 266240 (0x041000) */
	st.products[0].state = AV_ON;
	st.products[0].up_to_date = 0;
	assert_int_equal(verdict(&st, 7, 1, msg, sizeof(msg)), STATUS_FAIL);
	assert_string_equal(msg, "F-Secure Client Security 12.00 is on, but its signatures are "
	                         "out of date.");
	st.products[0].up_to_date = 1;
	assert_int_equal(verdict(&st, 7, 1, msg, sizeof(msg)), STATUS_PASS);
	/* nothing on */
	st.products[0].state = AV_SNOOZED;
	assert_int_equal(verdict(&st, 7, 1, msg, sizeof(msg)), STATUS_FAIL);
	assert_string_equal(msg, "No antivirus is on: F-Secure Client Security 12.00 (snoozed), "
	                         "Windows Defender (off).");
}

/* Get-Tpm in Microsoft's reference: present, not ready; and Win32_Tpm's
 * answer on a machine without a TPM: no object at all. */
static void test_tpm(void **state)
{
	struct winrec_list l = { 0 };
	struct boot_state b = { .tpm = -1, .tpm_ready = -1 };
	char err[256];

	(void)state;
	load("tpm-docs-example1.txt", &l);
	assert_int_equal(winrec_tpm(&l, &b, err, sizeof(err)), 0);
	winrec_free(&l);
	assert_int_equal(b.tpm, 1);
	assert_int_equal(b.tpm_ready, 0);
	b.tpm = b.tpm_ready = -1;
	assert_int_equal(winrec_tpm(&l, &b, err, sizeof(err)), 0);
	assert_int_equal(b.tpm, 0);
	assert_int_equal(b.tpm_ready, 0);
	/* Win32_Tpm with IsReady from its method, and SpecVersion */
	b.tpm = b.tpm_ready = -1;
	assert_int_equal(winrec_begin(&l), 0);
	assert_int_equal(winrec_put(&l, "SpecVersion", "2.0, 0, 1.38"), 0);
	assert_int_equal(winrec_put(&l, "IsReady", "TRUE"), 0);
	assert_int_equal(winrec_tpm(&l, &b, err, sizeof(err)), 0);
	winrec_free(&l);
	assert_int_equal(b.tpm, 1);
	assert_int_equal(b.tpm_ready, 1);
	assert_int_equal(b.tpm_version, 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_forms),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bitlocker_encrypted),
		cmocka_unit_test(test_bitlocker_mixed),
		cmocka_unit_test(test_bitlocker_wmi_numbers),
		cmocka_unit_test(test_wua),
		cmocka_unit_test(test_defender_docs),
		cmocka_unit_test(test_defender_wmic),
		cmocka_unit_test(test_security_center),
		cmocka_unit_test(test_tpm),
	};

	return cmocka_run_group_tests_name("winrec", tests, NULL, NULL);
}
