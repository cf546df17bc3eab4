/*
 * measure: runs a command N times and prints the median CPU time (user +
 * system, from wait4's rusage, in microseconds) and the largest peak RSS.
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
#include <unistd.h>

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long *cpu, max_rss = 0;
	int n, i, status = 0;

	if (argc < 5 || strcmp(argv[3], "--") != 0) {
		fprintf(stderr, "usage: measure N LABEL -- COMMAND [ARGS...]\n");
		return 2;
	}
	n = atoi(argv[1]);
	cpu = calloc((size_t)n, sizeof(*cpu));
	for (i = 0; i < n; i++) {
		struct rusage ru;
		pid_t pid = fork();

		if (pid == 0) {
			int devnull = open("/dev/null", O_WRONLY);

			dup2(devnull, 1);
			execvp(argv[4], argv + 4);
			_exit(127);
		}
		wait4(pid, &status, 0, &ru);
		if (!WIFEXITED(status) || WEXITSTATUS(status) == 127 || WEXITSTATUS(status) == 2) {
			fprintf(stderr, "measure: %s failed (status %d)\n", argv[4], status);
			return 1;
		}
		cpu[i] = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L + ru.ru_utime.tv_usec +
		         ru.ru_stime.tv_usec;
		if (ru.ru_maxrss > max_rss)
			max_rss = ru.ru_maxrss;
	}
	qsort(cpu, (size_t)n, sizeof(*cpu), cmp_long);
	printf("%-28s %8.2f ms CPU (median of %d; min %.2f, max %.2f)  %6ld KiB peak RSS\n",
	       argv[2], cpu[n / 2] / 1000.0, n, cpu[0] / 1000.0, cpu[n - 1] / 1000.0, max_rss);
	free(cpu);
	return 0;
}
