/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: pending updates on apt systems, computed as apt computes them.
 *
 * Inputs, all read through the root: dpkg's status (what is installed),
 * apt's sources (sources.list, and the .list and .sources files in
 * sources.list.d), the
 * Release and Packages files apt keeps in /var/lib/apt/lists (compressed or
 * not), apt's preferences (pins) and APT::Default-Release. The candidate of
 * each installed package follows apt's policy (apt-pkg/policy.cc): each
 * package file gets a priority (500; 1 for NotAutomatic archives; 100 with
 * ButAutomaticUpgrades; 990 for the default release; else the first general
 * pin that matches), a version gets its package's first matching specific
 * pin or else the highest priority of the files it is in, and the candidate
 * is the newest version of the highest priority that is not a downgrade
 * (unless pinned at 1000 or more). A package is upgradable when its
 * candidate is newer than the installed version, as `apt list --upgradable`
 * says; it is a security update when the candidate is in a suite or
 * codename that ends in "-security".
 *
 * Packages files run to tens of megabytes, so they are streamed, and a
 * stanza whose package is not installed is skipped at its first line.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../deb822.h"
#include "../probe.h"
#include "../stream.h"
#include "apt.h"
#include "dpkg.h"
#include "vercmp.h"

#define LISTS "/var/lib/apt/lists/"
#define MAX_ARCHES 8

/* --- small helpers ------------------------------------------------------- */

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		abort();
	return p;
}

static void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);

	if (q == NULL)
		abort();
	return q;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (p == NULL)
		abort();
	return p;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* --- releases and package files ------------------------------------------ */

struct release {
	char origin[128], label[128], suite[128], codename[128], version[64];
	char site[256]; /* host of the URI, for "Pin: origin" */
	int not_automatic, but_automatic_upgrades;
	long long mtime;
	int found;
};

struct pkgfile {
	char path[1024];     /* below LISTS, with its compression suffix */
	size_t rel_index;    /* into apt_state.releases, which grows while reading */
	struct release *rel; /* set once every source is read */
	char component[128];
	char arch[32];
	int priority;
	int security;
};

/* --- pins ---------------------------------------------------------------- */

enum pin_kind { PIN_RELEASE, PIN_ORIGIN, PIN_VERSION };

struct pin {
	char **packages; /* NULL: "Package: *" (a general pin) */
	size_t n_packages;
	enum pin_kind kind;
	char *release_expr; /* "a=stable,c=main" for PIN_RELEASE */
	char *value;        /* origin host or version glob */
	int priority;
};

/* --- installed packages and their versions ------------------------------- */

struct candidate {
	char *version;
	size_t *files; /* indexes into apt_state.files */
	size_t n_files;
	int in_status; /* the installed version: dpkg's status file holds it */
	int priority;  /* apt's GetPriority(), set by prioritise() */
	int security;
	char archive[128]; /* of a security file if any, else the first */
};

struct installed {
	char *name;
	char arch[32];
	char *version;
	struct candidate *cands;
	size_t n_cands;
	struct installed *next_same_name;
};

struct apt_state {
	const struct rootfs *root;
	char native[32];
	char arches[MAX_ARCHES][32];
	size_t n_arches;
	char default_release[128];

	struct release *releases;
	size_t n_releases;
	struct pkgfile *files;
	size_t n_files;

	struct pin *pins;
	size_t n_pins;

	/* Installed packages, hashed by name (open addressing). */
	struct installed **table;
	size_t table_cap;
	struct installed *all;
	size_t n_installed;
};

static size_t hash_str(const char *s, size_t n)
{
	size_t h = 14695981039346656037u, i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static struct installed **slot_for(struct apt_state *st, const char *name, size_t len)
{
	size_t i = hash_str(name, len) & (st->table_cap - 1);

	while (st->table[i] != NULL &&
	       !(strlen(st->table[i]->name) == len && memcmp(st->table[i]->name, name, len) == 0))
		i = (i + 1) & (st->table_cap - 1);
	return &st->table[i];
}

/* --- dpkg status: what is installed -------------------------------------- */

static int on_dpkg(void *user, const struct dpkg_entry *e)
{
	struct apt_state *st = user;
	struct installed *in;

	if (!dpkg_apt_current(e->state))
		return 0;
	if (strcmp(e->name, "dpkg") == 0 && e->arch[0] != '\0')
		snprintf(st->native, sizeof(st->native), "%s", e->arch);
	in = xcalloc(1, sizeof(*in));
	in->name = xstrndup(e->name, e->name_len);
	in->version = xstrndup(e->version, e->version_len);
	snprintf(in->arch, sizeof(in->arch), "%s", e->arch[0] ? e->arch : "all");
	in->next_same_name = st->all; /* reused as the list of all, then rehashed */
	st->all = in;
	st->n_installed++;
	return 0;
}

static int read_installed(struct apt_state *st, char *err, size_t err_len)
{
	struct installed *in, *next;
	int rc;

	rc = dpkg_status_each(st->root, on_dpkg, st, err, err_len);
	if (rc != 0)
		return rc;
	/* Hash by name; packages of one name (several architectures) chain. */
	st->table_cap = 64;
	while (st->table_cap < 2 * st->n_installed + 2)
		st->table_cap *= 2;
	st->table = xcalloc(st->table_cap, sizeof(*st->table));
	for (in = st->all, st->all = NULL; in != NULL; in = next) {
		struct installed **slot = slot_for(st, in->name, strlen(in->name));

		next = in->next_same_name;
		in->next_same_name = *slot;
		*slot = in;
	}
	return 0;
}

/* --- architectures -------------------------------------------------------- */

static void read_arches(struct apt_state *st)
{
	char *buf = NULL, *line, *save = NULL;

	if (st->native[0] == '\0')
		snprintf(st->native, sizeof(st->native), "amd64");
	snprintf(st->arches[0], sizeof(st->arches[0]), "%s", st->native);
	st->n_arches = 1;
	/* dpkg --add-architecture writes the foreign ones here. */
	if (rootfs_read_file(st->root, "/var/lib/dpkg/arch", 4096, &buf, NULL) != 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '\0' || strcmp(line, st->native) == 0 || st->n_arches >= MAX_ARCHES)
			continue;
		snprintf(st->arches[st->n_arches++], sizeof(st->arches[0]), "%s", line);
	}
	free(buf);
}

