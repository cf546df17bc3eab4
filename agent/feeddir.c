/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feeddir: see feeddir.h.
 */
#define _GNU_SOURCE
#include "feeddir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "policy.h"

#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0
#endif
#ifndef O_NONBLOCK /* Windows: no FIFOs to stall on */
#define O_NONBLOCK 0
#endif

static void read_one(int dfd, const char *name, struct feedset *fs)
{
	struct stat st;
	char *text, why[160];
	ssize_t got;
	size_t have = 0;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(why, sizeof(why), "cannot be opened: %s", strerror(errno));
		feedset_refuse(fs, name, why);
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)FEED_MAX_BYTES) {
		close(fd);
		snprintf(why, sizeof(why), "is not a regular file of at most %u bytes",
		         FEED_MAX_BYTES);
		feedset_refuse(fs, name, why);
		return;
	}
	text = malloc((size_t)st.st_size + 1);
	if (text == NULL) {
		close(fd);
		feedset_refuse(fs, name, "out of memory");
		return;
	}
	while (have < (size_t)st.st_size &&
	       (got = read(fd, text + have, (size_t)st.st_size - have)) > 0)
		have += (size_t)got;
	close(fd);
	text[have] = '\0';
	feedset_add(fs, name, (long long)st.st_mtime, text, have);
	free(text);
}

/* Names kept to sort at most: past it a folder is not a feed folder. */
#define FEEDDIR_MAX_NAMES 4096

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int feeddir_load(const char *dir, struct feedset *out, char *err, size_t err_len)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n_names = 0;
	int dfd, lfd;

	memset(out, 0, sizeof(*out));
	snprintf(out->dir, sizeof(out->dir), "%s", dir);
	/* one descriptor to open the files by, one to list them */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	lfd = dfd >= 0 ? dup(dfd) : -1;
	d = lfd >= 0 ? fdopendir(lfd) : NULL;
	if (d == NULL) {
		if (lfd >= 0)
			close(lfd);
		snprintf(err, err_len, "the feed folder %s cannot be read: %s", dir,
		         strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	/* the names first, sorted, so that which files are read when there
	 * are too many does not hang on the order the folder lists them in */
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char **grown;

		if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		if (n_names >= FEEDDIR_MAX_NAMES) {
			out->unread++;
			continue;
		}
		grown = realloc(names, (n_names + 1) * sizeof(*names));
		if (grown == NULL || (grown[n_names] = strdup(e->d_name)) == NULL) {
			names = grown ? grown : names;
			out->unread++;
			continue;
		}
		names = grown;
		n_names++;
	}
	closedir(d);
	if (n_names > 1)
		qsort(names, n_names, sizeof(*names), by_name);
	for (size_t i = 0; i < n_names; i++) {
		if (out->n >= FEEDSET_MAX_FILES)
			out->unread++;
		else if (strlen(names[i]) >= sizeof(out->s[0].file))
			feedset_refuse(out, names[i], "has a name longer than 63 characters");
		else
			read_one(dfd, names[i], out);
		free(names[i]);
	}
	free(names);
	close(dfd);
	return 0;
}

void feeddir_env(const char *dir, const struct policy *policy, struct feedset *fs,
                 struct engine_env *env, char *why, size_t why_len)
{
	memset(fs, 0, sizeof(*fs));
	if (dir == NULL || !check_any_latest(policy))
		return;
	if (feeddir_load(dir, fs, why, why_len) == 0)
		env->feeds = fs;
	else
		env->feeds_why = why;
}
