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
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_kconfig),
		cmocka_unit_test(test_modules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
