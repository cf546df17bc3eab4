/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Differential tests: our dpkg and rpm orderings against the real tools on
 * real version strings.
 *
 * deb: at least 10,000 pairs of versions from the apt lists on this machine
 * (every Packages file under /var/lib/apt/lists, decompressed by apt's own
 * apt-helper), each compared by `dpkg --compare-versions`.
 * rpm: at least 2,000 pairs of the same strings and of tests/data/rpm-evrs.txt,
 * compared by rpm itself through its Lua rpm.vercmp() in one rpm process.
 * Pairs are sorted neighbours (which share long prefixes and so exercise the
 * fine rules), versions of the same package from different suites, and
 * random pairs from a fixed seed.
 */
#include "testutil.h"
#include "vercmp.h"

#define MIN_DEB_PAIRS 10000
#define MIN_RPM_PAIRS 2000

struct strs {
	char **v;
	size_t n, cap;
};

static void strs_add(struct strs *s, const char *v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		assert_non_null(s->v);
	}
	s->v[s->n] = strdup(v);
	assert_non_null(s->v[s->n]);
	s->n++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct pairs {
	const char **a, **b;
	size_t n, cap;
};

static void pairs_add(struct pairs *p, const char *a, const char *b)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 4096;
		p->a = realloc(p->a, p->cap * sizeof(*p->a));
		p->b = realloc(p->b, p->cap * sizeof(*p->b));
		assert_non_null(p->a);
		assert_non_null(p->b);
	}
	p->a[p->n] = a;
	p->b[p->n] = b;
	p->n++;
}

/* "Package Version" lines from every apt list on the machine. */
static void read_lists(struct strs *pkg_versions)
{
	static const char cmd[] =
	    "for f in /var/lib/apt/lists/*_Packages /var/lib/apt/lists/*_Packages.*; do "
	    "[ -f \"$f\" ] && /usr/lib/apt/apt-helper cat-file \"$f\"; done 2>/dev/null | "
	    "awk '/^Package: /{p=$2} /^Version: /{print p \" \" $2}' | sort -u";
	char line[1024];
	FILE *f = popen(cmd, "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strchr(line, ' ') != NULL)
			strs_add(pkg_versions, line);
	}
	pclose(f);
}

/* Distinct versions of PKG_VERSIONS (sorted "package version" lines). */
static void unique_versions(const struct strs *pkg_versions, struct strs *uniq)
{
	size_t i;

	for (i = 0; i < pkg_versions->n; i++) {
		const char *v = strchr(pkg_versions->v[i], ' ') + 1;

		if (i == 0 || strcmp(v, strchr(pkg_versions->v[i - 1], ' ') + 1) != 0)
			strs_add(uniq, v);
	}
}

static void strs_free(struct strs *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static void make_pairs(struct strs *pkg_versions, struct strs *uniq, struct pairs *p,
                       size_t n_random, size_t n_neighbours)
{
	size_t i;

	/* Versions of one package across suites (main, -updates, -security). */
	for (i = 1; i < pkg_versions->n; i++) {
		const char *a = pkg_versions->v[i - 1], *b = pkg_versions->v[i];
		size_t la = strcspn(a, " "), lb = strcspn(b, " ");

		if (la == lb && strncmp(a, b, la) == 0)
			pairs_add(p, a + la + 1, b + lb + 1);
	}
	qsort(uniq->v, uniq->n, sizeof(*uniq->v), cmp_str);
	for (i = 1; i < uniq->n && n_neighbours > 0;
	     i += uniq->n / n_neighbours + 1, n_neighbours--)
		pairs_add(p, uniq->v[i - 1], uniq->v[i]);
	srand(20261125);
	for (i = 0; i < n_random; i++)
		pairs_add(p, uniq->v[(size_t)rand() % uniq->n], uniq->v[(size_t)rand() % uniq->n]);
}

static int dpkg_says(const char *a, const char *op, const char *b)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		execlp("dpkg", "dpkg", "--compare-versions", a, op, b, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) <= 1);
	return WEXITSTATUS(status) == 0;
}

