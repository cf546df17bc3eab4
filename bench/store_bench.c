/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_bench: the collector's writer alone. Stores REPORT (the agent's JSON)
 * with a fresh report_id each time, for 50 devices, in group commits of
 * BATCH reports, for SECONDS, into STORE (an SQLite path or a postgresql://
 * URL); prints reports per second and the CPU time per report, split into
 * validation (reportin_parse, the event loop's share) and storing (the
 * writer thread's share).
 *   store_bench STORE REPORT [SECONDS] [BATCH]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "reportin.h"
#include "store.h"

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct store *st = NULL;
	char err[512], *tmpl, *id;
	double seconds = argc > 3 ? strtod(argv[3], NULL) : 5, t0, parse_cpu = 0, store_cpu = 0;
	double checkpoint_cpu = 0;
	long long frames = 0, last_pages = 0;
	int batch = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 16;
	long long n = 0, serial = 0;
	size_t len, id_at;
	FILE *f;

	if (argc < 3 || batch < 1 || batch > 256) {
		fprintf(stderr, "usage: store_bench STORE REPORT [SECONDS] [BATCH]\n");
		return 2;
	}
	f = fopen(argv[2], "rb");
	if (f == NULL)
		return 2;
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	rewind(f);
	tmpl = malloc(len + 1);
	if (fread(tmpl, 1, len, f) != len)
		return 2;
	tmpl[len] = '\0';
	fclose(f);
	id = strstr(tmpl, "\"report_id\"");
	id = id ? strchr(id + 11, '"') : NULL;
	if (id == NULL)
		return 2;
	id_at = (size_t)(id + 1 - tmpl);
	if (store_open(argv[1], 1, &st, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	store_tune_writer(st); /* as the server's writer */
	store_defer_checkpoints(st);
	t0 = wall_now();
	while (wall_now() - t0 < seconds) {
		struct store_item items[256];
		struct report_in r[256];
		char *bodies[256], devices[256][40];
		double c0 = cpu_now(), c1;

		for (int i = 0; i < batch; i++) {
			bodies[i] = malloc(len);
			memcpy(bodies[i], tmpl, len);
			snprintf(devices[i], sizeof(devices[i]), "00000000-0000-4000-8000-%012lld",
			         (serial + i) % 50);
			{
				char rid[40];

				snprintf(rid, sizeof(rid), "%08llx-0000-4000-8000-%012d", serial + i,
				         getpid());
				memcpy(bodies[i] + id_at, rid, 36);
			}
			if (reportin_parse(bodies[i], len, &r[i], err, sizeof(err)) != 0) {
				fprintf(stderr, "report refused: %s\n", err);
				return 1;
			}
			items[i] = (struct store_item){ .device_id = devices[i],
				                        .report = &r[i],
				                        .body = bodies[i],
				                        .body_len = len };
		}
		c1 = cpu_now();
		parse_cpu += c1 - c0;
		if (store_add_reports(st, items, (size_t)batch, err, sizeof(err)) != 0 ||
		    items[0].outcome != STORE_STORED) {
			fprintf(stderr, "store failed: %s\n", err);
			return 1;
		}
		store_cpu += cpu_now() - c1;
		{
			/* the WAL pages this commit wrote (the log starts over
			 * after a checkpoint); checkpoints as the server's own
			 * thread does them, timed apart */
			long long pages = store_wal_pages(st);

			frames += pages < last_pages ? pages : pages - last_pages;
			last_pages = pages;
			if (pages >= 1000) {
				double k0 = cpu_now();

				if (store_checkpoint(st, err, sizeof(err)) != 0) {
					fprintf(stderr, "checkpoint failed: %s\n", err);
					return 1;
				}
				checkpoint_cpu += cpu_now() - k0;
			}
		}
		for (int i = 0; i < batch; i++) {
			reportin_free(&r[i]);
			free(bodies[i]);
		}
		serial += batch;
		n += batch;
	}
	{
		double wall = wall_now() - t0;

		printf("%s: %lld reports in %.2f s = %.0f/s; CPU per report: validation %.3f ms, "
		       "storing %.3f ms (batches of %d)\n",
		       store_kind(st), n, wall, (double)n / wall, parse_cpu / (double)n * 1000,
		       store_cpu / (double)n * 1000, batch);
		if (strcmp(store_kind(st), "sqlite") == 0)
			printf("sqlite: %.1f WAL pages written a report; checkpoints (apart, as "
			       "the server's own thread runs them) %.3f ms a report\n",
			       (double)frames / (double)n, checkpoint_cpu / (double)n * 1000);
	}
	store_close(st);
	free(tmpl);
	return 0;
}
