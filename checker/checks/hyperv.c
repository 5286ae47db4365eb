// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hyper-V: no emulated IOMMU; the paravirtual PCI controller (pci-hyperv,
 * VMBus driver hv_pci) supplies the MSIs, and multi-MSI through it needs
 * four fixes first in Linux v5.19-rc1.
 */
#include <errno.h>

#include "../registry.h"

#define REMEDY_DDA \
	"on the Hyper-V host (PowerShell, VM off): Dismount-VMHostAssignableDevice -LocationPath <path>, " \
	"then Add-VMAssignableDevice -LocationPath <path> -VMName <vm>, and start the VM"

/* The VMBus instance a PCI device hangs below ("/VMBUS:00/<guid>/pci<dom>:00/..."), or NULL. */
static char *vmbus_instance(const char *link)
{
	const char *p = link ? strcasestr(link, "/vmbus:") : NULL;
	const char *guid;

	if (!p)
		return NULL;
	guid = strchr(p + 1, '/');
	if (!guid)
		return NULL;
	guid++;
	return xstrndup(guid, strcspn(guid, "/"));
}

static bool is_vpci_channel(const struct gc_facts *f, const char *guid, const char **driver)
{
	size_t i;

	for (i = 0; guid && i < f->hvf.n_vpci; i++)
		if (strcasecmp(f->hvf.vpci[i], guid) == 0) {
			*driver = f->hvf.vpci_driver[i];
			return true;
		}
	return false;
}

static bool pci_hyperv_present(const struct gc_facts *f)
{
	return gc_module_loaded(&f->mods, "pci_hyperv") || gc_module_builtin(&f->mods, "pci_hyperv");
}

/*
 * Hyper-V's checks run on Hyper-V, and on an unknown platform that shows
 * Hyper-V's buses (a VMBus, or vPCI MSI chips); an unknown platform without
 * them cannot say whether they apply.
 */
static bool hyperv_applies(const struct gc_facts *f, struct gc_result *r)
{
	if (f->platform.hv == GC_HV_HYPERV)
		return true;
	if (f->platform.hv != GC_HV_UNKNOWN) {
		gc_result_add(r, GC_SKIP, "not a Hyper-V guest");
		return false;
	}
	if (f->hvf.vmbus_err == 0 || (f->irqs.err == 0 && f->irqs.n_hv_msi))
		return true;
	gc_result_add(r, GC_UNKNOWN, "the platform is unknown and no Hyper-V bus was seen: whether this applies is unknown");
	return false;
}

