/* SPDX-License-Identifier: Apache-2.0 */
/*
 * posture: the command line. Parses arguments, wires the modules together
 * and maps outcomes to the contract's exit codes:
 *   0 compliant, 1 some check failed, 2 bad usage or unusable policy,
 *   3 nothing failed but some check could not be evaluated.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "diag.h"
#include "engine.h"
#include "grace.h"
#include "policy.h"
#include "probe.h"
#include "probeset.h"
#include "darwin/darwin.h"
#include "mdm.h"
#include "report.h"
#include "enrollment.h" /* ENROLL_DEFAULT_SECRET_FILE, for the usage */
#include "service.h"
#include "status.h"
#include "statedir.h"
#include "feeddir.h"
#include "os.h"

/* where the packages install the shipped policies */
#ifndef POSTURE_DATADIR
#define POSTURE_DATADIR "/usr/share/posture"
#endif

#ifndef POSTURE_VERSION
#define POSTURE_VERSION "0.0.0-dev"
#endif

#define EXIT_USAGE 2

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_JAMF, FORMAT_INTUNE };

struct options {
	const char *policy;
	const char *config;
	const char *root;
	const char *captured;
	const char *state_dir;
	const char *feeds; /* --feeds DIR */
	int exit_due;      /* the exit code when compliant only by grace; 0 unset */
	const char *socket;
	const char *server, *secret, *secret_file, *ca, *owner;
	const char *more_info;
	enum format format;
	int once;
};

static void usage(FILE *out)
{
	fputs("Usage: posture COMMAND [OPTIONS]\n"
	      "\n"
	      "Commands:\n"
	      "  check    evaluate a policy on this device now and print the results\n"
	      "  status   show the running agent's last results (evaluates now when no\n"
	      "           agent answers, or when --policy or --root is given)\n"
	      "  run      the service: evaluate on a schedule and on policy change, spool\n"
	      "           each report for the collector (--once: one evaluation, then exit)\n"
	      "  enroll   obtain this device's certificate from the collector:\n"
	      "           --server URL and --secret S, or --secret-file FILE (default:\n"
	      "           " ENROLL_DEFAULT_SECRET_FILE ", removed after use); --ca FILE\n"
	      "           (default: [collector] ca, else the system's store)\n"
	      "  purge-state [--config FILE] [--state-dir DIR]\n"
	      "           delete the state directory (key, certificate, spool); the\n"
	      "           installers run it when the agent is removed\n"
	      "  policy intune-rules FILE --more-info URL\n"
	      "           print the Intune custom-compliance rules JSON for the policy\n"
	      "  version  print the version\n"
	      "  help     show this help\n"
	      "\n"
	      "Options of check and status:\n"
	      "  --policy FILE         policy to evaluate (default: [agent] policy in the\n"
	      "                        configuration, else " CONFIG_DEFAULT_POLICY ")\n"
	      "  --format FORMAT       text (default), json, jamf (an extension attribute,\n"
	      "                        <result>...</result>) or intune (one line of JSON for a\n"
	      "                        custom-compliance discovery script; jamf and intune\n"
	      "                        exit 0 whatever the verdict)\n"
	      "  --root DIR            inspect the system below DIR instead of /\n"
	      "  --config FILE         agent configuration (default: " CONFIG_DEFAULT_PATH ")\n"
	      "  --state-dir DIR       agent state (default: " CONFIG_DEFAULT_STATE_DIR ")\n"
	      "  --socket PATH         the running agent's status socket (status, run;\n"
	      "                        default: " CONFIG_DEFAULT_STATUS_SOCKET ")\n"
	      "\n"
	      "Exit codes: 0 compliant; 1 some check failed; 2 bad usage or unusable policy;\n"
	      "3 no check failed but some could not be evaluated.\n",
	      out);
}

