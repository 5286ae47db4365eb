// SPDX-License-Identifier: GPL-2.0-or-later
/* device.present, device.driver, device.msi: the cards themselves. */
#include <errno.h>

#include "../registry.h"

#define QAIC "qaic"
/*
 * The PCI driver name of the vendor's earlier out-of-tree driver (the
 * 2019-2021 misc/qaic code: #define QAIC_NAME "QTI Cloud AI"), with its own
 * character devices and readiness model, not judged here.
 */
#define QAIC_OLD_SDK "QTI Cloud AI"

/* How to give the card to this VM, for the platform it runs on (all of them when unknown). */
static void remedy_passthrough(const struct gc_facts *f, struct gc_result *r)
{
	static const struct {
		enum gc_hv hv;
		const char *how;
	} steps[] = {
		{ GC_HV_KVM, "KVM/libvirt: virsh nodedev-detach pci_<host address>, then add a <hostdev mode='subsystem' "
			     "type='pci' managed='yes'> with its host address to the VM (QEMU: -device vfio-pci,host=<address>)" },
		{ GC_HV_HYPERV, "Hyper-V (DDA): Dismount-VMHostAssignableDevice -LocationPath <path>, then "
				"Add-VMAssignableDevice -LocationPath <path> -VMName <vm>" },
		{ GC_HV_VMWARE, "VMware ESXi: toggle the card for passthrough, reboot the host, add it to the VM as a PCI device" },
		{ GC_HV_XEN, "Xen: modprobe xen-pciback and xl pci-assignable-add <host address> in dom0, then "
			     "pci = [ '<host address>,permissive=1' ] in the HVM guest's config (the vendor guide's line)" },
	};
	bool known = false;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(steps); i++)
		known |= steps[i].hv == f->platform.hv;
	gc_remedy_add(r, "on the host, confirm the card is there (lspci -d 17cb:) and give it to this VM whole:");
	for (i = 0; i < ARRAY_SIZE(steps); i++)
		if (!known || steps[i].hv == f->platform.hv)
			gc_remedy_add(r, "  %s", steps[i].how);
}

/*
 * No card: device.present reports it; the checks that follow it only say so.
 * When device.present is not run, they must not let a guest without cards
 * read as ready.
 */
static void no_card(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	if (gc_check_selected(o, "device.present")) {
		gc_result_add(r, GC_SKIP, "no card (see device.present)");
		return;
	}
	gc_result_add(r, GC_FAIL, "no card to check (device.present was not run)");
	gc_evidence_add(r, "/sys/bus/pci/devices", "%zu PCI functions, none of them a card", f->pci.n_all);
	gc_remedy_add(r, "run device.present (without --skip device.present) for how to give the card to this VM");
}

static bool pci_usable(const struct gc_facts *f, struct gc_result *r)
{
	if (f->pci.err == -EIO) {
		gc_result_add(r, GC_UNKNOWN, "libpci could not scan the PCI bus");
		gc_evidence_add(r, "libpci (sysfs)", "%s", f->pci.err_msg ? f->pci.err_msg : "error");
		return false;
	}
	if (f->pci.err) {
		gc_result_unreadable(r, "PCI devices", "/sys/bus/pci/devices", f->pci.err);
		return false;
	}
	return true;
}

bool gc_cards_to_check(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	if (!pci_usable(f, r))
		return false;
	if (f->pci.n_devs == 0) {
		no_card(f, o, r);
		return false;
	}
	return true;
}

bool gc_qaic_available(const struct gc_facts *f, size_t idx)
{
	size_t j;

	if (gc_module_loaded(&f->mods, QAIC) || gc_module_builtin(&f->mods, QAIC))
		return true;
	for (j = 0; f->dev_mod && j < f->dev_mod[idx].n; j++)
		if (streq(f->dev_mod[idx].names[j], QAIC))
			return true;
	return false;
}

