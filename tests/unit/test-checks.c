// SPDX-License-Identifier: GPL-2.0-or-later
/* Verdict logic of every check, on facts built in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <errno.h>

#include "checker/registry.h"

static struct gc_facts f;
static struct gc_pci_dev dev[2];
static struct gc_dev_module devmod[2];
static struct gc_options o;
static struct gc_iommu_unit units[1];
static char *kmsg_lines[4];

/* Replace the command line (raw text owned, as the probe leaves it). */
static void cmdline(const char *text)
{
	gc_cmdline_free(&f.cmdline);
	gc_cmdline_parse(text, &f.cmdline);
	f.cmdline.raw = strdup(text);
}

static int reset(void **state)
{
	(void)state;
	gc_cmdline_free(&f.cmdline);
	memset(&f, 0, sizeof(f));
	memset(dev, 0, sizeof(dev));
	memset(devmod, 0, sizeof(devmod));
	memset(units, 0, sizeof(units));
	o = (struct gc_options){ .expect_devices = -1 };
	f.pci.devs = dev;
	f.dev_mod = devmod;
	f.kmsg.lines = kmsg_lines;
	f.mods.release = "6.12.117+deb12-amd64";
	gc_kversion_parse(f.mods.release, &f.kver);
	f.platform.hv = GC_HV_KVM;
	f.kconfig.err = -ENOENT;
	cmdline("ro quiet");
	return 0;
}

static void card(size_t i, const char *driver, unsigned msi)
{
	struct gc_pci_dev *d = &dev[i];

	memset(d, 0, sizeof(*d));
	snprintf(d->f.addr, sizeof(d->f.addr), "0000:%02zx:00.0", i + 6);
	d->f.vendor = 0x17cb;
	d->f.device = 0xa100;
	d->name = "Cloud AI 100";
	d->driver = (char *)driver;
	d->cfg_len = 4096;
	d->caps.msi = (struct gc_msi_cap){ .state = GC_CAP_FOUND, .offset = 0x50, .capable = 32,
					   .enabled_n = msi > 1 ? 32 : 1, .enabled = msi > 0 };
	d->n_msi = msi;
	d->msi_irqs_err = msi ? 0 : -ENOENT;
	f.pci.n_devs = i + 1;
}

static struct gc_result run(void (*fn)(const struct gc_facts *, const struct gc_options *,
				       struct gc_result *))
{
	static const struct gc_check c = { "test", "test", NULL };
	struct gc_result r = { .check = &c };

	fn(&f, &o, &r);
	assert_true(r.decided);
	return r;
}

static bool evidence_has(const struct gc_result *r, const char *text)
{
	size_t i;

	for (i = 0; i < r->n_ev; i++)
		if (strstr(r->ev[i].value, text) || strstr(r->ev[i].source, text))
			return true;
	return false;
}

#define EXPECT(fn, st) do { \
	struct gc_result r_ = run(fn); \
	assert_string_equal(gc_status_name(r_.status), gc_status_name(st)); \
	gc_result_free(&r_); \
} while (0)

static void test_msi_32_pass(void **state)
{
	(void)state;
	card(0, "qaic", 32);
	EXPECT(check_device_msi, GC_PASS);
}

static void test_msi_fallback_fail(void **state)
{
	struct gc_result r;

	(void)state;
	card(0, "qaic", 1);
	kmsg_lines[0] = "qaic 0000:06:00.0: Allocating 32 MSIs failed, operating in 1 MSI mode. Performance may be impacted.";
	f.kmsg.n = 1;
	r = run(check_device_msi);
	assert_int_equal(r.status, GC_FAIL);
	assert_true(evidence_has(&r, "operating in 1 MSI mode"));
	assert_non_null(strstr(r.summary, "qaic fell back to 1 MSI"));
	assert_non_null(strstr(r.remedy, "iommu.interrupt-remapping"));
	gc_result_free(&r);
}

static void test_msi_other_device_log_ignored(void **state)
{
	struct gc_result r;

	(void)state;
	card(0, "qaic", 32);
	kmsg_lines[0] = "qaic 0000:99:00.0: Allocating 32 MSIs failed, operating in 1 MSI mode.";
	f.kmsg.n = 1;
	r = run(check_device_msi);
	assert_int_equal(r.status, GC_PASS);
	assert_false(evidence_has(&r, "MSI mode"));
	gc_result_free(&r);
}

