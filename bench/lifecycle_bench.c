/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lifecycle_bench: a store's size at steady state. Stores, through the
 * collector's writer (store_add_reports, group commits of 64), DAYS days of
 * DEVICES devices reporting PER_DAY times a day, REPORT (the agent's JSON)
 * with its report_id and generated_at set (backdated, within the trust
 * issue's rules: never ahead of the clock) and, once a day per device, the
 * time of its last update check moved, as apt's daily run moves it; then
 * one lifecycle pass with the default retention (collector/lifecycle.c:
 * the days rolled up, reports over 30 days and changes over 400 pruned),
 * and prints the store's bytes on disk and per device-day kept, table by
 * table (SQLite's dbstat).
 *   lifecycle_bench STORE.db REPORT [DEVICES] [DAYS] [PER_DAY]
 * LB_END_DAYS=N ends the reports N days ago; LB_NO_PASS=1 stores them and
 * stops (bench/retention.sh prunes them under load).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "config.h"
#include "lifecycle.h"
#include "reportin.h"
#include "store.h"
#include "timefmt.h"

static char *field_at(char *text, const char *key)
{
	char *p = strstr(text, key);

	return p ? strchr(p + strlen(key), '"') + 1 : NULL;
}

int main(int argc, char **argv)
{
	struct store *st = NULL;
	struct collector_config cfg;
	struct lifecycle_result res;
	char err[1024], *tmpl, *id_p, *gen_p, *check_p;
	int devices = argc > 3 ? atoi(argv[3]) : 200, days = argc > 4 ? atoi(argv[4]) : 31;
	int per_day = argc > 5 ? atoi(argv[5]) : 96;
	long long now = (long long)time(NULL), start, n = 0;
	size_t len;
	FILE *f;
	double t0 = (double)clock();

	if (argc < 3 || devices < 1 || days < 1 || per_day < 1) {
		fprintf(stderr, "usage: lifecycle_bench STORE.db REPORT [DEVICES] [DAYS] [PER_DAY]\n");
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
	id_p = field_at(tmpl, "\"report_id\"");
	gen_p = field_at(tmpl, "\"generated_at\"");
	check_p = field_at(tmpl, "\"last_update_check\"");
	if (id_p == NULL || gen_p == NULL) {
		fprintf(stderr, "%s has no report_id or generated_at\n", argv[2]);
		return 2;
	}
	if (store_open(argv[1], 1, &st, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	store_tune_writer(st);
	store_defer_checkpoints(st);
	/* the last report a minute ago */
	if (getenv("LB_END_DAYS") != NULL)
		now -= atoll(getenv("LB_END_DAYS")) * 86400;
	start = now - 60 - (long long)days * 86400;
	for (long long slot = 0; slot < (long long)days * per_day; slot++) {
		long long at = start + slot * (86400 / per_day);
		char when[32], day_check[32];

		time_rfc3339((time_t)at, when);
		time_rfc3339((time_t)(at - at % 86400 + 3 * 3600), day_check);
		for (int d0 = 0; d0 < devices; d0 += 64) {
			struct store_item items[64];
			struct report_in r[64];
			char *bodies[64], ids[64][40];
			int k = 0;

			for (int d = d0; d < devices && d < d0 + 64; d++, k++) {
				char rid[40];

				bodies[k] = malloc(len);
				memcpy(bodies[k], tmpl, len);
				snprintf(rid, sizeof(rid), "%08llx-%04x-4000-8000-000000000000",
				         (unsigned long long)slot, (unsigned)d);
				memcpy(bodies[k] + (id_p - tmpl), rid, 36);
				memcpy(bodies[k] + (gen_p - tmpl), when, 20);
				if (check_p != NULL)
					memcpy(bodies[k] + (check_p - tmpl), day_check, 20);
				snprintf(ids[k], sizeof(ids[k]), "00000000-0000-4000-8000-%012d", d);
				if (reportin_parse(bodies[k], len, &r[k], err, sizeof(err)) != 0) {
					fprintf(stderr, "report refused: %s\n", err);
					return 1;
				}
				items[k] = (struct store_item){
					.device_id = ids[k], .report = &r[k], .body = bodies[k], .body_len = len
				};
			}
			if (store_add_reports(st, items, (size_t)k, err, sizeof(err)) != 0 ||
			    items[0].outcome != STORE_STORED) {
				fprintf(stderr, "store failed: %s\n", err);
				return 1;
			}
			for (int i = 0; i < k; i++) {
				reportin_free(&r[i]);
				free(bodies[i]);
			}
			n += k;
			if (store_wal_pages(st) >= 4000 && store_checkpoint(st, err, sizeof(err)) != 0) {
				fprintf(stderr, "checkpoint: %s\n", err);
				return 1;
			}
		}
	}
	fprintf(stderr, "stored %lld reports in %.0f s of CPU\n", n,
	        ((double)clock() - t0) / CLOCKS_PER_SEC);
	if (getenv("LB_NO_PASS") != NULL) {
		store_checkpoint(st, err, sizeof(err));
		store_close(st);
		return 0;
	}
	now = (long long)time(NULL);
	config_load(NULL, 0, &cfg, err, sizeof(err)); /* the defaults */
	if (lifecycle_pass(st, &cfg, "lifecycle_bench", now, NULL, &res, err, sizeof(err)) != 0) {
		fprintf(stderr, "lifecycle: %s\n", err);
		return 1;
	}
	store_checkpoint(st, err, sizeof(err));
	store_close(st);
	printf("%d devices, %d days of %d reports a day (%lld reports, %zu-byte body); the pass "
	       "rolled up %d days, pruned %lld reports\n",
	       devices, days, per_day, n, len, res.days_rolled, res.pruned.reports);
	{
		sqlite3 *db;
		sqlite3_stmt *q;
		long long page_size = 0, pages = 0, free_pages = 0, kept_days = days < 30 ? days : 30;
		struct stat sb;

		sqlite3_open(argv[1], &db);
		sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &q, NULL);
		if (sqlite3_step(q) == SQLITE_ROW)
			page_size = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &q, NULL);
		if (sqlite3_step(q) == SQLITE_ROW)
			pages = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		sqlite3_prepare_v2(db, "PRAGMA freelist_count", -1, &q, NULL);
		if (sqlite3_step(q) == SQLITE_ROW)
			free_pages = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		stat(argv[1], &sb);
		printf("file %lld bytes; in use %lld bytes (%lld pages free); per device-day kept "
		       "(%lld days): %.0f bytes on disk, %.0f in use\n",
		       (long long)sb.st_size, (pages - free_pages) * page_size, free_pages, kept_days,
		       (double)sb.st_size / (double)(devices * kept_days),
		       (double)((pages - free_pages) * page_size) / (double)(devices * kept_days));
		if (sqlite3_prepare_v2(db,
		                       "SELECT name, sum(pgsize) FROM dbstat GROUP BY name "
		                       "ORDER BY 2 DESC LIMIT 12",
		                       -1, &q, NULL) == SQLITE_OK) {
			while (sqlite3_step(q) == SQLITE_ROW)
				printf("  %-28s %12lld bytes, %8.0f a device-day\n",
				       (const char *)sqlite3_column_text(q, 0),
				       (long long)sqlite3_column_int64(q, 1),
				       (double)sqlite3_column_int64(q, 1) / (double)(devices * kept_days));
			sqlite3_finalize(q);
		}
		sqlite3_close(db);
	}
	free(tmpl);
	return 0;
}