/* One command's help: what it does and its own options. */
static const struct {
	const char *cmd, *text;
} command_help[] = {
	{ "check",
	  "Usage: posture check [--policy FILE] [--format text|json|jamf|intune] [--root DIR]\n"
	  "                     [--config FILE] [--state-dir DIR] [--exit-due CODE]\n"
	  "                     [--feeds DIR]\n"
	  "\n"
	  "Evaluates a policy on this device now and prints the results.\n"
	  "\n"
	  "  --policy FILE    the policy (default: the collector's signed policy when the\n"
	  "                   agent has one, else [agent] policy, else " CONFIG_DEFAULT_POLICY ")\n"
	  "  --format FORMAT  text (default), json, jamf (<result>...</result>) or intune\n"
	  "                   (one line of JSON); jamf and intune exit 0 whatever the verdict\n"
	  "  --root DIR       inspect the system below DIR instead of /\n"
	  "  --captured DIR   with --root on a Mac's disk: the answers of fdesetup,\n"
	  "                   diskutil and sysadminctl captured on that Mac\n"
	  "                   (scripts/macos-capture.sh)\n"
	  "  --config FILE    agent configuration (default: " CONFIG_DEFAULT_PATH ")\n"
	  "  --state-dir DIR  where the first failures of checks with grace_days are kept\n"
	  "                   (default: the agent's state directory)\n"
	  "  --feeds DIR      release feeds for minimums that say latest (default: the\n"
	  "                   configuration's [agent] feeds)\n"
	  "  --exit-due CODE  exit CODE instead of 0 when the only failures are within\n"
	  "                   their grace period (\"fix by DATE\")\n"
	  "\n"
	  "Exit codes: 0 compliant (failures within grace included); 1 some check failed;\n"
	  "2 bad usage or unusable policy; 3 no check failed but some could not be\n"
	  "evaluated.\n" },
	{ "status",
	  "Usage: posture status [--format text|json|jamf|intune] [--socket PATH]\n"
	  "                      [--config FILE] [--policy FILE] [--root DIR]\n"
	  "\n"
	  "Shows the running agent's last results and where delivery stands; when no\n"
	  "agent answers (or --policy or --root is given) evaluates now and says so.\n"
	  "\n"
	  "  --socket PATH    the agent's status socket (default: [agent] status_socket,\n"
	  "                   else " CONFIG_DEFAULT_STATUS_SOCKET ")\n"
	  "  --format, --policy, --root, --config, --exit-due: as for check\n"
	  "\n"
	  "Exit codes: as for check.\n" },
	{ "run",
	  "Usage: posture run [--once] [--config FILE] [--policy FILE] [--state-dir DIR]\n"
	  "                   [--socket PATH] [--root DIR]\n"
	  "\n"
	  "The service: evaluates on a schedule and when the policy changes, spools each\n"
	  "report and delivers it to the collector, and answers posture status.\n"
	  "\n"
	  "  --once           evaluate, deliver what the spool holds, and exit\n"
	  "  --config FILE    agent configuration (default: " CONFIG_DEFAULT_PATH ")\n"
	  "  --policy FILE    this policy, not the collector's signed one\n"
	  "  --state-dir DIR  spool, keys, the collector's policy (default:\n"
	  "                   " CONFIG_DEFAULT_STATE_DIR ")\n"
	  "  --socket PATH    the status socket (default: " CONFIG_DEFAULT_STATUS_SOCKET ")\n"
	  "  --root DIR       inspect the system below DIR instead of /\n"
	  "\n"
	  "Exit codes: 0 clean stop; 2 unusable configuration, state directory or policy;\n"
	  "4 (--once) reports stay undelivered in the spool.\n" },
	{ "enroll",
	  "Usage: posture enroll --server URL (--secret S | --secret-file FILE) [--ca FILE]\n"
	  "                      [--state-dir DIR] [--owner EMAIL] [--config FILE]\n"
	  "\n"
	  "Obtains this device's certificate from the collector.\n"
	  "\n"
	  "  --server URL        the collector (https://HOST:PORT)\n"
	  "  --secret S          the enrollment secret\n"
	  "  --secret-file FILE  read it from FILE (default: " ENROLL_DEFAULT_SECRET_FILE ",\n"
	  "                      removed after use unless it is in a collector's directory)\n"
	  "  --ca FILE           the collector's CA (default: [collector] ca, else the\n"
	  "                      system's store)\n"
	  "  --state-dir DIR     where the key and certificate go (default:\n"
	  "                      " CONFIG_DEFAULT_STATE_DIR ")\n"
	  "  --owner EMAIL       who uses this device, for the collector's inventory\n"
	  "                      (default: [collector] owner)\n"
	  "\n"
	  "An enrolled device id is not enrolled again with the secret alone: the\n"
	  "collector answers 409 until an admin approves it.\n" },
	{ "policy", "Usage: posture policy intune-rules FILE --more-info URL\n"
	            "\n"
	            "Prints the Intune custom-compliance rules JSON for the policy FILE.\n"
	            "\n"
	            "  --more-info URL  (https) what Intune shows users of a device that does not\n"
	            "                   comply\n" },
};

