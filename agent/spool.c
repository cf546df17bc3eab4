/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spool: the durable outbox. See spool.h.
 *
 * Names are "R-<20-digit nanosecond time>-<6-digit sequence>.json", so the
 * lexical order of the directory is the order reports were spooled in, and
 * no clock step can make two names collide within one process. The dropped
 * count lives in the file "dropped", replaced atomically like a report.
 */
#define _GNU_SOURCE
#include "spool.h"

#include "atomicfile.h"

#include "log.h"
#include "statedir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPORT (16u << 20)

struct entry {
	char name[64];
	long long bytes;
	long long mtime;
};

struct spool {
	char *dir;
	int dir_fd;
	long long max_bytes, max_age;
	struct entry *base;    /* the allocation (cap entries) */
	struct entry *entries; /* oldest first: base + head, n of them */
	size_t head;
	size_t n, cap;
	long long bytes;
	unsigned long dropped;
	unsigned seq;
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static int is_report(const char *name)
{
	size_t len = strlen(name);

	return len > 7 && strncmp(name, "R-", 2) == 0 && strcmp(name + len - 5, ".json") == 0;
}

/* Writes DATA to NAME in the spool (lib/atomicfile.h: temporary file,
 * fsync, rename, fsync of the directory). 0 or a negative errno. */
static int write_atomic(struct spool *s, const char *name, const void *data, size_t len, char *err,
                        size_t err_len)
{
	errno = 0;
	if (atomic_write_file(s->dir_fd, s->dir, name, data, len, 0600, err, err_len) != 0)
		return errno ? -errno : -EIO;
	return 0;
}

static void save_dropped(struct spool *s)
{
	char buf[32], err[256];
	int n = snprintf(buf, sizeof(buf), "%lu\n", s->dropped);

	if (write_atomic(s, "dropped", buf, (size_t)n, err, sizeof(err)) != 0)
		fprintf(stderr, "posture: spool: %s\n", err);
}

/* Forgets the oldest entry in constant time: a drain of N reports must not
 * move the N-entry array N times. */
static void pop_front(struct spool *s)
{
	s->bytes -= s->entries[0].bytes;
	s->entries++;
	s->head++;
	s->n--;
}

static void drop_oldest(struct spool *s)
{
	if (s->n == 0)
		return;
	unlinkat(s->dir_fd, s->entries[0].name, 0);
	pop_front(s);
	s->dropped++;
}

/* Drops the oldest reports until the spool is within its bounds. */
static void enforce_bounds(struct spool *s)
{
	long long now = (long long)time(NULL);
	unsigned long before = s->dropped;

	while (s->n > 0 && ((s->max_bytes > 0 && s->bytes > s->max_bytes) ||
	                    (s->max_age > 0 && now - s->entries[0].mtime > s->max_age)))
		drop_oldest(s);
	if (s->dropped != before) {
		fprintf(stderr,
		        "posture: spool: dropped %lu old report(s) to stay within its bounds\n",
		        s->dropped - before);
		save_dropped(s);
	}
}

static int add_entry(struct spool *s, const char *name, long long bytes, long long mtime)
{
	if (s->head + s->n == s->cap && s->head > 0) {
		/* the front was consumed: slide the rest down, once per round */
		memmove(s->base, s->entries, s->n * sizeof(*s->entries));
		s->entries = s->base;
		s->head = 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct entry *grown = realloc(s->base, cap * sizeof(*grown));

		if (grown == NULL)
			return -ENOMEM;
		s->base = s->entries = grown;
		s->cap = cap;
	}
	snprintf(s->entries[s->n].name, sizeof(s->entries[0].name), "%s", name);
	s->entries[s->n].bytes = bytes;
	s->entries[s->n].mtime = mtime;
	s->n++;
	s->bytes += bytes;
	return 0;
}

int spool_open(const char *dir, long long max_bytes, long long max_age, struct spool **out,
               char *err, size_t err_len)
{
	struct spool *s = calloc(1, sizeof(*s));
	struct dirent *de;
	DIR *d = NULL;
	int rc = 0, fd;

	*out = NULL;
	if (s == NULL)
		return -ENOMEM;
	s->dir_fd = -1;
	s->max_bytes = max_bytes;
	s->max_age = max_age;
	s->dir = strdup(dir);
	if (s->dir == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		rc = -errno;
		snprintf(err, err_len, "cannot create the spool %s: %s", dir, strerror(errno));
		goto fail;
	}
	/* no link is followed to the spool, and no one else may write in it */
	s->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->dir_fd < 0) {
		rc = -errno;
		snprintf(err, err_len, "cannot open the spool %s: %s%s", dir, strerror(errno),
		         errno == ELOOP || errno == ENOTDIR ? " (a symbolic link is refused)" : "");
		goto fail;
	}
	if (statedir_trusted(s->dir_fd, dir, err, err_len) != 0) {
		rc = -EPERM;
		goto fail;
	}
	fd = dup(s->dir_fd);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (d == NULL) {
		rc = -errno;
		snprintf(err, err_len, "cannot list the spool %s: %s", dir, strerror(errno));
		goto fail;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		if (strncmp(de->d_name, ATOMIC_TMP_PREFIX, strlen(ATOMIC_TMP_PREFIX)) == 0) {
			/* A write a crash interrupted: never renamed, never spooled. */
			unlinkat(s->dir_fd, de->d_name, 0);
			continue;
		}
		if (!is_report(de->d_name))
			continue;
		if (fstatat(s->dir_fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		rc = add_entry(s, de->d_name, (long long)st.st_size, (long long)st.st_mtime);
		if (rc != 0)
			goto fail;
	}
	closedir(d);
	d = NULL;
	if (s->n > 1)
		qsort(s->entries, s->n, sizeof(*s->entries), cmp_entry);
	{
		char buf[32] = "";
		int dfd = openat(s->dir_fd, "dropped", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

		if (dfd >= 0) {
			ssize_t n = read(dfd, buf, sizeof(buf) - 1);

			if (n > 0)
				s->dropped = strtoul(buf, NULL, 10);
			close(dfd);
		}
	}
	enforce_bounds(s);
	*out = s;
	return 0;
fail:
	if (d != NULL)
		closedir(d);
	spool_close(s);
	return rc;
}

void spool_close(struct spool *s)
{
	if (s == NULL)
		return;
	if (s->dir_fd >= 0)
		close(s->dir_fd);
	free(s->base);
	free(s->dir);
	free(s);
}

int spool_put(struct spool *s, const char *data, size_t len, char name_out[64], char *err,
              size_t err_len)
{
	struct timespec ts;
	char name[64];
	int rc;

	if (len > MAX_REPORT) {
		snprintf(err, err_len, "a report of %zu bytes is larger than the spool takes", len);
		return -EFBIG;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(name, sizeof(name), "R-%020lld-%06u.json",
	         (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec, s->seq++ % 1000000);
	rc = write_atomic(s, name, data, len, err, err_len);
	if (rc != 0)
		return rc;
	rc = add_entry(s, name, (long long)len, (long long)ts.tv_sec);
	if (rc != 0)
		return rc;
	/* After the clock steps back a new name can sort before older ones;
	 * the list stays in name order, the order the sender follows. */
	if (s->n > 1 && strcmp(s->entries[s->n - 2].name, name) > 0)
		qsort(s->entries, s->n, sizeof(*s->entries), cmp_entry);
	if (name_out != NULL)
		snprintf(name_out, 64, "%s", name);
	enforce_bounds(s);
	return 0;
}

/* Moves NAME into the subdirectory SUB so that it is kept for a person, out
 * of the delivery's way. */
static int move_to(struct spool *s, const char *name, const char *sub)
{
	char target[128];
	int rc = 0;

	mkdirat(s->dir_fd, sub, 0700);
	snprintf(target, sizeof(target), "%s/%s", sub, name);
	if (renameat(s->dir_fd, name, s->dir_fd, target) != 0) {
		rc = -errno;
		unlinkat(s->dir_fd, name, 0);
	}
	fsync(s->dir_fd);
	return rc;
}

static void move_aside(struct spool *s, const char *name, const char *why)
{
	move_to(s, name, "corrupt");
	log_msg(LOG_WARNING, "spool: %s/%s is not a report (%s); moved to %s/corrupt/", s->dir,
	        name, why, s->dir);
}

/*
 * Whether a spooled file is a whole report. Reports are written whole
 * (temporary file, fsync, rename), so what this must catch is damage from
 * outside: a file cut short, blocks of zeros after a crash of the file
 * system, someone's editor. A report begins with '{' and ends with '}' and
 * has no NUL byte; that check costs a memchr where a full parse cost more
 * than the delivery itself on a backlog (bench/RESULTS.md), and a report
 * that is damaged inside its braces is refused by the collector (400) and
 * kept in rejected/.
 */
static int looks_whole(const char *buf, size_t len)
{
	size_t first = 0, last = len;

	while (first < len && (buf[first] == ' ' || buf[first] == '\n' || buf[first] == '\t'))
		first++;
	while (last > first &&
	       (buf[last - 1] == ' ' || buf[last - 1] == '\n' || buf[last - 1] == '\t'))
		last--;
	return last - first >= 2 && buf[first] == '{' && buf[last - 1] == '}' &&
	       memchr(buf, '\0', len) == NULL;
}

int spool_oldest(struct spool *s, char name[64], char **data, size_t *len, char *err,
                 size_t err_len)
{
	*data = NULL;
	while (s->n > 0) {
		struct entry e = s->entries[0];
		char *buf = NULL;
		struct stat st;
		ssize_t n = 0;
		int fd = openat(s->dir_fd, e.name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

		if (fd >= 0 && fstat(fd, &st) == 0 && (size_t)st.st_size <= MAX_REPORT) {
			buf = malloc((size_t)st.st_size + 1);
			if (buf != NULL)
				n = read(fd, buf, (size_t)st.st_size);
		}
		if (fd < 0) {
			int rc = -errno;

			if (rc == -ENOENT) { /* removed behind our back */
				pop_front(s);
				continue;
			}
			snprintf(err, err_len, "cannot read %s/%s: %s", s->dir, e.name,
			         strerror(-rc));
			return rc;
		}
		close(fd);
		if (buf != NULL && n == st.st_size) {
			buf[n] = '\0';
			if (looks_whole(buf, (size_t)n)) {
				snprintf(name, 64, "%s", e.name);
				*data = buf;
				*len = (size_t)n;
				return 1;
			}
		}
		free(buf);
		move_aside(s, e.name,
		           buf == NULL ? "unreadable or too large" : "not a whole JSON object");
		pop_front(s);
	}
	return 0;
}

/* Takes NAME out of the spool: deleted, or moved into SUB when SUB is set. */
static int take_out(struct spool *s, const char *name, const char *sub)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (strcmp(s->entries[i].name, name) != 0)
			continue;
		if (sub != NULL) {
			int rc = move_to(s, name, sub);

			if (rc != 0 && rc != -ENOENT)
				return rc;
		} else {
			/* No fsync: a removal that a crash undoes only sends the
			 * report again, and the collector stores a report_id
			 * once. A drain of a backlog would otherwise wait for
			 * the disk once per report. */
			if (unlinkat(s->dir_fd, name, 0) != 0 && errno != ENOENT)
				return -errno;
		}
		if (i == 0) {
			pop_front(s);
		} else {
			s->bytes -= s->entries[i].bytes;
			memmove(s->entries + i, s->entries + i + 1,
			        (s->n - i - 1) * sizeof(*s->entries));
			s->n--;
		}
		return 0;
	}
	return -ENOENT;
}

int spool_remove(struct spool *s, const char *name)
{
	return take_out(s, name, NULL);
}

int spool_reject(struct spool *s, const char *name)
{
	return take_out(s, name, "rejected");
}

size_t spool_depth(const struct spool *s)
{
	return s->n;
}

long long spool_bytes(const struct spool *s)
{
	return s->bytes;
}

unsigned long spool_dropped(const struct spool *s)
{
	return s->dropped;
}

unsigned long spool_take_dropped(struct spool *s)
{
	unsigned long n = s->dropped;

	if (n != 0) {
		s->dropped = 0;
		save_dropped(s);
	}
	return n;
}