static void describe_bars(const struct gc_pci_dev *d, char *buf, size_t size)
{
	size_t o = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < d->n_bars && o < size; i++) {
		const struct gc_bar *b = &d->bars[i];
		uint64_t sz = b->size;
		const char *unit = "";

		if (sz >= (1ull << 30) && !(sz & ((1ull << 30) - 1)))
			sz >>= 30, unit = "G";
		else if (sz >= (1ull << 20) && !(sz & ((1ull << 20) - 1)))
			sz >>= 20, unit = "M";
		else if (sz >= 1024 && !(sz & 1023))
			sz >>= 10, unit = "K";
		o += (size_t)snprintf(buf + o, size - o, "%sBAR%u %llu%s%s", i ? ", " : "", b->index,
				      (unsigned long long)sz, unit, b->assigned ? "" : " unassigned");
	}
	if (d->bars_err)
		snprintf(buf, size, "BARs unknown (resource %s)", gc_err_reason(d->bars_err));
	else if (!d->n_bars)
		snprintf(buf, size, "no BARs");
}

void check_device_present(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	size_t i;

	if (!pci_usable(f, r))
		return;
	if (f->pci.n_devs == 0 && f->pci.n_skipped) {
		/* A function that could not be identified may be the card: not known absent. */
		gc_result_add(r, GC_UNKNOWN, "no card among the %zu identified PCI functions; %zu could not be identified",
			      f->pci.n_all, f->pci.n_skipped);
		gc_evidence_add(r, "/sys/bus/pci/devices", "%s and %zu other%s: vendor, device or class unreadable",
				f->pci.skipped[0], f->pci.n_skipped - 1, f->pci.n_skipped == 2 ? "" : "s");
		return;
	}
	if (f->pci.n_devs == 0) {
		gc_result_add(r, GC_FAIL, "no Cloud AI 100/080 card (17cb:a100, 17cb:a080)%s on the PCI bus",
			      o->have_extra_id ? " nor the --device-id function" : "");
		gc_evidence_add(r, "/sys/bus/pci/devices", "%zu PCI functions, none of them a card",
				f->pci.n_all);
		remedy_passthrough(f, r);
		return;
	}
	for (i = 0; i < f->pci.n_devs; i++) {
		const struct gc_pci_dev *d = &f->pci.devs[i];
		char path[128], bars[256], subsys[16] = "unknown";
		bool unassigned = false;
		unsigned b;

		describe_bars(d, bars, sizeof(bars));
		if (d->has_subsys)
			snprintf(subsys, sizeof(subsys), "%04x:%04x", d->subsys_vendor, d->subsys_device);
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", d->f.addr);
		gc_evidence_add(r, path, "%04x:%04x %s, class %06x, subsystem %s, driver %s, iommu group %s, numa node %d, %s",
				d->f.vendor, d->f.device, d->name, d->f.class,
				subsys,
				d->driver ? d->driver : "none", d->iommu_group ? d->iommu_group : "none",
				d->numa_node, bars);
		if (d->bars_err)
			gc_result_add(r, GC_UNKNOWN, "%s: BAR placement unknown (resource %s)", d->f.addr,
				      gc_err_reason(d->bars_err));
		for (b = 0; b < d->n_bars; b++)
			unassigned |= !d->bars[b].assigned;
		if (unassigned) {
			gc_result_add(r, GC_FAIL, "%s: BARs without an address (%s)", d->f.addr, bars);
			gc_remedy_add(r,
				"the guest firmware could not place the card's BARs: give the VM a larger 64-bit MMIO window "
				"(QEMU q35: -global q35-pcihost.pci-hole64-size=<size>) and check the guest log for 'BAR ... no space'");
		}
	}
	if (o->expect_devices >= 0 && f->pci.n_devs != (size_t)o->expect_devices) {
		gc_result_add(r, GC_FAIL, "%zu card%s found, %d expected (--expect-devices)", f->pci.n_devs,
			      f->pci.n_devs == 1 ? "" : "s", o->expect_devices);
		remedy_passthrough(f, r);
		return;
	}
	gc_result_add(r, GC_PASS, "%zu card%s", f->pci.n_devs, f->pci.n_devs == 1 ? "" : "s");
}

