// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Platform checks: the hypervisor, the KVM machine type, the emulated
 * IOMMU and its interrupt remapping and caching mode, the kernel command
 * line. On x86 a guest gets multi-message MSI only through interrupt
 * remapping (tglx, 2022-04-09: the vector domain never supports it), so
 * these decide whether 32 vectors can be had at all.
 */
#include <errno.h>

#include "../registry.h"

#define REMEDY_KVM_IOMMU \
	"on the KVM host: virsh edit <vm>, then under <features> add\n" \
	"  <ioapic driver='qemu'/>\n" \
	"and under <devices> add\n" \
	"  <iommu model='intel'><driver caching_mode='on' intremap='on'/></iommu>\n" \
	"and restart the VM (QEMU: -machine q35,kernel-irqchip=split\n" \
	"-device intel-iommu,intremap=on,caching-mode=on)"

/* Not x86: no CPUID instruction (live), or an architecture os-release's probe read off the kernel. */
static bool not_x86(const struct gc_facts *f)
{
	const char *m = f->os.machine;

	return f->cpuid.err == -ENOTSUP ||
	       (m && !streq(m, "x86_64") && !streq(m, "i686") && !streq(m, "i386"));
}

/*
 * Whether interrupt remapping is how this guest's card gets multi-message
 * MSI: on x86 (bare metal included) yes, except behind Hyper-V's vPCI
 * controller (its MSI domain sits on the x86 vector domain and gives
 * multi-MSI itself, 08e61e861a0e) and on Xen HVM and VMware, which give
 * one vector either way (bb8e97e26ce6).
 */
static bool remapping_matters(const struct gc_facts *f)
{
	if (not_x86(f))
		return false;
	return f->platform.hv != GC_HV_HYPERV && f->platform.hv != GC_HV_XEN && f->platform.hv != GC_HV_VMWARE;
}

/* The IOMMU checks apply where the guest's own kernel must remap interrupts. */
static bool iommu_applies(const struct gc_facts *f, struct gc_result *r)
{
	/* Elsewhere (arm64's GIC ITS) multi-MSI does not hang on interrupt remapping. */
	if (not_x86(f)) {
		gc_result_add(r, GC_SKIP, "not an x86 guest (%s)", f->os.machine ? f->os.machine : "no CPUID");
		return false;
	}
	switch (f->platform.hv) {
	case GC_HV_HYPERV:
		gc_result_add(r, GC_SKIP, "Hyper-V: no emulated IOMMU; the vPCI controller remaps (see hyperv.*)");
		return false;
	case GC_HV_VMWARE:
		gc_result_add(r, GC_SKIP, "VMware: the vendor guide asks for no guest IOMMU; device.msi decides");
		return false;
	case GC_HV_XEN:
		gc_result_add(r, GC_SKIP, "Xen: no guest IOMMU; Xen gives an HVM guest single-vector MSI only "
					  "(arch/x86/pci/xen.c), so device.msi decides");
		return false;
	case GC_HV_NONE:
		gc_result_add(r, GC_SKIP, "bare metal: the guest IOMMU checks do not apply");
		return false;
	default:
		return true;
	}
}

static void evidence_signals(const struct gc_facts *f, struct gc_result *r)
{
	size_t i;

	for (i = 0; i < f->platform.n_sig; i++)
		gc_evidence_add(r, f->platform.sig[i].source, "%s", f->platform.sig[i].value);
}