/* Prints CMD's help, or the general one. */
static void command_usage(const char *cmd, FILE *out)
{
	for (size_t i = 0; i < sizeof(command_help) / sizeof(command_help[0]); i++)
		if (strcmp(command_help[i].cmd, cmd) == 0) {
			fputs(command_help[i].text, out);
			return;
		}
	usage(out);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "root", required_argument, NULL, 'r' },
		{ "captured", required_argument, NULL, 'R' },
		{ "config", required_argument, NULL, 'c' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "exit-due", required_argument, NULL, 'D' },
		{ "feeds", required_argument, NULL, 'W' },
		{ "once", no_argument, NULL, 'o' },
		{ "socket", required_argument, NULL, 'S' },
		{ "server", required_argument, NULL, 'E' },
		{ "secret", required_argument, NULL, 'K' },
		{ "secret-file", required_argument, NULL, 'F' },
		{ "owner", required_argument, NULL, 'O' },
		{ "ca", required_argument, NULL, 'A' },
		{ "more-info", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":p:f:r:R:c:s:D:W:S:E:K:F:A:M:O:oh", longopts,
	                         NULL)) != -1) {
		switch (ch) {
		case 'p':
			o->policy = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0) {
				o->format = FORMAT_TEXT;
			} else if (strcmp(optarg, "json") == 0) {
				o->format = FORMAT_JSON;
			} else if (strcmp(optarg, "jamf") == 0) {
				o->format = FORMAT_JAMF;
			} else if (strcmp(optarg, "intune") == 0) {
				o->format = FORMAT_INTUNE;
			} else {
				fprintf(
				    stderr,
				    "posture: --format: '%s' is not text, json, jamf or intune\n",
				    optarg);
				return -1;
			}
			break;
		case 'r':
			o->root = optarg;
			break;
		case 'R':
			o->captured = optarg;
			break;
		case 'c':
			o->config = optarg;
			break;
		case 's':
			o->state_dir = optarg;
			break;
		case 'W':
			o->feeds = optarg;
			break;
		case 'D': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (end == optarg || *end != '\0' || v < 1 || v > 125) {
				fprintf(stderr,
				        "posture: --exit-due: '%s' is not an exit code from 1 "
				        "to 125\n",
				        optarg);
				return -1;
			}
			o->exit_due = (int)v;
			break;
		}
		case 'o':
			o->once = 1;
			break;
		case 'E':
			o->server = optarg;
			break;
		case 'M':
			o->more_info = optarg;
			break;
		case 'K':
			o->secret = optarg;
			break;
		case 'F':
			o->secret_file = optarg;
			break;
		case 'O':
			o->owner = optarg;
			break;
		case 'A':
			o->ca = optarg;
			break;
		case 'S':
			o->socket = optarg;
			break;
		case 'h':
			command_usage(argv[0], stdout);
			exit(0);
		case ':':
			fprintf(stderr, "posture: %s needs a value\n", argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "posture: unknown option '%s' (see posture help)\n",
			        argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "posture: unexpected argument '%s' (see posture help)\n",
		        argv[optind]);
		return -1;
	}
	return 0;
}

/* Opens ROOT_DIR (NULL: /) and loads the policy FILE checked against that
 * system's package format; errors go to stderr, NOTE ending the refusal
 * line. 0 with *ROOT and *POLICY, or -1. */
static int open_root_and_policy(const char *root_dir, const char *file, const char *note,
                                struct rootfs **root, struct policy **policy)
{
	struct policy_env env;
	struct diags diags;
	char err[512];