static void evidence_log_lines(const struct gc_facts *f, struct gc_result *r, const char *addr,
			       size_t max)
{
	char prefix[64];
	size_t i, n = 0;

	snprintf(prefix, sizeof(prefix), QAIC " %s: ", addr);
	for (i = 0; i < f->kmsg.n && n < max; i++)
		if (startswith(f->kmsg.lines[i], prefix)) {
			gc_evidence_add(r, "kernel log", "%s", f->kmsg.lines[i]);
			n++;
		}
}


static void driver_missing(const struct gc_facts *f, size_t idx, struct gc_result *r)
{
	const struct gc_pci_dev *d = &f->pci.devs[idx];
	const struct gc_dev_module *m = &f->dev_mod[idx];
	const char *alias = d->modalias ? d->modalias : QAIC;
	char cfg[64];

	if (gc_module_loaded(&f->mods, QAIC) || gc_module_builtin(&f->mods, QAIC)) {
		gc_result_add(r, GC_FAIL, "%s: qaic is %s but did not bind to the card", d->f.addr,
			      gc_module_loaded(&f->mods, QAIC) ? "loaded" : "built in");
		gc_evidence_add(r, "/proc/modules", "qaic %s",
				gc_module_loaded(&f->mods, QAIC) ? "loaded" : "not listed (built in)");
		evidence_log_lines(f, r, d->f.addr, 6);
		gc_remedy_add(r, "read why the probe failed: dmesg | grep -i qaic; then see device.msi");
		return;
	}
	if (f->mods.loaded_err && f->mods.loaded_err != -ENOENT) {
		gc_result_unreadable(r, "loaded modules", "/proc/modules", f->mods.loaded_err);
		return;
	}
	if (m->err) {
		gc_result_add(r, GC_UNKNOWN, "%s: no driver bound and the module tree cannot be read",
			      d->f.addr);
		gc_evidence_add(r, "/lib/modules", "%s: %s", f->mods.release ? f->mods.release : "release unknown",
				gc_err_reason(m->err));
		return;
	}
	if (m->n > 0 && f->mods.loaded_err) {
		/* Without the list of loaded modules "not loaded" would be a guess (issue 10 item 6). */
		gc_result_add(r, GC_FAIL, "%s: no driver bound; module %s is installed, whether it is loaded is unknown",
			      d->f.addr, m->names[0]);
		gc_evidence_add(r, "/proc/modules", "%s", gc_err_reason(f->mods.loaded_err));
		gc_evidence_add(r, "modalias lookup (libkmod)", "%s -> %s", alias,
				m->path ? m->path : m->names[0]);
		gc_remedy_add(r, "load the driver: modprobe %s; if it is loaded, read why it did not bind: "
			      "dmesg | grep -i qaic", m->names[0]);
		return;
	}
	if (m->n > 0) {
		gc_result_add(r, GC_FAIL, "%s: no driver bound; module %s is installed but not loaded",
			      d->f.addr, m->names[0]);
		gc_evidence_add(r, "modalias lookup (libkmod)", "%s -> %s", alias,
				m->path ? m->path : m->names[0]);
		gc_remedy_add(r, "load the driver: modprobe %s (and add it to /etc/modules-load.d/ to load at boot)",
			      m->names[0]);
		return;
	}
	gc_result_add(r, GC_FAIL, "%s: no driver bound and kernel %s has no qaic module", d->f.addr,
		      f->mods.release);
	gc_evidence_add(r, "modalias lookup (libkmod)", "%s -> no module in /lib/modules/%s", alias,
			f->mods.release);
	gc_evidence_add(r, "CONFIG_DRM_ACCEL_QAIC", "%s",
			gc_facts_kconfig(f, "CONFIG_DRM_ACCEL_QAIC", cfg, sizeof(cfg)));
	gc_evidence_add(r, "CONFIG_MHI_BUS", "%s", gc_facts_kconfig(f, "CONFIG_MHI_BUS", cfg, sizeof(cfg)));
	gc_remedy_add(r,
		"install a kernel built with CONFIG_DRM_ACCEL_QAIC=m (upstream Linux 6.4 or later) "
		"or Qualcomm's platform SDK driver, then modprobe qaic");
}

