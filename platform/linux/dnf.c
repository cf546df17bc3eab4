/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux: pending updates on dnf systems, from the repository metadata dnf
 * keeps in its cache, never by running dnf.
 *
 * Installed packages come from rpm's database; the enabled repositories
 * from /etc/yum.repos.d; their metadata from dnf's cache (dnf 4:
 * /var/cache/dnf/ID-HASH/repodata, dnf 5: /var/cache/libdnf5/ID-HASH/repodata):
 * repomd.xml names the primary list and the updateinfo, in whatever
 * compression the repository used (gzip, xz, zstd, zchunk). A package is
 * upgradable when a newer version of the same name and architecture (or
 * noarch) is available, as `dnf check-update` says; the update is a
 * security one when an advisory of type "security" offers a version newer
 * than the installed one, as `dnf updateinfo list --security` says. XML is
 * read with expat, streamed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vercmp.h"
#include "../probe.h"
#include "../stream.h"
#include "dnf.h"
#include "packages.h"

struct pkg {
	char name[256];
	char arch[32];
	char installed[300]; /* the newest installed EVR */
	char candidate[300]; /* the newest available EVR, "" none */
	char archive[128];
	int security;
	struct pkg *next;
};

struct state {
	const struct rootfs *root;
	struct pkg **table;
	size_t cap, n;
	/* the XML element being read */
	char name[256], arch[32], evr[300];
	int in_name, in_arch;
	int in_security_update;
	const char *repo;
};