/* A bound qaic asks with min == max: more than one vector is what it asked for, whatever the release. */
static void test_msi_kernel_versions(void **state)
{
	(void)state;
	card(0, "qaic", 17);
	EXPECT(check_device_msi, GC_PASS);  /* 6.12 release with the 17-vector request backported */
	f.mods.release = "6.15.0";
	gc_kversion_parse(f.mods.release, &f.kver);
	EXPECT(check_device_msi, GC_PASS);
	card(0, "qaic", 32);
	EXPECT(check_device_msi, GC_PASS);
	card(0, "qaic", 17);
	o.msi_vectors = 32;
	EXPECT(check_device_msi, GC_FAIL);  /* --msi-vectors overrides */
	o.msi_vectors = 0;
	card(0, "vfio-pci", 17);
	EXPECT(check_device_msi, GC_FAIL);  /* not qaic: held to the guide's 32 */
}

/* 1-MSI mode: the only mode Xen HVM and VMware offer (warn); a fault on KVM and Hyper-V (fail). */
static void test_msi_one_msi_by_platform(void **state)
{
	struct gc_result r;

	(void)state;
	card(0, "qaic", 1);
	kmsg_lines[0] = "qaic 0000:06:00.0: Allocating 32 MSIs failed, operating in 1 MSI mode. Performance may be impacted.";
	f.kmsg.n = 1;
	EXPECT(check_device_msi, GC_FAIL);
	f.platform.hv = GC_HV_HYPERV;
	EXPECT(check_device_msi, GC_FAIL);
	f.platform.hv = GC_HV_VMWARE;
	EXPECT(check_device_msi, GC_WARN);
	f.platform.hv = GC_HV_XEN;
	r = run(check_device_msi);
	assert_int_equal(r.status, GC_WARN);
	assert_non_null(strstr(r.remedy, "permissive=1"));
	gc_result_free(&r);
	/* Xen 5.17 until 6c796996ee70: no msi_irqs/ though a vector is allocated. */
	dev[0].n_msi = 0;
	dev[0].msi_irqs_err = -ENOENT;
	EXPECT(check_device_msi, GC_WARN);   /* the log says 1-MSI mode */
	f.kmsg.n = 0;
	r = run(check_device_msi);
	assert_int_equal(r.status, GC_UNKNOWN);  /* absent is not zero */
	assert_true(evidence_has(&r, "6c796996ee70"));
	gc_result_free(&r);
	/* 6.4-6.7 on Xen: the probe fails below 32; that driver cannot run there. */
	card(0, NULL, 0);
	kmsg_lines[0] = "qaic 0000:06:00.0: init_msi: Requested 32 MSIs. Obtained 1 MSIs which is less than the 32 required.";
	f.kmsg.n = 1;
	r = run(check_device_msi);
	assert_int_equal(r.status, GC_FAIL);
	assert_non_null(strstr(r.remedy, "Linux 6.8"));
	gc_result_free(&r);
}

/* Config space that could not be read says nothing about Multiple Message Capable. */
static void test_msi_unreadable_config(void **state)
{
	struct gc_result r;

	(void)state;
	card(0, "qaic", 1);
	dev[0].cfg_err = -EIO;
	dev[0].cfg_len = 0;
	dev[0].caps.msi = (struct gc_msi_cap){ .state = GC_CAP_FOUND, .capable = 1 };
	r = run(check_device_msi);
	assert_null(r.remedy ? strstr(r.remedy, "Multiple Message Capable") : NULL);
	assert_null(strstr(r.summary, "advertises"));
	gc_result_free(&r);
	card(0, NULL, 0);
	dev[0].cfg_err = -EIO;
	f.irqs.n_lines = 10;
	f.irqs.n_ir = 3;
	r = run(check_device_msi);
	assert_int_equal(r.status, GC_UNKNOWN);
	assert_null(strstr(r.summary, "advertises"));
	gc_result_free(&r);
}

static void test_msi_no_driver(void **state)
{
	struct gc_result r;

	(void)state;
	card(0, NULL, 0);
	f.irqs.n_lines = 10;
	f.irqs.n_ir = 3;
	EXPECT(check_device_msi, GC_UNKNOWN);  /* remapping on: only the allocation can tell */
	r = run(check_device_msi);             /* no qaic to load: the remedy does not say modprobe */
	assert_null(strstr(r.remedy, "modprobe qaic"));
	gc_result_free(&r);
	devmod[0] = (struct gc_dev_module){ .names = (char *[]){ "qaic" }, .n = 1 };
	r = run(check_device_msi);
	assert_non_null(strstr(r.remedy, "modprobe qaic"));
	gc_result_free(&r);
	devmod[0] = (struct gc_dev_module){ 0 };
	f.irqs.n_ir = 0;
	r = run(check_device_msi);  /* remapping off on KVM: the platform predicts the failure */
	assert_int_equal(r.status, GC_FAIL);
	assert_non_null(strstr(r.summary, "cannot deliver multi-MSI"));
	gc_result_free(&r);
	f.platform.hv = GC_HV_HYPERV;
	EXPECT(check_device_msi, GC_UNKNOWN);
}