/* The architecture apt groups a package under: "all" counts as native. */
static const char *group_arch(const struct apt_state *st, const char *arch)
{
	return strcmp(arch, "all") == 0 ? st->native : arch;
}

/* --- sources ------------------------------------------------------------- */

/* Past URI's scheme ("http:", "file:", "copy:", "mirror+https:",
 * "tor+https:"), and past "//" when the URI has it (file:///srv and
 * file:/srv name the same path). */
static const char *after_scheme(const char *uri)
{
	const char *p = uri;

	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (*p != ':' || p == uri)
		return uri;
	p++;
	return strncmp(p, "//", 2) == 0 ? p + 2 : p;
}

/* apt's URItoFileName(): drop the scheme and credentials, %-quote what
 * apt quotes, turn '/' into '_'. Every access method's URI is named so:
 * http:, https:, file: (a path: "_srv_repo_..."), copy:, and mirror+ and
 * tor+ ones (mirror+file:/srv/list becomes "_srv_list_..."), as apt 2.6's
 * `apt-get update` names them (tests/unit/test_os_patch.c). */
static void uri_to_filename(const char *uri, char *out, size_t out_len)
{
	static const char quoted[] = "\\|{}[]<>\"^~_=!@#$%^&*";
	const char *p = after_scheme(uri), *at;
	size_t n = 0;

	at = strchr(p, '@');
	if (at != NULL && (strchr(p, '/') == NULL || at < strchr(p, '/')))
		p = at + 1;
	for (; *p && n + 4 < out_len; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c >= 0x7f || strchr(quoted, c) != NULL)
			n += (size_t)snprintf(out + n, out_len - n, "%%%02x", c);
		else
			out[n++] = c == '/' ? '_' : (char)c;
	}
	out[n] = '\0';
}

static void site_of(const char *uri, char *out, size_t out_len)
{
	const char *p = after_scheme(uri), *end;

	if (strchr(p, '@') != NULL && (strchr(p, '/') == NULL || strchr(p, '@') < strchr(p, '/')))
		p = strchr(p, '@') + 1;
	end = p + strcspn(p, "/:");
	snprintf(out, out_len, "%.*s", (int)(end - p), p);
	if (strncmp(uri, "file:", 5) == 0 || strncmp(uri, "cdrom:", 6) == 0 ||
	    strncmp(uri, "copy:", 5) == 0 || strncmp(uri, "mirror+file:", 12) == 0)
		out[0] = '\0';
}

