// SPDX-License-Identifier: GPL-2.0-or-later
/* Hyper-V fix evidence: version table with every threshold, kallsyms lines, package facts, drop-in table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checker/checks/hvfixes.h"
#include "probes/kernelpkg.h"

static enum gc_fix_state by_version(const char *up, const char *base, enum gc_fix fix)
{
	struct gc_kversion u, b;
	char why[256];

	if (up)
		assert_int_equal(gc_kversion_parse(up, &u), 0);
	if (base)
		assert_int_equal(gc_kversion_parse(base, &b), 0);
	return gc_fix_by_version(up ? &u : NULL, base ? &b : NULL, fix, why, sizeof(why));
}

static void test_stable_thresholds(void **state)
{
	static const char *const at[] = { "5.18.15", "5.15.58", "5.10.134", "5.4.208", "4.19.254", "4.14.290" };
	static const char *const below[] = { "5.18.14", "5.15.57", "5.10.133", "5.4.207", "4.19.253", "4.14.289" };
	size_t i;
	int fix;

	(void)state;
	for (i = 0; i < 6; i++)
		for (fix = 0; fix < GC_FIX_REQUIRED; fix++) {
			assert_int_equal(by_version(at[i], at[i], fix), GC_FIX_PRESENT);
			assert_int_equal(by_version(below[i], below[i], fix), GC_FIX_ABSENT);
		}
}

static void test_mainline_and_unfixed_branches(void **state)
{
	(void)state;
	assert_int_equal(by_version("5.19.0-rc1", "5.19.0-rc1", GC_FIX_MULTI_MSI), GC_FIX_PRESENT);
	assert_int_equal(by_version("6.12.117", "6.12.117", GC_FIX_MAPPING), GC_FIX_PRESENT);
	assert_int_equal(by_version("5.17.15", "5.17.15", GC_FIX_MULTI_MSI), GC_FIX_ABSENT);
	assert_int_equal(by_version("5.16.20", "5.16.20", GC_FIX_UNMASK), GC_FIX_ABSENT);
	assert_int_equal(by_version("4.9.337", "4.9.337", GC_FIX_MULTI_MSI), GC_FIX_ABSENT);
	/* A distribution kernel below 5.19 without its upstream version: nothing decided. */
	assert_int_equal(by_version(NULL, "5.15.0-91-generic", GC_FIX_MULTI_MSI), GC_FIX_UNKNOWN);
	assert_int_equal(by_version(NULL, "5.14.0-362.el9", GC_FIX_MAPPING), GC_FIX_UNKNOWN);
	/* ... but one based on 5.19 or later has them in its base. */
	assert_int_equal(by_version(NULL, "6.1.0-56-amd64", GC_FIX_MULTI_MSI), GC_FIX_PRESENT);
	/* The upstream version wins over the release string. */
	assert_int_equal(by_version("6.12.117", "5.15.58", GC_FIX_MAPPING), GC_FIX_PRESENT);
}

static void test_followup(void **state)
{
	(void)state;
	assert_int_equal(by_version("6.1.0", "6.1.0", GC_FIX_FOLLOWUP), GC_FIX_PRESENT);
	assert_int_equal(by_version(NULL, "6.1.0-56-amd64", GC_FIX_FOLLOWUP), GC_FIX_PRESENT);
	assert_int_equal(by_version("6.1.0-rc4", "6.1.0-rc4", GC_FIX_FOLLOWUP), GC_FIX_UNKNOWN);
	assert_int_equal(by_version("6.0.11", "6.0.11", GC_FIX_FOLLOWUP), GC_FIX_PRESENT);
	assert_int_equal(by_version("6.0.10", "6.0.10", GC_FIX_FOLLOWUP), GC_FIX_ABSENT);
	assert_int_equal(by_version("5.19.17", "5.19.17", GC_FIX_FOLLOWUP), GC_FIX_ABSENT);
	assert_int_equal(by_version("5.15.80", "5.15.80", GC_FIX_FOLLOWUP), GC_FIX_UNKNOWN);
}

