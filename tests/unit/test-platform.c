// SPDX-License-Identifier: GPL-2.0-or-later
/* Hypervisor identification from CPUID, DMI and hypervisor files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "checker/platform.h"

static struct gc_cpuid cpuid(bool bit, const char *sig0, const char *sig1)
{
	struct gc_cpuid c = { .hv_bit = bit, .source = "test" };

	if (sig0) {
		c.hv[c.n_hv].base = 0x40000000;
		strcpy(c.hv[c.n_hv++].sig, sig0);
	}
	if (sig1) {
		c.hv[c.n_hv].base = 0x40000100;
		strcpy(c.hv[c.n_hv++].sig, sig1);
	}
	return c;
}

static struct gc_platform decide(struct gc_cpuid c, const char *vendor, const char *product,
				 struct gc_hvfiles h)
{
	struct gc_dmi d = { 0 };
	struct gc_platform p;

	d.v[GC_DMI_SYS_VENDOR] = (char *)vendor;
	d.v[GC_DMI_PRODUCT_NAME] = (char *)product;
	if (!vendor && !product)
		d.err = -2;
	gc_platform_decide(&c, &d, &h, NULL, &p);
	return p;
}

static const struct gc_hvfiles no_files = { .vmbus_err = -2 };

static void test_kvm(void **state)
{
	struct gc_platform p = decide(cpuid(true, "KVMKVMKVM", NULL), "QEMU",
				      "Standard PC (Q35 + ICH9, 2009)", no_files);

	(void)state;
	assert_int_equal(p.hv, GC_HV_KVM);
	assert_false(p.hv_enlightened);
	assert_false(p.conflict);
	gc_platform_free(&p);
}

static void test_kvm_with_hyperv_enlightenments(void **state)
{
	struct gc_platform p = decide(cpuid(true, "Microsoft Hv", "KVMKVMKVM"), "QEMU", "x", no_files);

	(void)state;
	assert_int_equal(p.hv, GC_HV_KVM);
	assert_true(p.hv_enlightened);
	gc_platform_free(&p);
	/* kvm=off hides KVM's leaf: DMI keeps it from being taken for Hyper-V. */
	p = decide(cpuid(true, "Microsoft Hv", NULL), "QEMU", "x", no_files);
	assert_int_equal(p.hv, GC_HV_KVM);
	assert_true(p.hv_enlightened);
	gc_platform_free(&p);
}

static void test_hyperv(void **state)
{
	struct gc_hvfiles h = { .vmbus_err = 0, .n_vmbus = 5 };
	struct gc_platform p = decide(cpuid(true, "Microsoft Hv", NULL), "Microsoft Corporation",
				      "Virtual Machine", h);

	(void)state;
	assert_int_equal(p.hv, GC_HV_HYPERV);
	assert_string_equal(p.decided_by, "CPUID, confirmed by VMBus");
	assert_false(p.conflict);
	gc_platform_free(&p);
}

static void test_xen(void **state)
{
	struct gc_hvfiles h = { .vmbus_err = -2, .type = "xen", .guest_type = "PV" };
	struct gc_platform p = decide(cpuid(false, NULL, NULL), "Xen", "HVM domU", h);

	(void)state;
	assert_int_equal(p.hv, GC_HV_XEN);
	assert_int_equal(p.xen, GC_XEN_PV);
	gc_platform_free(&p);
	h.guest_type = NULL;
	h.features = "00000900";  /* bits 8 and 11: no PV bit (5), no PVH pair: HVM */
	p = decide(cpuid(true, "XenVMMXenVMM", NULL), "Xen", "HVM domU", h);
	assert_int_equal(p.xen, GC_XEN_HVM);
	gc_platform_free(&p);
}

static void test_xen_features(void **state)
{
	(void)state;
	assert_int_equal(gc_xen_mode_from_features("00000020"), GC_XEN_PV);
	assert_int_equal(gc_xen_mode_from_features("00000108"), GC_XEN_PVH);
	assert_int_equal(gc_xen_mode_from_features("00000100"), GC_XEN_HVM);
	assert_int_equal(gc_xen_mode_from_features("ffffffff00000020"), GC_XEN_PV);
	assert_int_equal(gc_xen_mode_from_features("zz"), GC_XEN_MODE_UNKNOWN);
	assert_int_equal(gc_xen_mode_from_features(""), GC_XEN_MODE_UNKNOWN);
}