static void add_release(struct apt_state *st, const char *uri, const char *base)
{
	struct release *r;
	static const char *const names[] = { "InRelease", "Release" };
	size_t i;

	st->releases = xrealloc(st->releases, (st->n_releases + 1) * sizeof(*st->releases));
	r = &st->releases[st->n_releases++];
	memset(r, 0, sizeof(*r));
	site_of(uri, r->site, sizeof(r->site));
	for (i = 0; i < 2 && !r->found; i++) {
		char path[1200], *buf = NULL, *line, *save = NULL;
		struct stat sb;

		snprintf(path, sizeof(path), LISTS "%s%s", base, names[i]);
		if (rootfs_read_file(st->root, path, 64 << 20, &buf, NULL) != 0)
			continue;
		if (rootfs_stat(st->root, path, &sb) == 0)
			r->mtime = (long long)sb.st_mtime;
		r->found = 1;
		/* The fields end at the first blank line, after the PGP header
		 * of an InRelease file. */
		line = strtok_r(buf, "\n", &save);
		if (line != NULL && strncmp(line, "-----BEGIN PGP SIGNED", 21) == 0) {
			while ((line = strtok_r(NULL, "\n", &save)) != NULL && line[0] != '\r' &&
			       strncmp(line, "Hash:", 5) == 0)
				;
		}
		for (; line != NULL; line = strtok_r(NULL, "\n", &save)) {
			char *colon = strchr(line, ':'), *v;
			size_t vlen;

			if (line[0] == ' ' || colon == NULL)
				continue;
			if (strncmp(line, "-----BEGIN PGP SIGNATURE", 24) == 0)
				break;
			*colon = '\0';
			for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
				;
			vlen = strcspn(v, "\r");
			v[vlen] = '\0';
			if (strcasecmp(line, "Origin") == 0)
				snprintf(r->origin, sizeof(r->origin), "%s", v);
			else if (strcasecmp(line, "Label") == 0)
				snprintf(r->label, sizeof(r->label), "%s", v);
			else if (strcasecmp(line, "Suite") == 0)
				snprintf(r->suite, sizeof(r->suite), "%s", v);
			else if (strcasecmp(line, "Codename") == 0)
				snprintf(r->codename, sizeof(r->codename), "%s", v);
			else if (strcasecmp(line, "Version") == 0)
				snprintf(r->version, sizeof(r->version), "%s", v);
			else if (strcasecmp(line, "NotAutomatic") == 0)
				r->not_automatic = strcasecmp(v, "yes") == 0;
			else if (strcasecmp(line, "ButAutomaticUpgrades") == 0)
				r->but_automatic_upgrades = strcasecmp(v, "yes") == 0;
		}
		free(buf);
	}
}

/* Finds the Packages file of BASE+COMPONENT+ARCH, in whichever compression
 * apt left it. */
