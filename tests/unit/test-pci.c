// SPDX-License-Identifier: GPL-2.0-or-later
/* PCI probe on small trees: msi_irqs counting, and libpci kept away from FIFOs and escaping links. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probes/pci.h"

static char dir[64];

static void sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/gc-pci-XXXXXX");
	assert_non_null(mkdtemp(dir));
	sh("cd %s && d=sys/devices/pci0000:00/0000:00:01.0 && mkdir -p $d/msi_irqs sys/bus/pci/devices && "
	   "ln -s ../../../devices/pci0000:00/0000:00:01.0 sys/bus/pci/devices/0000:00:01.0 && "
	   "echo msi > $d/msi_irqs/24 && echo msix > $d/msi_irqs/25 && printf '\\377' > $d/msi_irqs/26 && "
	   "echo 0x1033 > $d/vendor && echo 0x0194 > $d/device && echo 0x0c0330 > $d/class && "
	   "echo 0 > $d/irq && for i in 1 2 3 4 5 6 7; do echo '0x0 0x0 0x0'; done > $d/resource", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sh("rm -rf %s", dir);
	return 0;
}

static void test_msi_irqs(void **state)
{
	unsigned msi = 9, msix = 9, other = 9;
	struct gc_root r;

	(void)state;
	assert_int_equal(gc_root_open(&r, dir), 0);
	assert_int_equal(gc_msi_irqs_read(&r, "0000:00:01.0", &msi, &msix, &other), 0);
	assert_int_equal(msi, 1);
	assert_int_equal(msix, 1);
	assert_int_equal(other, 1);
	assert_int_equal(gc_msi_irqs_read(&r, "0000:00:02.0", &msi, &msix, &other), -ENOENT);
	/* Before 3.13 (1c51b50c2995) each entry was a kobject directory holding "mode". */
	sh("cd %s/sys/devices/pci0000:00/0000:00:01.0/msi_irqs && rm 24 && mkdir 24 27 && echo msi > 24/mode && "
	   "echo msi > 27/mode", dir);
	assert_int_equal(gc_msi_irqs_read(&r, "0000:00:01.0", &msi, &msix, &other), 0);
	assert_int_equal(msi, 2);
	assert_int_equal(msix, 1);
	assert_int_equal(other, 1);
	gc_root_close(&r);
}

static void test_probe_finds_extra_id(void **state)
{
	const struct gc_pci_id standin = { 0x1033, 0x0194, "stand-in" };
	struct gc_pci_facts f;
	struct gc_root r;

	(void)state;
	assert_int_equal(gc_root_open(&r, dir), 0);
	gc_pci_probe(&r, &standin, &f);
	assert_int_equal(f.err, 0);
	assert_int_equal(f.n_all, 1);
	assert_int_equal(f.n_devs, 1);
	assert_string_equal(f.devs[0].f.addr, "0000:00:01.0");
	assert_int_equal(f.devs[0].f.class, 0x0c0330);
	assert_int_equal(f.devs[0].cfg_err, -ENOENT);  /* no config file in this tree */
	assert_null(f.devs[0].driver);
	gc_pci_facts_free(&f);
	gc_pci_probe(&r, NULL, &f);
	assert_int_equal(f.n_devs, 0);  /* not a card without --device-id */
	gc_pci_facts_free(&f);
	gc_root_close(&r);
}

/*
 * Functions that are no card are identified from the three attributes the
 * kernel writes as "0x%04x\n" / "0x%06x\n" (drivers/pci/pci-sysfs.c
 * pci_config_attr), parsed as libpci's sysfs_get_value() does: the same
 * values whether or not libpci is shown the function, and nothing else of
 * theirs is needed (a missing resource or irq breaks nothing).
 */
