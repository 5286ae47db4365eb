/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/interrupts, reduced to which interrupt chips are in use. Chip names
 * tell whether interrupt remapping is live: "IR-IO-APIC", "IR-PCI-MSI"
 * (before 6.2) or "IR-PCI-MSI-<bdf>" (per-device domains) with remapping;
 * "IO-APIC", "PCI-MSI..." without; Hyper-V's vPCI domain is
 * "Hyper-V PCIe MSI" or "HV-PCI-MSI...".
 */
#ifndef GC_INTERRUPTS_H
#define GC_INTERRUPTS_H

#include "sysroot.h"

struct gc_interrupts {
	int err;
	size_t n_lines;        /* numbered IRQ lines */
	size_t n_ir;           /* lines whose chip starts with IR- */
	size_t n_msi_plain;    /* PCI-MSI/PCI-MSIX lines without IR- */
	size_t n_ioapic_plain; /* IO-APIC lines without IR- */
	size_t n_hv_msi;       /* Hyper-V vPCI MSI lines */
	char ir_example[64];   /* one IR chip name, for evidence */
	char plain_example[64];
	char hv_example[64];
};

int gc_interrupts_probe(const struct gc_root *r, struct gc_interrupts *out);
/* Pure: fold one line of /proc/interrupts into out. */
void gc_interrupts_line(const char *line, struct gc_interrupts *out);

#endif