static void add_pkgfile(struct apt_state *st, size_t rel_index, const char *base,
                        const char *component, const char *arch)
{
	static const char *const exts[] = { "", ".lz4", ".gz", ".xz" };
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		char path[1200], comp[256];
		struct stat sb;
		struct pkgfile *f;
		size_t k;

		/* A component may hold slashes ("updates/main"). */
		for (k = 0; component[k] && k + 1 < sizeof(comp); k++)
			comp[k] = component[k] == '/' ? '_' : component[k];
		comp[k] = '\0';
		if (component[0] != '\0')
			snprintf(path, sizeof(path), LISTS "%s%s_binary-%s_Packages%s", base, comp,
			         arch, exts[i]);
		else
			snprintf(path, sizeof(path), LISTS "%sPackages%s", base, exts[i]);
		if (rootfs_stat(st->root, path, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		for (k = 0; k < st->n_files; k++)
			if (strcmp(st->files[k].path, path) == 0)
				return; /* listed twice in the sources */
		st->files = xrealloc(st->files, (st->n_files + 1) * sizeof(*st->files));
		f = &st->files[st->n_files++];
		memset(f, 0, sizeof(*f));
		snprintf(f->path, sizeof(f->path), "%s", path);
		f->rel_index = rel_index;
		snprintf(f->component, sizeof(f->component), "%s", component);
		snprintf(f->arch, sizeof(f->arch), "%s", arch);
		return;
	}
}

/* One "deb URI SUITE COMPONENTS..." entry. */
static void add_source(struct apt_state *st, const char *uri, const char *suite,
                       char *const *components, size_t n_components, char *const *arches,
                       size_t n_arches)
{
	char full[2048], base[3072];
	size_t a, c, rel_index;

	if (suite[strlen(suite) - 1] == '/') /* a flat repository */
		snprintf(full, sizeof(full), "%s%s%s", uri, ends_with(uri, "/") ? "" : "/",
		         strcmp(suite, "./") == 0 ? "" : suite);
	else
		snprintf(full, sizeof(full), "%s%sdists/%s/", uri, ends_with(uri, "/") ? "" : "/",
		         suite);
	uri_to_filename(full, base, sizeof(base));
	add_release(st, uri, base);
	rel_index = st->n_releases - 1;
	for (a = 0; a < st->n_arches; a++) {
		int wanted = n_arches == 0;
		size_t k;

		for (k = 0; k < n_arches; k++)
			if (strcmp(arches[k], st->arches[a]) == 0)
				wanted = 1;
		if (!wanted)
			continue;
		if (n_components == 0)
			add_pkgfile(st, rel_index, base, "", st->arches[a]);
		for (c = 0; c < n_components; c++)
			add_pkgfile(st, rel_index, base, components[c], st->arches[a]);
	}
}

static size_t split_words(char *s, char **words, size_t max)
{
	size_t n = 0;
	char *save = NULL, *w;

	for (w = strtok_r(s, " \t", &save); w != NULL && n < max; w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	return n;
}

/* sources.list(5) one-line style. */
static void read_list_file(struct apt_state *st, const char *path)
{
	char *buf = NULL, *line, *save = NULL;

	if (rootfs_read_file(st->root, path, 1 << 20, &buf, NULL) != 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *words[64], *arches[MAX_ARCHES], *hash = strchr(line, '#');
		size_t n, i = 1, n_arches = 0;

		if (hash != NULL)
			*hash = '\0';
		n = split_words(line, words, 64);
		if (n < 3 || strcmp(words[0], "deb") != 0)
			continue;
		if (words[1][0] == '[') {
			/* Options: "[ arch=amd64,i386 signed-by=... ]" */
			for (; i < n; i++) {
				char *opt = words[i] + (words[i][0] == '[' ? 1 : 0);
				int last = ends_with(words[i], "]");

				if (last)
					words[i][strlen(words[i]) - 1] = '\0';
				if (strncmp(opt, "arch=", 5) == 0) {
					char *a, *s2 = NULL;

					for (a = strtok_r(opt + 5, ",", &s2);
					     a && n_arches < MAX_ARCHES;
					     a = strtok_r(NULL, ",", &s2))
						arches[n_arches++] = a;
				}
				if (last) {
					i++;
					break;
				}
			}
		}
		if (n < i + 2)
			continue;
		add_source(st, words[i], words[i + 1], words + i + 2, n - i - 2, arches, n_arches);
	}
	free(buf);
}

/* deb822-style .sources files; multi-value fields are space-separated. */
/* A deb822 .sources file (sources.list(5)): Types, URIs, Suites,
 * Components, Architectures and Enabled of each stanza, continuation lines
 * folded. */
enum { S_TYPES, S_URIS, S_SUITES, S_COMPONENTS, S_ARCHES, S_ENABLED };
static const char *const sources_fields[] = { "Types",      "URIs",          "Suites",
	                                      "Components", "Architectures", "Enabled" };

static int on_sources_stanza(void *user, const struct deb822_stanza *s)
{
	struct apt_state *st = user;
	char types[DEB822_MAX_VALUE + 1], uris[DEB822_MAX_VALUE + 1], suites[DEB822_MAX_VALUE + 1],
	    comps[DEB822_MAX_VALUE + 1], archs[DEB822_MAX_VALUE + 1];
	char *tw[16], *uw[32], *sw[32], *cw[32], *aw[MAX_ARCHES];
	const char *e = s->values[S_ENABLED] ? s->values[S_ENABLED] : "yes";
	size_t nt, nu, ns, nc, na, t, u, k;

#define COPY(buf, f) snprintf(buf, sizeof(buf), "%s", s->values[f] ? s->values[f] : "")
	COPY(types, S_TYPES);
	COPY(uris, S_URIS);
	COPY(suites, S_SUITES);
	COPY(comps, S_COMPONENTS);
	COPY(archs, S_ARCHES);
#undef COPY
	nt = split_words(types, tw, 16);
	nu = split_words(uris, uw, 32);
	ns = split_words(suites, sw, 32);
	nc = split_words(comps, cw, 32);
	na = split_words(archs, aw, MAX_ARCHES);
	for (t = 0; t < nt && strncasecmp(e, "no", 2) != 0; t++) {
		if (strcmp(tw[t], "deb") != 0)
			continue;
		for (u = 0; u < nu; u++)
			for (k = 0; k < ns; k++)
				add_source(st, uw[u], sw[k], cw, nc, aw, na);
	}
	return 0;
}

/* The stanzas of apt's own deb822 file PATH (at most 1 MiB; one that
 * cannot be read is skipped, as apt skips it), continuation lines folded. */
static void parse_apt_file(struct apt_state *st, const char *path, const char *const *fields,
                           size_t n_fields, int (*fn)(void *, const struct deb822_stanza *))
{
	struct deb822_mem m;
	char *buf = NULL;
	size_t len = 0;

	if (rootfs_read_file(st->root, path, 1 << 20, &buf, &len) != 0)
		return;
	m.p = buf;
	m.left = len;
	deb822_parse_flags(deb822_read_mem, &m, fields, n_fields, DEB822_FOLD, fn, st);
	free(buf);
}

static void read_sources_file(struct apt_state *st, const char *path)
{
	parse_apt_file(st, path, sources_fields, 6, on_sources_stanza);
}

/* apt's rule for files in *.d directories: letters, digits, '_', '-', '.'. */
static int valid_part_name(const char *name)
{
	const char *p;

	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return 0;
	return name[0] != '.';
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The file names in DIR that end in SUFFIX (or have no '.' when SUFFIX is
 * ""), sorted as apt reads them. The caller frees each and the array. */
static size_t list_dir(const struct rootfs *root, const char *dir, const char *suffix, char ***out)
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	int err = 0;
	DIR *d = rootfs_opendir(root, dir, &err);

	*out = NULL;
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		int ok;

		if (!valid_part_name(de->d_name))
			continue;
		ok = suffix[0] ? ends_with(de->d_name, suffix) : strchr(de->d_name, '.') == NULL;
		if (!ok)
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrndup(de->d_name, strlen(de->d_name));
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	*out = names;
	return n;
}

/* Calls FN for each file of DIR with SUFFIX, in the order apt reads them. */
static void for_each_part(struct apt_state *st, const char *dir, const char *suffix,
                          void (*fn)(struct apt_state *st, const char *path))
{
	char **names, path[1024];
	size_t n, i;

	n = list_dir(st->root, dir, suffix, &names);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		fn(st, path);
		free(names[i]);
	}
	free(names);
}

static void read_sources(struct apt_state *st)
{
	size_t i;

	read_list_file(st, "/etc/apt/sources.list");
	for_each_part(st, "/etc/apt/sources.list.d", ".list", read_list_file);
	for_each_part(st, "/etc/apt/sources.list.d", ".sources", read_sources_file);
	/* Releases no longer move: point the files at theirs. */
	for (i = 0; i < st->n_files; i++)
		st->files[i].rel = &st->releases[st->files[i].rel_index];
}

/* --- configuration and preferences -------------------------------------- */

int apt_config_value(const struct rootfs *root, const char *key, char *out, size_t out_len)
{
	char **names, path[1024];
	size_t n, i;
	int found = 0;

	n = list_dir(root, "/etc/apt/apt.conf.d", "", &names);
	/* apt reads the parts in name order, then apt.conf, the last value
	 * winning. */
	for (i = 0; i <= n; i++) {
		char *buf = NULL, *p;

		if (i < n)
			snprintf(path, sizeof(path), "/etc/apt/apt.conf.d/%s", names[i]);
		else
			snprintf(path, sizeof(path), "/etc/apt/apt.conf");
		if (rootfs_read_file(root, path, 1 << 20, &buf, NULL) == 0) {
			for (p = buf; (p = strcasestr(p, key)) != NULL; p += strlen(key)) {
				const char *line = p, *q = p + strlen(key), *e;

				/* Not inside a comment ("//" or "#" before it). */
				while (line > buf && line[-1] != '\n')
					line--;
				if (memmem(line, (size_t)(p - line), "//", 2) != NULL ||
				    memchr(line, '#', (size_t)(p - line)) != NULL)
					continue;
				while (*q == ' ' || *q == '\t')
					q++;
				if (*q != '"' || (e = strchr(q + 1, '"')) == NULL)
					continue;
				snprintf(out, out_len, "%.*s", (int)(e - q - 1), q + 1);
				found = 1;
			}
			free(buf);
		}
		if (i < n)
			free(names[i]);
	}
	free(names);
	return found ? 0 : -1;
}

static void read_default_release(struct apt_state *st)
{
	if (apt_config_value(st->root, "APT::Default-Release", st->default_release,
	                     sizeof(st->default_release)) != 0)
		st->default_release[0] = '\0';
}

/* A value in a pin: a glob, or /a regex/. */
static int pin_value_matches(const char *pattern, const char *value)
{
	size_t len = strlen(pattern);

	if (len >= 2 && pattern[0] == '/' && pattern[len - 1] == '/') {
		char *re_text = xstrndup(pattern + 1, len - 2);
		regex_t re;
		int ok = 0;

		if (regcomp(&re, re_text, REG_EXTENDED | REG_NOSUB) == 0) {
			ok = regexec(&re, value, 0, NULL, 0) == 0;
			regfree(&re);
		}
		free(re_text);
		return ok;
	}
	return fnmatch(pattern, value, 0) == 0;
}

/* "a=stable,n=bookworm,c=main,o=Debian,l=Debian-Security,v=12,b=amd64" */
static int release_matches(const char *expr, const struct pkgfile *f)
{
	char *copy = xstrndup(expr, strlen(expr)), *term, *save = NULL;
	int ok = 1;

	for (term = strtok_r(copy, ",", &save); term && ok; term = strtok_r(NULL, ",", &save)) {
		char *eq, *v;
		const char *have = NULL;

		while (*term == ' ')
			term++;
		eq = strchr(term, '=');
		if (eq == NULL) { /* a bare word is the release version */
			ok = pin_value_matches(term, f->rel->version);
			continue;
		}
		*eq = '\0';
		v = eq + 1;
		if (strcmp(term, "a") == 0 || strcmp(term, "archive") == 0)
			have = f->rel->suite;
		else if (strcmp(term, "n") == 0 || strcmp(term, "codename") == 0)
			have = f->rel->codename;
		else if (strcmp(term, "c") == 0 || strcmp(term, "component") == 0)
			have = f->component;
		else if (strcmp(term, "o") == 0 || strcmp(term, "origin") == 0)
			have = f->rel->origin;
		else if (strcmp(term, "l") == 0 || strcmp(term, "label") == 0)
			have = f->rel->label;
		else if (strcmp(term, "v") == 0 || strcmp(term, "version") == 0)
			have = f->rel->version;
		else if (strcmp(term, "b") == 0)
			have = f->arch;
		ok = have != NULL && pin_value_matches(v, have);
	}
	free(copy);
	return ok;
}

static int pin_matches_file(const struct pin *p, const struct pkgfile *f)
{
	if (p->kind == PIN_RELEASE)
		return release_matches(p->release_expr, f);
	if (p->kind == PIN_ORIGIN)
		return strcmp(p->value, f->rel->site) == 0;
	return 0;
}

/* An apt_preferences(5) file: Package, Pin and Pin-Priority of each
 * stanza (Explanation and comments ignored). */
enum { P_PACKAGE, P_PIN, P_PRIORITY };
static const char *const pref_fields[] = { "Package", "Pin", "Pin-Priority" };

static int on_pref_stanza(void *user, const struct deb822_stanza *s)
{
	struct apt_state *st = user;
	char package[DEB822_MAX_VALUE + 1], pin[DEB822_MAX_VALUE + 1], prio[32];
	struct pin *pn;

	snprintf(package, sizeof(package), "%s", s->values[P_PACKAGE] ? s->values[P_PACKAGE] : "");
	snprintf(pin, sizeof(pin), "%s", s->values[P_PIN] ? s->values[P_PIN] : "");
	snprintf(prio, sizeof(prio), "%s", s->values[P_PRIORITY] ? s->values[P_PRIORITY] : "");
	if (package[0] && pin[0] && prio[0]) {
		char *words[256];
		size_t n, i;

		st->pins = xrealloc(st->pins, (st->n_pins + 1) * sizeof(*st->pins));
		pn = &st->pins[st->n_pins];
		memset(pn, 0, sizeof(*pn));
		pn->priority = (int)strtol(prio, NULL, 10);
		if (strncmp(pin, "release", 7) == 0) {
			pn->kind = PIN_RELEASE;
			pn->release_expr = xstrndup(pin + 7 + strspn(pin + 7, " "),
			                            strlen(pin + 7 + strspn(pin + 7, " ")));
		} else if (strncmp(pin, "origin", 6) == 0) {
			char *v = pin + 6 + strspn(pin + 6, " ");
			size_t len = strlen(v);

			if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
				v++;
				len -= 2;
			}
			pn->kind = PIN_ORIGIN;
			pn->value = xstrndup(v, len);
		} else if (strncmp(pin, "version", 7) == 0) {
			char *v = pin + 7 + strspn(pin + 7, " ");

			pn->kind = PIN_VERSION;
			pn->value = xstrndup(v, strlen(v));
		} else {
			return 0; /* not a pin apt knows either */
		}
		n = split_words(package, words, 256);
		if (!(n == 1 && strcmp(words[0], "*") == 0)) {
			pn->packages = xcalloc(n, sizeof(char *));
			for (i = 0; i < n; i++)
				pn->packages[i] = xstrndup(words[i], strlen(words[i]));
			pn->n_packages = n;
		}
		st->n_pins++;
	}
	return 0;
}

