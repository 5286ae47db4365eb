// SPDX-License-Identifier: GPL-2.0-or-later
/* Small text parsers: /proc/interrupts, /proc/cmdline, kernel config, /proc/modules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <errno.h>

#include "probes/cmdline.h"
#include "probes/interrupts.h"
#include "probes/iommu.h"
#include "probes/kconfig.h"
#include "probes/modules.h"

static void test_interrupts_6_1(void **state)
{
	struct gc_interrupts i = { 0 };

	(void)state;
	gc_interrupts_line("           CPU0       CPU1       \n", &i);
	gc_interrupts_line("  0:         45          0   IR-IO-APIC    2-edge      timer\n", &i);
	gc_interrupts_line(" 24:          0          0  IR-PCI-MSI 16384-edge      xhci_hcd\n", &i);
	gc_interrupts_line(" 25:          0          0  DMAR-MSI    0-edge      dmar0\n", &i);
	gc_interrupts_line("NMI:          0          0   Non-maskable interrupts\n", &i);
	assert_int_equal(i.n_lines, 3);
	assert_int_equal(i.n_ir, 2);
	assert_string_equal(i.ir_example, "IR-IO-APIC");
}

static void test_interrupts_6_12_plain(void **state)
{
	struct gc_interrupts i = { 0 };

	(void)state;
	gc_interrupts_line("  1:          9          0   IO-APIC   1-edge      i8042\n", &i);
	gc_interrupts_line(" 24:          0          0  PCI-MSI-0000:00:01.0    0-edge      xhci_hcd\n", &i);
	assert_int_equal(i.n_ir, 0);
	assert_int_equal(i.n_msi_plain, 1);
	assert_int_equal(i.n_ioapic_plain, 1);
}

/* 6.2-6.9 behind a caching-mode IOMMU: 810531a1af53 names the per-device domains "vIR-". */
static void test_interrupts_vir(void **state)
{
	struct gc_interrupts i = { 0 };
	const struct gc_irq_dev *d;

	(void)state;
	gc_interrupts_line("  0:         45          0   IR-IO-APIC    2-edge      timer\n", &i);
	gc_interrupts_line(" 40:          0          0  vIR-PCI-MSI-0000:01:00.0    0-edge      qaic\n", &i);
	gc_interrupts_line(" 41:          0          0  vIR-PCI-MSI-0000:01:00.0    1-edge      qaic\n", &i);
	gc_interrupts_line(" 42:          0          0  PCI-MSI-0000:02:00.0    0-edge      IR-looking-action\n", &i);
	assert_int_equal(i.n_ir, 3);
	assert_int_equal(i.n_msi_plain, 1);
	d = gc_interrupts_dev(&i, "0000:01:00.0");
	assert_non_null(d);
	assert_true(d->remapped);
	assert_int_equal(d->n, 2);
	assert_string_equal(d->chip, "vIR-PCI-MSI-0000:01:00.0");
	d = gc_interrupts_dev(&i, "0000:02:00.0");
	assert_non_null(d);
	assert_false(d->remapped);
	assert_null(gc_interrupts_dev(&i, "0000:03:00.0"));
}

/* drivers/iommu/intel/dmar.c alloc_iommu(): "%s: reg_base_addr %llx ver %d:%d cap %llx ecap %llx". */
static void test_iommu_logged(void **state)
{
	struct gc_iommu_logged l;

	(void)state;
	assert_int_equal(gc_iommu_parse_logged("DMAR: dmar0: reg_base_addr fed90000 ver 1:0 cap d2008c22260286 "
					       "ecap f00f4a", &l), 0);
	assert_string_equal(l.name, "dmar0");
	assert_true(l.cap == 0xd2008c22260286ull);
	assert_true(l.ecap == 0xf00f4aull);
	assert_int_equal(gc_iommu_parse_logged("DMAR: dmar0: reg_base_addr fed90000 ver 1:0 cap zz ecap f42", &l),
			 -EINVAL);
	assert_int_equal(gc_iommu_parse_logged("DMAR: dmar0: reg_base_addr fed90000 ver 1:0 cap 86 ecap f4", &l), 0);
	assert_int_equal(gc_iommu_parse_logged("DMAR: dmar0: reg_base_addr fed90000 ver 1:0 cap 86 ecap f42x", &l),
			 -EINVAL);
	assert_int_equal(gc_iommu_parse_logged("DMAR: dmar0: Using Queued invalidation", &l), -EINVAL);
	assert_int_equal(gc_iommu_parse_logged("DMAR: dmar1: reg_base_addr fed91000 ver 1:0 cap "
					       "ffffffffffffffffff ecap 1", &l), -EINVAL);  /* overflow */
}

