/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netchild: see netchild.h.
 */
#include "netchild.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipc.h"
#include "os.h"

#define MAX_PEM (256u << 10)

char *netchild_config_frame(const struct netchild_config *c, size_t *len)
{
	char ct[24], tt[24];
	const char *v[8];

	snprintf(ct, sizeof(ct), "%ld", c->connect_timeout_s > 0 ? c->connect_timeout_s : 30);
	snprintf(tt, sizeof(tt), "%ld", c->timeout_s > 0 ? c->timeout_s : 120);
	/* the order of enum ipc_type's IPC_CONFIG, which net.c reads */
	v[0] = c->url;
	v[1] = c->ca_pem ? c->ca_pem : "";
	v[2] = c->pin ? c->pin : "";
	v[3] = c->cert_pem ? c->cert_pem : "";
	v[4] = c->key_pem ? c->key_pem : "";
	v[5] = c->proxy ? c->proxy : "";
	v[6] = ct;
	v[7] = tt;
	return ipc_build(IPC_CONFIG, 8, v, NULL, len);
}

void netchild_path(const char *override, char *out, size_t out_len)
{
	char dir[PATH_MAX];

	if (override != NULL) {
		snprintf(out, out_len, "%s", override);
		return;
	}
	if (os_program_dir(dir, sizeof(dir)) == 0) {
		snprintf(out, out_len, "%s/posture-net", dir);
		if (access(out, X_OK) == 0)
			return;
	}
	snprintf(out, out_len, "%s/posture-net", POSTURE_LIBEXECDIR);
}

/* Reads a PEM file whole; "" (malloc'd) when PATH is absent and OPTIONAL.
 * NULL with ERR otherwise. */
char *netchild_read_pem(const char *path, int optional, char *err, size_t err_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf;
	ssize_t n;

	if (fd < 0) {
		if (optional && errno == ENOENT)
			return strdup("");
		snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || st.st_size > (off_t)MAX_PEM) {
		snprintf(err, err_len, "%s is not a certificate or key file (too large)", path);
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	n = buf ? read(fd, buf, (size_t)st.st_size) : -1;
	close(fd);
	if (n != st.st_size) {
		snprintf(err, err_len, "cannot read %s", path);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}