static void read_preferences_file(struct apt_state *st, const char *path)
{
	parse_apt_file(st, path, pref_fields, 3, on_pref_stanza);
}

static void read_preferences(struct apt_state *st)
{
	read_preferences_file(st, "/etc/apt/preferences");
	for_each_part(st, "/etc/apt/preferences.d", "", read_preferences_file);
	for_each_part(st, "/etc/apt/preferences.d", ".pref", read_preferences_file);
}

static void file_priorities(struct apt_state *st)
{
	size_t i, k;

	for (i = 0; i < st->n_files; i++) {
		struct pkgfile *f = &st->files[i];
		const struct release *r = f->rel;

		if (r->not_automatic && r->but_automatic_upgrades)
			f->priority = 100;
		else if (r->not_automatic)
			f->priority = 1;
		else
			f->priority = 500;
		if (st->default_release[0] && !r->not_automatic &&
		    (pin_value_matches(st->default_release, r->suite) ||
		     pin_value_matches(st->default_release, r->codename) ||
		     pin_value_matches(st->default_release, r->version)))
			f->priority = 990;
		for (k = 0; k < st->n_pins; k++) {
			if (st->pins[k].packages == NULL && pin_matches_file(&st->pins[k], f)) {
				f->priority = st->pins[k].priority;
				break;
			}
		}
		f->security =
		    ends_with(r->suite, "-security") || ends_with(r->codename, "-security");
	}
}

