/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enrollment: see enrollment.h.
 */
#define _GNU_SOURCE
#include "enrollment.h"

#include "atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "statedir.h"
#include "netchild.h"
#include "device.h"
#include "timefmt.h"
#include "ipc.h"
#include "probe.h"
#include "rootfs.h"

#define MAX_SECRET 4096

/* The secret from the options: the command line, else the secret file
 * (the first line, without its newline). Malloc'd, or NULL with ERR. */
char *enrollment_read_secret(const char *secret, const char *secret_file, const char **file_used,
                             char *err, size_t err_len)
{
	const char *path = secret_file ? secret_file : ENROLL_DEFAULT_SECRET_FILE;
	char buf[MAX_SECRET + 2];
	ssize_t n;
	int fd;

	*file_used = NULL;
	if (secret != NULL)
		return strdup(secret);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, err_len,
		         "no enrollment secret: give --secret or --secret-file (%s: %s)", path,
		         strerror(errno));
		return NULL;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0 || n > MAX_SECRET) {
		snprintf(err, err_len, "%s: not an enrollment secret (unreadable or too long)",
		         path);
		return NULL;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (buf[0] == '\0') {
		snprintf(err, err_len, "%s is empty", path);
		return NULL;
	}
	*file_used = path;
	{
		char *s = strdup(buf);

		explicit_bzero(buf, sizeof(buf));
		return s;
	}
}

void enrollment_identity(char id[37], char host[256])
{
	struct rootfs *root = NULL;
	unsigned char mid[16];
	char err[256];

	snprintf(id, 37, "unknown");
	snprintf(host, 256, "unknown");
	if (rootfs_open(&root, "/", err, sizeof(err)) == 0) {
		/* the host name the reports carry (probe.h's), so the collector
		 * knows the device by one name */
		struct os_info os;

		memset(&os, 0, sizeof(os));
		probe_os_info(root, &os, err, sizeof(err));
		if (os.hostname[0] != '\0')
			snprintf(host, 256, "%s", os.hostname);
		if (probe_machine_id(root, mid) != 0 || device_id_from_machine_id(mid, id) != 0)
			snprintf(id, 37, "unknown");
		rootfs_close(root);
	}
}

/* Whether PATH's directory is a collector's data directory (it holds the
 * collector's admin token, which posture-collector init writes there). */
static int in_collector_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char probe[PATH_MAX];

	snprintf(probe, sizeof(probe), "%.*sadmin-token", slash ? (int)(slash - path + 1) : 0,
	         path);
	return access(probe, F_OK) == 0;
}

int enrollment_store(const char *state_dir, const char *server, const char *id, const char *host,
                     const struct ipc_field *f, const char *secret_file, char *err, size_t err_len)
{
	char when[32], *record_text = NULL;
	json_t *record = NULL;
	int rc = 2;

	if (f[0].len != 1 || (f[0].data[0] != '0' && f[0].data[0] != '1')) {
		snprintf(err, err_len, "malformed answer from the network process");
		return 1;
	}
	if (f[0].data[0] != '0') {
		snprintf(err, err_len, "%.*s", (int)(f[1].len > 1000 ? 1000 : f[1].len), f[1].data);
		for (char *p = err; *p; p++)
			if ((unsigned char)*p < 0x20)
				*p = ' ';
		return 1;
	}
	{
		char *key = ipc_strdup(&f[2]), *cert = ipc_strdup(&f[3]),
		     *cacert = ipc_strdup(&f[4]), *pk = ipc_strdup(&f[5]);
		int ok = key && cert && cacert && pk &&
		         atomic_write_file(-1, state_dir, "device.key", key, strlen(key), 0600, err,
		                           err_len) == 0 &&
		         atomic_write_file(-1, state_dir, "device.crt", cert, strlen(cert), 0644,
		                           err, err_len) == 0 &&
		         atomic_write_file(-1, state_dir, "collector-ca.pem", cacert,
		                           strlen(cacert), 0644, err, err_len) == 0 &&
		         atomic_write_file(-1, state_dir, "policy-key.pem", pk, strlen(pk), 0644,
		                           err, err_len) == 0;

		if (key != NULL) {
			explicit_bzero(key, strlen(key));
			free(key);
		}
		free(cert);
		free(cacert);
		free(pk);
		if (!ok)
			return 2;
	}
	time_now_rfc3339(when);
	record = json_pack("{s:s, s:s, s:s, s:s}", "server", server, "device_id", id, "hostname",
	                   host, "enrolled_at", when);
	record_text = record ? json_dumps(record, JSON_INDENT(2)) : NULL;
	if (record_text == NULL || atomic_write_file(-1, state_dir, "enrollment.json", record_text,
	                                             strlen(record_text), 0644, err, err_len) != 0)
		goto out;
	/* the secret has done its work; it must not stay on the disk. But a
	 * file in a collector's data directory is the collector's own secret
	 * (a walk-through on one machine points there): never the agent's to
	 * remove */
	if (secret_file != NULL && in_collector_dir(secret_file))
		fprintf(stderr,
		        "posture: %s is in a collector's data directory: left in place (it is "
		        "the collector's, not the agent's)\n",
		        secret_file);
	else if (secret_file != NULL && unlink(secret_file) != 0 && errno != ENOENT)
		fprintf(stderr, "posture: warning: enrolled, but cannot remove %s: %s\n",
		        secret_file, strerror(errno));
	snprintf(err, err_len, "enrolled with %s as device %s (%s); certificate in %s/device.crt",
	         server, id, host, state_dir);
	rc = 0;
out:
	free(record_text);
	json_decref(record);
	return rc;
}