static void test_interrupts_hyperv(void **state)
{
	struct gc_interrupts i = { 0 };

	(void)state;
	gc_interrupts_line(" 30:  0  0  Hyper-V PCIe MSI 134742016-edge      qaic\n", &i);
	gc_interrupts_line(" 31:  0  0  HV-PCI-MSI-c1a2:00:00.0 0-edge      qaic_dbc\n", &i);
	assert_int_equal(i.n_hv_msi, 2);
	assert_int_equal(i.n_ir, 0);
	assert_string_equal(i.hv_example, "Hyper-V PCIe MSI");
}

static void test_cmdline(void **state)
{
	struct gc_cmdline c = { 0 };

	(void)state;
	gc_cmdline_parse("BOOT_IMAGE=/vmlinuz ro quiet intremap=on pci=noaer,nomsi "
			 "dyndbg=\"file qaic.c +p\" intremap=off -- single intremap=on", &c);
	assert_string_equal(gc_cmdline_get(&c, "intremap"), "off");  /* last one wins; "--" ends */
	assert_string_equal(gc_cmdline_get(&c, "quiet"), "");
	assert_null(gc_cmdline_get(&c, "single"));
	assert_string_equal(gc_cmdline_get(&c, "dyndbg"), "file qaic.c +p");
	assert_true(gc_cmdline_has_word(&c, "pci", "nomsi"));
	assert_false(gc_cmdline_has_word(&c, "pci", "noms"));
	assert_false(gc_cmdline_has_word(&c, "quiet", "x"));
	gc_cmdline_free(&c);
}

/* The kernel's rules: '-' == '_' in names, prefix-matched words, the last switch wins. */
static int effect(const char *text, enum gc_cmdline_effect e)
{
	struct gc_cmdline c = { 0 };
	int eff[_GC_EFFECT_MAX];

	gc_cmdline_parse(text, &c);
	gc_cmdline_effects(&c, eff);
	gc_cmdline_free(&c);
	return eff[e];
}

