// SPDX-License-Identifier: GPL-2.0-or-later
/* DMAR parser on a real table (captured in the e2e guest) and on broken ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdio.h>

#include "probes/acpi.h"

static uint8_t real[4096];
static size_t real_len;

static int load(void **state)
{
	FILE *f = fopen(FIXTURES_DIR "/e2e-q35-viommu-ir/sys/firmware/acpi/tables/DMAR", "rb");

	(void)state;
	if (!f)
		return -1;
	real_len = fread(real, 1, sizeof(real), f);
	fclose(f);
	return real_len ? 0 : -1;
}

static void test_real_qemu_table(void **state)
{
	struct gc_dmar d;

	(void)state;
	gc_dmar_parse(real, real_len, &d);
	assert_true(d.valid);
	assert_true(d.checksum_ok);
	assert_int_equal(d.length, real_len);
	assert_int_equal(d.flags & DMAR_INTR_REMAP, DMAR_INTR_REMAP);
	assert_int_equal(d.haw, 39);
	assert_int_equal(d.n_drhd, 1);
	/* QEMU lists its devices explicitly rather than setting INCLUDE_PCI_ALL. */
	assert_false(d.include_all);
	assert_int_equal(d.n_ioapic_scopes, 1);
}

static void test_truncated(void **state)
{
	struct gc_dmar d;

	(void)state;
	gc_dmar_parse(real, 60, &d);
	assert_false(d.valid);
	gc_dmar_parse(real, 20, &d);
	assert_false(d.valid);
	assert_string_equal(d.problem, "shorter than the 48-byte DMAR header");
}

static void test_bad_signature(void **state)
{
	uint8_t b[4096];
	struct gc_dmar d;

	(void)state;
	memcpy(b, real, real_len);
	memcpy(b, "APIC", 4);
	gc_dmar_parse(b, real_len, &d);
	assert_false(d.valid);
}

static void set_len(uint8_t *b, size_t off, uint16_t len)
{
	b[off + 2] = len & 0xff;
	b[off + 3] = len >> 8;
}

static void test_zero_and_overlong_structures(void **state)
{
	uint8_t b[4096];
	struct gc_dmar d;

	(void)state;
	memcpy(b, real, real_len);
	set_len(b, 48, 0);
	gc_dmar_parse(b, real_len, &d);
	assert_false(d.valid);
	memcpy(b, real, real_len);
	set_len(b, 48, 0xffff);
	gc_dmar_parse(b, real_len, &d);
	assert_false(d.valid);
	assert_string_equal(d.problem, "remapping structure runs past the table");
}

static void test_header_only(void **state)
{
	uint8_t b[48];
	struct gc_dmar d;

	(void)state;
	memcpy(b, real, 48);
	b[4] = 48, b[5] = b[6] = b[7] = 0;
	gc_dmar_parse(b, 48, &d);
	assert_true(d.valid);
	assert_int_equal(d.n_drhd, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_qemu_table),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_signature),
		cmocka_unit_test(test_zero_and_overlong_structures),
		cmocka_unit_test(test_header_only),
	};

	return cmocka_run_group_tests(tests, load, NULL);
}
