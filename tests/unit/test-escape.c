// SPDX-License-Identifier: GPL-2.0-or-later
/* Escaping untrusted bytes: valid UTF-8 always, controls and non-ASCII when asked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "checker/report/escape.h"

static void check(const char *in, unsigned flags, const char *want)
{
	char *got = gc_escape(in, flags);

	assert_string_equal(got, want);
	free(got);
}

static void test_utf8_len(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(gc_utf8_len((const unsigned char *)"A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(gc_utf8_len((const unsigned char *)"\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(gc_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	/* RFC 3629: overlong forms, surrogates, above U+10FFFF, lone continuation, truncation. */
	assert_int_equal(gc_utf8_len((const unsigned char *)"\xc0\xaf", 2, &cp), 0);
	assert_int_equal(gc_utf8_len((const unsigned char *)"\xe0\x80\xaf", 3, &cp), 0);
	assert_int_equal(gc_utf8_len((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(gc_utf8_len((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(gc_utf8_len((const unsigned char *)"\x80", 1, &cp), 0);
	assert_int_equal(gc_utf8_len((const unsigned char *)"\xe2\x80", 2, &cp), 0);
	assert_int_equal(gc_utf8_len((const unsigned char *)"\xff", 1, &cp), 0);
}

static void test_json(void **state)
{
	(void)state;
	/* Only malformed bytes change; controls are json-c's to escape. */
	check("caf\xc3\xa9", 0, "caf\xc3\xa9");
	check("\xff\xfe", 0, "\\xff\\xfe");
	check("a\x1b[31m", 0, "a\x1b[31m");
	check("\xe2\x80", 0, "\\xe2\\x80");
	check("", 0, "");
}

static void test_terminal(void **state)
{
	(void)state;
	check("QEMU \x1b]0;x\x07\x1b[2J", GC_ESC_CONTROLS, "QEMU \\x1b]0;x\\x07\\x1b[2J");
	/* U+009B is CSI to a terminal in UTF-8 mode: escaped by its bytes. */
	check("\xc2\x9b" "31m", GC_ESC_CONTROLS, "\\xc2\\x9b31m");
	check("a\tb\x7f", GC_ESC_CONTROLS, "a\\x09b\\x7f");
	check("one\ntwo", GC_ESC_CONTROLS, "one\\x0atwo");
	check("one\ntwo", GC_ESC_CONTROLS | GC_ESC_KEEP_NL, "one\ntwo");
	check("caf\xc3\xa9", GC_ESC_CONTROLS, "caf\xc3\xa9");
	check("caf\xc3\xa9", GC_ESC_CONTROLS | GC_ESC_ASCII, "caf\\xc3\\xa9");
	check("\xff", GC_ESC_CONTROLS | GC_ESC_ASCII, "\\xff");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_len),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_terminal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
