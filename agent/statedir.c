/* SPDX-License-Identifier: Apache-2.0 */
/*
 * statedir: see statedir.h.
 */
#include "statedir.h"

#include <errno.h>
#include <jansson.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os.h"

int statedir_trusted(int fd, const char *path, char *err, size_t err_len)
{
	return os_dir_trusted(fd, path, err, err_len);
}

int statedir_check(const char *path, char *err, size_t err_len)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rc;

	if (fd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			snprintf(err, err_len,
			         "%s is a symbolic link or not a directory: refusing to use it",
			         path);
		else
			snprintf(err, err_len, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	rc = statedir_trusted(fd, path, err, err_len);
	close(fd);
	return rc;
}

int statedir_collector_policy(const char *state_dir, char *path, size_t path_len,
                              long long *version, char *etag, size_t etag_len)
{
	char record[4200];
	json_t *doc;
	long long v = 0;

	snprintf(record, sizeof(record), "%s/policy.json", state_dir);
	doc = json_load_file(record, 0, NULL);
	if (json_is_integer(json_object_get(doc, "version")))
		v = json_integer_value(json_object_get(doc, "version"));
	if (etag != NULL)
		snprintf(etag, etag_len, "%s",
		         json_string_value(json_object_get(doc, "etag"))
		             ? json_string_value(json_object_get(doc, "etag"))
		             : "");
	json_decref(doc);
	snprintf(path, path_len, "%s/policy.ini", state_dir);
	if (v <= 0 || access(path, R_OK) != 0)
		return 0;
	*version = v;
	return 1;
}