void check_platform_hypervisor(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	const struct gc_platform *p = &f->platform;

	(void)o;
	evidence_signals(f, r);
	if (p->conflict) {
		gc_result_add(r, GC_WARN, "the sources disagree: %s says %s, %s says %s; judged as %s",
			      p->decided_by, gc_hv_name(p->hv), p->conflict_src, gc_hv_name(p->dmi_hv),
			      gc_hv_name(p->hv));
		if (streq(p->conflict_src, "DMI"))
			gc_remedy_add(r, "DMI strings can be set freely (libvirt <sysinfo>, QEMU -smbios); "
					 "if this guest really runs on %s, its CPUID is hidden: check the VM's CPU settings",
				      gc_hv_name(p->dmi_hv));
		else
			gc_remedy_add(r, "a Xen kernel interface under another hypervisor's CPUID: QEMU's Xen "
					 "emulation, or a capture mixed from two machines; check where it was taken");
	}
	switch (p->hv) {
	case GC_HV_KVM:
		gc_result_add(r, GC_PASS, "%s%s: passthrough supported (decided by %s)",
			      p->tcg ? "QEMU (TCG, no KVM)" : "KVM/QEMU",
			      p->hv_enlightened ? " with Hyper-V enlightenments" : "", p->decided_by);
		break;
	case GC_HV_HYPERV:
		gc_result_add(r, GC_PASS, "Hyper-V: DDA passthrough supported (decided by %s)", p->decided_by);
		break;
	case GC_HV_VMWARE:
		gc_result_add(r, GC_PASS, "VMware: PCI passthrough supported (decided by %s)", p->decided_by);
		break;
	case GC_HV_XEN:
		if (p->xen_dom0) {
			gc_result_add(r, GC_FAIL, "Xen dom0, not a guest");
			gc_remedy_add(r, "run aic-guestcheck inside the HVM guest that owns the card");
		} else if (p->xen == GC_XEN_HVM) {
			gc_result_add(r, GC_PASS, "Xen HVM guest: passthrough supported (decided by %s)", p->decided_by);
		} else if (p->xen == GC_XEN_PV || p->xen == GC_XEN_PVH) {
			gc_result_add(r, GC_FAIL, "Xen %s guest: the vendor supports HVM guests only",
				      gc_xen_mode_name(p->xen));
			gc_remedy_add(r, "recreate the guest as HVM: type = \"hvm\" in its xl config, with "
					 "pci = [ '<host address>' ]");
		} else {
			gc_result_add(r, GC_UNKNOWN, "Xen guest of unknown type (HVM, PVH or PV)");
			gc_remedy_add(r, "the vendor supports HVM guests only: check type = in the xl config");
		}
		break;
	case GC_HV_NONE:
		gc_result_add(r, GC_PASS, "bare metal: the virtual machine checks do not apply");
		break;
	case GC_HV_OTHER:
		gc_result_add(r, GC_WARN, "a hypervisor the vendor guide does not cover");
		gc_remedy_add(r, "the vendor guide covers KVM/QEMU, Hyper-V, VMware ESXi and Xen HVM");
		break;
	default:
		gc_result_add(r, GC_UNKNOWN, "%s", p->undecided ? p->undecided : "no source identified the platform");
		if (f->cpuid.err == -ENOENT)
			gc_remedy_add(r, "add the CPUID capture (dev/cpuid, `cpuid -r` format) to the sysroot");
		if (p->undecided)
			gc_remedy_add(r, "run as root (the kernel log needs it under dmesg_restrict), or add the log to the capture");
	}
	if (p->doubt) {
		gc_result_add(r, GC_WARN, "decided without a source that is there: %s", p->doubt);
		gc_remedy_add(r, "a damaged or partial capture? take it again (aic-guestcheck bundle)");
	}
}

void check_kvm_machine_type(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	const struct gc_pci_func *hb, *lpc;

	(void)o;
	/* On an unknown platform the chipset speaks for itself; only another known platform skips. */
	if (f->platform.hv != GC_HV_KVM && f->platform.hv != GC_HV_UNKNOWN) {
		gc_result_add(r, GC_SKIP, "not a KVM/QEMU guest");
		return;
	}
	if (f->pci.err) {
		gc_result_unreadable(r, "PCI devices", "/sys/bus/pci/devices", f->pci.err);
		return;
	}
	hb = gc_pci_find(&f->pci, "0000:00:00.0");
	lpc = gc_pci_find(&f->pci, "0000:00:1f.0");
	if (hb)
		gc_evidence_add(r, "/sys/bus/pci/devices/0000:00:00.0", "host bridge %04x:%04x", hb->vendor,
				hb->device);
	else
		gc_evidence_add(r, "/sys/bus/pci/devices/0000:00:00.0", "absent");
	if (lpc)
		gc_evidence_add(r, "/sys/bus/pci/devices/0000:00:1f.0", "%04x:%04x", lpc->vendor, lpc->device);
	if (f->dmi.v[GC_DMI_PRODUCT_NAME])
		gc_evidence_add(r, "/sys/class/dmi/id/product_name", "%s", f->dmi.v[GC_DMI_PRODUCT_NAME]);
	if (f->dmi.v[GC_DMI_PRODUCT_VERSION])
		gc_evidence_add(r, "/sys/class/dmi/id/product_version", "%s", f->dmi.v[GC_DMI_PRODUCT_VERSION]);
	/* QEMU pci_ids.h: Q35 MCH 8086:29c0 (ICH9 LPC 8086:2918); i440FX 8086:1237 (PIIX3 8086:7000). */
	if (hb && hb->vendor == 0x8086 && hb->device == 0x29c0) {
		gc_result_add(r, GC_PASS, "q35 (host bridge 8086:29c0)");
	} else if (hb && hb->vendor == 0x8086 && hb->device == 0x1237) {
		gc_result_add(r, GC_FAIL, "i440fx (host bridge 8086:1237): no PCIe, no emulated Intel IOMMU");
		gc_remedy_add(r, "recreate the VM with machine type q35: virt-install --machine=q35, or in the "
				 "libvirt XML <os><type arch='x86_64' machine='q35'>hvm</type></os> "
				 "(QEMU: -machine q35)");
	} else if (f->platform.hv == GC_HV_UNKNOWN) {
		gc_result_add(r, GC_UNKNOWN, "platform unknown, and 00:00.0 is not QEMU's q35 or i440fx chipset");
	} else {
		gc_result_add(r, GC_UNKNOWN, "unrecognised chipset at 00:00.0");
	}
}