static void test_msi_no_driver_non_root(void **state)
{
	struct gc_result r;

	(void)state;
	card(0, NULL, 0);
	dev[0].cfg_len = 64;
	dev[0].caps.msi.state = GC_CAP_TRUNCATED;
	r = run(check_device_msi);
	assert_int_equal(r.status, GC_UNKNOWN);
	assert_true(r.needs_root);
	assert_true(evidence_has(&r, "needs root"));
	assert_false(evidence_has(&r, "not present"));
	gc_result_free(&r);
}

static void test_msi_probe_failure_6_5(void **state)
{
	(void)state;
	card(0, NULL, 0);
	kmsg_lines[0] = "qaic 0000:06:00.0: init_msi: Requested 32 MSIs. Obtained 1 MSIs which is less than the 32 required.";
	f.kmsg.n = 1;
	EXPECT(check_device_msi, GC_FAIL);
}

static void test_msi_unreadable_and_odd(void **state)
{
	(void)state;
	card(0, "qaic", 0);
	dev[0].msi_irqs_err = -EACCES;
	EXPECT(check_device_msi, GC_UNKNOWN);
	card(0, "qaic", 0);
	dev[0].msi_irqs_err = 0;
	dev[0].n_msi_other = 2;
	EXPECT(check_device_msi, GC_UNKNOWN);
	card(0, "vfio-pci", 0);
	EXPECT(check_device_msi, GC_UNKNOWN);
	card(0, "qaic", 0);
	EXPECT(check_device_msi, GC_UNKNOWN);  /* qaic bound without msi_irqs/: absent is not zero */
	card(0, "qaic", 0);
	dev[0].msi_irqs_err = 0;
	EXPECT(check_device_msi, GC_UNKNOWN);  /* an empty msi_irqs/ under a bound qaic: no state qaic leaves */
	card(0, "qaic", 32);
	card(1, "qaic", 1);
	EXPECT(check_device_msi, GC_FAIL);  /* the worse card decides */
}

static void test_msi_capability_limited_by_hypervisor(void **state)
{
	struct gc_result r;

	(void)state;
	card(0, "vfio-pci", 1);
	dev[0].caps.msi.capable = 1;
	r = run(check_device_msi);
	assert_int_equal(r.status, GC_FAIL);
	assert_non_null(strstr(r.summary, "advertises 1 MSI vector"));
	gc_result_free(&r);
}

/*
 * A qaic card behind vPCI on a kernel whose version carries the fixes, in the
 * 1-MSI fallback: the fixes do not explain it (unknown), whether msi_irqs/
 * counts the one vector or cannot be read (found by tests/integration/test_mutate.py:
 * msi_irqs/ replaced by a file made this pass).
 */
static void test_hyperv_fixes_fallback_msi_irqs_unreadable(void **state)
{
	static char link[] = "../../../devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0004:00/VMBUS:00/"
			     "47505500-0001-0000-3130-444531454238/pci0001:00/0000:06:00.0";
	struct gc_result r;

	(void)state;
	f.platform.hv = GC_HV_HYPERV;
	f.mods.release = "6.8.0-1017-azure";
	gc_kversion_parse(f.mods.release, &f.kver);
	card(0, "qaic", 1);
	dev[0].sysfs_link = link;
	kmsg_lines[0] = "qaic 0000:06:00.0: Allocating 32 MSIs failed, operating in 1 MSI mode. Performance may be impacted.";
	f.kmsg.n = 1;
	EXPECT(check_hyperv_kernel_fixes, GC_UNKNOWN);

	dev[0].n_msi = 0;
	dev[0].msi_irqs_err = -ENOTDIR;
	r = run(check_hyperv_kernel_fixes);
	assert_int_equal(r.status, GC_UNKNOWN);
	assert_non_null(strstr(r.summary, "the fixes do not explain it"));
	gc_result_free(&r);

	/* Nor when the PCI scan could not show the card at all: qaic's line names it. */
	f.pci.n_devs = 0;
	r = run(check_hyperv_kernel_fixes);
	assert_int_equal(r.status, GC_UNKNOWN);
	assert_true(evidence_has(&r, "0000:06:00.0 fell back to 1 MSI"));
	gc_result_free(&r);
	f.pci.n_devs = 1;

	/* One vector held and the log unreadable: nothing says why (mutation test: dev/kmsg a directory). */
	dev[0].n_msi = 1;
	dev[0].msi_irqs_err = 0;
	f.kmsg.err = -EISDIR;
	f.kmsg.n = 0;
	r = run(check_hyperv_kernel_fixes);
	assert_int_equal(r.status, GC_UNKNOWN);
	assert_non_null(strstr(r.summary, "holds 1 MSI"));
	gc_result_free(&r);
	dev[0].caps.msi.capable = 1;   /* unless the host offers only one */
	EXPECT(check_hyperv_kernel_fixes, GC_PASS);
	dev[0].caps.msi.capable = 32;
	f.kmsg.err = 0;
	f.kmsg.n = 1;

	/* Without the log line nothing shows a fallback: the version decides. */
	f.kmsg.n = 0;
	EXPECT(check_hyperv_kernel_fixes, GC_PASS);
}