void check_device_driver(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	size_t i, j;

	if (!pci_usable(f, r))
		return;
	if (f->pci.n_devs == 0) {
		no_card(f, o, r);
		return;
	}
	for (i = 0; i < f->pci.n_devs; i++) {
		const struct gc_pci_dev *d = &f->pci.devs[i];
		char path[128];

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", d->f.addr);
		if (!d->driver) {
			gc_evidence_add(r, path, "absent (no driver bound)");
			driver_missing(f, i, r);
			continue;
		}
		gc_evidence_add(r, path, "-> %s", d->driver);
		if (streq(d->driver, QAIC_OLD_SDK)) {
			gc_result_add(r, GC_WARN, "%s: bound to \"%s\", the vendor's earlier out-of-tree driver; this tool "
						  "judges the upstream qaic (and its Platform SDK backport) only, so the card's "
						  "vectors and firmware are not judged as that driver asks", d->f.addr, d->driver);
			gc_remedy_add(r, "install a current Qualcomm Cloud AI Platform SDK (its qaic) or a kernel with "
					 "CONFIG_DRM_ACCEL_QAIC (Linux 6.4 or later)");
			continue;
		}
		if (!streq(d->driver, QAIC)) {
			gc_result_add(r, GC_FAIL, "%s: bound to %s, not qaic", d->f.addr, d->driver);
			if (gc_qaic_available(f, i))
				gc_remedy_add(r,
					"hand the card to qaic: echo %s > /sys/bus/pci/drivers/%s/unbind; "
					"echo %s > /sys/bus/pci/drivers/qaic/bind (and remove the driver_override or "
					"vfio-pci.ids= setting that claimed it)", d->f.addr, d->driver, d->f.addr);
			else
				gc_remedy_add(r,
					"this kernel has no qaic to hand the card to: install a kernel with "
					"CONFIG_DRM_ACCEL_QAIC (Linux 6.4 or later) or the Qualcomm Cloud AI Platform SDK, "
					"then unbind %s (echo %s > /sys/bus/pci/drivers/%s/unbind) and remove the "
					"driver_override or vfio-pci.ids= setting that claimed it",
					d->driver, d->f.addr, d->driver);
			continue;
		}
		if (d->n_accel == 0) {
			gc_result_add(r, GC_WARN, "%s: qaic bound but no accel device registered", d->f.addr);
			snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/accel", d->f.addr);
			gc_evidence_add(r, path, "absent");
			evidence_log_lines(f, r, d->f.addr, 6);
			gc_remedy_add(r, "read the driver's log: dmesg | grep -i qaic");
			continue;
		}
		for (j = 0; j < d->n_accel; j++) {
			char node[300];

			snprintf(node, sizeof(node), "/dev/accel/%s", d->accel[j]);
			gc_evidence_add(r, node, "%s", d->accel_dev_present[j] ? "present" : "absent");
			if (d->accel_dev_present[j]) {
				gc_result_add(r, GC_PASS, "%s: qaic, %s", d->f.addr, node);
			} else {
				gc_result_add(r, GC_WARN, "%s: qaic bound but %s is missing", d->f.addr, node);
				gc_remedy_add(r, "mount devtmpfs on /dev or run udev so the accel node appears");
			}
		}
	}
}

