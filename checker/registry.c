// SPDX-License-Identifier: GPL-2.0-or-later
/* The check table and its runner. Order is report order: platform first, then the cards. */
#include "registry.h"

const struct gc_check gc_checks[] = {
	{ "platform.hypervisor", "hypervisor and guest type", check_platform_hypervisor },
	{ "kvm.machine-type", "KVM/QEMU machine type is q35", check_kvm_machine_type },
	{ "iommu.present", "emulated IOMMU present", check_iommu_present },
	{ "iommu.interrupt-remapping", "interrupt remapping enabled in this kernel", check_iommu_interrupt_remapping },
	{ "iommu.caching-mode", "emulated Intel IOMMU caching mode", check_iommu_caching_mode },
	{ "kernel.cmdline", "kernel command line keeps remapping and MSI on", check_kernel_cmdline },
	{ "guest.os", "guest distribution and architecture are supported", check_guest_os },
	{ "device.present", "Cloud AI 100/080 cards on the PCI bus", check_device_present },
	{ "device.driver", "qaic driver bound to each card", check_device_driver },
	{ "device.msi", "MSI vectors allocated to each card", check_device_msi },
	{ "device.firmware", "the card images the driver loads are installed", check_device_firmware },
	{ "device.health", "each card's firmware is up (online)", check_device_health },
	{ "device.minors", "the kernel has a device minor for every card function", check_device_minors },
	{ "hyperv.vpci", "cards behind the Hyper-V PCI controller", check_hyperv_vpci },
	{ "hyperv.kernel-fixes", "the four pci-hyperv multi-MSI fixes", check_hyperv_kernel_fixes },
};
const size_t gc_n_checks = ARRAY_SIZE(gc_checks);

const struct gc_check *gc_check_find(const char *id)
{
	size_t i;

	for (i = 0; i < gc_n_checks; i++)
		if (streq(gc_checks[i].id, id))
			return &gc_checks[i];
	return NULL;
}

static bool listed(char **v, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (streq(v[i], id))
			return true;
	return false;
}

bool gc_check_selected(const struct gc_options *o, const char *id)
{
	return (!o->n_only || listed(o->only, o->n_only, id)) && !listed(o->skip, o->n_skip, id);
}

size_t gc_run_checks(const struct gc_facts *f, const struct gc_options *o, struct gc_result *res)
{
	size_t i, n = 0;

	for (i = 0; i < gc_n_checks; i++) {
		const struct gc_check *c = &gc_checks[i];
		struct gc_result *r;

		if (!gc_check_selected(o, c->id))
			continue;
		r = &res[n++];
		*r = (struct gc_result){ .check = c };
		c->run(f, o, r);
		/* A check that reached no verdict must not read as a pass. */
		if (!r->decided)
			gc_result_add(r, GC_UNKNOWN, "internal error: no verdict reached");
	}
	return n;
}