	if (rootfs_open(root, root_dir ? root_dir : "/", err, sizeof(err)) != 0) {
		fprintf(stderr, "posture: --root: %s\n", err);
		return -1;
	}
	if (darwin_captured() != NULL && (root_dir == NULL || !probeset_is_darwin(*root))) {
		fprintf(stderr,
		        "posture: --captured %s: answers captured on a Mac go with --root "
		        "DIR holding that Mac's disk (System/Library/CoreServices/"
		        "SystemVersion.plist)\n",
		        darwin_captured());
		rootfs_close(*root);
		*root = NULL;
		return -1;
	}
	env.pkg_system = probe_pkg_system(*root);
	diags_init(&diags, file);
	if (policy_load(file, &env, policy, &diags) != 0) {
		diags_print(&diags, stderr);
		fprintf(stderr, "posture: policy %s refused%s\n", file, note);
		diags_free(&diags);
		return -1;
	}
	diags_free(&diags);
	return 0;
}

/* policy intune-rules FILE --more-info URL: the Intune rules JSON for
 * FILE, checked by the same engine that evaluates it. */
static int intune_rules(const char *file, const struct options *o)
{
	struct rootfs *root = NULL;
	struct policy *policy = NULL;
	char err[512], *text = NULL;
	json_t *doc = NULL;
	int rc = EXIT_USAGE;

	if (o->more_info == NULL || strncmp(o->more_info, "https://", 8) != 0) {
		fprintf(stderr,
		        "posture: policy intune-rules: --more-info URL (https) is required: "
		        "Intune shows it to users of a device that does not comply\n");
		return EXIT_USAGE;
	}
	if (open_root_and_policy(o->root, file, "", &root, &policy) != 0)
		goto out;
	doc = mdm_intune_rules(policy, o->more_info, err, sizeof(err));
	if (doc == NULL) {
		fprintf(stderr, "posture: policy intune-rules: %s\n", err);
		goto out;
	}
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text == NULL || puts(text) == EOF || fflush(stdout) != 0) {
		fprintf(stderr, "posture: cannot write the rules\n");
		rc = 1;
		goto out;
	}
	rc = 0;
out:
	free(text);
	json_decref(doc);
	policy_free(policy);
	rootfs_close(root);
	return rc;
}

/* The policy's grace periods (grace.h) over EV, the first failures kept in
 * STATE_DIR. One that cannot be read or written grants no grace, and says so. */
static void check_grace(struct evaluation *ev, const char *state_dir)
{
	struct grace_book b;
	char err[512];

	if (!grace_wanted(ev->policy))
		return;
	if (grace_load(state_dir, &b, err, sizeof(err)) != 0)
		fprintf(stderr, "posture: warning: grace periods: %s%s\n", err,
		        b.writable ? "" : "; failures count at once");
	grace_apply(ev, &b, (long long)time(NULL));
	if (grace_save(state_dir, &b, err, sizeof(err)) != 0)
		fprintf(stderr, "posture: warning: grace periods not kept: %s\n", err);
	grace_book_free(&b);
}

/* check and status: load, evaluate, print. LOCAL_NOTE is printed to stderr
 * first (status says that no agent answered). */