static void test_evidence_order(void **state)
{
	struct gc_kversion base;
	bool found[_GC_FIX_MAX] = { false, true, false, false, false };
	struct gc_kallsyms k = { .driver = true, .hv_msi_prepare = false };
	struct gc_fixentry e = { .glob = "5.15.0-*-azure", .commit = "a2bad844a67b", .present = true,
				 .source = "test", .file = "t.conf:1" };
	struct gc_fixtable table = { .e = &e, .n = 1 };
	struct gc_fix_result res[_GC_FIX_MAX];
	struct gc_fix_inputs in = {
		.runtime = 1, .runtime_how = "got 32", .changelog = "changelog.gz", .changelog_found = found,
		.base = &base, .ksyms = &k, .table = &table, .release = "5.15.0-1049-azure",
	};

	(void)state;
	gc_kversion_parse(in.release, &base);
	gc_fixes_decide(&in, res);
	assert_int_equal(res[GC_FIX_MULTI_MSI].state, GC_FIX_PRESENT);   /* runtime beats symbols */
	assert_non_null(strstr(res[GC_FIX_MULTI_MSI].how, "runtime"));
	assert_int_equal(res[GC_FIX_UNMASK].state, GC_FIX_PRESENT);      /* changelog */
	assert_non_null(strstr(res[GC_FIX_UNMASK].how, "changelog.gz"));
	assert_int_equal(res[GC_FIX_REUSE_IRTE].state, GC_FIX_UNKNOWN);  /* nothing says */
	assert_int_equal(res[GC_FIX_MAPPING].state, GC_FIX_PRESENT);     /* the table */
	assert_non_null(strstr(res[GC_FIX_MAPPING].how, "t.conf:1"));
	in.runtime = -1;
	gc_fixes_decide(&in, res);
	assert_int_equal(res[GC_FIX_MULTI_MSI].state, GC_FIX_ABSENT);    /* symbols on a 5.15 base */
	in.runtime = 0;
	in.runtime_how = "fell back";
	gc_fixes_decide(&in, res);
	assert_int_equal(res[GC_FIX_MULTI_MSI].state, GC_FIX_ABSENT);
	/* The follow-up's lock is only listed with CONFIG_KALLSYMS_ALL: its absence proves nothing otherwise. */
	assert_int_equal(res[GC_FIX_FOLLOWUP].state, GC_FIX_UNKNOWN);
	in.kallsyms_all = true;
	gc_fixes_decide(&in, res);
	assert_int_equal(res[GC_FIX_FOLLOWUP].state, GC_FIX_ABSENT);
}

static void test_kallsyms_lines(void **state)
{
	struct gc_ksym s;

	(void)state;
	assert_int_equal(gc_kallsyms_parse_line("ffffffffc0a01230 t hv_msi_prepare\t[pci_hyperv]\n", &s), 0);
	assert_string_equal(s.name, "hv_msi_prepare");
	assert_string_equal(s.module, "pci_hyperv");
	assert_int_equal(s.type, 't');
	assert_int_equal(gc_kallsyms_parse_line("0000000000000000 T startup_64\n", &s), 0);
	assert_string_equal(s.module, "");
	assert_int_equal(s.addr, 0);
	assert_int_equal(gc_kallsyms_parse_line("0000000000000000 d multi_msi_cpu_lock.12\t[pci_hyperv]", &s), 0);
	assert_int_equal(gc_kallsyms_parse_line("garbage line\n", &s), -EINVAL);
	assert_int_equal(gc_kallsyms_parse_line("zz t name\n", &s), -EINVAL);
	assert_int_equal(gc_kallsyms_parse_line("00 t name notbracketed\n", &s), -EINVAL);
	assert_int_equal(gc_kallsyms_parse_line("\n", &s), -EINVAL);
}

/* A full symbol table runs to 100,000s of lines: it is streamed, never held, and read to its end. */
static void test_kallsyms_streamed(void **state)
{
	char dir[] = "/tmp/gc-kallsyms-XXXXXX", path[128];
	struct gc_kallsyms k;
	struct gc_root r;
	FILE *f;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/proc", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/kallsyms", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	for (i = 0; i < 300000; i++)
		fprintf(f, "0000000000000000 t filler_symbol_%d\n", i);
	fprintf(f, "0000000000000000 t hv_compose_msi_msg\t[pci_hyperv]\n");
	fprintf(f, "0000000000000000 d multi_msi_cpu_lock.7\t[pci_hyperv]\n");
	fclose(f);
	assert_int_equal(gc_root_open(&r, dir), 0);
	assert_int_equal(gc_kallsyms_probe(&r, &k), 0);
	assert_int_equal(k.err, 0);
	assert_int_equal(k.lines, 300002);
	assert_true(k.driver);
	assert_true(k.driver_is_module);
	assert_true(k.multi_msi_cpu_lock);
	assert_false(k.hv_msi_prepare);
	gc_root_close(&r);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc", dir);
	rmdir(path);
	rmdir(dir);
}