/* --- Packages files ------------------------------------------------------ */

static int package_pinned(const struct pin *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n_packages; i++)
		if (pin_value_matches(p->packages[i], name))
			return 1;
	return 0;
}

static struct candidate *find_or_add(struct installed *in, const char *version, size_t version_len)
{
	struct candidate *c;
	size_t i;

	for (i = 0; i < in->n_cands; i++)
		if (strlen(in->cands[i].version) == version_len &&
		    memcmp(in->cands[i].version, version, version_len) == 0)
			return &in->cands[i];
	in->cands = xrealloc(in->cands, (in->n_cands + 1) * sizeof(*in->cands));
	c = &in->cands[in->n_cands++];
	memset(c, 0, sizeof(*c));
	c->version = xstrndup(version, version_len);
	return c;
}

static void add_candidate(struct apt_state *st, struct installed *in, const char *version,
                          size_t version_len, size_t file_index)
{
	struct candidate *c = find_or_add(in, version, version_len);
	const struct pkgfile *f = &st->files[file_index];

	c->files = xrealloc(c->files, (c->n_files + 1) * sizeof(*c->files));
	c->files[c->n_files++] = file_index;
	if (c->archive[0] == '\0' || strcmp(c->archive, "now") == 0 ||
	    (f->security && !c->security))
		snprintf(c->archive, sizeof(c->archive), "%s", f->rel->suite);
	c->security |= f->security;
}