int enrollment_run(const struct enrollment_opts *o, char *err, size_t err_len)
{
	char *secret = NULL, *ca = NULL, *frame = NULL, id[37], host[256];
	const char *secret_file = NULL;
	struct ipc_field f[8];
	size_t len = 0;
	uint32_t type = 0;
	int rc = 2;

	if (o->server == NULL || strncmp(o->server, "https://", 8) != 0) {
		snprintf(err, err_len, "--server must be an https:// URL");
		return 2;
	}
	if (mkdir(o->state_dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, err_len, "cannot create the state directory %s: %s", o->state_dir,
		         strerror(errno));
		return 2;
	}
	/* the device key goes there: no one else may write in it */
	if (statedir_check(o->state_dir, err, err_len) != 0)
		return 2;
	secret = enrollment_read_secret(o->secret, o->secret_file, &secret_file, err, err_len);
	if (secret == NULL)
		goto out;
	ca = o->ca_path ? netchild_read_pem(o->ca_path, 0, err, err_len) : strdup("");
	if (ca == NULL)
		goto out;
	enrollment_identity(id, host);
	{
		const struct netchild_config nc = {
			.url = o->server,
			.ca_pem = ca,
			.pin = o->pin,
			.proxy = o->proxy,
			.connect_timeout_s = o->connect_timeout_s,
			.timeout_s = o->timeout_s,
		};
		const char *req[4] = { secret, host, id, o->owner ? o->owner : "" };

		if (netchild_exchange(&nc, getenv("POSTURE_NET_HELPER"), IPC_ENROLL, 4, req, &frame,
		                      &len, err, err_len) != 0) {
			rc = 1;
			goto out;
		}
	}
	if (ipc_parse(frame, len, &type, f, 8, err, err_len) != (long long)len ||
	    type != IPC_ENROLLED ||
	    (f[0].len != 1 || (f[0].data[0] != '0' && f[0].data[0] != '1'))) {
		snprintf(err, err_len, "malformed answer from the network process");
		rc = 1;
		goto out;
	}
	rc = enrollment_store(o->state_dir, o->server, id, host, f, secret_file, err, err_len);
	if (rc != 0)
		goto out;
	rc = 0;
out:
	if (secret != NULL) {
		explicit_bzero(secret, strlen(secret));
		free(secret);
	}
	if (frame != NULL) {
		explicit_bzero(frame, len);
		free(frame);
	}
	free(ca);
	return rc;
}

char *enrollment_server(const char *state_dir)
{
	char path[PATH_MAX];
	json_t *doc;
	char *url = NULL;

	snprintf(path, sizeof(path), "%s/enrollment.json", state_dir);
	doc = json_load_file(path, 0, NULL);
	if (json_is_string(json_object_get(doc, "server")))
		url = strdup(json_string_value(json_object_get(doc, "server")));
	json_decref(doc);
	return url;
}