static void test_present(void **state)
{
	(void)state;
	EXPECT(check_device_present, GC_FAIL);
	f.pci.err = -ENOENT;
	EXPECT(check_device_present, GC_UNKNOWN);
	f.pci.err = -EIO;
	f.pci.err_msg = "Cannot open x";
	EXPECT(check_device_present, GC_UNKNOWN);
	f.pci.err = 0;
	card(0, "qaic", 32);
	EXPECT(check_device_present, GC_PASS);
	o.expect_devices = 2;
	EXPECT(check_device_present, GC_FAIL);
	o.expect_devices = 1;
	dev[0].bars[0] = (struct gc_bar){ .index = 0, .size = 4 << 20, .assigned = false };
	dev[0].n_bars = 1;
	EXPECT(check_device_present, GC_FAIL);
	EXPECT(check_device_driver, GC_WARN);  /* qaic without an accel node */
}

static void test_driver(void **state)
{
	static char *accel[] = { "accel0" };
	static bool present[] = { true };
	static char *names[] = { "qaic" };
	struct gc_result r;

	(void)state;
	EXPECT(check_device_driver, GC_SKIP);
	EXPECT(check_device_msi, GC_SKIP);
	/* Without device.present, "no card" must not read as ready. */
	o.skip = (char *[]){ "device.present" };
	o.n_skip = 1;
	EXPECT(check_device_driver, GC_FAIL);
	EXPECT(check_device_msi, GC_FAIL);
	o.n_skip = 0;
	card(0, "qaic", 32);
	dev[0].accel = accel;
	dev[0].n_accel = 1;
	dev[0].accel_dev_present = present;
	EXPECT(check_device_driver, GC_PASS);
	present[0] = false;
	EXPECT(check_device_driver, GC_WARN);
	present[0] = true;
	card(0, NULL, 0);
	r = run(check_device_driver);
	assert_int_equal(r.status, GC_FAIL);
	assert_non_null(strstr(r.summary, "no qaic module"));
	gc_result_free(&r);
	devmod[0].names = names;
	devmod[0].n = 1;
	r = run(check_device_driver);
	assert_non_null(strstr(r.remedy, "modprobe qaic"));
	assert_non_null(strstr(r.summary, "installed but not loaded"));
	gc_result_free(&r);
	/* /proc/modules absent (a tree without it): "not loaded" is not known, and not said. */
	f.mods.loaded_err = -ENOENT;
	r = run(check_device_driver);
	assert_int_equal(r.status, GC_FAIL);  /* no driver bound is a fact of sysfs */
	assert_null(strstr(r.summary, "not loaded"));
	assert_non_null(strstr(r.summary, "whether it is loaded is unknown"));
	assert_true(evidence_has(&r, "/proc/modules"));
	assert_true(evidence_has(&r, "not present"));
	gc_result_free(&r);
	f.mods.loaded_err = 0;
	devmod[0].err = -ENOENT;
	EXPECT(check_device_driver, GC_UNKNOWN);
	card(0, "vfio-pci", 0);
	EXPECT(check_device_driver, GC_FAIL);
	/* Rebinding to qaic is advised only where there is a qaic. */
	devmod[0] = (struct gc_dev_module){ .names = names, .n = 1 };
	r = run(check_device_driver);
	assert_non_null(strstr(r.remedy, "/sys/bus/pci/drivers/qaic/bind"));
	gc_result_free(&r);
	devmod[0] = (struct gc_dev_module){ 0 };
	r = run(check_device_driver);
	assert_int_equal(r.status, GC_FAIL);
	assert_null(strstr(r.remedy, "drivers/qaic/bind"));
	assert_non_null(strstr(r.remedy, "no qaic to hand the card to"));
	gc_result_free(&r);
	/* The vendor's earlier out-of-tree driver ("QTI Cloud AI", misc/qaic): not judged, not failed. */
	card(0, "QTI Cloud AI", 32);
	EXPECT(check_device_driver, GC_WARN);
}

