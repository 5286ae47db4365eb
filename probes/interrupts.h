/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/interrupts, reduced to which interrupt chips are in use. Chip names
 * tell whether interrupt remapping is live: "IR-IO-APIC", "IR-PCI-MSI"
 * (before 6.2) or "IR-PCI-MSI-<bdf>" (per-device domains) with remapping,
 * and "vIR-PCI-MSI-<bdf>" on 6.2-6.9 behind an IOMMU with caching mode
 * (810531a1af53 virt_dmar_msi_parent_ops .prefix "vIR-", reverted in 6.10);
 * "IO-APIC", "PCI-MSI..." without; Hyper-V's vPCI domain is
 * "Hyper-V PCIe MSI" or "HV-PCI-MSI..." (5f83d6337c9c).
 */
#ifndef GC_INTERRUPTS_H
#define GC_INTERRUPTS_H

#include "sysroot.h"

/* One PCI function's vectors, from a per-device chip name ("IR-PCI-MSIX-0000:01:00.0"). */
struct gc_irq_dev {
	char bdf[16];
	char chip[48];         /* the first chip seen for it */
	bool remapped;         /* IR- or vIR- */
	bool hv;               /* Hyper-V vPCI */
	unsigned n;            /* lines */
};

#define GC_IRQ_DEVS_MAX 32

struct gc_interrupts {
	int err;
	size_t n_lines;        /* numbered IRQ lines */
	size_t n_ir;           /* lines whose chip starts with IR- or vIR- */
	size_t n_msi_plain;    /* PCI-MSI/PCI-MSIX lines without IR- */
	size_t n_ioapic_plain; /* IO-APIC lines without IR- */
	size_t n_hv_msi;       /* Hyper-V vPCI MSI lines */
	char ir_example[64];   /* one IR chip name, for evidence */
	char plain_example[64];
	char hv_example[64];
	struct gc_irq_dev dev[GC_IRQ_DEVS_MAX];
	size_t n_dev;
	size_t n_dev_dropped;  /* devices past GC_IRQ_DEVS_MAX */
};

int gc_interrupts_probe(const struct gc_root *r, struct gc_interrupts *out);
/* Pure: fold one line of /proc/interrupts into out. */
void gc_interrupts_line(const char *line, struct gc_interrupts *out);
/* The vectors of one function, when a per-device chip names it; NULL otherwise. */
const struct gc_irq_dev *gc_interrupts_dev(const struct gc_interrupts *i, const char *bdf);

#endif
