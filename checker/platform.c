// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hypervisor identification. Every source is read and compared; the order
 * of authority, and why:
 *  1. CPUID, when leaf 1 was read: its hypervisor bit says VM or not (a
 *     cloud vendor's DMI string also names its bare-metal machines), and
 *     the highest self-announcing known signature says which (virt-what:
 *     KVM and Xen can show Hyper-V's "Microsoft Hv" at 0x40000000 and
 *     their own one block higher). "Microsoft Hv" alone is Hyper-V only
 *     when DMI does not say QEMU/KVM or Xen (systemd: QEMU with kvm=off
 *     and hv-* enlightenments shows only Hyper-V's leaf).
 *  2. Xen's own files (/sys/hypervisor/type, guest_type, /proc/xen): only a
 *     Xen kernel creates them, and they alone tell PV from PVH and HVM. A
 *     PV guest sees the host's CPUID, so they outrank a clear hypervisor
 *     bit; they do not outrank another hypervisor's CPUID signature (QEMU
 *     can emulate Xen's interfaces), which is reported as a conflict.
 *  3. Without those: DMI strings, then the kernel log's "Booting
 *     paravirtualized kernel on Xen HVM/PVH/Xen" (arch/x86/xen pv_info.name),
 *     then, with no CPUID read, devices on a VMBus (Hyper-V's guest bus).
 */
#include <errno.h>
#include <stdarg.h>

#include "platform.h"

static const char *const hv_names[] = {
	[GC_HV_UNKNOWN] = "unknown", [GC_HV_NONE] = "bare metal", [GC_HV_KVM] = "KVM/QEMU",
	[GC_HV_HYPERV] = "Hyper-V", [GC_HV_VMWARE] = "VMware", [GC_HV_XEN] = "Xen",
	[GC_HV_OTHER] = "other hypervisor",
};
static const char *const hv_ids[] = {
	[GC_HV_UNKNOWN] = "unknown", [GC_HV_NONE] = "none", [GC_HV_KVM] = "kvm",
	[GC_HV_HYPERV] = "hyperv", [GC_HV_VMWARE] = "vmware", [GC_HV_XEN] = "xen",
	[GC_HV_OTHER] = "other",
};
_Static_assert(ARRAY_SIZE(hv_names) == _GC_HV_MAX, "hypervisor names");
_Static_assert(ARRAY_SIZE(hv_ids) == _GC_HV_MAX, "hypervisor ids");

const char *gc_hv_name(enum gc_hv hv)
{
	return hv < _GC_HV_MAX ? hv_names[hv] : "?";
}

const char *gc_hv_id(enum gc_hv hv)
{
	return hv < _GC_HV_MAX ? hv_ids[hv] : "?";
}

const char *gc_xen_mode_name(enum gc_xen_mode m)
{
	switch (m) {
	case GC_XEN_HVM:
		return "HVM";
	case GC_XEN_PVH:
		return "PVH";
	case GC_XEN_PV:
		return "PV";
	default:
		return "unknown";
	}
}

/* CPUID signatures (systemd src/basic/virt.c vm_table; lscpu-virt.c). */
static const struct {
	const char *sig;
	enum gc_hv hv;
	bool tcg;
} cpuid_sigs[] = {
	{ "KVMKVMKVM", GC_HV_KVM, false },      /* KVM; 9 characters, NUL padded */
	{ "Linux KVM Hv", GC_HV_KVM, false },   /* KVM's own Hyper-V emulation (systemd) */
	{ "TCGTCGTCGTCG", GC_HV_KVM, true },    /* QEMU without KVM */
	{ "Microsoft Hv", GC_HV_HYPERV, false },
	{ "VMwareVMware", GC_HV_VMWARE, false },
	{ "XenVMMXenVMM", GC_HV_XEN, false },
	{ "bhyve bhyve ", GC_HV_OTHER, false },
	{ "ACRNACRNACRN", GC_HV_OTHER, false },
	{ "QNXQVMBSQG", GC_HV_OTHER, false },
	{ "VBoxVBoxVBox", GC_HV_OTHER, false },  /* VirtualBox */
};

enum gc_hv gc_cpuid_sig_match(const char *sig, bool *ret_tcg)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cpuid_sigs); i++)
		if (streq(sig, cpuid_sigs[i].sig)) {
			if (ret_tcg)
				*ret_tcg = cpuid_sigs[i].tcg;
			return cpuid_sigs[i].hv;
		}
	return GC_HV_UNKNOWN;
}