/* On KVM, msi_irqs/ must fit the Multiple Message Enable the guest wrote (msi_setup_msi_desc()). */
static void test_msi_enable_mismatch(void **state)
{
	(void)state;
	card(0, "qaic", 2);
	EXPECT(check_device_msi, GC_UNKNOWN);  /* 2 listed, 32 enabled: not one allocation */
	card(0, "qaic", 17);
	EXPECT(check_device_msi, GC_PASS);     /* 17 enables 32 */
	card(0, "qaic", 2);
	f.platform.hv = GC_HV_HYPERV;          /* not cross-checked there */
	EXPECT(check_device_msi, GC_PASS);
}

/* Xen and VMware show one vector in the capability: with no driver bound that is no failure. */
static void test_msi_no_driver_one_msi_platform(void **state)
{
	struct gc_result r;

	(void)state;
	card(0, NULL, 0);
	dev[0].caps.msi.capable = 1;
	f.irqs.n_lines = 10;
	f.irqs.n_ir = 3;
	EXPECT(check_device_msi, GC_FAIL);     /* KVM: the hypervisor rewrote Multiple Message Capable */
	f.platform.hv = GC_HV_XEN;
	r = run(check_device_msi);
	assert_int_equal(r.status, GC_UNKNOWN);
	assert_null(strstr(r.summary, "advertises"));
	gc_result_free(&r);
	f.platform.hv = GC_HV_VMWARE;
	EXPECT(check_device_msi, GC_UNKNOWN);
}

/*
 * Issue 10 item 6: without /proc/modules (absent, or unreadable) nothing
 * says "pci_hyperv not loaded"; the evidence gives the reason, and the
 * verdict rests on what sysfs shows, as it does with pci_hyperv listed:
 * a card below a VMBus PCI pass-through channel sits on the bus only
 * pci-hyperv creates.
 */
static void test_hyperv_vpci_without_proc_modules(void **state)
{
	static char *vpci[] = { "47505500-0001-0000-3130-444531454238" };
	static char *vpci_driver[] = { NULL };
	static char *loaded[] = { "pci_hyperv" };
	static const int errs[] = { -ENOENT, -EACCES };
	struct gc_result r;
	size_t i, j;

	(void)state;
	f.platform.hv = GC_HV_HYPERV;
	f.hvf = (struct gc_hvfiles){ .n_vmbus = 3, .vpci = vpci, .vpci_driver = vpci_driver, .n_vpci = 1 };
	f.irqs.err = -ENOENT;
	card(0, "qaic", 32);
	dev[0].sysfs_link = "../../../devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0004:00/VMBUS:00/"
			    "47505500-0001-0000-3130-444531454238/pci0001:00/0001:00:00.0";
	f.mods.loaded = loaded;
	f.mods.n_loaded = 1;
	EXPECT(check_hyperv_vpci, GC_PASS);
	f.mods.loaded = NULL;
	f.mods.n_loaded = 0;
	for (i = 0; i < 2; i++) {
		f.mods.loaded_err = errs[i];
		r = run(check_hyperv_vpci);
		assert_int_equal(r.status, GC_PASS);
		assert_true(evidence_has(&r, i ? "permission denied" : "not present"));
		for (j = 0; j < r.n_ev; j++)
			assert_null(strstr(r.ev[j].value, "not loaded"));
		assert_null(strstr(r.summary, "not loaded"));
		gc_result_free(&r);
	}
	/* Read, and pci_hyperv neither loaded nor built in: only then is it said. */
	f.mods.loaded_err = 0;
	r = run(check_hyperv_vpci);
	assert_int_equal(r.status, GC_WARN);
	assert_true(evidence_has(&r, "pci_hyperv not loaded"));
	gc_result_free(&r);
}

static void test_machine_type(void **state)
{
	static struct gc_pci_func all[1];

	(void)state;
	f.pci.all = all;
	f.pci.n_all = 1;
	strcpy(all[0].addr, "0000:00:00.0");
	all[0] = (struct gc_pci_func){ "0000:00:00.0", 0x8086, 0x29c0, 0x060000 };
	EXPECT(check_kvm_machine_type, GC_PASS);
	all[0].device = 0x1237;
	EXPECT(check_kvm_machine_type, GC_FAIL);
	all[0].device = 0x0d57;
	EXPECT(check_kvm_machine_type, GC_UNKNOWN);
	f.platform.hv = GC_HV_HYPERV;
	EXPECT(check_kvm_machine_type, GC_SKIP);
}

static void dmar(uint8_t flags)
{
	f.acpi.dmar_file.exists = true;
	f.acpi.dmar = (struct gc_dmar){ .valid = true, .checksum_ok = true, .haw = 39, .flags = flags,
					.n_drhd = 1, .length = 80 };
	f.iommu.u = units;
	f.iommu.n = 1;
	units[0] = (struct gc_iommu_unit){ .name = "dmar0", .intel = true,
					   .cap = 0xd2008c22260286ull, .ecap = 0xf00f4aull };
}