/* apt's GetPriority(version): the first specific pin of the package that
 * matches the version (by version, or by a release or origin of one of its
 * files); else the highest priority of its files, the status file counting
 * 100 for the installed version. */
static void prioritise(const struct apt_state *st, const struct installed *in, struct candidate *c)
{
	size_t k, f;
	int prio = -32768;

	for (k = 0; k < st->n_pins; k++) {
		const struct pin *p = &st->pins[k];
		int hit = 0;

		if (p->packages == NULL || !package_pinned(p, in->name))
			continue;
		if (p->kind == PIN_VERSION)
			hit = pin_value_matches(p->value, c->version);
		for (f = 0; f < c->n_files && !hit; f++)
			hit = pin_matches_file(p, &st->files[c->files[f]]);
		if (hit) {
			c->priority = p->priority;
			return;
		}
	}
	for (f = 0; f < c->n_files; f++)
		if (st->files[c->files[f]].priority > prio)
			prio = st->files[c->files[f]].priority;
	if (c->in_status && prio < 100)
		prio = 100;
	c->priority = prio == -32768 ? 0 : prio;
}

/* The "\n\n" that ends a stanza. glibc's memmem() is a byte-at-a-time
 * loop for short needles; memchr() is vectorised, and lines are long. */
static char *stanza_end(char *p, size_t len)
{
	char *end = p + len;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		if (nl == NULL || nl + 1 >= end)
			return NULL;
		if (nl[1] == '\n')
			return nl;
		p = nl + 1;
	}
	return NULL;
}

/* Scans one Packages file. Stanzas of packages that are not installed are
 * skipped after their first line. */
static int scan_pkgfile(struct apt_state *st, size_t file_index, char *err, size_t err_len)
{
	const struct pkgfile *f = &st->files[file_index];
	enum { BUF = 1 << 20 };
	struct stream *s = NULL;
	char *buf = NULL;
	size_t have = 0, pos = 0;
	int eof = 0, rc;

	rc = stream_open(st->root, f->path, &s);
	if (rc != 0) {
		snprintf(err, err_len, "cannot open %s: %s", f->path, rootfs_strerror(-rc));
		return rc;
	}
	buf = malloc(BUF + 1);
	if (buf == NULL) {
		stream_close(s);
		return -ENOMEM;
	}
	for (;;) {
		char *stanza, *end;
		size_t len;

		/* Keep at least one whole stanza in the buffer. */
		end = stanza_end(buf + pos, have - pos);
		if (end == NULL && !eof) {
			ssize_t n;

			memmove(buf, buf + pos, have - pos);
			have -= pos;
			pos = 0;
			if (have == BUF) {
				/* One stanza larger than the buffer: not one we keep. */
				have = 0;
				continue;
			}
			n = stream_read(s, buf + have, BUF - have);
			if (n < 0) {
				snprintf(err, err_len, "cannot read %s: %s", f->path,
				         strerror((int)-n));
				rc = (int)n;
				goto out;
			}
			if (n == 0)
				eof = 1;
			have += (size_t)n;
			continue;
		}
		stanza = buf + pos;
		len = end ? (size_t)(end - stanza) + 1 : have - pos;
		pos = end ? (size_t)(end - buf) + 2 : have;
		if (len == 0) {
			if (eof && pos >= have)
				break;
			continue;
		}
		if (len > 9 && memcmp(stanza, "Package: ", 9) == 0) {
			const char *name = stanza + 9;
			size_t name_len = strcspn(name, "\n");
			struct installed *in = *slot_for(st, name, name_len);

			if (in != NULL) {
				const char *ver = NULL, *arch = "all", *p = stanza;
				size_t ver_len = 0, arch_len = 3;

				stanza[len - 1] = '\0'; /* the stanza's last newline */
				while (p != NULL) {
					if (strncmp(p, "Version: ", 9) == 0) {
						ver = p + 9;
						ver_len = strcspn(ver, "\n");
					} else if (strncmp(p, "Architecture: ", 14) == 0) {
						arch = p + 14;
						arch_len = strcspn(arch, "\n");
					}
					p = strchr(p, '\n');
					if (p != NULL)
						p++;
				}
				if (ver != NULL) {
					char a[32];

					snprintf(a, sizeof(a), "%.*s", (int)arch_len, arch);
					for (; in != NULL; in = in->next_same_name)
						if (strcmp(group_arch(st, in->arch),
						           group_arch(st, a)) == 0)
							add_candidate(st, in, ver, ver_len,
							              file_index);
				}
			}
		}
		if (eof && pos >= have)
			break;
	}
	rc = 0;
out:
	free(buf);
	stream_close(s);
	return rc;
}