static int evaluate_and_print(const struct options *o, const char *local_note)
{
	struct rootfs *root = NULL;
	struct policy *policy = NULL;
	struct evaluation *ev = NULL;
	struct config cfg;
	struct diags diags;
	struct report_meta meta;
	const char *policy_path = o->policy;
	char collector_policy[4200];
	struct feedset feeds;
	struct engine_env env;
	char feeds_err[400], kept_feeds[4200] = "";
	int have_cfg = 0;
	int rc = EXIT_USAGE;

	memset(&feeds, 0, sizeof(feeds)); /* freed at out: whatever came first */
	memset(&env, 0, sizeof(env));
	memset(&diags, 0, sizeof(diags));
	memset(&cfg, 0, sizeof(cfg));
	if (policy_path == NULL || o->config != NULL) {
		diags_init(&diags, o->config ? o->config : CONFIG_DEFAULT_PATH);
		if (config_load(o->config, &cfg, &diags) != 0) {
			diags_print(&diags, stderr);
			diags_free(&diags);
			goto out;
		}
		diags_free(&diags);
		have_cfg = 1;
		if (policy_path == NULL)
			policy_path = cfg.policy_path;
	}
	if (policy_path == NULL) /* config_load sets the default; said here too */
		policy_path = CONFIG_DEFAULT_POLICY;
	/* the policy the service runs: the collector's signed one, when it
	 * handed one over, so that MDM output judges as the fleet view does */
	if (o->policy == NULL) {
		const char *state_dir = have_cfg && cfg.state_dir ? cfg.state_dir : NULL;
		long long version = 0;

		if (state_dir != NULL &&
		    statedir_collector_policy(state_dir, collector_policy, sizeof(collector_policy),
		                              &version, NULL, 0) == 1) {
			policy_path = collector_policy;
			if (o->format == FORMAT_TEXT)
				fprintf(
				    stderr,
				    "posture: judging by the collector's signed policy, version "
				    "%lld (%s)\n",
				    version, policy_path);
		}
	}
	/* a fresh machine: no policy named and none installed is no refusal
	 * of a policy; say what there is and what to run */
	if (o->policy == NULL && access(policy_path, F_OK) != 0 && errno == ENOENT) {
		fprintf(stderr,
		        "posture: %sno policy is installed (%s does not exist), so there is "
		        "nothing to check against.\nCheck this machine against the shipped "
		        "baseline: posture %s --policy %s\n(policies/%s in the "
		        "source tree); or enroll with a collector, whose policy the agent "
		        "takes.\n",
		        local_note ? "no agent is running here and " : "", policy_path,
		        local_note ? "status" : "check", OS_BASELINE_POLICY, OS_BASELINE_NAME);
		goto out;
	}

	if (open_root_and_policy(o->root, policy_path, "; nothing was evaluated", &root, &policy) !=
	    0)
		goto out;

	/* as the service: --feeds, else [agent] feeds, else (with a collector)
	 * the signed feeds it fetched into the state directory */
	if (o->feeds == NULL && have_cfg && cfg.feeds_dir == NULL && cfg.collector_url != NULL &&
	    cfg.state_dir != NULL) {
		snprintf(kept_feeds, sizeof(kept_feeds), "%s/feeds", cfg.state_dir);
		if (access(kept_feeds, F_OK) != 0) /* none fetched yet */
			kept_feeds[0] = '\0';
	}
	feeddir_env(o->feeds        ? o->feeds
	            : kept_feeds[0] ? kept_feeds
	            : have_cfg      ? cfg.feeds_dir
	                            : NULL,
	            policy, &feeds, &env, feeds_err, sizeof(feeds_err));
	if (engine_evaluate_env(policy, root, o->format == FORMAT_JSON ? ENGINE_DETAILS : 0, &env,
	                        NULL, &ev) != 0) {
		fprintf(stderr, "posture: out of memory\n");
		goto out;
	}
	if (rootfs_is_host(root))
		check_grace(ev, o->state_dir                ? o->state_dir
		                : have_cfg && cfg.state_dir ? cfg.state_dir
		                                            : OS_STATE_DIR);
	if (!ev->os_known)
		fprintf(stderr,
		        "posture: warning: the operating system could not be identified: %s\n",
		        ev->os_err);
	if (local_note != NULL)
		fprintf(stderr, "%s\n", local_note);
	if (o->format == FORMAT_JSON) {
		char *text;
		json_t *doc;

		/* The ids, the hash and OpenSSL with them are needed only here. */
		report_meta_init(&meta, ev, root, POSTURE_VERSION);
		doc = report_json(ev, &meta);

		/* One string and one write: json_dumpf() writes token by token. */
		text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
		if (text == NULL || fputs(text, stdout) == EOF) {
			free(text);
			fprintf(stderr, "posture: cannot write the report\n");
			json_decref(doc);
			goto out;
		}
		fputc('\n', stdout);
		free(text);
		json_decref(doc);
	} else if (o->format == FORMAT_JAMF) {
		mdm_jamf(ev, stdout);
	} else if (o->format == FORMAT_INTUNE) {
		json_t *doc = mdm_intune_values(ev);
		char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

		if (text == NULL || fputs(text, stdout) == EOF || fputc('\n', stdout) == EOF) {
			free(text);
			json_decref(doc);
			fprintf(stderr, "posture: cannot write the results\n");
			goto out;
		}
		free(text);
		json_decref(doc);
	} else {
		report_text(ev, stdout, report_want_color(stdout));
	}
	if (fflush(stdout) != 0 && errno != EPIPE) {
		fprintf(stderr, "posture: cannot write the results: %s\n", strerror(errno));
		goto out;
	}
	/* an MDM's script reads the verdict from the output; a non-zero exit
	 * would tell it the script itself failed */
	rc = o->format == FORMAT_JAMF || o->format == FORMAT_INTUNE ? 0 : evaluation_exit_code(ev);
	if (rc == 0 && ev->summary.due > 0 && o->exit_due > 0)
		rc = o->exit_due;
out:
	evaluation_free(ev);
	feedset_free(&feeds);
	policy_free(policy);
	rootfs_close(root);
	if (have_cfg)
		config_free(&cfg);
	return rc;
}