static void test_upstream_version(void **state)
{
	struct gc_kernelpkg k = { 0 };
	const char *src = NULL;
	char buf[32];

	(void)state;
	assert_null(gc_upstream_version(&k, buf, sizeof(buf), &src));
	k.version_signature = "Ubuntu 5.15.0-91.101-generic 5.15.131";
	assert_string_equal(gc_upstream_version(&k, buf, sizeof(buf), &src), "5.15.131");
	assert_string_equal(src, "/proc/version_signature");
	k.version_signature = NULL;
	k.proc_version = "Linux version 6.12.117+deb12-amd64 (debian-kernel@lists.debian.org) "
			 "(x86_64-linux-gnu-gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0) #1 SMP PREEMPT_DYNAMIC "
			 "Debian 6.12.117-1~deb12u1 (2026-11-14)";
	assert_string_equal(gc_upstream_version(&k, buf, sizeof(buf), &src), "6.12.117");
	k.proc_version = "Linux version 5.14.0-362.el9.x86_64 (mockbuild@x) (gcc (GCC) 11.4.1) #1 SMP";
	assert_null(gc_upstream_version(&k, buf, sizeof(buf), &src));
}

/* Newest entry first: the first line naming a fix decides, so a later revert takes it out. */
static void test_changelog_reverts(void **state)
{
	static const char *const subj[] = { "PCI: hv: Fix multi-MSI to allow more than one MSI vector",
					    "PCI: hv: Reuse existing IRTE allocation in compose_msi_msg()" };
	static const char *const log[] = {
		"  * Revert \"PCI: hv: Reuse existing IRTE allocation in compose_msi_msg()\"\n",
		"linux (5.15.0-50.56) jammy; urgency=medium\n",
		"    - PCI: hv: Reuse existing IRTE allocation in compose_msi_msg()\n",
		"    - PCI: hv: Fix multi-MSI to allow more than one MSI vector\n",
		"  * Revert \"PCI: hv: Fix multi-MSI to allow more than one MSI vector\"\n",
	};
	bool found[2] = { false, false }, decided[2] = { false, false };
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		gc_changelog_match(log[i], subj, 2, found, decided);
	assert_true(found[0]);   /* added after an older revert: in */
	assert_false(found[1]);  /* reverted after it went in: out */
	assert_true(decided[0] && decided[1]);
	found[0] = decided[0] = false;
	gc_changelog_match("    - x86: unrelated fix\n", subj, 2, found, decided);
	assert_false(decided[0]);
}

static void test_fixtable_lines(void **state)
{
	struct gc_fixentry e;

	(void)state;
	assert_int_equal(gc_fixtable_parse_line("# comment\n", &e), 0);
	assert_int_equal(gc_fixtable_parse_line("   \n", &e), 0);
	assert_int_equal(gc_fixtable_parse_line("5.15.0-*-azure all present https://example/changelog\n", &e), 1);
	assert_string_equal(e.glob, "5.15.0-*-azure");
	assert_string_equal(e.commit, "all");
	assert_true(e.present);
	assert_string_equal(e.source, "https://example/changelog");
	free(e.glob), free(e.commit), free(e.source);
	assert_int_equal(gc_fixtable_parse_line("5.15.0-1 08e61e861a0e47e5 absent vendor advisory 12\n", &e), 1);
	assert_string_equal(e.commit, "08e61e861a0e");
	assert_false(e.present);
	free(e.glob), free(e.commit), free(e.source);
	assert_int_equal(gc_fixtable_parse_line("5.15.0-1 all present\n", &e), -EINVAL);    /* no source */
	assert_int_equal(gc_fixtable_parse_line("5.15.0-1 all maybe src\n", &e), -EINVAL);
	assert_int_equal(gc_fixtable_parse_line("5.15.0-1 08e61e present src\n", &e), -EINVAL);  /* short ID */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stable_thresholds),
		cmocka_unit_test(test_mainline_and_unfixed_branches),
		cmocka_unit_test(test_followup),
		cmocka_unit_test(test_evidence_order),
		cmocka_unit_test(test_kallsyms_lines),
		cmocka_unit_test(test_kallsyms_streamed),
		cmocka_unit_test(test_upstream_version),
		cmocka_unit_test(test_fixtable_lines),
		cmocka_unit_test(test_changelog_reverts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