static void test_iommu_present(void **state)
{
	struct gc_result r;

	(void)state;
	r = run(check_iommu_present);
	assert_int_equal(r.status, GC_FAIL);
	assert_non_null(strstr(r.remedy, "intremap='on'"));
	gc_result_free(&r);
	kmsg_lines[0] = "DMAR: IOMMU enabled";
	f.kmsg.n = 1;
	r = run(check_iommu_present);  /* intel_iommu=on without a table: still no IOMMU */
	assert_int_equal(r.status, GC_FAIL);
	assert_true(evidence_has(&r, "not an IOMMU"));
	gc_result_free(&r);
	dmar(1);
	EXPECT(check_iommu_present, GC_PASS);
	f.acpi.dmar.valid = false;
	f.acpi.dmar.problem = "table truncated";
	EXPECT(check_iommu_present, GC_UNKNOWN);
	f.acpi.dmar_file.err = -EACCES;
	EXPECT(check_iommu_present, GC_PASS);   /* unit registered in sysfs */
	/* Damage, not a want of root (found by test_mutate.py: a DMAR over 1 MiB passed). */
	f.acpi.dmar_file.err = -EFBIG;
	EXPECT(check_iommu_present, GC_WARN);
	f.acpi.dmar_file.err = -EISDIR;
	EXPECT(check_iommu_present, GC_WARN);
	f.acpi.dmar_file.err = -EACCES;
	f.iommu.n = 0;
	r = run(check_iommu_present);
	assert_int_equal(r.status, GC_UNKNOWN);
	assert_true(r.needs_root);
	gc_result_free(&r);
	memset(&f.acpi, 0, sizeof(f.acpi));
	f.acpi.viot.exists = true;
	EXPECT(check_iommu_present, GC_FAIL);
	f.platform.hv = GC_HV_HYPERV;
	EXPECT(check_iommu_present, GC_SKIP);
	f.platform.hv = GC_HV_KVM;
	f.cpuid.err = -ENOTSUP;  /* not x86 */
	EXPECT(check_iommu_present, GC_SKIP);
	EXPECT(check_iommu_interrupt_remapping, GC_SKIP);
}

static void test_remapping(void **state)
{
	struct gc_result r;

	(void)state;
	dmar(1);
	f.irqs.n_lines = 20;
	f.irqs.n_ir = 12;
	strcpy(f.irqs.ir_example, "IR-IO-APIC");
	EXPECT(check_iommu_interrupt_remapping, GC_PASS);
	units[0].ecap = 0x00f4a;  /* handle mask 0: 1-vector blocks */
	EXPECT(check_iommu_interrupt_remapping, GC_FAIL);
	units[0].ecap = 0xf00f4aull;
	f.irqs.n_ir = 0;
	r = run(check_iommu_interrupt_remapping);
	assert_int_equal(r.status, GC_FAIL);
	assert_non_null(strstr(r.summary, "did not turn it on"));
	gc_result_free(&r);
	cmdline("ro intremap=off");
	r = run(check_iommu_interrupt_remapping);
	assert_non_null(strstr(r.summary, "command line"));
	gc_result_free(&r);
	cmdline("ro");
	f.acpi.dmar.flags = 0;
	r = run(check_iommu_interrupt_remapping);
	assert_non_null(strstr(r.summary, "does not remap"));
	assert_non_null(strstr(r.remedy, "<ioapic driver='qemu'/>"));
	gc_result_free(&r);
	memset(&f.acpi, 0, sizeof(f.acpi));
	r = run(check_iommu_interrupt_remapping);
	assert_non_null(strstr(r.summary, "no emulated IOMMU"));
	gc_result_free(&r);
	f.irqs.err = -ENOENT;
	f.irqs.n_lines = 0;
	EXPECT(check_iommu_interrupt_remapping, GC_UNKNOWN);
	kmsg_lines[0] = "DMAR-IR: Enabled IRQ remapping in xapic mode";
	f.kmsg.n = 1;
	EXPECT(check_iommu_interrupt_remapping, GC_PASS);  /* the kernel log is the fallback */
}

static void test_caching_mode(void **state)
{
	(void)state;
	EXPECT(check_iommu_caching_mode, GC_SKIP);
	dmar(1);
	EXPECT(check_iommu_caching_mode, GC_PASS);
	units[0].cap &= ~0x80ull;
	EXPECT(check_iommu_caching_mode, GC_FAIL);
	units[0].cap_err = -EINVAL;
	EXPECT(check_iommu_caching_mode, GC_UNKNOWN);
	f.iommu.n = 0;
	EXPECT(check_iommu_caching_mode, GC_UNKNOWN);
}

