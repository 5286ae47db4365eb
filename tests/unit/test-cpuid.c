// SPDX-License-Identifier: GPL-2.0-or-later
/* CPUID replay parsing and the hypervisor leaf scan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probes/cpuid.h"

static struct gc_cpuid decode(const char *text)
{
	struct gc_cpuid_table t;
	struct gc_cpuid c = { 0 };

	assert_int_equal(gc_cpuid_table_parse(text, &t), 0);
	gc_cpuid_decode(gc_cpuid_table_lookup, &t, &c);
	gc_cpuid_table_free(&t);
	return c;
}

/* Captured in the e2e guest (QEMU TCG). */
static const char *tcg =
	"CPU 0:\n"
	"   0x00000000 0x00: eax=0x0000000d ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n"
	"   0x00000001 0x00: eax=0x00060fb1 ebx=0x00020800 ecx=0x80002001 edx=0x178bfbfd\n"
	"   0x40000000 0x00: eax=0x40000001 ebx=0x54474354 ecx=0x43544743 edx=0x47435447\n";

static void test_parse_line(void **state)
{
	struct gc_cpuid_regs r;
	uint32_t leaf;

	(void)state;
	assert_int_equal(gc_cpuid_parse_line("   0x40000000 0x00: eax=0x40000001 ebx=0x1 ecx=0x2 edx=0x3",
					     &leaf, &r), 0);
	assert_int_equal(leaf, 0x40000000);
	assert_int_equal(r.eax, 0x40000001);
	assert_int_equal(r.edx, 3);
	assert_int_equal(gc_cpuid_parse_line("   0x00000007 0x01: eax=0 ebx=0 ecx=0 edx=0", &leaf, &r), -EINVAL);
	assert_int_equal(gc_cpuid_parse_line("CPU 0:", &leaf, &r), -EINVAL);
	assert_int_equal(gc_cpuid_parse_line("garbage", &leaf, &r), -EINVAL);
}

static void test_tcg(void **state)
{
	struct gc_cpuid c = decode(tcg);

	(void)state;
	assert_true(c.hv_bit);
	assert_string_equal(c.vendor, "AuthenticAMD");
	assert_int_equal(c.n_hv, 1);
	assert_string_equal(c.hv[0].sig, "TCGTCGTCGTCG");
}

static void test_kvm_behind_hyperv(void **state)
{
	/* QEMU/KVM with hv-* flags: Hyper-V at 0x40000000 (max leaf 0x4000000b), KVM at 0x40000100. */
	struct gc_cpuid c = decode(
		"   0x00000001 0x00: eax=0 ebx=0 ecx=0x80000000 edx=0\n"
		"   0x40000000 0x00: eax=0x4000000b ebx=0x7263694d ecx=0x666f736f edx=0x76482074\n"
		"   0x40000100 0x00: eax=0x40000101 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n");

	(void)state;
	assert_int_equal(c.n_hv, 2);
	assert_string_equal(c.hv[0].sig, "Microsoft Hv");
	assert_string_equal(c.hv[1].sig, "KVMKVMKVM");
	assert_int_equal(c.hv[1].base, 0x40000100);
}

static void test_garbage_past_last_leaf(void **state)
{
	/* QEMU -cpu max answers 0x40000100 with another leaf's data (EAX 0x21f). */
	struct gc_cpuid c = decode(
		"   0x00000001 0x00: eax=0 ebx=0 ecx=0x80000000 edx=0\n"
		"   0x40000000 0x00: eax=0x40000001 ebx=0x54474354 ecx=0x43544743 edx=0x47435447\n"
		"   0x40000100 0x00: eax=0x0000021f ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n");

	(void)state;
	assert_int_equal(c.n_hv, 1);
}