static bool acpi_says_iommu(const struct gc_facts *f)
{
	return f->acpi.dmar_file.exists || f->acpi.ivrs.exists;
}

void check_iommu_present(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	const struct gc_acpi *a = &f->acpi;
	const struct gc_dmar *d = &a->dmar;
	const char *on_switch;
	size_t i, intel = 0;
	char cfg[64];

	(void)o;
	if (!iommu_applies(f, r))
		return;
	for (i = 0; i < f->iommu.n; i++)
		intel += f->iommu.u[i].intel;
	gc_evidence_add(r, "CONFIG_INTEL_IOMMU", "%s", gc_facts_kconfig(f, "CONFIG_INTEL_IOMMU", cfg, sizeof(cfg)));
	if (f->iommu.err == 0)
		gc_evidence_add(r, "/sys/class/iommu", "%zu unit%s registered (%zu Intel)", f->iommu.n,
				f->iommu.n == 1 ? "" : "s", intel);
	else
		gc_evidence_add(r, "/sys/class/iommu", "%s", gc_err_reason(f->iommu.err));
	if (f->iommu.n_groups >= 0)
		gc_evidence_add(r, "/sys/kernel/iommu_groups", "%d group%s (DMA translation %s)", f->iommu.n_groups,
				f->iommu.n_groups == 1 ? "" : "s", f->iommu.n_groups ? "on" : "off");

	if (a->dmar_file.exists) {
		if (a->dmar_file.err == 0 && d->valid) {
			gc_evidence_add(r, "/sys/firmware/acpi/tables/DMAR",
					"%u bytes, host address width %u, flags 0x%02x, %u DRHD unit%s%s, "
					"%u IO-APIC scope%s%s",
					d->length, d->haw, d->flags, d->n_drhd, d->n_drhd == 1 ? "" : "s",
					d->include_all ? " (one covers all PCI)" : "", d->n_ioapic_scopes,
					d->n_ioapic_scopes == 1 ? "" : "s", d->checksum_ok ? "" : ", bad checksum");
			if (d->n_drhd == 0) {
				gc_result_add(r, GC_FAIL, "the DMAR table lists no remapping unit");
				gc_remedy_add(r, REMEDY_KVM_IOMMU);
				return;
			}
			/*
			 * ACPICA only warns ("Incorrect checksum in table", ACPI_CHECKSUM_ABORT
			 * is FALSE in include/acpi/acconfig.h) and Linux uses the table: a
			 * warning, since its bytes are not what the firmware wrote.
			 */
			if (!d->checksum_ok) {
				gc_result_add(r, GC_WARN, "the DMAR table's checksum is wrong: the kernel uses it "
							  "anyway, but its bytes are damaged (firmware or capture)");
				gc_remedy_add(r, "compare with a fresh capture; if the live table is wrong, the VM's "
						 "firmware or the hypervisor built it wrong");
			}
			gc_result_add(r, GC_PASS, "emulated Intel IOMMU (DMAR, %u unit%s, %u-bit)", d->n_drhd,
				      d->n_drhd == 1 ? "" : "s", d->haw);
			return;
		}
		if (a->dmar_file.err == 0) {
			gc_result_add(r, GC_UNKNOWN, "the DMAR table is malformed: %s", d->problem);
			gc_evidence_add(r, "/sys/firmware/acpi/tables/DMAR", "%s", d->problem);
			return;
		}
		gc_evidence_add(r, "/sys/firmware/acpi/tables/DMAR", "present, %s", gc_err_reason(a->dmar_file.err));
		if (intel > 0) {
			/*
			 * Without root the registered units stand in for the table. Any other
			 * error (a directory, a loop, too large) means the bytes are damaged,
			 * which a readable table with a bad checksum also only warns about.
			 */
			if (!gc_err_needs_root(a->dmar_file.err)) {
				gc_result_add(r, GC_WARN, "the DMAR table cannot be read (%s): its bytes are "
							  "damaged (firmware or capture)", gc_err_reason(a->dmar_file.err));
				gc_remedy_add(r, "compare with a fresh capture of /sys/firmware/acpi/tables/DMAR");
			}
			gc_result_add(r, GC_PASS, "Intel IOMMU (DMAR present, %zu unit%s registered)", intel,
				      intel == 1 ? "" : "s");
			return;
		}
		gc_result_unreadable(r, "the DMAR table", "/sys/firmware/acpi/tables/DMAR", a->dmar_file.err);
		return;
	}
	if (a->ivrs.exists) {
		gc_evidence_add(r, "/sys/firmware/acpi/tables/IVRS", "present");
		gc_result_add(r, GC_WARN, "emulated AMD IOMMU (IVRS), not the Intel IOMMU the vendor guide specifies");
		gc_remedy_add(r, "the vendor guide is written for <iommu model='intel'>; interrupt remapping "
				 "decides whether AMD's works (see iommu.interrupt-remapping)");
		return;
	}
	if (a->dir_err) {
		gc_result_unreadable(r, "ACPI tables", "/sys/firmware/acpi/tables", a->dir_err);
		return;
	}
	gc_evidence_add(r, "/sys/firmware/acpi/tables", "no DMAR, IVRS%s", a->viot.exists ? "" : " or VIOT");
	if (a->viot.exists) {
		gc_evidence_add(r, "/sys/firmware/acpi/tables/VIOT", "present (virtio-iommu)");
		gc_result_add(r, GC_FAIL, "only a virtio-iommu, which does not remap interrupts on x86");
	} else {
		gc_result_add(r, GC_FAIL, "no emulated IOMMU");
	}
	on_switch = gc_kmsg_find(&f->kmsg, NULL, "DMAR: IOMMU enabled");
	if (on_switch)
		gc_evidence_add(r, "kernel log", "\"%s\": that is the intel_iommu=on switch, not an IOMMU",
				on_switch);
	gc_remedy_add(r, REMEDY_KVM_IOMMU);
}