static void test_cmdline_kernel_rules(void **state)
{
	struct gc_cmdline c = { 0 };
	char buf[64];
	int eff[_GC_EFFECT_MAX];

	(void)state;
	/* irq_remapping.c setup_irqremap(): every occurrence, words in order, strncmp prefixes. */
	assert_int_equal(effect("ro intremap=off", GC_EFFECT_NO_IRQ_REMAP), 1);
	assert_int_equal(effect("intremap=off quiet intremap=on", GC_EFFECT_NO_IRQ_REMAP), -1);
	assert_int_equal(effect("intremap=on intremap=offx", GC_EFFECT_NO_IRQ_REMAP), 1);
	assert_int_equal(effect("intremap=on,off", GC_EFFECT_NO_IRQ_REMAP), 0);
	assert_int_equal(effect("intremap=nosid", GC_EFFECT_NO_IRQ_REMAP), -1);
	assert_int_equal(effect("nointremap intremap=on", GC_EFFECT_NO_IRQ_REMAP), -1);
	assert_int_equal(effect("intremap=on no-intremap", GC_EFFECT_NO_IRQ_REMAP), -1);  /* '-' is not a name's '_' here: no such param */
	assert_int_equal(effect("intremap=on nointremap", GC_EFFECT_NO_IRQ_REMAP), 1);
	assert_int_equal(effect("intremap", GC_EFFECT_NO_IRQ_REMAP), -1);  /* no value: -EINVAL, no effect */
	/* __setup("intel_iommu="): parameqn, so intel-iommu=off is the same parameter. */
	assert_int_equal(effect("intel-iommu=off", GC_EFFECT_INTEL_IOMMU_OFF), 0);
	assert_int_equal(effect("intel_iommu=off intel_iommu=on", GC_EFFECT_INTEL_IOMMU_OFF), -1);
	assert_int_equal(effect("intel_iommu=igfx_off", GC_EFFECT_INTEL_IOMMU_OFF), -1);
	/* core_param module_blacklist (charp): the last value, exact words. */
	assert_int_equal(effect("module-blacklist=qaic", GC_EFFECT_QAIC_BLOCKED), 0);
	assert_int_equal(effect("module_blacklist=qaic module_blacklist=nouveau", GC_EFFECT_QAIC_BLOCKED), -1);
	assert_int_equal(effect("module_blacklist=qaicx", GC_EFFECT_QAIC_BLOCKED), -1);
	/* kmod: every modprobe.blacklist= adds. */
	assert_int_equal(effect("modprobe.blacklist=qaic modprobe.blacklist=x", GC_EFFECT_QAIC_BLOCKED), 0);
	/* pci_setup(): strcmp per word. */
	assert_int_equal(effect("pci=noaer,nomsi", GC_EFFECT_NO_MSI), 0);
	assert_int_equal(effect("pci=nomsix", GC_EFFECT_NO_MSI), -1);
	assert_int_equal(effect("iommu=pt", GC_EFFECT_IOMMU_OFF), -1);
	assert_int_equal(effect("amd-iommu=off", GC_EFFECT_AMD_IOMMU_OFF), 0);
	assert_int_equal(effect("nolapic=1", GC_EFFECT_NO_LAPIC), 0);

	gc_cmdline_parse("ro intremap=on intremap=off,nosid -- intremap=on", &c);
	gc_cmdline_effects(&c, eff);
	assert_string_equal(gc_cmdline_param_text(&c, eff[GC_EFFECT_NO_IRQ_REMAP], buf, sizeof(buf)),
			    "intremap=off,nosid");
	assert_true(gc_param_eq("intel-iommu", "intel_iommu"));
	assert_false(gc_param_eq("intel_iommu", "intel_iommux"));
	gc_cmdline_free(&c);
}

static void test_kconfig(void **state)
{
	const char *text = "#\n# CONFIG_DRM_ACCEL_QAIC is not set\nCONFIG_IRQ_REMAP=y\n"
			   "CONFIG_PCI_HYPERV=m\nCONFIG_LOCALVERSION=\"\"\nCONFIG_IRQ_REMAP_X=n\n";
	char buf[32];

	(void)state;
	assert_string_equal(gc_kconfig_get(text, "CONFIG_IRQ_REMAP", buf, sizeof(buf)), "y");
	assert_string_equal(gc_kconfig_get(text, "CONFIG_PCI_HYPERV", buf, sizeof(buf)), "m");
	assert_string_equal(gc_kconfig_get(text, "CONFIG_DRM_ACCEL_QAIC", buf, sizeof(buf)), "n");
	assert_null(gc_kconfig_get(text, "CONFIG_MHI_BUS", buf, sizeof(buf)));
	assert_null(gc_kconfig_get(text, "CONFIG_IRQ", buf, sizeof(buf)));
}

static void test_modules(void **state)
{
	char name[16];

	(void)state;
	assert_int_equal(gc_proc_modules_name("pci_hyperv 45056 0 - Live 0x0000000000000000\n", name,
					      sizeof(name)), 0);
	assert_string_equal(name, "pci_hyperv");
	assert_int_equal(gc_proc_modules_name("a_very_long_module_name 1 0", name, sizeof(name)), -EINVAL);
	assert_int_equal(gc_proc_modules_name("\n", name, sizeof(name)), -EINVAL);
	assert_true(gc_modname_eq("pci-hyperv", "pci_hyperv"));
	assert_false(gc_modname_eq("kvm", "kvm_intel"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interrupts_6_1),
		cmocka_unit_test(test_interrupts_6_12_plain),
		cmocka_unit_test(test_interrupts_hyperv),
		cmocka_unit_test(test_interrupts_vir),
		cmocka_unit_test(test_iommu_logged),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_cmdline_kernel_rules),
		cmocka_unit_test(test_kconfig),
		cmocka_unit_test(test_modules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