static size_t hash_str(const char *s)
{
	size_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static struct pkg **slot(struct state *st, const char *name)
{
	size_t i = hash_str(name) & (st->cap - 1);

	while (st->table[i] != NULL && strcmp(st->table[i]->name, name) != 0)
		i = (i + 1) & (st->cap - 1);
	return &st->table[i];
}

static int compatible(const char *installed_arch, const char *arch)
{
	return strcmp(installed_arch, arch) == 0 || strcmp(arch, "noarch") == 0 ||
	       strcmp(installed_arch, "noarch") == 0;
}

static int on_installed(void *user, const struct rpm_nevra *n)
{
	struct state *st = user;
	struct pkg **head = slot(st, n->name), *p;
	char evr[300];

	snprintf(evr, sizeof(evr), "%s%s%s-%s", n->epoch, n->epoch[0] ? ":" : "", n->version,
	         n->release);
	for (p = *head; p != NULL; p = p->next) {
		if (strcmp(p->arch, n->arch) == 0) {
			/* Several installed (kernels): the newest counts. */
			if (rpm_evr_compare(evr, p->installed) > 0)
				snprintf(p->installed, sizeof(p->installed), "%s", evr);
			return 0;
		}
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return -1;
	snprintf(p->name, sizeof(p->name), "%s", n->name);
	snprintf(p->arch, sizeof(p->arch), "%s", n->arch);
	snprintf(p->installed, sizeof(p->installed), "%s", evr);
	p->next = *head;
	*head = p;
	st->n++;
	return 0;
}

/* --- XML ----------------------------------------------------------------- */

static const char *attr(const char **atts, const char *key)
{
	size_t i;

	for (i = 0; atts[i] != NULL; i += 2)
		if (strcmp(atts[i], key) == 0)
			return atts[i + 1];
	return NULL;
}

static void evr_from(const char **atts, const char *ver_key, const char *rel_key, char *out,
                     size_t len)
{
	const char *e = attr(atts, "epoch"), *v = attr(atts, ver_key), *r = attr(atts, rel_key);

	if (v == NULL || r == NULL) {
		out[0] = '\0';
		return;
	}
	if (e != NULL && strcmp(e, "0") != 0 && e[0] != '\0')
		snprintf(out, len, "%s:%s-%s", e, v, r);
	else
		snprintf(out, len, "%s-%s", v, r);
}

/* Strips the XML namespace expat puts before names ("uri|name"). */
static const char *local(const char *name)
{
	const char *bar = strrchr(name, '|');

	return bar ? bar + 1 : name;
}

static void XMLCALL primary_start(void *user, const char *el, const char **atts)
{
	struct state *st = user;

	el = local(el);
	if (strcmp(el, "package") == 0) {
		st->name[0] = st->arch[0] = st->evr[0] = '\0';
	} else if (strcmp(el, "name") == 0) {
		st->in_name = 1;
		st->name[0] = '\0';
	} else if (strcmp(el, "arch") == 0) {
		st->in_arch = 1;
		st->arch[0] = '\0';
	} else if (strcmp(el, "version") == 0) {
		evr_from(atts, "ver", "rel", st->evr, sizeof(st->evr));
	}
}

static void XMLCALL primary_text(void *user, const char *s, int len)
{
	struct state *st = user;
	char *dst = st->in_name ? st->name : st->in_arch ? st->arch : NULL;
	size_t cap = st->in_name ? sizeof(st->name) : sizeof(st->arch), used;

	if (dst == NULL)
		return;
	used = strlen(dst);
	snprintf(dst + used, cap - used, "%.*s", len, s);
}

static void XMLCALL primary_end(void *user, const char *el)
{
	struct state *st = user;
	struct pkg *p;

	el = local(el);
	if (strcmp(el, "name") == 0)
		st->in_name = 0;
	else if (strcmp(el, "arch") == 0)
		st->in_arch = 0;
	else if (strcmp(el, "package") == 0 && st->name[0] && st->evr[0]) {
		for (p = *slot(st, st->name); p != NULL; p = p->next) {
			if (!compatible(p->arch, st->arch))
				continue;
			if (p->candidate[0] == '\0' || rpm_evr_compare(st->evr, p->candidate) > 0) {
				snprintf(p->candidate, sizeof(p->candidate), "%s", st->evr);
				snprintf(p->archive, sizeof(p->archive), "%s", st->repo);
			}
		}
	}
}

static void XMLCALL updateinfo_start(void *user, const char *el, const char **atts)
{
	struct state *st = user;
	struct pkg *p;
	const char *name, *arch;
	char evr[300];

	el = local(el);
	if (strcmp(el, "update") == 0) {
		const char *type = attr(atts, "type");

		st->in_security_update = type != NULL && strcmp(type, "security") == 0;
		return;
	}
	if (strcmp(el, "package") != 0 || !st->in_security_update)
		return;
	name = attr(atts, "name");
	arch = attr(atts, "arch");
	if (name == NULL || arch == NULL)
		return;
	evr_from(atts, "version", "release", evr, sizeof(evr));
	if (evr[0] == '\0')
		return;
	/* An advisory offering something newer than what is installed. */
	for (p = *slot(st, name); p != NULL; p = p->next)
		if (compatible(p->arch, arch) && rpm_evr_compare(evr, p->installed) > 0)
			p->security = 1;
}

static void XMLCALL updateinfo_end(void *user, const char *el)
{
	struct state *st = user;

	if (strcmp(local(el), "update") == 0)
		st->in_security_update = 0;
}

static int parse_xml(struct state *st, const char *path, XML_StartElementHandler start,
                     XML_EndElementHandler end, XML_CharacterDataHandler text, char *err,
                     size_t err_len)
{
	XML_Parser parser = XML_ParserCreateNS(NULL, '|');
	struct stream *s = NULL;
	char buf[1 << 16];
	int rc = stream_open(st->root, path, &s);

	if (parser == NULL) {
		stream_close(s);
		return -ENOMEM;
	}
	if (rc != 0) {
		snprintf(err, err_len, "cannot open %s: %s", path, rootfs_strerror(-rc));
		XML_ParserFree(parser);
		return rc;
	}
	XML_SetUserData(parser, st);
	XML_SetElementHandler(parser, start, end);
	if (text != NULL)
		XML_SetCharacterDataHandler(parser, text);
	for (;;) {
		ssize_t n = stream_read(s, buf, sizeof(buf));

		if (n < 0) {
			snprintf(err, err_len, "cannot read %s: %s", path, strerror((int)-n));
			rc = (int)n;
			break;
		}
		if (XML_Parse(parser, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
			snprintf(err, err_len, "%s: line %lu: %s", path,
			         (unsigned long)XML_GetCurrentLineNumber(parser),
			         XML_ErrorString(XML_GetErrorCode(parser)));
			rc = -EBADMSG;
			break;
		}
		if (n == 0)
			break;
	}
	XML_ParserFree(parser);
	stream_close(s);
	return rc;
}

/* repomd.xml: the locations of the primary list and the updateinfo. */
struct repomd {
	char type[64];
	char primary[512], updateinfo[512];
};

static void XMLCALL repomd_start(void *user, const char *el, const char **atts)
{
	struct repomd *r = *(struct repomd **)user;
	const char *v;

	el = local(el);
	if (strcmp(el, "data") == 0 && (v = attr(atts, "type")) != NULL)
		snprintf(r->type, sizeof(r->type), "%s", v);
	else if (strcmp(el, "location") == 0 && (v = attr(atts, "href")) != NULL) {
		if (strcmp(r->type, "primary") == 0)
			snprintf(r->primary, sizeof(r->primary), "%s", v);
		else if (strcmp(r->type, "updateinfo") == 0)
			snprintf(r->updateinfo, sizeof(r->updateinfo), "%s", v);
	}
}

static void XMLCALL repomd_end(void *user, const char *el)
{
	(void)user;
	(void)el;
}

/* --- repositories -------------------------------------------------------- */

/* Enabled repository ids of /etc/yum.repos.d; the caller frees. */
static size_t enabled_repos(const struct rootfs *root, char ids[][128], size_t max)
{
	struct dirent *de;
	size_t n = 0;
	int err = 0;
	DIR *d = rootfs_opendir(root, "/etc/yum.repos.d", &err);

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char path[512], *buf = NULL, *line, *save = NULL, id[128] = "";
		int enabled = 1;
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".repo") != 0)
			continue;
		snprintf(path, sizeof(path), "/etc/yum.repos.d/%s", de->d_name);
		if (rootfs_read_file(root, path, 1 << 20, &buf, NULL) != 0)
			continue;
		for (line = strtok_r(buf, "\n", &save);; line = strtok_r(NULL, "\n", &save)) {
			if (line == NULL || line[0] == '[') {
				if (id[0] && enabled && n < max)
					snprintf(ids[n++], 128, "%s", id);
				if (line == NULL)
					break;
				snprintf(id, sizeof(id), "%.*s", (int)strcspn(line + 1, "]"),
				         line + 1);
				enabled = 1;
				continue;
			}
			if (strncmp(line, "enabled", 7) == 0) {
				const char *v = strchr(line, '=');

				if (v != NULL) {
					for (v++; *v == ' '; v++)
						;
					enabled = !(*v == '0' || strncasecmp(v, "false", 5) == 0 ||
					            strncasecmp(v, "no", 2) == 0);
				}
			}
		}
		free(buf);
	}
	closedir(d);
	return n;
}