enum gc_remap { GC_REMAP_UNKNOWN, GC_REMAP_ON, GC_REMAP_OFF };
enum gc_remap_src { GC_SRC_NONE, GC_SRC_CARD, GC_SRC_CHIPS, GC_SRC_LOG };

struct remap_view {
	enum gc_remap state;
	enum gc_remap_src src;
	const struct gc_irq_dev *card;  /* the card whose own vectors decided, for GC_SRC_CARD */
};

/*
 * Sources, strongest first: the chip of the card's own vectors (a
 * per-device domain names its function), any IR-/vIR- chip in
 * /proc/interrupts, and only then the kernel log, which a paste may carry
 * from another boot.
 */
static struct remap_view remapping_state(const struct gc_facts *f)
{
	struct remap_view v = { GC_REMAP_UNKNOWN, GC_SRC_NONE, NULL };
	size_t i;

	if (f->irqs.err == 0) {
		for (i = 0; i < f->pci.n_devs; i++) {
			const struct gc_irq_dev *d = gc_interrupts_dev(&f->irqs, f->pci.devs[i].f.addr);

			if (!d || d->hv)
				continue;
			if (!v.card || !d->remapped)
				v.card = d;
		}
		if (v.card) {
			v.state = v.card->remapped ? GC_REMAP_ON : GC_REMAP_OFF;
			v.src = GC_SRC_CARD;
			return v;
		}
		if (f->irqs.n_lines > 0) {
			v.state = f->irqs.n_ir > 0 ? GC_REMAP_ON : GC_REMAP_OFF;
			v.src = GC_SRC_CHIPS;
			return v;
		}
	}
	if (gc_kmsg_find(&f->kmsg, "DMAR-IR: ", "Enabled IRQ remapping") ||
	    gc_kmsg_find(&f->kmsg, "AMD-Vi: ", "Interrupt remapping enabled")) {
		v.state = GC_REMAP_ON;
		v.src = GC_SRC_LOG;
	}
	return v;
}

bool gc_platform_cannot_multi_msi(const struct gc_facts *f, const char **why)
{
	if (f->cpuid.err == -ENOTSUP || (f->platform.hv != GC_HV_KVM && f->platform.hv != GC_HV_OTHER))
		return false;
	if (remapping_state(f).state != GC_REMAP_OFF)
		return false;
	*why = "this platform cannot deliver multi-MSI: no interrupt remapping (iommu.interrupt-remapping)";
	return true;
}