static void test_cmdline_check(void **state)
{
	(void)state;
	cmdline("ro quiet iommu=pt pci=noaer");
	EXPECT(check_kernel_cmdline, GC_PASS);
	cmdline("ro intel_iommu=off");
	EXPECT(check_kernel_cmdline, GC_WARN);
	cmdline("ro pci=noaer,nomsi intel_iommu=off");
	EXPECT(check_kernel_cmdline, GC_FAIL);
	cmdline("modprobe.blacklist=nouveau,qaic");
	EXPECT(check_kernel_cmdline, GC_FAIL);
	gc_cmdline_free(&f.cmdline);
	f.cmdline.err = -EACCES;
	EXPECT(check_kernel_cmdline, GC_UNKNOWN);
}

/*
 * Remapping matters only where it carries the card's vectors: not behind
 * Hyper-V's vPCI controller (its own MSI domain, multi-MSI since
 * 08e61e861a0e), nor on Xen or VMware (one vector either way), nor off x86.
 */
static void test_cmdline_by_platform(void **state)
{
	(void)state;
	f.platform.hv = GC_HV_HYPERV;
	cmdline("ro intremap=off");
	EXPECT(check_kernel_cmdline, GC_PASS);
	cmdline("ro intremap=off pci=nomsi");
	EXPECT(check_kernel_cmdline, GC_FAIL);
	f.platform.hv = GC_HV_XEN;
	cmdline("ro intel_iommu=off nointremap");
	EXPECT(check_kernel_cmdline, GC_PASS);
	f.platform.hv = GC_HV_NONE;  /* bare metal x86: the vector domain has no multi-MSI either */
	cmdline("ro intremap=off");
	EXPECT(check_kernel_cmdline, GC_FAIL);
	f.platform.hv = GC_HV_KVM;
	f.os.machine = "aarch64";
	EXPECT(check_kernel_cmdline, GC_PASS);
	f.os.machine = NULL;
	EXPECT(check_kernel_cmdline, GC_FAIL);
}

/* A blacklisted qaic that is bound all the same: a trap, not the reason for anything. */
static void test_cmdline_blacklist_bound(void **state)
{
	(void)state;
	cmdline("modprobe.blacklist=qaic");
	card(0, "qaic", 32);
	f.pci.n_devs = 1;
	EXPECT(check_kernel_cmdline, GC_WARN);
	dev[0].driver = NULL;
	EXPECT(check_kernel_cmdline, GC_FAIL);
	gc_cmdline_free(&f.cmdline);
	f.cmdline.err = -EACCES;
	EXPECT(check_kernel_cmdline, GC_UNKNOWN);
}

static void test_hypervisor_check(void **state)
{
	(void)state;
	f.platform.decided_by = "CPUID";
	EXPECT(check_platform_hypervisor, GC_PASS);
	f.platform.hv = GC_HV_XEN;
	f.platform.xen = GC_XEN_PV;
	EXPECT(check_platform_hypervisor, GC_FAIL);
	f.platform.xen = GC_XEN_PVH;
	EXPECT(check_platform_hypervisor, GC_FAIL);
	f.platform.xen = GC_XEN_MODE_UNKNOWN;
	EXPECT(check_platform_hypervisor, GC_UNKNOWN);
	f.platform.xen = GC_XEN_HVM;
	EXPECT(check_platform_hypervisor, GC_PASS);
	f.platform.xen_dom0 = true;
	EXPECT(check_platform_hypervisor, GC_FAIL);
	f.platform = (struct gc_platform){ .hv = GC_HV_KVM, .conflict = true, .dmi_hv = GC_HV_VMWARE,
					   .decided_by = "CPUID" };
	EXPECT(check_platform_hypervisor, GC_WARN);
	f.platform = (struct gc_platform){ .hv = GC_HV_UNKNOWN };
	EXPECT(check_platform_hypervisor, GC_UNKNOWN);
	f.platform.hv = GC_HV_OTHER;
	EXPECT(check_platform_hypervisor, GC_WARN);
}