/* One line on where delivery to the collector stands, from the status
 * document's "delivery" object. */
static void print_delivery(const json_t *dl)
{
	const char *url = json_string_value(json_object_get(dl, "collector"));
	const char *error = json_string_value(json_object_get(dl, "last_error"));
	const char *next = json_string_value(json_object_get(dl, "next_attempt_at"));
	const char *last = json_string_value(json_object_get(dl, "last_delivered_at"));

	if (!json_is_object(dl))
		return;
	if (url == NULL)
		fprintf(stderr,
		        "posture: no collector is configured; reports stay on this device\n");
	else if (json_is_true(json_object_get(dl, "revoked")))
		fprintf(stderr,
		        "posture: revoked: %s says this device's certificate is revoked; delivery "
		        "stopped and reports stay on this device (an admin can approve a new "
		        "enrollment: posture-collector device reenroll)\n",
		        url);
	else if (error != NULL)
		fprintf(stderr, "posture: delivery to %s is failing: %s%s%s\n", url, error,
		        next ? "; next attempt at " : "", next ? next : "");
	else if (last != NULL)
		fprintf(stderr, "posture: last delivered to %s at %s\n", url, last);
	else
		fprintf(stderr, "posture: nothing delivered to %s yet\n", url);
}

/*
 * status: the running agent's last report when one answers on the status
 * socket; otherwise evaluates here and says why. --policy and --root ask for
 * an evaluation of something other than what the agent watches.
 */