/* The Intel units' registers: sysfs when the driver registered them, else the kernel log's copy. */
struct vtd_unit {
	char name[32];
	uint64_t cap, ecap;
	bool cap_ok, ecap_ok;
	int cap_err;
	const char *source;  /* "sysfs" or "kernel log" */
};

static size_t vtd_units(const struct gc_facts *f, struct vtd_unit *u, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < f->iommu.n && n < max; i++) {
		const struct gc_iommu_unit *s = &f->iommu.u[i];

		if (!s->intel)
			continue;
		snprintf(u[n].name, sizeof(u[n].name), "%s", s->name);
		u[n].cap = s->cap;
		u[n].ecap = s->ecap;
		u[n].cap_ok = !s->cap_err;
		u[n].cap_err = s->cap_err;
		u[n].ecap_ok = !s->ecap_err;
		u[n].source = "sysfs";
		n++;
	}
	if (n)
		return n;
	for (i = 0; i < f->kmsg.n; i++) {
		struct gc_iommu_logged l;
		size_t k;

		if (gc_iommu_parse_logged(f->kmsg.lines[i], &l))
			continue;
		for (k = 0; k < n && strcmp(u[k].name, l.name); k++)
			;
		if (k == n) {
			if (n == max)
				continue;
			n++;
		}
		snprintf(u[k].name, sizeof(u[k].name), "%s", l.name);
		u[k].cap = l.cap;
		u[k].ecap = l.ecap;
		u[k].cap_ok = u[k].ecap_ok = true;
		u[k].source = "kernel log";
	}
	return n;
}

static const char *unit_path(const struct vtd_unit *u, const char *reg, char *buf, size_t size)
{
	int n;

	/* A unit name that does not fit is cut: evidence, not a path to open. */
	if (streq(u->source, "sysfs"))
		n = snprintf(buf, size, "/sys/class/iommu/%s/intel-iommu/%s", u->name, reg);
	else
		n = snprintf(buf, size, "kernel log (%s, %s)", u->name, reg);
	if (n < 0)
		buf[0] = '\0';
	return buf;
}

/* What the kernel log reader cut (earlier boots, an oversized file's head), said once per check. */
static void kmsg_cut_evidence(const struct gc_facts *f, struct gc_result *r)
{
	char note[512];

	if (!f->kmsg.err && gc_kmsg_cut_note(&f->kmsg, note, sizeof(note)))
		gc_evidence_add(r, f->kmsg.source, "%s", note);
}

static void remap_evidence(const struct gc_facts *f, const struct remap_view *v, const struct vtd_unit *u,
			   size_t n_units, struct gc_result *r)
{
	bool any_dmar_ir = false;
	char cfg[64], path[160];
	size_t i;

	if (f->irqs.err)
		gc_evidence_add(r, "/proc/interrupts", "%s", gc_err_reason(f->irqs.err));
	else if (v->src == GC_SRC_CARD)
		gc_evidence_add(r, "/proc/interrupts", "%s: %u vector%s on %s", v->card->bdf, v->card->n,
				v->card->n == 1 ? "" : "s", v->card->chip);
	if (f->irqs.err == 0 && f->irqs.n_ir)
		gc_evidence_add(r, "/proc/interrupts", "%zu of %zu interrupts on IR-/vIR- chips (e.g. %s)",
				f->irqs.n_ir, f->irqs.n_lines, f->irqs.ir_example);
	else if (f->irqs.err == 0)
		gc_evidence_add(r, "/proc/interrupts",
				"no IR-/vIR- interrupt chips (%zu interrupts: %zu on PCI-MSI or PCI-MSIX, %zu on IO-APIC%s%s)",
				f->irqs.n_lines, f->irqs.n_msi_plain, f->irqs.n_ioapic_plain,
				f->irqs.plain_example[0] ? ", e.g. " : "", f->irqs.plain_example);
	if (f->acpi.dmar_file.err == 0 && f->acpi.dmar.valid)
		gc_evidence_add(r, "/sys/firmware/acpi/tables/DMAR", "flags 0x%02x (INTR_REMAP %s)",
				f->acpi.dmar.flags, f->acpi.dmar.flags & DMAR_INTR_REMAP ? "set" : "clear");
	for (i = 0; i < n_units; i++) {
		if (!u[i].ecap_ok)
			continue;
		gc_evidence_add(r, unit_path(&u[i], "ecap", path, sizeof(path)), "%llx (IR %s, handle mask %u)",
				(unsigned long long)u[i].ecap, VTD_ECAP_IR(u[i].ecap) ? "supported" : "not supported",
				(unsigned)VTD_ECAP_MHMV(u[i].ecap));
	}
	for (i = 0; i < f->kmsg.n; i++) {
		const char *l = f->kmsg.lines[i];

		if (!startswith(l, "DMAR-IR: "))
			continue;
		any_dmar_ir = true;
		if (strstr(l, "Enabled") || strstr(l, "ailed") || strstr(l, "Not enabling") || strstr(l, "disabled"))
			gc_evidence_add(r, "kernel log", "%s", l);
	}
	if (!any_dmar_ir && !f->kmsg.err)
		gc_evidence_add(r, "kernel log", "no DMAR-IR messages");
	kmsg_cut_evidence(f, r);
	gc_evidence_add(r, "CONFIG_IRQ_REMAP", "%s", gc_facts_kconfig(f, "CONFIG_IRQ_REMAP", cfg, sizeof(cfg)));
}

