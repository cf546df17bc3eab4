/*
 * posture-collector: the command line of the collector (see
 * ../shared/CONTRACT.md). This first part holds the offline commands: init
 * and policy publish; serve, fleet and export are the rest of its issue.
 * Exit codes: 0 done; 1 failed; 2 bad usage or a refused policy.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "admin.h"
#include "serve.h"
#include "store.h"

static void usage(FILE *out)
{
	fputs("Usage: posture-collector COMMAND [OPTIONS]\n"
	      "\n"
	      "Commands:\n"
	      "  init --dir DIR [--hostname NAME]\n"
	      "        create a data directory: CA, server certificate (NAME, localhost,\n"
	      "        127.0.0.1, ::1), policy-signing key, admin token, enrollment secret\n"
	      "        (printed, and in DIR/enroll-secret), SQLite store\n"
	      "  policy publish --dir DIR FILE\n"
	      "        validate FILE with the agent's engine, sign it as the next version\n"
	      "        and make it the policy that agents fetch\n"
	      "  serve --dir DIR [--listen ADDR:PORT]\n"
	      "        the HTTPS server for agents (default 0.0.0.0:8443): enrollment,\n"
	      "        reports, the signed policy\n"
	      "  devices --dir DIR\n"
	      "        list the enrolled devices, last seen first\n"
	      "  device revoke --dir DIR ID\n"
	      "        refuse that device's certificate from now on\n"
	      "  help  show this help\n",
	      out);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "hostname", required_argument, NULL, 'n' },
		{ "listen", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *hostname = "localhost", *listen_addr = "0.0.0.0:8443", *cmd;
	char err[1024];
	int ch, sub = 1;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "policy") == 0) {
		if (argc < 3 || strcmp(argv[2], "publish") != 0) {
			fprintf(stderr, "posture-collector: policy: the subcommand is publish\n");
			return 2;
		}
		sub = 2;
	}
	if (strcmp(cmd, "device") == 0) {
		if (argc < 3 || strcmp(argv[2], "revoke") != 0) {
			fprintf(stderr, "posture-collector: device: the subcommand is revoke\n");
			return 2;
		}
		sub = 2;
	}
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc - sub, argv + sub, ":d:n:l:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'n':
			hostname = optarg;
			break;
		case 'l':
			listen_addr = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "posture-collector: %s: bad option %s\n", cmd,
			        argv[sub + optind - 1]);
			return 2;
		}
	}
	if (dir == NULL) {
		fprintf(stderr, "posture-collector: %s: --dir DIR is required\n", cmd);
		return 2;
	}
	if (strcmp(cmd, "init") == 0) {
		char secret[100];

		if (optind != argc - sub) {
			fprintf(stderr, "posture-collector: init takes no arguments\n");
			return 2;
		}
		if (admin_init(dir, hostname, secret, sizeof(secret), err, sizeof(err)) != 0) {
			fprintf(stderr, "posture-collector: error: init: %s\n", err);
			return 1;
		}
		printf("collector data directory %s created for %s\n"
		       "agents trust:       %s/ca.pem\n"
		       "enrollment secret:  %s (also in %s/enroll-secret)\n"
		       "admin token:        %s/admin-token\n",
		       dir, hostname, dir, secret, dir, dir);
		return 0;
	}
	if (strcmp(cmd, "serve") == 0) {
		if (serve_run(dir, listen_addr, err, sizeof(err)) != 0) {
			fprintf(stderr, "posture-collector: error: serve: %s\n", err);
			return 1;
		}
		return 0;
	}
	if (strcmp(cmd, "devices") == 0 || strcmp(cmd, "device") == 0) {
		char path[4200];
		struct store *st = NULL;
		int rc = 0;

		if (strcmp(cmd, "device") == 0 && optind != argc - sub - 1) {
			fprintf(stderr, "posture-collector: device revoke: give one device ID\n");
			return 2;
		}
		snprintf(path, sizeof(path), "%s/collector.db", dir);
		if (store_open_sqlite(path, 0, &st, err, sizeof(err)) != 0) {
			fprintf(stderr, "posture-collector: error: %s\n", err);
			return 1;
		}
		if (strcmp(cmd, "devices") == 0) {
			if (store_list_devices(st, stdout, err, sizeof(err)) != 0) {
				fprintf(stderr, "posture-collector: error: %s\n", err);
				rc = 1;
			}
		} else {
			const char *id = argv[sub + optind];
			int done = store_revoke_device(st, id, err, sizeof(err));

			if (done < 0) {
				fprintf(stderr, "posture-collector: error: %s\n", err);
				rc = 1;
			} else if (done == 0) {
				fprintf(stderr, "posture-collector: error: no device %s\n", id);
				rc = 1;
			} else {
				printf(
				    "device %s revoked: its certificate is refused from now on\n",
				    id);
			}
		}
		store_close(st);
		return rc;
	}
	if (sub == 2) {
		long long version;
		int refused = 0;

		if (optind != argc - sub - 1) {
			fprintf(stderr,
			        "posture-collector: policy publish: give one policy FILE\n");
			return 2;
		}
		version = admin_publish(dir, argv[sub + optind], &refused, err, sizeof(err));
		if (version < 0) {
			fprintf(stderr, "posture-collector: error: policy publish: %s\n", err);
			return refused ? 2 : 1;
		}
		printf("published %s as version %lld\n", argv[sub + optind], version);
		return 0;
	}
	fprintf(stderr, "posture-collector: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