static void test_first_cpu_only(void **state)
{
	struct gc_cpuid_table t;

	(void)state;
	assert_int_equal(gc_cpuid_table_parse(
		"CPU 0:\n   0x00000000 0x00: eax=0x1 ebx=0 ecx=0 edx=0\n"
		"CPU 1:\n   0x00000000 0x00: eax=0x2 ebx=0 ecx=0 edx=0\n", &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.e[0].r.eax, 1);
	gc_cpuid_table_free(&t);
	assert_int_equal(gc_cpuid_table_parse("nothing here\n", &t), -EBADMSG);
	gc_cpuid_table_free(&t);
	assert_int_equal(gc_cpuid_table_parse("CPU 0:\n\n", &t), -EINVAL);
	gc_cpuid_table_free(&t);
}

/*
 * Damage makes the replay unknown, never a smaller table: a dropped leaf 1
 * line read as "hypervisor bit clear" turned a VM into bare metal.
 */
static void test_damage_is_unknown(void **state)
{
	static const char *const bad[] = {
		"   0x00000001 0x00: eax=0x00060fb1 ebx=0x00020800 ecx=0x8000200g edx=0x178bfbfd\n",  /* bad digit */
		"   0x00000001 0x00: eax=0x00060fb1 ebx=0x00020800 ecx=0x180002001 edx=0x178bfbfd\n", /* 33 bits */
		"   0x00000001 0x00: eax=0x00060fb1 ebx=0x00020800 ecx=-0x1 edx=0x178bfbfd\n",         /* sign */
		"   0x00000001 0x00: eax=0x00060fb1 ebx=0x00020800 ecx=0x80002001\n",                   /* edx gone */
		"   0x00000001 0x00: eax=0x00060fb1 ebx=0x00020800 ecx=0x80002001 edx=0x1 extra\n",     /* trailing */
		"   0x0000000x 0x00: eax=0 ebx=0 ecx=0 edx=0\n",                                        /* leaf */
		/* twice: one element holding two lines, not two elements */
		"   0x00000001 0x00: eax=0 ebx=0 ecx=0x80000000 edx=0\n   0x00000001 0x00: eax=0 ebx=0 ecx=0 edx=0\n",
	};
	struct gc_cpuid_table t;
	char text[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "CPU 0:\n   0x00000000 0x00: eax=0xd ebx=0 ecx=0 edx=0\n%s", bad[i]);
		assert_int_equal(gc_cpuid_table_parse(text, &t), -EBADMSG);
		assert_int_equal(t.bad_line, i == sizeof(bad) / sizeof(bad[0]) - 1 ? 4 : 3);
		gc_cpuid_table_free(&t);
	}
	/* Subleaves other than 0 are real `cpuid -r` lines: read, not used, no damage. */
	assert_int_equal(gc_cpuid_table_parse("CPU 0:\n   0x00000007 0x01: eax=0 ebx=0 ecx=0 edx=0\n"
					      "   0x00000001 0x00: eax=0 ebx=0 ecx=0x80000000 edx=0\n", &t), 0);
	assert_int_equal(t.n, 1);
	gc_cpuid_table_free(&t);
}

/* A replay without leaf 1 says nothing about the hypervisor bit. */
static void test_probe_without_leaf1(void **state)
{
	char dir[] = "/tmp/gc-cpuid-XXXXXX", path[64];
	struct gc_cpuid c;
	struct gc_root r;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dev", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	strcat(path, "/cpuid");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("CPU 0:\n   0x00000000 0x00: eax=0x0000000d ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n", f);
	fclose(f);
	assert_int_equal(gc_root_open(&r, dir), 0);
	gc_cpuid_probe(&r, &c);
	assert_int_equal(c.err, -ENODATA);
	assert_false(c.leaf1);
	f = fopen(path, "a");
	fputs("   0x00000001 0x00: eax=0x00060fb1 ebx=0x00020800 ecx=0x80002001 edx=0x178bfbfd junk\n", f);
	fclose(f);
	gc_cpuid_probe(&r, &c);
	assert_int_equal(c.err, -EBADMSG);
	assert_string_equal(c.problem, "line 3 is not a `cpuid -r` line");
	gc_root_close(&r);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	rmdir(dir);
}

static void test_no_hypervisor_bit(void **state)
{
	struct gc_cpuid c = decode("   0x00000001 0x00: eax=0 ebx=0 ecx=0x00002001 edx=0\n");

	(void)state;
	assert_false(c.hv_bit);
	assert_int_equal(c.n_hv, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_line),
		cmocka_unit_test(test_damage_is_unknown),
		cmocka_unit_test(test_probe_without_leaf1),
		cmocka_unit_test(test_tcg),
		cmocka_unit_test(test_kvm_behind_hyperv),
		cmocka_unit_test(test_garbage_past_last_leaf),
		cmocka_unit_test(test_first_cpu_only),
		cmocka_unit_test(test_no_hypervisor_bit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