static bool dmar_says_no_remap(const struct gc_facts *f)
{
	return f->acpi.dmar_file.err == 0 && f->acpi.dmar.valid && !(f->acpi.dmar.flags & DMAR_INTR_REMAP);
}

static void remap_off_cause(const struct gc_facts *f, const struct vtd_unit *u, size_t n_units,
			    struct gc_result *r)
{
	int eff[_GC_EFFECT_MAX];
	char param[256];
	size_t i;

	if (!acpi_says_iommu(f) && f->acpi.dir_err == 0) {
		gc_result_add(r, GC_FAIL, "cannot be on: there is no emulated IOMMU (see iommu.present)");
		gc_remedy_add(r, "fix iommu.present first");
		return;
	}
	gc_cmdline_effects(&f->cmdline, eff);
	if (eff[GC_EFFECT_NO_IRQ_REMAP] >= 0) {
		gc_result_add(r, GC_FAIL, "turned off on the guest kernel command line (%s)",
			      gc_cmdline_param_text(&f->cmdline, eff[GC_EFFECT_NO_IRQ_REMAP], param, sizeof(param)));
		gc_evidence_add(r, "/proc/cmdline", "%s", f->cmdline.raw);
		gc_remedy_add(r, "remove it from GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub "
				 "(or grub2-mkconfig) and reboot");
		return;
	}
	if (dmar_says_no_remap(f)) {
		gc_result_add(r, GC_FAIL, "the emulated IOMMU does not remap interrupts");
		gc_remedy_add(r, REMEDY_KVM_IOMMU);
		return;
	}
	for (i = 0; i < n_units; i++)
		if (u[i].ecap_ok && !VTD_ECAP_IR(u[i].ecap)) {
			gc_result_add(r, GC_FAIL, "the emulated IOMMU does not remap interrupts (ECAP.IR clear)");
			gc_remedy_add(r, REMEDY_KVM_IOMMU);
			return;
		}
	gc_result_add(r, GC_FAIL, "the IOMMU could remap interrupts but this kernel did not turn it on");
	gc_remedy_add(r, "read the kernel log (dmesg | grep -i -e DMAR -e remap); a kernel built "
			 "without CONFIG_IRQ_REMAP, or x2APIC opt-out, are the usual causes");
}

void check_iommu_interrupt_remapping(const struct gc_facts *f, const struct gc_options *o,
				     struct gc_result *r)
{
	struct vtd_unit u[16];
	struct remap_view v;
	size_t i, n_units, n_ir = 0;

