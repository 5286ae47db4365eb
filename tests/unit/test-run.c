// SPDX-License-Identifier: GPL-2.0-or-later
/* Bounded helper runs: output, status, the deadline, the output cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "probes/run.h"

static void test_output_and_status(void **state)
{
	char *const ok[] = { "/bin/sh", "-c", "echo hello; exit 3", NULL };
	struct gc_run_result r;

	(void)state;
	assert_int_equal(gc_run_capture(ok, NULL, 10000, 1 << 20, &r), 0);
	assert_string_equal(r.out, "hello\n");
	assert_int_equal(r.status, 3);
	assert_false(r.truncated);
	gc_run_result_free(&r);
}

static void test_missing_program(void **state)
{
	char *const missing[] = { "/nonexistent/rpm", NULL };
	struct gc_run_result r;

	(void)state;
	assert_int_equal(gc_run_capture(missing, NULL, 1000, 1024, &r), -ENOENT);
}

/* A helper that hangs is killed at the deadline instead of hanging the checker. */
static void test_deadline(void **state)
{
	char *const hang[] = { "/bin/sh", "-c", "exec sleep 60", NULL };
	struct gc_run_result r;

	(void)state;
	assert_int_equal(gc_run_capture(hang, NULL, 100, 1024, &r), -ETIMEDOUT);
}

static void test_output_cap(void **state)
{
	char *const chatty[] = { "/bin/sh", "-c", "exec yes", NULL };
	struct gc_run_result r;

	(void)state;
	assert_int_equal(gc_run_capture(chatty, NULL, 10000, 4096, &r), 0);
	assert_true(r.truncated);
	assert_int_equal(r.len, 4096);
	gc_run_result_free(&r);
}

/* The deadline holds for the process, not its output: closing stdout does not escape it. */
static void test_deadline_after_output_closed(void **state)
{
	char *const sneaky[] = { "/bin/sh", "-c", "echo started; exec >&- ; exec sleep 60", NULL };
	struct gc_run_result r;
	struct timespec a, b;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(gc_run_capture(sneaky, NULL, 300, 1024, &r), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(b.tv_sec - a.tv_sec < 10);
}

/* Its whole process group dies with it: a grandchild holding the pipe does not outlive it. */
static void test_group_killed(void **state)
{
	char pidfile[] = "/tmp/gc-run-XXXXXX";
	char cmd[256], buf[32] = "";
	struct gc_run_result r;
	int fd = mkstemp(pidfile);
	FILE *f;
	long pid;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "sleep 60 & echo $! > %s; wait", pidfile);
	{
		char *const forks[] = { "/bin/sh", "-c", cmd, NULL };

		assert_int_equal(gc_run_capture(forks, NULL, 300, 1024, &r), -ETIMEDOUT);
	}
	f = fopen(pidfile, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	unlink(pidfile);
	pid = strtol(buf, NULL, 10);
	assert_true(pid > 0);
	usleep(100000);
	/* Killed, and reaped by init or a zombie at most: never still sleeping. */
	snprintf(cmd, sizeof(cmd), "/proc/%ld/stat", pid);
	f = fopen(cmd, "r");
	if (f) {
		char state_c = 0;

		assert_int_equal(fscanf(f, "%*d %*s %c", &state_c), 1);
		fclose(f);
		assert_int_equal(state_c, 'Z');
	}
}

/* Nothing of the caller's environment reaches the helper; PATH is fixed. */
static void test_clean_environment(void **state)
{
	char *const env[] = { "/usr/bin/env", NULL };
	struct gc_run_result r;

	(void)state;
	setenv("GC_TEST_SECRET", "leak", 1);
	assert_int_equal(gc_run_capture(env, NULL, 10000, 4096, &r), 0);
	assert_string_equal(r.out, "PATH=" GC_RUN_PATH "\nLC_ALL=C\n");
	gc_run_result_free(&r);
}

static int child_says(void *ctx)
{
	fputs(ctx, stdout);
	fflush(stdout);
	return 5;
}

static void test_fork(void **state)
{
	struct gc_run_result r;

	(void)state;
	assert_int_equal(gc_run_fork(child_says, "from the child\n", 10000, 4096, &r), 0);
	assert_string_equal(r.out, "from the child\n");
	assert_int_equal(r.status, 5);
	gc_run_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_and_status),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_output_cap),
		cmocka_unit_test(test_deadline_after_output_closed),
		cmocka_unit_test(test_group_killed),
		cmocka_unit_test(test_clean_environment),
		cmocka_unit_test(test_fork),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