void check_hyperv_vpci(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	char cfg[64];
	bool hv_chips;
	size_t i;

	(void)o;
	if (!hyperv_applies(f, r))
		return;
	/* The vPCI MSI chips (Hyper-V PCIe MSI, HV-PCI-MSI-<bdf> after 5f83d6337c9c) are vPCI at work. */
	hv_chips = f->irqs.err == 0 && f->irqs.n_hv_msi;
	if (f->hvf.vmbus_err && !hv_chips) {
		gc_evidence_add(r, "/sys/bus/vmbus/devices", "%s", gc_err_reason(f->hvf.vmbus_err));
		if (f->hvf.vmbus_err != -ENOENT) {
			gc_result_unreadable(r, "the VMBus", "/sys/bus/vmbus/devices", f->hvf.vmbus_err);
			return;
		}
		gc_result_add(r, GC_FAIL, "no VMBus: the Hyper-V paravirtual buses are not up");
		gc_remedy_add(r, "load the Hyper-V drivers: modprobe hv_vmbus pci_hyperv (CONFIG_HYPERV, CONFIG_PCI_HYPERV)");
		return;
	}
	if (f->hvf.vmbus_err)
		gc_evidence_add(r, "/sys/bus/vmbus/devices", "%s, but vPCI MSI chips are in use",
				gc_err_reason(f->hvf.vmbus_err));
	else
		gc_evidence_add(r, "/sys/bus/vmbus/devices", "%zu devices, %zu PCI pass-through channel%s (class %s)",
				f->hvf.n_vmbus, f->hvf.n_vpci, f->hvf.n_vpci == 1 ? "" : "s", GC_HV_PCIE_GUID);
	if (f->mods.loaded_err && !gc_module_builtin(&f->mods, "pci_hyperv"))
		gc_evidence_add(r, "/proc/modules", "%s", gc_err_reason(f->mods.loaded_err));
	else
		gc_evidence_add(r, "/proc/modules", "pci_hyperv %s", gc_module_loaded(&f->mods, "pci_hyperv") ? "loaded"
					: gc_module_builtin(&f->mods, "pci_hyperv") ? "built in" : "not loaded");
	gc_evidence_add(r, "CONFIG_PCI_HYPERV", "%s", gc_facts_kconfig(f, "CONFIG_PCI_HYPERV", cfg, sizeof(cfg)));
	if (f->pci.n_devs == 0) {
		if (f->hvf.n_vpci == 0) {
			gc_result_add(r, GC_FAIL, "no PCI pass-through channel on the VMBus: nothing is assigned to this VM");
			gc_remedy_add(r, REMEDY_DDA);
		} else {
			gc_result_add(r, GC_SKIP, "vPCI is present (%zu channel%s) but no card (see device.present)",
				      f->hvf.n_vpci, f->hvf.n_vpci == 1 ? "" : "s");
		}
		return;
	}
	for (i = 0; i < f->pci.n_devs; i++) {
		const struct gc_pci_dev *d = &f->pci.devs[i];
		char *guid = vmbus_instance(d->sysfs_link);
		const char *vmbus_driver = NULL;
		char path[128];

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", d->f.addr);
		gc_evidence_add(r, path, "-> %s", d->sysfs_link ? d->sysfs_link : "(no link)");
		if (!guid) {
			gc_result_add(r, GC_FAIL, "%s is not behind the Hyper-V PCI controller", d->f.addr);
			gc_remedy_add(r, "assign the card with Discrete Device Assignment: " REMEDY_DDA);
			continue;
		}
		if (!is_vpci_channel(f, guid, &vmbus_driver)) {
			gc_result_add(r, GC_UNKNOWN, "%s hangs below VMBus device %s, which is not listed as a PCI pass-through channel",
				      d->f.addr, guid);
			free(guid);
			continue;
		}
		snprintf(path, sizeof(path), "/sys/bus/vmbus/devices/%s/driver", guid);
		gc_evidence_add(r, path, "%s", vmbus_driver ? vmbus_driver : "absent");
		/* Its bus exists only through pci-hyperv; an unread /proc/modules says nothing against it. */
		if (!vmbus_driver && !pci_hyperv_present(f) && !f->mods.loaded_err)
			gc_result_add(r, GC_WARN, "%s: pci-hyperv is not seen driving its channel", d->f.addr);
		else
			gc_result_add(r, GC_PASS, "%s behind the Hyper-V PCI controller (VMBus %s)", d->f.addr, guid);
		free(guid);
	}
	if (f->irqs.err == 0 && f->irqs.n_hv_msi)
		gc_evidence_add(r, "/proc/interrupts", "%zu interrupts on the Hyper-V vPCI MSI domain (%s)",
				f->irqs.n_hv_msi, f->irqs.hv_example);
}

/* A qaic PCI function among the listed ones, with the address given. */
static bool listed_qaic(const struct gc_facts *f, const char *addr, size_t len)
{
	size_t i;

	for (i = 0; i < f->pci.n_devs; i++)
		if (strlen(f->pci.devs[i].f.addr) == len && strncmp(f->pci.devs[i].f.addr, addr, len) == 0 &&
		    streq(f->pci.devs[i].driver, "qaic"))
			return true;
	return false;
}

/*
 * qaic's 1-MSI line for a function the PCI scan could not show as a qaic card
 * (its sysfs entry unreadable): on Hyper-V every passed-through function sits
 * behind vPCI, so the line alone shows the fallback.
 */
static int logged_fallback(const struct gc_facts *f, char *how, size_t size)
{
	size_t i;

	for (i = 0; i < f->kmsg.n; i++) {
		const char *l = f->kmsg.lines[i], *addr = l + strlen("qaic ");
		size_t len;

		if (!startswith(l, "qaic ") || !strstr(l, "operating in 1 MSI mode"))
			continue;
		len = strcspn(addr, ": ");
		while (addr[len] == ':' && addr[len + 1] != ' ')
			len += 1 + strcspn(addr + len + 1, ": ");
		if (listed_qaic(f, addr, len))
			continue;  /* judged from its sysfs entry above */
		snprintf(how, size, "%.*s fell back to 1 MSI (qaic: \"operating in 1 MSI mode\"); its PCI entry "
			 "could not be read", (int)len, addr);
		return 0;
	}
	return -1;
}