/*
 * The vector count to hold a card to when the allocation itself cannot
 * say: --msi-vectors, else the vendor guide's 32. A bound qaic is judged
 * by what it holds instead (qaic_one_msi_mode()): every upstream qaic
 * asks with min == max (6.4-6.7: (1, 32) and fails probe below 32;
 * 6.8-6.14: (32, 32); 6.15+: (17, 17), commits ab73d8083673 and
 * 0600195ec70a) and falls back to (1, 1) from 6.8 (bb8e97e26ce6), so a
 * bound qaic holding more than one vector holds what it asked for,
 * whatever the release number says (distributions backport the 17).
 */
static unsigned vectors_wanted(const struct gc_options *o)
{
	return o->msi_vectors ? o->msi_vectors : 32;
}

/* Exactly the standard header: what sysfs gives a reader without CAP_SYS_ADMIN. */
static bool cut_for_non_root(const struct gc_pci_dev *d)
{
	return !d->cfg_err && d->cfg_len == PCI_CFG_UNPRIVILEGED_LEN &&
	       d->caps.msi.state == GC_CAP_TRUNCATED;
}

static void evidence_capability(const struct gc_pci_dev *d, struct gc_result *r, const char *cfg)
{
	const struct gc_msi_cap *m = &d->caps.msi;

	if (d->cfg_err)
		gc_evidence_add(r, cfg, "%s", gc_err_reason(d->cfg_err));
	else if (m->state == GC_CAP_FOUND)
		gc_evidence_add(r, cfg, "MSI capability at 0x%02x: Enable%c, Count=%u/%u (enabled/capable)%s%s",
				m->offset, m->enabled ? '+' : '-', m->enabled_n, m->capable,
				m->is64 ? ", 64-bit" : "", m->maskable ? ", maskable" : "");
	else if (cut_for_non_root(d))
		gc_evidence_add(r, cfg, "%zu bytes readable: the capability list needs root", d->cfg_len);
	else
		gc_evidence_add(r, cfg, "%zu bytes; MSI capability %s%s%s", d->cfg_len,
				gc_cap_state_str(m->state), d->caps.problem ? ": " : "",
				d->caps.problem ? d->caps.problem : "");
}

static bool one_msi_platform(const struct gc_facts *f);

/* The capability alone, for when no allocation can be seen. */
static void judge_capability(const struct gc_facts *f, const struct gc_pci_dev *d, struct gc_result *r,
			     unsigned wanted)
{
	const struct gc_msi_cap *m = &d->caps.msi;

	/* Only a capability read whole says what the card offers; anything less is no count. */
	if (d->cfg_err && !gc_err_needs_root(d->cfg_err))
		return;
	if (gc_err_needs_root(d->cfg_err) || cut_for_non_root(d)) {
		r->needs_root = true;
		gc_remedy_add(r, "run as root to read the card's MSI capability from config space");
	} else if (m->state == GC_CAP_NOT_FOUND) {
		gc_result_add(r, GC_FAIL, "%s: no MSI capability in config space", d->f.addr);
		gc_remedy_add(r, "the hypervisor hides the card's MSI capability: pass the card through whole (PCIe passthrough/DDA), not emulated");
	} else if (m->state == GC_CAP_FOUND && m->capable < wanted && one_msi_platform(f)) {
		/* Xen's and VMware's passthrough show one; qaic from 6.8 runs with it (device.msi once bound). */
		gc_evidence_add(r, "MSI capability", "%u vector%s offered, as %s gives a passed-through function",
				m->capable, m->capable == 1 ? "" : "s", gc_hv_name(f->platform.hv));
	} else if (m->state == GC_CAP_FOUND && m->capable < wanted) {
		gc_result_add(r, GC_FAIL, "%s: the card advertises %u MSI vector%s; it needs %u", d->f.addr,
			      m->capable, m->capable == 1 ? "" : "s", wanted);
		gc_remedy_add(r, "the hypervisor rewrote Multiple Message Capable; only KVM with an emulated "
				 "Intel IOMMU (interrupt remapping) and Hyper-V DDA pass 32 vectors through");
	}
}