/*
 * DMI prefixes, tested in systemd's field order (product_name first to tell
 * KVM from QEMU). Cloud vendors' names also label their bare-metal
 * machines: they say VM only with CPUID's hypervisor bit.
 */
static const struct {
	const char *prefix;
	enum gc_hv hv;
	bool cloud;
} dmi_prefixes[] = {
	{ "KVM", GC_HV_KVM, false },
	{ "OpenStack", GC_HV_KVM, true },
	{ "KubeVirt", GC_HV_KVM, false },
	{ "QEMU", GC_HV_KVM, false },
	{ "Bochs", GC_HV_KVM, false },
	{ "Amazon EC2", GC_HV_KVM, true },
	{ "Google Compute Engine", GC_HV_KVM, true },
	{ "VMware", GC_HV_VMWARE, false },
	{ "VMW", GC_HV_VMWARE, false },
	{ "Xen", GC_HV_XEN, false },
	{ "Hyper-V", GC_HV_HYPERV, false },
	{ "innotek GmbH", GC_HV_OTHER, false },
	{ "VirtualBox", GC_HV_OTHER, false },
	{ "Parallels", GC_HV_OTHER, false },
	{ "BHYVE", GC_HV_OTHER, false },
};

enum gc_hv gc_dmi_match(const struct gc_dmi *d, const char **ret_field, const char **ret_value, bool *ret_cloud)
{
	static const enum gc_dmi_field order[] = {
		GC_DMI_PRODUCT_NAME, GC_DMI_SYS_VENDOR, GC_DMI_BOARD_VENDOR, GC_DMI_BIOS_VENDOR,
		GC_DMI_PRODUCT_VERSION,
	};
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		const char *v = d->v[order[i]];

		if (!v)
			continue;
		for (j = 0; j < ARRAY_SIZE(dmi_prefixes); j++)
			if (startswith(v, dmi_prefixes[j].prefix)) {
				*ret_field = gc_dmi_files[order[i]];
				*ret_value = v;
				if (ret_cloud)
					*ret_cloud = dmi_prefixes[j].cloud;
				return dmi_prefixes[j].hv;
			}
	}
	/* Hyper-V: "Microsoft Corporation" / "Virtual Machine". */
	if (streq(d->v[GC_DMI_SYS_VENDOR], "Microsoft Corporation") &&
	    streq(d->v[GC_DMI_PRODUCT_NAME], "Virtual Machine")) {
		*ret_field = "sys_vendor";
		*ret_value = d->v[GC_DMI_SYS_VENDOR];
		if (ret_cloud)
			*ret_cloud = false;
		return GC_HV_HYPERV;
	}
	return GC_HV_UNKNOWN;
}

/* XENFEAT_* bit numbers from include/xen/interface/features.h, via lscpu-virt.c. */
#define XENFEAT_supervisor_mode_kernel 3
#define XENFEAT_mmu_pt_update_preserve_ad 5
#define XENFEAT_hvm_callback_vector 8

enum gc_xen_mode gc_xen_mode_from_features(const char *hex)
{
	unsigned long v;
	size_t len;
	char *end;

	if (!hex || !*hex)
		return GC_XEN_MODE_UNKNOWN;
	/* Submaps are printed highest first as %08x; submap 0 is the last eight digits. */
	len = strlen(hex);
	if (len > 8)
		hex += len - 8;
	v = strtoul(hex, &end, 16);
	if (*end)
		return GC_XEN_MODE_UNKNOWN;
	if (v & (1ul << XENFEAT_mmu_pt_update_preserve_ad))
		return GC_XEN_PV;
	if ((v & (1ul << XENFEAT_supervisor_mode_kernel)) && (v & (1ul << XENFEAT_hvm_callback_vector)))
		return GC_XEN_PVH;
	return GC_XEN_HVM;
}