static void test_bare_metal_and_conflicts(void **state)
{
	struct gc_platform p = decide(cpuid(false, NULL, NULL), "Dell Inc.", "PowerEdge R750", no_files);

	(void)state;
	assert_int_equal(p.hv, GC_HV_NONE);
	gc_platform_free(&p);
	p = decide(cpuid(true, "TCGTCGTCGTCG", NULL), "VMware, Inc.", "VMware Virtual Platform", no_files);
	assert_int_equal(p.hv, GC_HV_KVM);
	assert_true(p.tcg);
	assert_true(p.conflict);
	assert_int_equal(p.dmi_hv, GC_HV_VMWARE);
	gc_platform_free(&p);
	p = decide(cpuid(true, NULL, NULL), "VMware, Inc.", "VMware Virtual Platform", no_files);
	assert_int_equal(p.hv, GC_HV_VMWARE);
	assert_string_equal(p.decided_by, "DMI (CPUID: hypervisor bit, unknown signature)");
	gc_platform_free(&p);
	p = decide(cpuid(true, "SomethingNew", NULL), NULL, NULL, no_files);
	assert_int_equal(p.hv, GC_HV_OTHER);
	gc_platform_free(&p);
}

/* Issue 10 items 7-9: conflicts on every path, the hypervisor bit over a cloud name, Xen's mode from DMI and the log. */
static void test_identity_rules(void **state)
{
	struct gc_hvfiles xen = { .vmbus_err = -2, .type = "xen" };
	struct gc_cpuid none = { .err = -2, .source = "test" };
	char *pv_lines[] = { "Booting paravirtualized kernel on Xen" };
	char *hvm_lines[] = { "Booting paravirtualized kernel on Xen HVM" };
	struct gc_kmsg pv = { .lines = pv_lines, .n = 1 }, hvm = { .lines = hvm_lines, .n = 1 };
	struct gc_dmi d = { 0 };
	struct gc_platform p = decide(cpuid(true, "TCGTCGTCGTCG", NULL), "QEMU", "Standard PC (Q35 + ICH9, 2009)", xen);

	(void)state;
	assert_int_equal(p.hv, GC_HV_KVM);
	assert_true(p.conflict);
	assert_string_equal(p.conflict_src, "/sys/hypervisor/type");
	gc_platform_free(&p);

	p = decide(cpuid(false, NULL, NULL), "Amazon EC2", "m5.metal", no_files);
	assert_int_equal(p.hv, GC_HV_NONE);
	assert_false(p.conflict);
	gc_platform_free(&p);
	p = decide(cpuid(true, "KVMKVMKVM", NULL), "Amazon EC2", "m5.large", no_files);
	assert_int_equal(p.hv, GC_HV_KVM);
	assert_false(p.conflict);
	gc_platform_free(&p);
	p = decide(none, "Amazon EC2", "m5.large", no_files);  /* a cloud name alone says neither */
	assert_int_equal(p.hv, GC_HV_UNKNOWN);
	gc_platform_free(&p);
	p = decide(cpuid(false, NULL, NULL), "QEMU", "Standard PC (Q35 + ICH9, 2009)", no_files);
	assert_int_equal(p.hv, GC_HV_NONE);
	assert_true(p.conflict);  /* a hidden hypervisor bit, or a forged DMI: said, not guessed */
	gc_platform_free(&p);

	p = decide(none, "Xen", "HVM domU", no_files);
	assert_int_equal(p.hv, GC_HV_XEN);
	assert_int_equal(p.xen, GC_XEN_HVM);
	gc_platform_free(&p);
	d.err = -2;
	gc_platform_decide(&none, &d, &no_files, &pv, &p);
	assert_int_equal(p.hv, GC_HV_XEN);
	assert_int_equal(p.xen, GC_XEN_PV);
	gc_platform_free(&p);
	gc_platform_decide(&none, &d, &no_files, &hvm, &p);
	assert_int_equal(p.xen, GC_XEN_HVM);
	gc_platform_free(&p);
}

/*
 * The banner's exact strings: pv_info.name is "Xen" (enlighten_pv.c xen_info),
 * "Xen HVM" or "Xen PVH" (enlighten_hvm.c init_hvm_pv_info()); "Xen PV" is
 * printed by no kernel, so it decides no mode.
 */
static void test_xen_banner_strings(void **state)
{
	static const struct { const char *line; enum gc_xen_mode mode; } cases[] = {
		{ "Booting paravirtualized kernel on Xen", GC_XEN_PV },
		{ "Booting paravirtualized kernel on Xen HVM", GC_XEN_HVM },
		{ "Booting paravirtualized kernel on Xen PVH", GC_XEN_PVH },
		{ "Booting paravirtualized kernel on Xen PV", GC_XEN_MODE_UNKNOWN },
		{ "Booting paravirtualized kernel on bare hardware", GC_XEN_MODE_UNKNOWN },
	};
	struct gc_cpuid none = { .err = -2, .source = "test" };
	struct gc_dmi d = { .err = -2 };
	struct gc_platform p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *lines[] = { (char *)cases[i].line };
		struct gc_kmsg k = { .lines = lines, .n = 1 };

		gc_platform_decide(&none, &d, &no_files, &k, &p);
		assert_int_equal(p.xen, cases[i].mode);
		assert_int_equal(p.hv, cases[i].mode == GC_XEN_MODE_UNKNOWN ? GC_HV_UNKNOWN : GC_HV_XEN);
		gc_platform_free(&p);
	}
}

