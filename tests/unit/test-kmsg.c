// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel log line formats and matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "probes/kmsg.h"

static void test_formats(void **state)
{
	(void)state;
	/* /dev/kmsg records, with and without the caller field. */
	assert_string_equal(gc_kmsg_message("6,1234,5678901,-;qaic 0000:06:00.0: hello"),
			    "qaic 0000:06:00.0: hello");
	assert_string_equal(gc_kmsg_message("4,99,12,-,caller=T1;DMAR-IR: Enabled IRQ remapping in xapic mode"),
			    "DMAR-IR: Enabled IRQ remapping in xapic mode");
	/* dmesg text, as pasted. */
	assert_string_equal(gc_kmsg_message("[    0.123456] DMAR: IOMMU enabled"), "DMAR: IOMMU enabled");
	assert_string_equal(gc_kmsg_message("<6>[    1.000000] pci 0000:00:01.0: x"), "pci 0000:00:01.0: x");
	assert_string_equal(gc_kmsg_message("[Tue Nov 24 07:00:01 2026] qaic: y"), "qaic: y");
	assert_string_equal(gc_kmsg_message("DMAR-IR: plain"), "DMAR-IR: plain");
	/* journalctl -k */
	assert_string_equal(gc_kmsg_message("Nov 24 07:00:01 guest kernel: qaic 0000:06:00.0: z"),
			    "qaic 0000:06:00.0: z");
	/* dictionary continuation and blank lines carry no message */
	assert_null(gc_kmsg_message(" SUBSYSTEM=pci"));
	assert_null(gc_kmsg_message(""));
	/* a comma-number prefix that is no record stays text */
	assert_string_equal(gc_kmsg_message("1,2 buckle my shoe"), "1,2 buckle my shoe");
	/* an unterminated bracket is not a timestamp */
	assert_string_equal(gc_kmsg_message("[ unterminated"), "[ unterminated");
}

static void test_find(void **state)
{
	char *lines[] = {
		"qaic 0000:07:00.0: Allocating 32 MSIs failed, operating in 1 MSI mode.",
		"qaic 0000:06:00.0: init_msi: Requested 32 MSIs. Obtained 1 MSIs which is less than the 32 required.",
	};
	struct gc_kmsg k = { .lines = lines, .n = 2 };

	(void)state;
	assert_ptr_equal(gc_kmsg_find(&k, "qaic 0000:06:00.0: ", "MSIs which is less"), lines[1]);
	assert_null(gc_kmsg_find(&k, "qaic 0000:06:00.0: ", "MSI mode"));
	assert_ptr_equal(gc_kmsg_find(&k, NULL, "MSI mode"), lines[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