static void add_signal(struct gc_platform *p, const char *source, const char *fmt, ...) _printf_(3, 4);
static void add_signal(struct gc_platform *p, const char *source, const char *fmt, ...)
{
	struct gc_signal *s = xappend(&p->sig, &p->n_sig, sizeof(*s));
	va_list ap;

	s->source = xstrdup(source);
	va_start(ap, fmt);
	s->value = xvasprintf(fmt, ap);
	va_end(ap);
}

static void decide_xen_mode(const struct gc_hvfiles *h, struct gc_platform *p)
{
	if (h->guest_type) {
		if (streq(h->guest_type, "PV"))
			p->xen = GC_XEN_PV;
		else if (streq(h->guest_type, "PVH"))
			p->xen = GC_XEN_PVH;
		else if (streq(h->guest_type, "HVM"))
			p->xen = GC_XEN_HVM;
		if (p->xen != GC_XEN_MODE_UNKNOWN) {
			p->decided_by = "/sys/hypervisor/guest_type";
			return;
		}
	}
	p->xen = gc_xen_mode_from_features(h->features);
	if (p->xen != GC_XEN_MODE_UNKNOWN)
		p->decided_by = "/sys/hypervisor/properties/features";
}

/*
 * "Booting paravirtualized kernel on %s" with pv_info.name, as the kernel
 * prints it (torvalds/linux): PV from xen_banner() with xen_info.name "Xen"
 * (arch/x86/xen/enlighten_pv.c @727664811260; the name is unchanged through
 * 6.x); HVM and PVH from default_banner() (arch/x86/kernel/paravirt.c
 * @29188c160061) after init_hvm_pv_info() set "Xen HVM" or "Xen PVH"
 * (arch/x86/xen/enlighten_hvm.c @57b421369dd7). "Xen PV" is no kernel string.
 */
static enum gc_xen_mode xen_mode_from_log(const struct gc_kmsg *k, const char **line)
{
	const char *l = k ? gc_kmsg_find(k, "Booting paravirtualized kernel on Xen", "") : NULL;
	const char *on;

	*line = l;
	if (!l)
		return GC_XEN_MODE_UNKNOWN;
	on = l + strlen("Booting paravirtualized kernel on Xen");
	if (streq(on, " HVM"))
		return GC_XEN_HVM;
	if (streq(on, " PVH"))
		return GC_XEN_PVH;
	return *on ? GC_XEN_MODE_UNKNOWN : GC_XEN_PV;
}