static void test_unknown_without_sources(void **state)
{
	struct gc_cpuid c = { .err = -2, .source = "dev/cpuid (replay)" };
	struct gc_platform p = decide(c, NULL, NULL, no_files);

	(void)state;
	assert_int_equal(p.hv, GC_HV_UNKNOWN);
	gc_platform_free(&p);
}

/*
 * A clear hypervisor bit is also a Xen PV guest's view: without DMI (which
 * bare metal has and PV lacks) and without the log's banner, it is unknown.
 */
static void test_clear_bit_without_dmi_or_log(void **state)
{
	struct gc_cpuid c = cpuid(false, NULL, NULL);
	struct gc_dmi d = { .err = -ENOENT };
	struct gc_kmsg unread = { .err = -EPERM, .source = "/dev/kmsg" }, read = { .source = "/dev/kmsg" };
	struct gc_platform p;

	(void)state;
	gc_platform_decide(&c, &d, &no_files, &unread, &p);
	assert_int_equal(p.hv, GC_HV_UNKNOWN);
	assert_non_null(strstr(p.undecided, "Xen PV"));
	gc_platform_free(&p);
	gc_platform_decide(&c, &d, &no_files, &read, &p);  /* a read log without the banner: not PV */
	assert_int_equal(p.hv, GC_HV_NONE);
	gc_platform_free(&p);
	d.err = 0;
	d.v[GC_DMI_SYS_VENDOR] = "Dell Inc.";
	gc_platform_decide(&c, &d, &no_files, &unread, &p);  /* DMI there: bare metal */
	assert_int_equal(p.hv, GC_HV_NONE);
	gc_platform_free(&p);
}

/* A source that is there but unreadable might have disagreed: the decision stands, with doubt. */
static void test_doubt_from_unread_source(void **state)
{
	struct gc_cpuid garbage = { .err = -EINVAL, .source = "dev/cpuid (replay)" };
	struct gc_hvfiles type_unread = { .vmbus_err = -ENOENT, .type_err = -EIO };
	struct gc_platform p = decide(garbage, "VMware, Inc.", "VMware Virtual Platform", no_files);

	(void)state;
	assert_int_equal(p.hv, GC_HV_VMWARE);
	assert_non_null(p.doubt);
	gc_platform_free(&p);
	p = decide(cpuid(true, "KVMKVMKVM", NULL), "QEMU", "Standard PC", type_unread);
	assert_int_equal(p.hv, GC_HV_KVM);
	assert_non_null(strstr(p.doubt, "/sys/hypervisor/type"));
	gc_platform_free(&p);
	p = decide(cpuid(true, "KVMKVMKVM", NULL), "QEMU", "Standard PC", no_files);
	assert_null(p.doubt);
	gc_platform_free(&p);
}

/* Without CPUID or DMI, devices on a VMBus are Hyper-V's; with a CPUID read, CPUID decides. */
static void test_vmbus_alone(void **state)
{
	struct gc_cpuid none = { .err = -2, .source = "dev/cpuid (replay)" };
	struct gc_hvfiles vmbus = { .vmbus_err = 0, .n_vmbus = 3, .n_vpci = 1 };
	struct gc_platform p = decide(none, NULL, NULL, vmbus);

	(void)state;
	assert_int_equal(p.hv, GC_HV_HYPERV);
	assert_string_equal(p.decided_by, "VMBus (no CPUID, no DMI)");
	gc_platform_free(&p);
	p = decide(cpuid(true, "KVMKVMKVM", NULL), NULL, NULL, vmbus);  /* QEMU's own VMBus */
	assert_int_equal(p.hv, GC_HV_KVM);
	gc_platform_free(&p);
	vmbus.n_vmbus = 0;
	p = decide(none, NULL, NULL, vmbus);
	assert_int_equal(p.hv, GC_HV_UNKNOWN);
	gc_platform_free(&p);
}

static void test_tables(void **state)
{
	bool tcg;

	(void)state;
	assert_int_equal(gc_cpuid_sig_match("Linux KVM Hv", &tcg), GC_HV_KVM);
	assert_int_equal(gc_cpuid_sig_match("VMwareVMware", &tcg), GC_HV_VMWARE);
	assert_int_equal(gc_cpuid_sig_match("KVMKVM", &tcg), GC_HV_UNKNOWN);
	assert_string_equal(gc_hv_id(GC_HV_HYPERV), "hyperv");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kvm),
		cmocka_unit_test(test_kvm_with_hyperv_enlightenments),
		cmocka_unit_test(test_hyperv),
		cmocka_unit_test(test_xen),
		cmocka_unit_test(test_xen_features),
		cmocka_unit_test(test_bare_metal_and_conflicts),
		cmocka_unit_test(test_identity_rules),
		cmocka_unit_test(test_xen_banner_strings),
		cmocka_unit_test(test_unknown_without_sources),
		cmocka_unit_test(test_vmbus_alone),
		cmocka_unit_test(test_clear_bit_without_dmi_or_log),
		cmocka_unit_test(test_doubt_from_unread_source),
		cmocka_unit_test(test_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
