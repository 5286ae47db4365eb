// SPDX-License-Identifier: GPL-2.0-or-later
/* Capability walker and MSI decoding on byte arrays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "probes/pcicap.h"

static uint8_t cfg[4096];

/* Header with the capability list bit, PM at 0x40 -> MSI at 0x50 -> MSI-X at 0x70. */
static void setup_cfg(uint16_t msi_ctl)
{
	memset(cfg, 0, sizeof(cfg));
	cfg[0x06] = 0x10;
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x01, cfg[0x41] = 0x50;
	cfg[0x50] = 0x05, cfg[0x51] = 0x70;
	cfg[0x52] = msi_ctl & 0xff, cfg[0x53] = msi_ctl >> 8;
	cfg[0x70] = 0x11, cfg[0x71] = 0x00;
	cfg[0x72] = 0x0f, cfg[0x73] = 0x80;  /* 16 entries, enabled */
}

static void test_msi_32_of_32(void **state)
{
	struct gc_pci_caps c;

	(void)state;
	setup_cfg(0x01 | 5 << 1 | 5 << 4 | 0x80 | 0x100);
	gc_pci_caps_parse(cfg, 256, &c);
	assert_int_equal(c.msi.state, GC_CAP_FOUND);
	assert_int_equal(c.msi.offset, 0x50);
	assert_int_equal(c.msi.capable, 32);
	assert_int_equal(c.msi.enabled_n, 32);
	assert_true(c.msi.enabled);
	assert_true(c.msi.is64);
	assert_true(c.msi.maskable);
	assert_int_equal(c.msix.state, GC_CAP_FOUND);
	assert_int_equal(c.msix.table_size, 16);
	assert_true(c.msix.enabled);
}

static void test_msi_one_enabled(void **state)
{
	struct gc_pci_caps c;

	(void)state;
	setup_cfg(0x01 | 5 << 1);  /* 32 capable, 1 enabled: the 1-MSI fallback */
	gc_pci_caps_parse(cfg, 256, &c);
	assert_int_equal(c.msi.capable, 32);
	assert_int_equal(c.msi.enabled_n, 1);
	assert_false(c.msi.is64);
}

static void test_no_capability_list(void **state)
{
	struct gc_pci_caps c;

	(void)state;
	setup_cfg(0);
	cfg[0x06] = 0;
	gc_pci_caps_parse(cfg, 256, &c);
	assert_int_equal(c.msi.state, GC_CAP_NOT_FOUND);
	assert_int_equal(c.msix.state, GC_CAP_NOT_FOUND);
}

static void test_non_root_cut_is_truncated_not_absent(void **state)
{
	struct gc_pci_caps c;

	(void)state;
	setup_cfg(0x01 | 5 << 1 | 5 << 4);
	gc_pci_caps_parse(cfg, 64, &c);
	assert_int_equal(c.msi.state, GC_CAP_TRUNCATED);
	assert_int_equal(c.msix.state, GC_CAP_TRUNCATED);
}

static void test_cut_inside_msi(void **state)
{
	struct gc_pci_caps c;

	(void)state;
	setup_cfg(0x01 | 5 << 1 | 5 << 4);
	gc_pci_caps_parse(cfg, 0x52, &c);
	assert_int_equal(c.msi.state, GC_CAP_TRUNCATED);
}

static void test_shorter_than_header(void **state)
{
	struct gc_pci_caps c;

	(void)state;
	setup_cfg(0);
	gc_pci_caps_parse(cfg, 10, &c);
	assert_int_equal(c.msi.state, GC_CAP_TRUNCATED);
	assert_non_null(c.problem);
}

static void test_loop(void **state)
{
	struct gc_pci_caps c;

	(void)state;
	setup_cfg(0x01 | 5 << 1 | 5 << 4);
	cfg[0x71] = 0x40;  /* MSI-X points back to PM */
	gc_pci_caps_parse(cfg, 256, &c);
	assert_int_equal(c.msi.state, GC_CAP_MALFORMED);
	assert_string_equal(c.problem, "capability list loops");
}

static void test_self_loop(void **state)
{
	struct gc_pci_caps c;

	(void)state;
	setup_cfg(0);
	cfg[0x41] = 0x40;
	gc_pci_caps_parse(cfg, 256, &c);
	assert_int_equal(c.msi.state, GC_CAP_MALFORMED);
}

static void test_broken_id(void **state)
{
	struct gc_pci_caps c;

	(void)state;
	setup_cfg(0);
	cfg[0x40] = 0xff;
	gc_pci_caps_parse(cfg, 256, &c);
	assert_int_equal(c.msi.state, GC_CAP_MALFORMED);
}

static void test_pointer_into_header(void **state)
{
	struct gc_pci_caps c;

	(void)state;
	setup_cfg(0);
	cfg[0x34] = 0x10;
	gc_pci_caps_parse(cfg, 256, &c);
	assert_int_equal(c.msi.state, GC_CAP_MALFORMED);
}

static void test_reserved_mmc(void **state)
{
	struct gc_pci_caps c;

	(void)state;
	setup_cfg(7 << 1);
	gc_pci_caps_parse(cfg, 256, &c);
	assert_int_equal(c.msi.state, GC_CAP_MALFORMED);
}

static void test_all_ff(void **state)
{
	struct gc_pci_caps c;

	(void)state;
	memset(cfg, 0xff, sizeof(cfg));  /* a device that fell off the bus */
	gc_pci_caps_parse(cfg, 4096, &c);
	assert_int_equal(c.msi.state, GC_CAP_MALFORMED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msi_32_of_32),
		cmocka_unit_test(test_msi_one_enabled),
		cmocka_unit_test(test_no_capability_list),
		cmocka_unit_test(test_non_root_cut_is_truncated_not_absent),
		cmocka_unit_test(test_cut_inside_msi),
		cmocka_unit_test(test_shorter_than_header),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_self_loop),
		cmocka_unit_test(test_broken_id),
		cmocka_unit_test(test_pointer_into_header),
		cmocka_unit_test(test_reserved_mmc),
		cmocka_unit_test(test_all_ff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
