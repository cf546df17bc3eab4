/* SPDX-License-Identifier: Apache-2.0 */
/*
 * measure: runs a command N times and prints the median wall time, the
 * median CPU time (user + system, from wait4's rusage) and the largest peak
 * RSS.
 * Usage: measure N LABEL -- COMMAND [ARGS...]   (stdout goes to /dev/null)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long *cpu, *wall, max_rss = 0;
	int n, i, status = 0;

	if (argc < 5 || strcmp(argv[3], "--") != 0) {
		fprintf(stderr, "usage: measure N LABEL -- COMMAND [ARGS...]\n");
		return 2;
	}
	n = atoi(argv[1]);
	cpu = calloc((size_t)n, sizeof(*cpu));
	wall = calloc((size_t)n, sizeof(*wall));
	for (i = 0; i < n; i++) {
		struct rusage ru;
		struct timespec t0, t1;
		pid_t pid;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		pid = fork();

		if (pid == 0) {
			int devnull = open("/dev/null", O_WRONLY);

			dup2(devnull, 1);
			execvp(argv[4], argv + 4);
			_exit(127);
		}
		wait4(pid, &status, 0, &ru);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		wall[i] = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
		if (!WIFEXITED(status) || WEXITSTATUS(status) == 127 ||
		    (WEXITSTATUS(status) == 2 && getenv("MEASURE_ALLOW_2") == NULL)) {
			fprintf(stderr, "measure: %s failed (status %d)\n", argv[4], status);
			return 1;
		}
		cpu[i] = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L + ru.ru_utime.tv_usec +
		         ru.ru_stime.tv_usec;
		if (ru.ru_maxrss > max_rss)
			max_rss = ru.ru_maxrss;
	}
	qsort(cpu, (size_t)n, sizeof(*cpu), cmp_long);
	qsort(wall, (size_t)n, sizeof(*wall), cmp_long);
	printf("%-28s %9.2f ms wall %9.2f ms CPU (medians of %d)  %7ld KiB peak RSS\n", argv[2],
	       wall[n / 2] / 1000.0, cpu[n / 2] / 1000.0, n, max_rss);
	free(cpu);
	free(wall);
	return 0;
}
