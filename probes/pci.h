/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PCI facts: every function's identity (libpci), and details of the cards we look for. */
#ifndef GC_PCI_H
#define GC_PCI_H

#include <stdint.h>

#include "pcicap.h"
#include "sysroot.h"

struct gc_pci_id {
	uint16_t vendor, device;
	const char *name;  /* static */
};

/* The AIC100 family (qaic_drv.c: PCI_DEV_AIC100, PCI_DEV_AIC080). */
extern const struct gc_pci_id gc_card_ids[2];
/* The card ID that vendor:device is (one of gc_card_ids, else extra when it matches), or NULL. */
const struct gc_pci_id *gc_pci_card_id(unsigned vendor, unsigned device, const struct gc_pci_id *extra);

struct gc_pci_func {
	char addr[32];            /* 0000:00:00.0 */
	uint16_t vendor, device;
	uint32_t class;           /* base class, subclass, prog-if */
};

struct gc_bar {
	unsigned index;
	uint64_t base, size;
	bool assigned;            /* non-zero base address */
};

struct gc_pci_dev {
	struct gc_pci_func f;
	const char *name;
	uint16_t subsys_vendor, subsys_device;
	bool has_subsys;
	char *driver;             /* NULL: none bound */
	char *iommu_group;        /* NULL: not in a group */
	int numa_node;            /* -1: none */
	struct gc_bar bars[6];
	unsigned n_bars;
	int bars_err;             /* resource missing or unreadable: BARs unknown */
	char *sysfs_link;         /* target of /sys/bus/pci/devices/<addr> */
	char *modalias;

	/* Config space as read (root: 256 or 4096 bytes; others: 64). */
	int cfg_err;
	size_t cfg_len;
	struct gc_pci_caps caps;

	/* /sys/bus/pci/devices/<addr>/msi_irqs: vectors the kernel allocated. */
	int msi_irqs_err;         /* -ENOENT: directory absent, i.e. none allocated */
	unsigned n_msi, n_msix, n_msi_other;

	/* /sys/bus/pci/devices/<addr>/accel/accelN and whether /dev/accel/accelN exists. */
	char **accel;
	size_t n_accel;
	bool *accel_dev_present;
};

struct gc_pci_facts {
	int err;                  /* 0, or why no scan happened */
	char *err_msg;            /* libpci's own words when it gave up */
	struct gc_pci_func *all;
	size_t n_all;
	struct gc_pci_dev *devs;  /* functions matching the card IDs */
	size_t n_devs;
	char **skipped;           /* entries of /sys/bus/pci/devices that could not be identified */
	size_t n_skipped;
};

/* extra: an additional ID to treat as a card (--device-id), or NULL. */
int gc_pci_probe(const struct gc_root *r, const struct gc_pci_id *extra, struct gc_pci_facts *out);
void gc_pci_facts_free(struct gc_pci_facts *f);

const struct gc_pci_func *gc_pci_find(const struct gc_pci_facts *f, const char *addr);

/* Count msi_irqs entries by the mode each file holds ("msi", "msix"). */
int gc_msi_irqs_read(const struct gc_root *r, const char *addr, unsigned *ret_msi,
		     unsigned *ret_msix, unsigned *ret_other);

#endif