/* Where a 1-MSI qaic is the only mode the hypervisor offers (commit bb8e97e26ce6: Xen, VMware). */
static bool one_msi_platform(const struct gc_facts *f)
{
	return f->platform.hv == GC_HV_XEN || f->platform.hv == GC_HV_VMWARE;
}

static void remedy_one_msi_platform(const struct gc_facts *f, struct gc_result *r)
{
	if (f->platform.hv == GC_HV_XEN)
		gc_remedy_add(r, "Xen HVM gives a passed-through function one MSI vector (QEMU's Xen passthrough shows "
				 "Multiple Message Capable as 1; xen_hvm_setup_msi_irqs() takes one): assign the card as "
				 "the vendor guide does, pci = [ '<host address>,permissive=1' ] after "
				 "'modprobe xen-pciback; xl pci-assignable-add <host address>' in dom0, and use "
				 "qaic from Linux 6.8 (1-MSI mode)");
	else
		gc_remedy_add(r, "VMware ESXi does not pass multi-message MSI through (qaic commit bb8e97e26ce6): "
				 "use qaic from Linux 6.8 (1-MSI mode)");
}

/*
 * MSI's Multiple Message Enable holds log2 of the vectors enabled: an
 * allocation of n writes the next power of two up (17 -> 32;
 * msi_setup_msi_desc() "multiple = ilog2(__roundup_pow_of_two(nvec))",
 * written to PCI_MSI_FLAGS_QSIZE by __pci_write_msi_msg(), both in
 * drivers/pci/msi/msi.c). Under KVM QEMU's vfio-pci emulates the MSI
 * capability and reads back what the guest wrote, so there the msi_irqs/
 * count must fit it; elsewhere (Hyper-V composes the message by hypercall)
 * and for MSI-X or an unread capability it is not cross-checked.
 */
static bool msi_matches_enable(const struct gc_facts *f, const struct gc_pci_dev *d, unsigned got)
{
	const struct gc_msi_cap *m = &d->caps.msi;
	unsigned pow2 = 1;

	if (f->platform.hv != GC_HV_KVM || d->n_msix || d->cfg_err || m->state != GC_CAP_FOUND || !m->enabled)
		return true;
	while (pow2 < got)
		pow2 <<= 1;
	return pow2 == m->enabled_n;
}

/* A bound qaic: it holds what it asked for, or one vector after the 6.8+ fallback. */
static void qaic_vectors(const struct gc_facts *f, const struct gc_pci_dev *d, unsigned got,
			 const char *fallback, struct gc_result *r)
{
	if (got > 1 && !msi_matches_enable(f, d, got)) {
		gc_result_add(r, GC_UNKNOWN, "%s: msi_irqs/ lists %u vectors but the capability enables %u: the two were "
					     "not read from one allocation", d->f.addr, got, d->caps.msi.enabled_n);
		gc_remedy_add(r, "capture again (a damaged or mixed capture?): ls /sys/bus/pci/devices/%s/msi_irqs; "
				 "lspci -vv -s %s as root", d->f.addr, d->f.addr);
		return;
	}
	if (got > 1) {
		gc_result_add(r, GC_PASS, "%s: qaic holds %u %s vectors, all it asked for (its request is all or nothing)",
			      d->f.addr, got, d->n_msix ? "MSI-X" : "MSI");
		return;
	}
	if (got == 0) {
		gc_result_add(r, GC_UNKNOWN, "%s: qaic is bound, which it cannot be without a vector, yet msi_irqs/ lists none",
			      d->f.addr);
		return;
	}
	if (one_msi_platform(f)) {
		gc_result_add(r, GC_WARN, "%s: qaic runs in 1-MSI mode, the only mode %s offers (degraded; see device.health "
					  "for whether the card is up)", d->f.addr, gc_hv_name(f->platform.hv));
		remedy_one_msi_platform(f, r);
		return;
	}
	gc_result_add(r, GC_FAIL, "%s: qaic fell back to 1 MSI%s; the vendor guide asks for 32 and this platform can give them",
		      d->f.addr, fallback ? " (its log says so)" : "");
	judge_capability(f, d, r, 32);
}

