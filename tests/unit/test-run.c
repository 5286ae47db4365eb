// SPDX-License-Identifier: GPL-2.0-or-later
/* Bounded helper runs: output, status, the deadline, the output cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "probes/run.h"

static void test_output_and_status(void **state)
{
	char *const ok[] = { "/bin/sh", "-c", "echo hello; exit 3", NULL };
	struct gc_run_result r;

	(void)state;
	assert_int_equal(gc_run_capture(ok, 10000, 1 << 20, &r), 0);
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
	assert_int_equal(gc_run_capture(missing, 1000, 1024, &r), -ENOENT);
}

/* A helper that hangs is killed at the deadline instead of hanging the checker. */
static void test_deadline(void **state)
{
	char *const hang[] = { "/bin/sh", "-c", "exec sleep 60", NULL };
	struct gc_run_result r;

	(void)state;
	assert_int_equal(gc_run_capture(hang, 100, 1024, &r), -ETIMEDOUT);
}

static void test_output_cap(void **state)
{
	char *const chatty[] = { "/bin/sh", "-c", "exec yes", NULL };
	struct gc_run_result r;

	(void)state;
	assert_int_equal(gc_run_capture(chatty, 10000, 4096, &r), 0);
	assert_true(r.truncated);
	assert_int_equal(r.len, 4096);
	gc_run_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_and_status),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_output_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