static int status(const struct options *o)
{
	char err[512], note[1024];
	const char *path = o->socket;
	struct config cfg;
	struct diags d;
	char *text = NULL;
	int errnum, rc, have_cfg = 0;
	json_t *st, *report;
	json_error_t jerr;

	if (o->policy != NULL || o->root != NULL)
		return evaluate_and_print(o, NULL);
	if (path == NULL) {
		diags_init(&d, o->config ? o->config : CONFIG_DEFAULT_PATH);
		if (config_load(o->config, &cfg, &d) != 0) {
			diags_print(&d, stderr);
			diags_free(&d);
			return EXIT_USAGE;
		}
		diags_free(&d);
		have_cfg = 1;
		path = cfg.status_socket;
	}
	if (status_fetch(path, 5000, &text, &errnum, err, sizeof(err)) != 0) {
		if (errnum == ENOENT || errnum == ECONNREFUSED || errnum == ENOTDIR)
			snprintf(note, sizeof(note),
			         "posture: no agent is running (nothing answers on %s); these "
			         "results were evaluated just now on this device",
			         path);
		else
			snprintf(note, sizeof(note),
			         "posture: the agent did not answer (%s); these results were "
			         "evaluated just now on this device",
			         err);
		goto local;
	}
	st = json_loads(text, 0, &jerr);
	report = json_object_get(st, "report");
	if (st == NULL || !json_is_object(report) || report_json_exit_code(report) < 0) {
		snprintf(note, sizeof(note),
		         "posture: the agent on %s has %s; these results were evaluated just "
		         "now on this device",
		         path,
		         text[0] == '\0' ? "closed the connection unanswered (too many clients)"
		         : st == NULL    ? "answered with something that is not JSON"
		         : json_is_null(report) ? "not evaluated yet"
		                                : "answered with something that is not a report");
		json_decref(st);
		goto local;
	}
	fprintf(stderr,
	        "posture: last results of the running agent (pid %" JSON_INTEGER_FORMAT
	        "), evaluated %s; %" JSON_INTEGER_FORMAT
	        " report(s) waiting in its spool for the collector\n",
	        json_integer_value(json_object_get(st, "pid")),
	        json_string_value(json_object_get(report, "generated_at"))
	            ? json_string_value(json_object_get(report, "generated_at"))
	            : "at an unknown time",
	        json_integer_value(json_object_get(st, "spool_waiting")));
	print_delivery(json_object_get(st, "delivery"));
	if (o->format == FORMAT_JSON) {
		char *out = json_dumps(report, JSON_INDENT(2));

		rc = out != NULL && printf("%s\n", out) >= 0 ? report_json_exit_code(report)
		                                             : EXIT_USAGE;
		free(out);
	} else {
		rc = report_text_json(report, stdout, report_want_color(stdout));
	}
	if (rc == 0 && o->exit_due > 0 &&
	    json_integer_value(json_object_get(json_object_get(report, "summary"), "due")) > 0)
		rc = o->exit_due;
	if (fflush(stdout) != 0 && errno != EPIPE)
		rc = EXIT_USAGE;
	json_decref(st);
	free(text);
	if (have_cfg)
		config_free(&cfg);
	return rc;
local:
	free(text);
	if (have_cfg)
		config_free(&cfg);
	return evaluate_and_print(o, note);
}

/* enroll: the collector's certificate for this device, into the state
 * directory. 0 enrolled; 1 refused (wrong secret, network); 2 bad usage. */
static int enroll(const struct options *o)
{
	struct enrollment_opts eo;
	struct config cfg;
	struct diags d;
	char msg[1200];
	int rc;

	diags_init(&d, o->config ? o->config : CONFIG_DEFAULT_PATH);
	if (config_load(o->config, &cfg, &d) != 0) {
		diags_print(&d, stderr);
		diags_free(&d);
		return EXIT_USAGE;
	}
	diags_free(&d);
	memset(&eo, 0, sizeof(eo));
	eo.server = o->server ? o->server : cfg.collector_url;
	eo.secret = o->secret;
	eo.secret_file = o->secret_file ? o->secret_file : cfg.enroll_secret_file;
	eo.ca_path = o->ca ? o->ca : cfg.collector_ca;
	eo.pin = cfg.collector_pin;
	eo.proxy = cfg.collector_proxy;
	eo.state_dir = o->state_dir ? o->state_dir : cfg.state_dir;
	eo.owner = o->owner ? o->owner : cfg.owner;
	eo.connect_timeout_s = (long)cfg.connect_timeout_secs;
	eo.timeout_s = (long)cfg.timeout_secs;
	if (eo.server == NULL) {
		fprintf(stderr, "posture: enroll: --server URL is required (or [collector] url)\n");
		config_free(&cfg);
		return EXIT_USAGE;
	}
	signal(SIGPIPE, SIG_IGN);
	rc = enrollment_run(&eo, msg, sizeof(msg));
	if (rc == 0)
		fprintf(stderr, "posture: %s\n", msg);
	else
		fprintf(stderr, "posture: error: enrollment failed: %s\n", msg);
	config_free(&cfg);
	return rc;
}

/* Deletes the tree below DIR, then DIR (a link is removed, never
 * followed). The number of entries that could not be removed. */
static int remove_tree(const char *dir, int depth)
{
	DIR *d;
	struct dirent *de;
	int left = 0;

	if (depth > 8)
		return 1;
	d = opendir(dir);
	while (d != NULL && (de = readdir(d)) != NULL) {
		char path[4352];
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
			left += remove_tree(path, depth + 1);
		else if (unlink(path) != 0 && rmdir(path) != 0) {
			fprintf(stderr, "posture: cannot remove %s: %s\n", path, strerror(errno));
			left++;
		}
	}
	if (d != NULL)
		closedir(d);
	if (rmdir(dir) != 0 && errno != ENOENT) {
		fprintf(stderr, "posture: cannot remove %s: %s\n", dir, strerror(errno));
		left++;
	}
	return left;
}