static void test_exit_codes(void **state)
{
	struct gc_result res[3] = { { .status = GC_PASS }, { .status = GC_SKIP }, { .status = GC_WARN } };

	(void)state;
	assert_int_equal(gc_exit_code(res, 3, false), GC_EXIT_READY);
	assert_int_equal(gc_exit_code(res, 3, true), GC_EXIT_NOT_READY);
	res[1].status = GC_UNKNOWN;
	assert_int_equal(gc_exit_code(res, 3, false), GC_EXIT_UNDETERMINED);
	res[0].status = GC_FAIL;
	assert_int_equal(gc_exit_code(res, 3, false), GC_EXIT_NOT_READY);
	/* Ready only on evidence: nothing run, or everything skipped, showed nothing. */
	assert_int_equal(gc_exit_code(res, 0, false), GC_EXIT_UNDETERMINED);
	res[0].status = res[1].status = res[2].status = GC_SKIP;
	assert_int_equal(gc_exit_code(res, 3, false), GC_EXIT_UNDETERMINED);
	res[2].status = GC_WARN;
	assert_int_equal(gc_exit_code(res, 3, false), GC_EXIT_READY);
	assert_string_equal(gc_verdict_name(2), "undetermined");
}

static void test_worst_status_wins(void **state)
{
	struct gc_result r = { 0 };

	(void)state;
	gc_result_add(&r, GC_PASS, "a");
	gc_result_add(&r, GC_FAIL, "b");
	gc_result_add(&r, GC_WARN, "c");
	assert_int_equal(r.status, GC_FAIL);
	assert_string_equal(r.summary, "a; b; c");
	gc_remedy_add(&r, "x");
	gc_remedy_add(&r, "x");
	assert_string_equal(r.remedy, "x");
	gc_remedy_add(&r, "run x as root");  /* contains "x" but is another paragraph */
	gc_remedy_add(&r, "run");            /* a piece of one, not a paragraph */
	gc_remedy_add(&r, "run x as root");
	assert_string_equal(r.remedy, "x\nrun x as root\nrun");
	gc_result_free(&r);
	gc_result_add(&r, GC_SKIP, "s");
	gc_result_add(&r, GC_UNKNOWN, "u");
	assert_int_equal(r.status, GC_UNKNOWN);
	gc_result_free(&r);
}

static void test_registry(void **state)
{
	struct gc_result *res = calloc(gc_n_checks, sizeof(*res));
	size_t n, i;

	(void)state;
	assert_non_null(gc_check_find("device.msi"));
	assert_null(gc_check_find("device.nope"));
	o.only = (char *[]){ "kernel.cmdline", "device.present" };
	o.n_only = 2;
	n = gc_run_checks(&f, &o, res);
	assert_int_equal(n, 2);
	assert_string_equal(res[0].check->id, "kernel.cmdline");
	for (i = 0; i < n; i++)
		gc_result_free(&res[i]);
	o.n_only = 0;
	o.skip = (char *[]){ "device.msi" };
	o.n_skip = 1;
	n = gc_run_checks(&f, &o, res);
	assert_int_equal(n, gc_n_checks - 1);
	for (i = 0; i < n; i++)
		gc_result_free(&res[i]);
	free(res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_msi_32_pass, reset),
		cmocka_unit_test_setup(test_msi_fallback_fail, reset),
		cmocka_unit_test_setup(test_msi_other_device_log_ignored, reset),
		cmocka_unit_test_setup(test_msi_kernel_versions, reset),
		cmocka_unit_test_setup(test_msi_one_msi_by_platform, reset),
		cmocka_unit_test_setup(test_msi_unreadable_config, reset),
		cmocka_unit_test_setup(test_msi_no_driver, reset),
		cmocka_unit_test_setup(test_msi_enable_mismatch, reset),
		cmocka_unit_test_setup(test_msi_no_driver_one_msi_platform, reset),
		cmocka_unit_test_setup(test_msi_no_driver_non_root, reset),
		cmocka_unit_test_setup(test_msi_probe_failure_6_5, reset),
		cmocka_unit_test_setup(test_msi_unreadable_and_odd, reset),
		cmocka_unit_test_setup(test_msi_capability_limited_by_hypervisor, reset),
		cmocka_unit_test_setup(test_hyperv_fixes_fallback_msi_irqs_unreadable, reset),
		cmocka_unit_test_setup(test_present, reset),
		cmocka_unit_test_setup(test_driver, reset),
		cmocka_unit_test_setup(test_machine_type, reset),
		cmocka_unit_test_setup(test_iommu_present, reset),
		cmocka_unit_test_setup(test_remapping, reset),
		cmocka_unit_test_setup(test_caching_mode, reset),
		cmocka_unit_test_setup(test_cmdline_check, reset),
		cmocka_unit_test_setup(test_cmdline_by_platform, reset),
		cmocka_unit_test_setup(test_cmdline_blacklist_bound, reset),
		cmocka_unit_test_setup(test_hypervisor_check, reset),
		cmocka_unit_test_setup(test_hyperv_vpci_without_proc_modules, reset),
		cmocka_unit_test_setup(test_exit_codes, reset),
		cmocka_unit_test_setup(test_worst_status_wins, reset),
		cmocka_unit_test_setup(test_registry, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