/*
 * msi_irqs/ absent for a bound driver: qaic cannot be bound without a
 * vector, and Xen guests from Linux 5.17 until 6c796996ee70 ("x86/pci/xen:
 * Fixup fallout from the PCI/MSI overhaul", v6.2-rc5, also in 6.1.y) do
 * not list Xen's MSI vectors there. Absent is not zero.
 */
static void msi_irqs_absent(const struct gc_facts *f, const struct gc_pci_dev *d, const char *fallback,
			    struct gc_result *r)
{
	const struct gc_irq_dev *irq = gc_interrupts_dev(&f->irqs, d->f.addr);

	if (fallback && streq(d->driver, QAIC) && one_msi_platform(f)) {
		gc_result_add(r, GC_WARN, "%s: qaic runs in 1-MSI mode (its log says so), the only mode %s offers; "
					  "msi_irqs/ does not list it", d->f.addr, gc_hv_name(f->platform.hv));
		remedy_one_msi_platform(f, r);
		return;
	}
	if (irq)
		gc_evidence_add(r, "/proc/interrupts", "%u line%s name %s", irq->n, irq->n == 1 ? "" : "s", d->f.addr);
	gc_result_add(r, GC_UNKNOWN, "%s: %s is bound but msi_irqs/ is absent, so the vectors cannot be counted",
		      d->f.addr, d->driver);
	if (f->platform.hv == GC_HV_XEN)
		gc_evidence_add(r, "Xen", "Linux 5.17 until 6c796996ee70 (v6.2-rc5, 6.1.y) does not list Xen MSI "
					  "vectors in msi_irqs/");
	gc_remedy_add(r, "count the card's lines in /proc/interrupts (grep %s /proc/interrupts) and its qaic log lines "
			 "(dmesg | grep -i 'MSI')", d->f.addr);
}