static void deb_against_dpkg(void **state)
{
	struct strs pkg_versions = { 0 }, uniq = { 0 };
	struct pairs p = { 0 };
	size_t i, disagree = 0;

	(void)state;
	read_lists(&pkg_versions);
	if (pkg_versions.n < 1000)
		fail_msg("only %zu versions in /var/lib/apt/lists; run apt-get update first",
		         pkg_versions.n);
	unique_versions(&pkg_versions, &uniq);
	make_pairs(&pkg_versions, &uniq, &p, 6000, 5000);
	assert_true(p.n >= MIN_DEB_PAIRS);
	for (i = 0; i < p.n; i++) {
		int ours = deb_version_cmp_str(p.a[i], p.b[i]);
		int theirs = dpkg_says(p.a[i], "lt", p.b[i])   ? -1
		             : dpkg_says(p.a[i], "eq", p.b[i]) ? 0
		                                               : 1;

		if ((ours > 0) - (ours < 0) != theirs) {
			if (disagree++ < 20)
				print_error("dpkg disagrees: %s vs %s: dpkg %d, posture %d\n",
				            p.a[i], p.b[i], theirs, ours);
		}
	}
	print_message("deb: %zu pairs from %zu distinct versions, %zu disagreements\n", p.n, uniq.n,
	              disagree);
	assert_int_equal(disagree, 0);
	strs_free(&pkg_versions);
	strs_free(&uniq);
	free(p.a);
	free(p.b);
}

static void rpm_against_rpm(void **state)
{
	struct strs pkg_versions = { 0 }, uniq = { 0 };
	struct pairs p = { 0 };
	char pairs_path[] = "/tmp/posture-rpm-pairs.XXXXXX", lua[512], line[1024];
	size_t i, n = 0, disagree = 0;
	FILE *f;
	int fd;

	(void)state;
	read_lists(&pkg_versions);
	unique_versions(&pkg_versions, &uniq);
	f = fopen("tests/data/rpm-evrs.txt", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '#' && line[0] != '\0') {
			/* Weigh the rpm-shaped strings up: 20 copies each. */
			for (i = 0; i < 20; i++)
				strs_add(&uniq, line);
		}
	}
	fclose(f);
	make_pairs(&pkg_versions, &uniq, &p, 3000, 1000);
	assert_true(p.n >= MIN_RPM_PAIRS);

	fd = mkstemp(pairs_path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	for (i = 0; i < p.n; i++)
		fprintf(f, "%s %s\n", p.a[i], p.b[i]);
	fclose(f);
	/* One rpm process compares them all; no '%' in the Lua, which rpm
	 * would take for a macro. */
	snprintf(lua, sizeof(lua),
	         "rpm --eval '%%{lua: for l in io.lines(\"%s\") do local s = l:find(\" \", 1, "
	         "true); io.write(rpm.vercmp(l:sub(1, s - 1), l:sub(s + 1)), \"\\n\") end}'",
	         pairs_path);
	f = popen(lua, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		int theirs, ours;

		if (line[0] == '\n')
			continue;
		assert_true(n < p.n);
		theirs = atoi(line);
		ours = rpm_evr_compare(p.a[n], p.b[n]);
		if (ours != theirs && disagree++ < 20)
			print_error("rpm disagrees: %s vs %s: rpm %d, posture %d\n", p.a[n], p.b[n],
			            theirs, ours);
		n++;
	}
	assert_int_equal(pclose(f), 0);
	unlink(pairs_path);
	print_message("rpm: %zu pairs compared by rpm %s, %zu disagreements\n", n, "rpm.vercmp",
	              disagree);
	assert_int_equal(n, p.n);
	assert_int_equal(disagree, 0);
	strs_free(&pkg_versions);
	strs_free(&uniq);
	free(p.a);
	free(p.b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deb_against_dpkg),
		cmocka_unit_test(rpm_against_rpm),
	};

	return cmocka_run_group_tests_name("version_diff", tests, NULL, NULL);
}
