/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACPI IOMMU tables under /sys/firmware/acpi/tables: DMAR (Intel VT-d) is
 * parsed; IVRS (AMD-Vi) and VIOT (virtio-iommu) are noted. The files are
 * mode 0400: without root they exist but cannot be read.
 */
#ifndef GC_ACPI_H
#define GC_ACPI_H

#include <stdint.h>

#include "sysroot.h"

#define DMAR_INTR_REMAP 0x01
#define DMAR_X2APIC_OPT_OUT 0x02

struct gc_dmar {
	bool valid;            /* header and every remapping structure checked */
	const char *problem;   /* why not valid */
	uint32_t length;
	bool checksum_ok;
	unsigned haw;          /* host address width in bits (width field + 1) */
	uint8_t flags;
	unsigned n_drhd;
	unsigned n_ioapic_scopes;
	bool include_all;      /* some DRHD has INCLUDE_PCI_ALL */
};

struct gc_acpi_table {
	int err;               /* -ENOENT absent; for DMAR, of reading it */
	bool exists;           /* listed, even if unreadable */
};

struct gc_acpi {
	int dir_err;           /* /sys/firmware/acpi/tables */
	struct gc_acpi_table dmar_file, ivrs, viot;
	struct gc_dmar dmar;
};

int gc_acpi_probe(const struct gc_root *r, struct gc_acpi *out);

/* Pure: decode a DMAR table of len bytes. */
void gc_dmar_parse(const uint8_t *buf, size_t len, struct gc_dmar *out);

#endif