/* --- candidates ---------------------------------------------------------- */

static int cand_cmp_desc(const void *a, const void *b)
{
	return -deb_version_cmp_str(((const struct candidate *)a)->version,
	                            ((const struct candidate *)b)->version);
}

/* apt's GetCandidateVer(): versions newest first; the first of the highest
 * priority wins; priority 0 never; below 1000, never older than what is
 * installed. */
static const struct candidate *choose(const struct apt_state *st, struct installed *in)
{
	const struct candidate *best = NULL;
	int best_prio = -1;
	size_t i;

	for (i = 0; i < in->n_cands; i++)
		prioritise(st, in, &in->cands[i]);
	if (in->n_cands > 1)
		qsort(in->cands, in->n_cands, sizeof(*in->cands), cand_cmp_desc);
	for (i = 0; i < in->n_cands; i++) {
		const struct candidate *c = &in->cands[i];

		if (c->priority == 0 || c->priority <= best_prio)
			continue;
		if (c->priority < 1000 && deb_version_cmp_str(c->version, in->version) < 0)
			continue;
		best_prio = c->priority;
		best = c;
	}
	return best;
}

static int pending_cmp(const void *a, const void *b)
{
	const struct pending_update *x = a, *y = b;
	int rc = strcmp(x->name, y->name);

	return rc ? rc : strcmp(x->arch, y->arch);
}

int apt_pending(const struct rootfs *root, struct patch_state *out, char *err, size_t err_len)
{
	struct apt_state st;
	size_t i;
	int rc;

	memset(&st, 0, sizeof(st));
	st.root = root;
	rc = read_installed(&st, err, err_len);
	if (rc != 0)
		goto out;
	read_arches(&st);
	read_sources(&st);
	read_default_release(&st);
	read_preferences(&st);
	file_priorities(&st);
	out->n_indexes = st.n_files;
	out->last_check = -1;
	for (i = 0; i < st.n_releases; i++)
		if (st.releases[i].found && st.releases[i].mtime > out->last_check) {
			out->last_check = st.releases[i].mtime;
			snprintf(out->last_check_source, sizeof(out->last_check_source),
			         "apt lists (newest Release file)");
		}
	/* The installed version is a version too: dpkg's status lists it. */
	for (i = 0; i < st.table_cap; i++) {
		struct installed *in;

		for (in = st.table[i]; in != NULL; in = in->next_same_name) {
			struct candidate *c = find_or_add(in, in->version, strlen(in->version));

			c->in_status = 1;
			snprintf(c->archive, sizeof(c->archive), "now");
		}
	}
	for (i = 0; i < st.n_files; i++) {
		rc = scan_pkgfile(&st, i, err, err_len);
		if (rc != 0)
			goto out;
	}
	out->n_installed = st.n_installed;
	for (i = 0; i < st.table_cap; i++) {
		struct installed *in;

		for (in = st.table[i]; in != NULL; in = in->next_same_name) {
			const struct candidate *c = choose(&st, in);
			struct pending_update *u;

			if (c == NULL || deb_version_cmp_str(c->version, in->version) <= 0)
				continue;
			out->updates =
			    xrealloc(out->updates, (out->n_updates + 1) * sizeof(*out->updates));
			u = &out->updates[out->n_updates++];
			memset(u, 0, sizeof(*u));
			u->name = xstrndup(in->name, strlen(in->name));
			snprintf(u->arch, sizeof(u->arch), "%s", in->arch);
			u->installed = xstrndup(in->version, strlen(in->version));
			u->candidate = xstrndup(c->version, strlen(c->version));
			snprintf(u->archive, sizeof(u->archive), "%s", c->archive);
			u->security = c->security;
			if (c->security)
				out->n_security++;
		}
	}
	if (out->n_updates > 1)
		qsort(out->updates, out->n_updates, sizeof(*out->updates), pending_cmp);
	rc = 0;
out:
	for (i = 0; i < st.table_cap; i++) {
		struct installed *in, *next;

		for (in = st.table[i]; in != NULL; in = next) {
			size_t k;

			next = in->next_same_name;
			for (k = 0; k < in->n_cands; k++) {
				free(in->cands[k].version);
				free(in->cands[k].files);
			}
			free(in->cands);
			free(in->name);
			free(in->version);
			free(in);
		}
	}
	for (i = 0; i < st.n_pins; i++) {
		size_t k;

		for (k = 0; k < st.pins[i].n_packages; k++)
			free(st.pins[i].packages[k]);
		free(st.pins[i].packages);
		free(st.pins[i].release_expr);
		free(st.pins[i].value);
	}
	free(st.pins);
	free(st.table);
	free(st.files);
	free(st.releases);
	return rc;
}