static void test_probe_other_functions_without_libpci(void **state)
{
	const struct gc_pci_id standin = { 0x1033, 0x0194, "stand-in" };
	struct gc_pci_facts f;
	struct gc_root r;

	(void)state;
	sh("cd %s && d=sys/devices/pci0000:00/0000:00:00.0 && mkdir -p $d && "
	   "ln -s ../../../devices/pci0000:00/0000:00:00.0 sys/bus/pci/devices/0000:00:00.0 && "
	   "echo 0x8086 > $d/vendor && echo 0x29c0 > $d/device && echo 0x060000 > $d/class", dir);
	assert_int_equal(gc_root_open(&r, dir), 0);
	gc_pci_probe(&r, &standin, &f);
	assert_int_equal(f.err, 0);
	assert_int_equal(f.n_all, 2);
	assert_int_equal(f.n_devs, 1);
	assert_string_equal(f.all[0].addr, "0000:00:00.0");
	assert_int_equal(f.all[0].vendor, 0x8086);
	assert_int_equal(f.all[0].device, 0x29c0);
	assert_int_equal(f.all[0].class, 0x060000);
	assert_string_equal(f.all[1].addr, "0000:00:01.0");
	assert_int_equal(f.all[1].class, 0x0c0330);
	gc_pci_facts_free(&f);
	/* The same function, not a card this time: the same identity. */
	gc_pci_probe(&r, NULL, &f);
	assert_int_equal(f.n_all, 2);
	assert_int_equal(f.n_devs, 0);
	assert_string_equal(f.all[1].addr, "0000:00:01.0");
	assert_int_equal(f.all[1].vendor, 0x1033);
	assert_int_equal(f.all[1].device, 0x0194);
	assert_int_equal(f.all[1].class, 0x0c0330);
	gc_pci_facts_free(&f);
	gc_root_close(&r);
	sh("rm -rf %s/sys/devices/pci0000:00/0000:00:00.0 %s/sys/bus/pci/devices/0000:00:00.0", dir, dir);
}

/*
 * libpci never sees the tree: it reads a private view filled through the
 * file layer. A FIFO is left out of the view instead of blocking libpci, an
 * absolute link resolves inside the tree, and a function without vendor
 * keeps the rest of the bus visible.
 */
static void test_probe_refuses_fifo_and_escape(void **state)
{
	struct gc_pci_facts f;
	struct gc_root r;

	(void)state;
	sh("cd %s/sys/devices/pci0000:00/0000:00:01.0 && mv irq irq.real && mkfifo irq", dir);
	assert_int_equal(gc_root_open(&r, dir), 0);
	gc_pci_probe(&r, NULL, &f);
	assert_int_equal(f.err, 0);        /* irq is not needed; the FIFO never reached libpci */
	assert_int_equal(f.n_all, 1);
	gc_pci_facts_free(&f);
	sh("cd %s/sys/devices/pci0000:00/0000:00:01.0 && mv vendor vendor.real && mkfifo vendor", dir);
	gc_pci_probe(&r, NULL, &f);
	assert_int_equal(f.err, 0);
	assert_int_equal(f.n_all, 0);      /* unidentifiable: left out and named */
	assert_int_equal(f.n_skipped, 1);
	assert_string_equal(f.skipped[0], "0000:00:01.0");
	gc_pci_facts_free(&f);
	sh("cd %s/sys/devices/pci0000:00/0000:00:01.0 && rm irq vendor && mv irq.real irq && mv vendor.real vendor && "
	   "ln -sfn /sys/devices/pci0000:00/0000:00:01.0 %s/sys/bus/pci/devices/0000:00:01.0", dir, dir);
	gc_pci_probe(&r, NULL, &f);
	assert_int_equal(f.err, 0);        /* the absolute link leads to the tree's own directory */
	assert_int_equal(f.n_all, 1);
	assert_int_equal(f.all[0].vendor, 0x1033);
	gc_pci_facts_free(&f);
	gc_root_close(&r);
	assert_int_equal(gc_root_open(&r, "/tmp"), 0);
	gc_pci_probe(&r, NULL, &f);
	assert_int_equal(f.err, -ENOENT);
	gc_pci_facts_free(&f);
	gc_root_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msi_irqs),
		cmocka_unit_test(test_probe_finds_extra_id),
		cmocka_unit_test(test_probe_other_functions_without_libpci),
		cmocka_unit_test(test_probe_refuses_fifo_and_escape),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
