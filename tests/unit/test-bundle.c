// SPDX-License-Identifier: GPL-2.0-or-later
/* Lexical path normalisation used to follow symlinks into the bundle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "checker/bundle.h"

static void check(const char *in, const char *want)
{
	char buf[256];

	strcpy(buf, in);
	assert_string_equal(gc_path_normalize(buf), want);
}

static void test_normalize(void **state)
{
	(void)state;
	check("/sys/bus/pci/devices/../../../devices/pci0000:00/0000:00:01.0",
	      "/sys/devices/pci0000:00/0000:00:01.0");
	check("/a/./b//c/", "/a/b/c");
	check("/../../etc", "/etc");  /* cannot climb above the root */
	check("/", "/");
	check("/a/..", "/");
	check("/lib/../usr/lib/modules", "/usr/lib/modules");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