	(void)o;
	if (!iommu_applies(f, r))
		return;
	v = remapping_state(f);
	n_units = vtd_units(f, u, ARRAY_SIZE(u));
	remap_evidence(f, &v, u, n_units, r);
	switch (v.state) {
	case GC_REMAP_ON:
		for (i = 0; i < n_units; i++)
			n_ir += u[i].ecap_ok && VTD_ECAP_IR(u[i].ecap);
		/* A log alone may be another boot's: this boot's tables and registers outrank it. */
		if (v.src == GC_SRC_LOG && (dmar_says_no_remap(f) || (n_units && !n_ir))) {
			gc_result_add(r, GC_UNKNOWN, "the kernel log says remapping was enabled, but this IOMMU "
						     "cannot remap interrupts (%s): the log may come from another boot",
				      dmar_says_no_remap(f) ? "DMAR INTR_REMAP clear" : "ECAP.IR clear");
			gc_remedy_add(r, "capture /proc/interrupts and the kernel log of the same boot");
			return;
		}
		for (i = 0; i < n_units; i++) {
			/* A garbled ECAP cannot pass the handle-mask rule by being skipped. */
			if (!u[i].ecap_ok) {
				gc_result_add(r, GC_UNKNOWN, "remapping is on, but %s's ECAP (%s) could not be read, so "
							     "its interrupt block size is unknown", u[i].name, u[i].source);
				return;
			}
		}
		for (i = 0; i < n_units; i++) {
			/* intel_irq_remapping alloc_irte(): a 32-vector block needs a handle mask of at least 5. */
			if (u[i].ecap_ok && VTD_ECAP_IR(u[i].ecap) && VTD_ECAP_MHMV(u[i].ecap) < 5) {
				gc_result_add(r, GC_FAIL, "%s allows interrupt blocks of only %u vectors", u[i].name,
					      1u << VTD_ECAP_MHMV(u[i].ecap));
				gc_remedy_add(r, "use QEMU's intel-iommu (its ECAP handle mask allows 32-vector blocks)");
				return;
			}
		}
		if (v.src == GC_SRC_CARD)
			gc_result_add(r, GC_PASS, "on (the card's own vectors: %s)", v.card->chip);
		else
			gc_result_add(r, GC_PASS, "on (%s)", v.src == GC_SRC_CHIPS ? f->irqs.ir_example : "kernel log");
		return;
	case GC_REMAP_OFF:
		if (v.src == GC_SRC_CARD && f->irqs.n_ir) {
			gc_result_add(r, GC_FAIL, "the card's vectors (%s) are not remapped, although other interrupts are",
				      v.card->chip);
			gc_remedy_add(r, "the card sits behind an IOMMU unit without remapping: check the VM's "
					 "<iommu> and PCIe topology on the host");
			return;
		}
		remap_off_cause(f, u, n_units, r);
		return;
	default:
		if (f->irqs.err)
			gc_result_unreadable(r, "interrupt chips", "/proc/interrupts", f->irqs.err);
		else
			gc_result_add(r, GC_UNKNOWN, "/proc/interrupts lists no interrupts and the kernel log says nothing");
	}
}

void check_iommu_caching_mode(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	struct vtd_unit u[16];
	size_t i, n_units, seen = 0;
	char path[160];

	(void)o;
	if (!iommu_applies(f, r))
		return;
	n_units = vtd_units(f, u, ARRAY_SIZE(u));
	if (!n_units && f->acpi.ivrs.exists && !f->acpi.dmar_file.exists) {
		gc_result_add(r, GC_SKIP, "AMD IOMMU: caching mode is a property of the Intel IOMMU");
		return;
	}
	if (!n_units && !f->acpi.dmar_file.exists) {
		if (f->acpi.dir_err == 0 && remapping_state(f).state != GC_REMAP_ON) {
			gc_result_add(r, GC_SKIP, "no emulated Intel IOMMU (see iommu.present)");
			return;
		}
		gc_result_add(r, GC_UNKNOWN, "no Intel IOMMU unit seen, and no DMAR table %s",
			      f->acpi.dir_err ? "could be read" : "although interrupts are remapped");
		return;
	}
	for (i = 0; i < n_units; i++) {
		unit_path(&u[i], "cap", path, sizeof(path));
		if (!u[i].cap_ok) {
			gc_result_unreadable(r, "the CAP register", path, u[i].cap_err);
			continue;
		}
		seen++;
		gc_evidence_add(r, path, "%llx (CM bit 7 %s)", (unsigned long long)u[i].cap,
				VTD_CAP_CM(u[i].cap) ? "set" : "clear");
		if (i == 0 && !streq(u[i].source, "sysfs"))
			kmsg_cut_evidence(f, r);
		if (!VTD_CAP_CM(u[i].cap)) {
			gc_result_add(r, GC_FAIL, "%s: off", u[i].name);
			gc_remedy_add(r, REMEDY_KVM_IOMMU);
		}
	}
	if (seen && r->status != GC_FAIL && r->status != GC_UNKNOWN) {
		gc_result_add(r, GC_PASS, "on");
		return;
	}
	if (!seen && !r->decided) {
		int eff[_GC_EFFECT_MAX];

		gc_cmdline_effects(&f->cmdline, eff);
		gc_evidence_add(r, "/sys/class/iommu", "no Intel unit registered%s",
				eff[GC_EFFECT_INTEL_IOMMU_OFF] >= 0 ? " (intel_iommu=off on the command line)" : "");
		/* The log's "DMAR: dmarN: ... cap" line decides here; an unreadable log
		 * (dmesg_restrict without root) is not a log without that line. */
		if (f->kmsg.err)
			gc_result_unreadable(r, "the Intel IOMMU driver registered no unit, and the kernel "
					     "log that shows its CAP register", f->kmsg.source, f->kmsg.err);
		else
			gc_result_add(r, GC_UNKNOWN, "the Intel IOMMU driver registered no unit and the kernel "
						     "log does not show its CAP register");
		/* QEMU refuses vfio-pci behind intel-iommu without caching-mode=on (hw/i386/intel_iommu.c). */
		gc_remedy_add(r, "check caching_mode='on' under <iommu model='intel'> in the VM's libvirt XML "
				 "on the host (QEMU: -device intel-iommu,caching-mode=on), or add the kernel log "
				 "(dmesg) to the capture");
	}
}

