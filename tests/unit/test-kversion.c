// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel release parsing and ordering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <errno.h>

#include "probes/kversion.h"

static struct gc_kversion v(const char *s)
{
	struct gc_kversion k;

	assert_int_equal(gc_kversion_parse(s, &k), 0);
	return k;
}

static void test_parse(void **state)
{
	struct gc_kversion k;

	(void)state;
	k = v("6.12.117+deb12-amd64");
	assert_int_equal(k.major, 6);
	assert_int_equal(k.minor, 12);
	assert_int_equal(k.patch, 117);
	assert_string_equal(k.suffix, "+deb12-amd64");
	k = v("5.19.0-rc7");
	assert_int_equal(k.rc, 7);
	k = v("5.15.0-91-generic");
	assert_int_equal(k.patch, 0);
	assert_string_equal(k.suffix, "-91-generic");
	k = v("6.1");
	assert_false(k.has_patch);
	k = v("5.14.0-362.el9.x86_64");
	assert_int_equal(k.minor, 14);
	assert_int_equal(gc_kversion_parse("", &k), -EINVAL);
	assert_int_equal(gc_kversion_parse("v6.1", &k), -EINVAL);
	assert_int_equal(gc_kversion_parse("6", &k), -EINVAL);
	assert_int_equal(gc_kversion_parse("6.x", &k), -EINVAL);
	assert_int_equal(gc_kversion_parse("99999999999.1", &k), -EINVAL);
}

static void test_order(void **state)
{
	struct gc_kversion a, b;

	(void)state;
	a = v("5.19.0-rc1"), b = v("5.19.0");
	assert_true(gc_kversion_cmp(&a, &b) < 0);
	a = v("5.19-rc7"), b = v("5.19-rc1");
	assert_true(gc_kversion_cmp(&a, &b) > 0);
	a = v("5.15.58"), b = v("5.15.57");
	assert_true(gc_kversion_cmp(&a, &b) > 0);
	a = v("6.1.0"), b = v("6.1");
	assert_int_equal(gc_kversion_cmp(&a, &b), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