/* posture purge-state: what the agent wrote goes with it (the MSI runs
 * this on removal, as SYSTEM, after the service stopped). */
static int purge_state(const struct options *o)
{
	struct config cfg;
	struct diags d;
	const char *dir;
	int left;

	diags_init(&d, o->config ? o->config : CONFIG_DEFAULT_PATH);
	if (config_load(o->config, &cfg, &d) != 0) {
		/* an unreadable configuration still leaves the default to purge */
		diags_free(&d);
		memset(&cfg, 0, sizeof(cfg));
	} else {
		diags_free(&d);
	}
	dir = o->state_dir    ? o->state_dir
	      : cfg.state_dir ? cfg.state_dir
	                      : CONFIG_DEFAULT_STATE_DIR;
	{
		/* the service holds its spool: it goes first */
		char err[256];

		if (os_service_stop("posture", err, sizeof(err)) != 0)
			fprintf(stderr, "posture: %s\n", err);
	}
	left = remove_tree(dir, 0);
	if (left == 0)
		fprintf(stderr, "posture: %s removed\n", dir);
	config_free(&cfg);
	return left == 0 ? 0 : 1;
}

/* os_service_dispatch's view of service_run */
static int run_service(void *arg)
{
	return service_run(arg);
}

int main(int argc, char **argv)
{
	struct options o;
	const char *cmd;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("posture %s\n", POSTURE_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	/* each command's --help prints its own options */
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			command_usage(cmd, stdout);
			return 0;
		}
#ifdef OS_WORKER_SPAWNED
	/* the service's evaluation, started by the service (service.c) */
	if (strcmp(cmd, "evaluate-worker") == 0)
		return service_worker_main(argc - 1, argv + 1);
#endif
	if (strcmp(cmd, "check") == 0 || strcmp(cmd, "status") == 0) {
		if (parse_options(argc - 1, argv + 1, &o) != 0)
			return EXIT_USAGE;
		darwin_set_captured(o.captured);
		if (strcmp(cmd, "check") == 0)
			return evaluate_and_print(&o, NULL);
		return status(&o);
	}
	if (strcmp(cmd, "run") == 0) {
		struct service_opts so;

		if (parse_options(argc - 1, argv + 1, &o) != 0)
			return EXIT_USAGE;
		so.config = o.config;
		so.policy = o.policy;
		so.state_dir = o.state_dir;
		so.root = o.root;
		so.once = o.once;
		so.status_socket = o.socket;
		/* started by Windows' service manager, the service runs under
		 * its protocol; from a console (and on POSIX) directly */
		if (!so.once) {
			int rc =
			    os_service_dispatch("posture", run_service, &so, service_request_stop);

			if (rc >= 0)
				return rc;
		}
		return service_run(&so);
	}
	if (strcmp(cmd, "policy") == 0) {
		if (argc < 4 || strcmp(argv[2], "intune-rules") != 0 || argv[3][0] == '-') {
			fprintf(stderr,
			        "posture: usage: posture policy intune-rules FILE --more-info "
			        "URL\n");
			return EXIT_USAGE;
		}
		if (parse_options(argc - 3, argv + 3, &o) != 0)
			return EXIT_USAGE;
		return intune_rules(argv[3], &o);
	}
	if (strcmp(cmd, "enroll") == 0) {
		if (parse_options(argc - 1, argv + 1, &o) != 0)
			return EXIT_USAGE;
		return enroll(&o);
	}
	if (strcmp(cmd, "purge-state") == 0) {
		if (parse_options(argc - 1, argv + 1, &o) != 0)
			return EXIT_USAGE;
		return purge_state(&o);
	}
	fprintf(stderr, "posture: unknown command '%s'\n", cmd);
	usage(stderr);
	return EXIT_USAGE;
}