/* Runtime evidence for 08e61e861a0e from a card behind vPCI bound to qaic. */
static int runtime_evidence(const struct gc_facts *f, char *how, size_t size)
{
	bool unexplained = false;
	size_t i;

	for (i = 0; i < f->pci.n_devs; i++) {
		const struct gc_pci_dev *d = &f->pci.devs[i];
		unsigned got = d->n_msi + d->n_msix;
		char *guid = vmbus_instance(d->sysfs_link);
		bool behind_vpci = guid != NULL;
		char prefix[64];

		free(guid);
		if (!behind_vpci || !streq(d->driver, "qaic"))
			continue;
		/* More than one vector is exactly what 08e61e861a0e made possible. */
		if (!d->msi_irqs_err && got > 1) {
			snprintf(how, size, "%s behind vPCI got %u MSI vectors", d->f.addr, got);
			return 1;
		}
		/*
		 * qaic's init_msi() logs the fallback once it holds its one vector: the
		 * line shows it by itself, and an msi_irqs/ unreadable or (impossibly,
		 * under a bound driver) empty must not hide it.
		 */
		snprintf(prefix, sizeof(prefix), "qaic %s: ", d->f.addr);
		if (gc_kmsg_find(&f->kmsg, prefix, "operating in 1 MSI mode")) {
			bool cap_known = !d->cfg_err && d->caps.msi.state == GC_CAP_FOUND;

			if (cap_known && d->caps.msi.capable < 32)
				continue;  /* the host limits the vectors: says nothing about the guest */
			snprintf(how, size, "%s behind vPCI fell back to 1 MSI (qaic: \"operating in 1 MSI mode\")%s",
				 d->f.addr, cap_known ? "" : "; or the host limits the vector count (capability needs root)");
			return 0;
		}
		/*
		 * One vector under qaic is its fallback (its request is all or nothing)
		 * unless the host offers fewer; the log line that says so cannot be read.
		 */
		if (got == 1 && !d->msi_irqs_err && f->kmsg.err && !unexplained &&
		    !(!d->cfg_err && d->caps.msi.state == GC_CAP_FOUND && d->caps.msi.capable < 32)) {
			snprintf(how, size, "%s behind vPCI holds 1 MSI vector; the kernel log that would say why: %s",
				 d->f.addr, gc_err_reason(f->kmsg.err));
			unexplained = true;
		}
	}
	if (unexplained)
		return -2;
	return logged_fallback(f, how, size);
}

/* The upstream version the kernel is built on, when something says it exactly. */
static bool upstream_version(const struct gc_facts *f, struct gc_kversion *v, const char **src)
{
	char buf[256];  /* a whole version string: never cut mid-value */
	const char *s = gc_upstream_version(&f->kpkg, buf, sizeof(buf), src);

	if (s && gc_kversion_parse(s, v) == 0 && v->has_patch)
		return true;
	/* A release with no digits after the version ("5.15.58", "6.1.5-custom") is upstream's own. */
	if (!f->kver_err && !strpbrk(f->kver.suffix, "0123456789")) {
		*v = f->kver;
		*src = "/proc/sys/kernel/osrelease";
		return true;
	}
	return false;
}