static int scan_cache(struct state *st, const char *cache, char ids[][128], size_t n_ids,
                      struct patch_state *out, char *err, size_t err_len)
{
	struct dirent *de;
	int e = 0, rc = 0;
	DIR *d = rootfs_opendir(st->root, cache, &e);

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && rc == 0) {
		char path[1024], base[768];
		struct repomd r = { 0 }, *rp = &r;
		struct state tmp;
		struct stat sb;
		size_t i, len = strlen(de->d_name);
		const char *dash = strrchr(de->d_name, '-');
		int wanted = 0;

		/* "ID-0123456789abcdef": the repository id, a dash, 16 hex digits. */
		if (dash == NULL || len - (size_t)(dash - de->d_name) != 17)
			continue;
		for (i = 0; i < n_ids; i++)
			if (strlen(ids[i]) == (size_t)(dash - de->d_name) &&
			    strncmp(ids[i], de->d_name, strlen(ids[i])) == 0)
				wanted = 1;
		if (!wanted)
			continue;
		snprintf(base, sizeof(base), "%s/%s", cache, de->d_name);
		snprintf(path, sizeof(path), "%s/repodata/repomd.xml", base);
		if (rootfs_stat(st->root, path, &sb) != 0)
			continue;
		if ((long long)sb.st_mtime > out->last_check) {
			out->last_check = (long long)sb.st_mtime;
			snprintf(out->last_check_source, sizeof(out->last_check_source),
			         "dnf cache (newest repomd.xml)");
		}
		tmp = *st;
		/* repomd_start takes a pointer to the struct repomd. */
		{
			XML_Parser p = XML_ParserCreateNS(NULL, '|');
			struct stream *s = NULL;
			char buf[8192];
			ssize_t n;

			if (p == NULL || stream_open(st->root, path, &s) != 0) {
				if (p != NULL)
					XML_ParserFree(p);
				continue;
			}
			XML_SetUserData(p, &rp);
			XML_SetElementHandler(p, repomd_start, repomd_end);
			while ((n = stream_read(s, buf, sizeof(buf))) >= 0) {
				if (XML_Parse(p, buf, (int)n, n == 0) == XML_STATUS_ERROR || n == 0)
					break;
			}
			XML_ParserFree(p);
			stream_close(s);
		}
		(void)tmp;
		st->repo = de->d_name;
		out->n_indexes++;
		if (r.primary[0]) {
			snprintf(path, sizeof(path), "%s/%s", base, r.primary);
			rc = parse_xml(st, path, primary_start, primary_end, primary_text, err,
			               err_len);
		}
		if (rc == 0 && r.updateinfo[0]) {
			snprintf(path, sizeof(path), "%s/%s", base, r.updateinfo);
			rc = parse_xml(st, path, updateinfo_start, updateinfo_end, NULL, err,
			               err_len);
		}
	}
	closedir(d);
	return rc;
}