void gc_platform_decide(const struct gc_cpuid *c, const struct gc_dmi *d, const struct gc_hvfiles *h,
			const struct gc_kmsg *k, struct gc_platform *p)
{
	enum gc_hv cpuid_hv = GC_HV_UNKNOWN, dmi_hv;
	const char *dmi_field = NULL, *dmi_value = NULL, *xen_line;
	bool tcg = false, dmi_cloud = false, xen_files, cpuid_read = !c->err;
	enum gc_xen_mode log_xen;
	size_t i;

	*p = (struct gc_platform){ .hv = GC_HV_UNKNOWN };

	if (c->err) {
		add_signal(p, c->source, "unavailable: %s",
			   c->err == -ENOENT ? "not captured" : c->problem[0] ? c->problem : strerror(-c->err));
	} else {
		add_signal(p, c->source, "leaf 1 hypervisor bit %s (CPU vendor \"%s\")",
			   c->hv_bit ? "set" : "clear", c->vendor);
		for (i = 0; i < c->n_hv; i++) {
			bool t = false;
			enum gc_hv hv = gc_cpuid_sig_match(c->hv[i].sig, &t);
			char where[64];

			snprintf(where, sizeof(where), "CPUID 0x%08x", c->hv[i].base);
			add_signal(p, where, "\"%s\" (max leaf 0x%08x)", c->hv[i].sig, c->hv[i].max_leaf);
			if (hv == GC_HV_HYPERV && i + 1 < c->n_hv)
				p->hv_enlightened = true;
			if (hv != GC_HV_UNKNOWN && c->hv_bit) {
				cpuid_hv = hv;  /* highest known wins */
				tcg = t;
			}
		}
	}
	dmi_hv = gc_dmi_match(d, &dmi_field, &dmi_value, &dmi_cloud);
	if (dmi_field) {
		char src[64];

		snprintf(src, sizeof(src), "/sys/class/dmi/id/%s", dmi_field);
		add_signal(p, src, "\"%s\"%s", dmi_value, dmi_cloud ? " (a cloud vendor: VMs and bare metal)" : "");
	} else if (d->err)
		add_signal(p, "/sys/class/dmi/id", "%s", d->err == -ENOENT ? "absent" : "unreadable");
	else
		add_signal(p, "/sys/class/dmi/id/sys_vendor", "\"%s\" (no hypervisor named)",
		       d->v[GC_DMI_SYS_VENDOR] ? d->v[GC_DMI_SYS_VENDOR] : "");
	if (h->type)
		add_signal(p, "/sys/hypervisor/type", "%s", h->type);
	if (h->guest_type)
		add_signal(p, "/sys/hypervisor/guest_type", "%s", h->guest_type);
	if (h->vmbus_err == 0)
		add_signal(p, "/sys/bus/vmbus/devices", "%zu VMBus devices, %zu PCI pass-through channels",
		       h->n_vmbus, h->n_vpci);
	if (k && !k->err) {
		char note[512];

		if (gc_kmsg_cut_note(k, note, sizeof(note)))
			add_signal(p, k->source, "%s", note);
	}
	log_xen = xen_mode_from_log(k, &xen_line);
	if (xen_line)
		add_signal(p, "kernel log", "%s", xen_line);
	p->dmi_hv = dmi_hv;

	xen_files = streq(h->type, "xen") || h->guest_type || h->proc_xen;
	if (xen_files && (cpuid_hv == GC_HV_UNKNOWN || cpuid_hv == GC_HV_XEN)) {
		/* 2. Xen's own files; a PV guest sees the host's CPUID, so a clear bit does not contradict. */
		p->hv = GC_HV_XEN;
		p->decided_by = streq(h->type, "xen") ? "/sys/hypervisor/type" : h->guest_type ?
				"/sys/hypervisor/guest_type" : "/proc/xen";
		p->xen_dom0 = h->xen_control_d;
		decide_xen_mode(h, p);
		if (p->xen == GC_XEN_MODE_UNKNOWN && log_xen != GC_XEN_MODE_UNKNOWN) {
			p->xen = log_xen;
			p->decided_by = "kernel log";
		}
		if (p->xen == GC_XEN_MODE_UNKNOWN && cpuid_hv == GC_HV_XEN) {
			p->xen = GC_XEN_HVM;  /* PV guests do not see Xen's CPUID leaves without forced emulation */
			p->decided_by = "CPUID";
		}
	} else if (cpuid_hv == GC_HV_HYPERV && (dmi_hv == GC_HV_KVM || dmi_hv == GC_HV_XEN) && !dmi_cloud) {
		/* 1. CPUID, with systemd's rule for Hyper-V enlightenments alone. */
		p->hv = dmi_hv;
		p->hv_enlightened = true;
		p->decided_by = "DMI (CPUID shows only Hyper-V enlightenments)";
	} else if (cpuid_hv != GC_HV_UNKNOWN) {
		p->hv = cpuid_hv;
		p->tcg = tcg;
		p->decided_by = xen_files ? "CPUID (Xen's interfaces are also present)" : "CPUID";
		if (cpuid_hv == GC_HV_XEN)
			p->xen = log_xen != GC_XEN_MODE_UNKNOWN ? log_xen : GC_XEN_HVM;
	} else if (log_xen == GC_XEN_PV && !(cpuid_read && c->hv_bit)) {
		/* A PV guest sees the host's CPUID: its boot banner is the sign left without /sys/hypervisor. */
		p->hv = GC_HV_XEN;
		p->xen = GC_XEN_PV;
		p->decided_by = "kernel log";
	} else if (cpuid_read && !c->hv_bit && d->err == -ENOENT && (!k || k->err)) {
		/*
		 * A clear bit is also what a Xen PV guest sees (the host's CPUID),
		 * and a PV guest has no DMI, which bare-metal x86 always has: with
		 * the kernel log (its boot banner) unread, nothing tells them apart.
		 */
		p->undecided = "the CPUID hypervisor bit is clear, but there is no DMI (bare-metal x86 has it, a Xen "
			       "PV guest does not) and the kernel log, whose boot banner names Xen PV, could not be read";
	} else if (cpuid_read && !c->hv_bit) {
		/* The bit, when read, decides VM or not: a VM's DMI name with it clear is a conflict. */
		p->hv = GC_HV_NONE;
		p->decided_by = "CPUID (no hypervisor bit)";
	} else if (dmi_hv != GC_HV_UNKNOWN && !(dmi_cloud && !cpuid_read)) {
		/* 3. DMI, when CPUID says a VM but not which, or was not read. */
		p->hv = dmi_hv;
		p->decided_by = cpuid_read ? "DMI (CPUID: hypervisor bit, unknown signature)" : "DMI";
		if (dmi_hv == GC_HV_XEN) {
			p->xen = log_xen;
			if (p->xen == GC_XEN_MODE_UNKNOWN && streq(d->v[GC_DMI_PRODUCT_NAME], "HVM domU"))
				p->xen = GC_XEN_HVM;  /* Xen's hvmloader SMBIOS product name */
		}
	} else if (log_xen != GC_XEN_MODE_UNKNOWN) {
		p->hv = GC_HV_XEN;
		p->xen = log_xen;
		p->decided_by = "kernel log";
	} else if (!cpuid_read && h->vmbus_err == 0 && h->n_vmbus > 0) {
		/*
		 * Devices on a VMBus: the Hyper-V guest bus (drivers/hv). QEMU can
		 * offer one too, but then CPUID or DMI says QEMU: this is the
		 * evidence left when neither was captured.
		 */
		p->hv = GC_HV_HYPERV;
		p->decided_by = "VMBus (no CPUID, no DMI)";
	} else if (cpuid_read && c->hv_bit) {
		p->hv = GC_HV_OTHER;
		p->decided_by = "CPUID (hypervisor bit, unknown signature)";
	}
	if (p->hv == GC_HV_HYPERV && h->vmbus_err == 0 && cpuid_hv == GC_HV_HYPERV)
		p->decided_by = "CPUID, confirmed by VMBus";
	/* A source that is there but could not be read might have disagreed with the one that decided. */
	if (p->hv != GC_HV_UNKNOWN && c->err && c->err != -ENOENT && c->err != -ENOTSUP)
		p->doubt = "the CPUID capture is there but could not be read";
	else if (p->hv != GC_HV_UNKNOWN && h->type_err && h->type_err != -ENOENT)
		p->doubt = "/sys/hypervisor/type is there but could not be read";
	else if (p->hv != GC_HV_UNKNOWN && h->type && !streq(h->type, "xen"))
		/* Only Xen's sys-hypervisor.c makes that file, and writes "xen" into it. */
		p->doubt = "/sys/hypervisor/type holds something no kernel writes there";
	else if (p->hv != GC_HV_UNKNOWN && d->unread)
		p->doubt = "a DMI string under /sys/class/dmi/id is there but could not be read";
	/* A cloud vendor's name fits any verdict; another hypervisor's name, or Xen's files, do not. */
	p->conflict = (dmi_hv != GC_HV_UNKNOWN && !dmi_cloud && p->hv != GC_HV_UNKNOWN && dmi_hv != p->hv) ||
		      (xen_files && p->hv != GC_HV_XEN);
	if (p->conflict && xen_files && p->hv != GC_HV_XEN && (dmi_hv == GC_HV_UNKNOWN || dmi_hv == p->hv)) {
		p->dmi_hv = GC_HV_XEN;  /* the disagreeing source, for the verdict's wording */
		p->conflict_src = streq(h->type, "xen") ? "/sys/hypervisor/type" : "/proc/xen";
	} else if (p->conflict) {
		p->conflict_src = "DMI";
	}
}

void gc_platform_free(struct gc_platform *p)
{
	size_t i;

	for (i = 0; i < p->n_sig; i++) {
		free(p->sig[i].source);
		free(p->sig[i].value);
	}
	free(p->sig);
	*p = (struct gc_platform){ 0 };
}