static void msi_one(const struct gc_facts *f, const struct gc_options *o,
		    const struct gc_pci_dev *d, struct gc_result *r)
{
	unsigned wanted = vectors_wanted(o);
	unsigned got = d->n_msi + d->n_msix;
	char irqs[128], cfg[128], prefix[64];
	const char *fallback, *probe_fail, *why;

	snprintf(irqs, sizeof(irqs), "/sys/bus/pci/devices/%s/msi_irqs", d->f.addr);
	snprintf(cfg, sizeof(cfg), "/sys/bus/pci/devices/%s/config", d->f.addr);
	snprintf(prefix, sizeof(prefix), QAIC " %s: ", d->f.addr);
	fallback = gc_kmsg_find(&f->kmsg, prefix, "MSI mode");
	probe_fail = gc_kmsg_find(&f->kmsg, prefix, "MSIs which is less than");

	evidence_capability(d, r, cfg);
	if (d->msi_irqs_err == -ENOENT)
		gc_evidence_add(r, irqs, "absent");
	else if (d->msi_irqs_err == 0)
		gc_evidence_add(r, irqs, "%u vector%s (msi %u, msix %u%s)", got, got == 1 ? "" : "s",
				d->n_msi, d->n_msix, d->n_msi_other ? ", unreadable or unknown entries" : "");
	else
		gc_evidence_add(r, irqs, "%s", gc_err_reason(d->msi_irqs_err));
	if (fallback)
		gc_evidence_add(r, "kernel log", "%s", fallback);
	if (probe_fail)
		gc_evidence_add(r, "kernel log", "%s", probe_fail);
	if (f->kmsg.err)
		gc_evidence_add(r, f->kmsg.source, "kernel log unreadable: %s", gc_err_reason(f->kmsg.err));
	if (d->msi_irqs_err == -ENOENT && !d->driver) {
		char cfgv[64];

		gc_evidence_add(r, "CONFIG_PCI_MSI", "%s", gc_facts_kconfig(f, "CONFIG_PCI_MSI", cfgv, sizeof(cfgv)));
	}

	if (!d->driver) {
		if (probe_fail) {
			gc_result_add(r, GC_FAIL, "%s: qaic could not get the 32 MSI vectors it needs (Linux 6.4-6.7) and gave up",
				      d->f.addr);
			if (one_msi_platform(f)) {
				gc_remedy_add(r, "%s cannot give 32 vectors: this qaic cannot run here; use Linux 6.8 or "
						 "later, whose qaic runs in 1-MSI mode", gc_hv_name(f->platform.hv));
				remedy_one_msi_platform(f, r);
			}
			return;
		}
		if (gc_platform_cannot_multi_msi(f, &why)) {
			gc_result_add(r, GC_FAIL, "%s: no driver bound; %s", d->f.addr, why);
			judge_capability(f, d, r, wanted);
			return;
		}
		gc_result_add(r, GC_UNKNOWN, "%s: no driver bound, so no vectors are allocated yet",
			      d->f.addr);
		judge_capability(f, d, r, wanted);
		if (gc_qaic_available(f, (size_t)(d - f->pci.devs)))
			gc_remedy_add(r, "load the driver (modprobe qaic) and run again: the allocation decides");
		else
			gc_remedy_add(r, "once qaic is installed and bound (see device.driver), run again: the "
					 "allocation decides");
		return;
	}
	if (d->msi_irqs_err == -ENOENT) {
		if (streq(d->driver, QAIC) || fallback) {
			msi_irqs_absent(f, d, fallback, r);
			return;
		}
	} else if (d->msi_irqs_err) {
		gc_result_unreadable(r, "allocated vectors", irqs, d->msi_irqs_err);
		return;
	}
	if (d->n_msi_other && got < wanted) {
		gc_result_add(r, GC_UNKNOWN, "%s: %u msi_irqs entries could not be read or name no mode",
			      d->f.addr, d->n_msi_other);
		return;
	}
	if (streq(d->driver, QAIC) && !o->msi_vectors) {
		qaic_vectors(f, d, got, fallback, r);
		return;
	}
	if (got >= wanted) {
		gc_result_add(r, GC_PASS, "%s: %u %s vectors", d->f.addr, got, d->n_msix ? "MSI-X" : "MSI");
		return;
	}
	if (got == 0 && !streq(d->driver, QAIC)) {
		gc_result_add(r, GC_UNKNOWN, "%s: %s has allocated no vectors; only qaic's allocation decides",
			      d->f.addr, d->driver);
		judge_capability(f, d, r, wanted);
		return;
	}
	gc_result_add(r, GC_FAIL, "%s got %u MSI vector%s; it needs %u", d->f.addr, got,
		      got == 1 ? "" : "s", wanted);
	judge_capability(f, d, r, wanted);
}

void check_device_msi(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	size_t i;

	if (!pci_usable(f, r))
		return;
	if (f->pci.n_devs == 0) {
		no_card(f, o, r);
		return;
	}
	for (i = 0; i < f->pci.n_devs; i++)
		msi_one(f, o, &f->pci.devs[i], r);
	if (r->status != GC_FAIL)
		return;
	switch (f->platform.hv) {
	case GC_HV_KVM:
		gc_remedy_add(r, "follows from iommu.interrupt-remapping: fix that first");
		break;
	case GC_HV_HYPERV:
		gc_remedy_add(r, "follows from hyperv.kernel-fixes: the guest kernel needs the four pci-hyperv multi-MSI fixes");
		break;
	case GC_HV_XEN:
	case GC_HV_VMWARE:
		remedy_one_msi_platform(f, r);
		break;
	default:
		gc_remedy_add(r, "on x86 a guest gets multi-message MSI only through interrupt remapping: "
				 "see the platform checks above");
	}
}