static int cmp_updates(const void *a, const void *b)
{
	const struct pending_update *x = a, *y = b;
	int rc = strcmp(x->name, y->name);

	return rc ? rc : strcmp(x->arch, y->arch);
}

int dnf_pending(const struct rootfs *root, struct patch_state *out, char *err, size_t err_len)
{
	struct state st;
	char ids[64][128];
	size_t n_ids, i;
	int rc;

	memset(&st, 0, sizeof(st));
	st.root = root;
	st.cap = 1 << 14;
	st.table = calloc(st.cap, sizeof(*st.table));
	if (st.table == NULL)
		return -ENOMEM;
	rc = rpm_each_installed(root, on_installed, &st, err, err_len);
	if (rc != 0)
		goto out;
	out->n_installed = st.n;
	n_ids = enabled_repos(root, ids, 64);
	rc = scan_cache(&st, "/var/cache/dnf", ids, n_ids, out, err, err_len);
	if (rc == 0)
		rc = scan_cache(&st, "/var/cache/libdnf5", ids, n_ids, out, err, err_len);
	if (rc != 0)
		goto out;
	for (i = 0; i < st.cap; i++) {
		struct pkg *p;

		for (p = st.table[i]; p != NULL; p = p->next) {
			struct pending_update *u, *grown;

			if (p->candidate[0] == '\0' ||
			    rpm_evr_compare(p->candidate, p->installed) <= 0)
				continue;
			grown = realloc(out->updates, (out->n_updates + 1) * sizeof(*grown));
			if (grown == NULL) {
				rc = -ENOMEM;
				goto out;
			}
			out->updates = grown;
			u = &out->updates[out->n_updates++];
			memset(u, 0, sizeof(*u));
			u->name = strdup(p->name);
			u->installed = strdup(p->installed);
			u->candidate = strdup(p->candidate);
			snprintf(u->arch, sizeof(u->arch), "%s", p->arch);
			snprintf(u->archive, sizeof(u->archive), "%s", p->archive);
			u->security = p->security;
			out->n_security += (size_t)p->security;
		}
	}
	if (out->n_updates > 1)
		qsort(out->updates, out->n_updates, sizeof(*out->updates), cmp_updates);
out:
	for (i = 0; i < st.cap; i++) {
		struct pkg *p, *next;

		for (p = st.table[i]; p != NULL; p = next) {
			next = p->next;
			free(p);
		}
	}
	free(st.table);
	return rc;
}