/* What each effect costs (Documentation/admin-guide/kernel-parameters.txt; the rules in probes/cmdline.c). */
static const struct {
	enum gc_status status;
	const char *why;
} effect_verdicts[_GC_EFFECT_MAX] = {
	[GC_EFFECT_NO_IRQ_REMAP] = { GC_FAIL, "turns interrupt remapping off: no multi-message MSI" },
	[GC_EFFECT_NO_MSI] = { GC_FAIL, "turns MSI off: the card is left with a legacy interrupt" },
	[GC_EFFECT_NO_LAPIC] = { GC_FAIL, "no local APIC, so no MSI" },
	[GC_EFFECT_APIC_DISABLED] = { GC_FAIL, "no local APIC, so no MSI" },
	[GC_EFFECT_QAIC_BLOCKED] = { GC_FAIL, "keeps the qaic driver from loading" },
	[GC_EFFECT_INTEL_IOMMU_OFF] = { GC_WARN, "turns the Intel IOMMU driver off; remapping stays on, but "
						 "caching mode is then read from the kernel log only" },
	[GC_EFFECT_AMD_IOMMU_OFF] = { GC_WARN, "turns the AMD IOMMU off, and with it AMD interrupt remapping" },
	[GC_EFFECT_IOMMU_OFF] = { GC_WARN, "turns IOMMU support off" },
	[GC_EFFECT_NO_IOAPIC] = { GC_WARN, "turns the IO-APIC off" },
};

static bool remapping_effect(size_t effect)
{
	return effect == GC_EFFECT_NO_IRQ_REMAP || effect == GC_EFFECT_INTEL_IOMMU_OFF ||
	       effect == GC_EFFECT_AMD_IOMMU_OFF || effect == GC_EFFECT_IOMMU_OFF;
}

static bool qaic_bound(const struct gc_facts *f)
{
	size_t i;

	for (i = 0; i < f->pci.n_devs; i++)
		if (streq(f->pci.devs[i].driver, "qaic"))
			return true;
	return false;
}

void check_kernel_cmdline(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	int eff[_GC_EFFECT_MAX];
	size_t i;

	(void)o;
	if (f->cmdline.err) {
		gc_result_unreadable(r, "the kernel command line", "/proc/cmdline", f->cmdline.err);
		return;
	}
	gc_evidence_add(r, "/proc/cmdline", "%s", f->cmdline.raw);
	gc_cmdline_effects(&f->cmdline, eff);
	for (i = 0; i < _GC_EFFECT_MAX; i++) {
		char param[256];
		const char *text;

		if (eff[i] < 0)
			continue;
		text = gc_cmdline_param_text(&f->cmdline, eff[i], param, sizeof(param));
		if (remapping_effect(i) && !remapping_matters(f)) {
			gc_evidence_add(r, text, "no effect on the card's vectors %s", not_x86(f) ? "off x86"
						 : f->platform.hv == GC_HV_HYPERV ? "behind Hyper-V's vPCI controller"
										   : "on Xen or VMware (one vector either way)");
			continue;
		}
		if (i == GC_EFFECT_QAIC_BLOCKED && qaic_bound(f)) {
			gc_result_add(r, GC_WARN, "%s: qaic is bound to a card all the same (built in, or loaded by name); "
						  "it keeps udev from loading it", text);
			continue;
		}
		gc_result_add(r, effect_verdicts[i].status, "%s %s", text, effect_verdicts[i].why);
	}
	if (r->decided) {
		gc_remedy_add(r, "remove the parameter from GRUB_CMDLINE_LINUX in /etc/default/grub, run "
				 "update-grub (or grub2-mkconfig -o /boot/grub2/grub.cfg) and reboot");
		return;
	}
	gc_result_add(r, GC_PASS, "no parameter that defeats interrupt remapping or MSI");
}