void check_hyperv_kernel_fixes(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	struct gc_fix_result res[_GC_FIX_MAX];
	struct gc_fix_inputs in = { .runtime = -1 };
	struct gc_kversion up;
	char how[256], cfg[16];
	const char *release = f->mods.release ? f->mods.release : "(release unknown)";
	size_t i, present = 0, absent = 0;

	(void)o;
	if (!hyperv_applies(f, r))
		return;
	in.runtime = runtime_evidence(f, how, sizeof(how));
	in.runtime_how = how;
	if (f->kpkg.changelog && !f->kpkg.changelog_err) {
		in.changelog = f->kpkg.changelog;
		in.changelog_found = f->kpkg.found;
	}
	if (upstream_version(f, &up, &in.upstream_src))
		in.upstream = &up;
	in.base = f->kver_err ? NULL : &f->kver;
	in.ksyms = f->ksyms.err ? NULL : &f->ksyms;
	in.kallsyms_all = streq(gc_facts_kconfig(f, "CONFIG_KALLSYMS_ALL", cfg, sizeof(cfg)), "y");
	in.table = &f->fixtable;
	in.release = f->mods.release;
	in.not_x86 = f->cpuid.err == -ENOTSUP;
	gc_fixes_decide(&in, res);

	for (i = 0; i < _GC_FIX_MAX; i++) {
		char src[32];

		snprintf(src, sizeof(src), "commit %s", gc_fix_info[i].id);
		gc_evidence_add(r, src, "%s%s: %s", i == GC_FIX_FOLLOWUP ? "follow-up, " : "",
				gc_fix_state_name(res[i].state), res[i].how);
		if (i < GC_FIX_REQUIRED) {
			present += res[i].state == GC_FIX_PRESENT;
			absent += res[i].state == GC_FIX_ABSENT;
		}
	}
	if (f->ksyms.err && f->ksyms.err != -ENOENT)
		gc_evidence_add(r, "/proc/kallsyms", "%s", gc_err_reason(f->ksyms.err));
	else if (!f->ksyms.err)
		gc_evidence_add(r, "/proc/kallsyms", "%zu lines; pci-hyperv code %s", f->ksyms.lines,
				!f->ksyms.driver ? "not listed" : f->ksyms.driver_is_module ? "listed (module)"
									     : "listed (built in)");
	for (i = 0; i < f->fixtable.n_problems; i++)
		gc_evidence_add(r, "pci-hyperv fix table", "%s; ignored", f->fixtable.problems[i]);

	if ((in.runtime == 0 || in.runtime == -2) && !in.not_x86 && res[GC_FIX_MULTI_MSI].state == GC_FIX_PRESENT) {
		/* The version proves the fixes, so they do not explain the fallback (verified-facts Q5). */
		gc_evidence_add(r, "runtime", "%s", how);
		gc_result_add(r, GC_UNKNOWN, "the card %s 1 MSI although kernel %s carries the multi-MSI "
					     "fixes: the fixes do not explain it",
			      in.runtime == 0 ? "fell back to" : "holds", release);
		gc_remedy_add(r, "read the kernel log around the fallback (dmesg | grep -i -e qaic -e msi) and the "
				 "vector count the host offers (MSI capability, lspci -vv as root)");
	} else if (absent) {
		gc_result_add(r, GC_FAIL, "%zu of the 4 pci-hyperv multi-MSI fixes missing from kernel %s", absent,
			      release);
		gc_remedy_add(r, "boot a kernel with the four fixes: upstream 5.19 or later, or a stable release at or "
				 "after 5.18.15, 5.15.58, 5.10.134, 5.4.208, 4.19.254, 4.14.290; or ask the distribution "
				 "for commits 08e61e861a0e, 455880dfe292, b4b77778ecc5, a2bad844a67b");
	} else if (present == GC_FIX_REQUIRED) {
		gc_result_add(r, GC_PASS, "all 4 pci-hyperv multi-MSI fixes present");
		if (res[GC_FIX_FOLLOWUP].state == GC_FIX_ABSENT) {
			gc_result_add(r, GC_WARN, "follow-up c234ba804292 missing: every vPCI interrupt lands on one CPU");
			gc_remedy_add(r, "the card works; other vPCI devices suffer. Upgrade to a kernel with c234ba804292 "
					 "(\"PCI: hv: Only reuse existing IRTE allocation for Multi-MSI\"): 6.1 or later, 6.0.11 or later");
		}
	} else {
		gc_result_add(r, GC_UNKNOWN, "%zu of the 4 fixes undecided for kernel %s", GC_FIX_REQUIRED - present,
			      release);
		if (f->mods.release)
			gc_remedy_add(r, "ask the distribution whether kernel %s carries 08e61e861a0e, 455880dfe292, "
					 "b4b77778ecc5 and a2bad844a67b (then record the answer, with its source, in "
					 "/etc/aic-guestcheck/hyperv-fixes.d/), or load qaic with the card assigned so the "
					 "allocation decides", f->mods.release);
		else
			gc_remedy_add(r, "capture the kernel release (/proc/sys/kernel/osrelease, uname -r), or load "
					 "qaic with the card assigned so the allocation decides");
	}
}
