/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pure decoding of PCI configuration space: the capability list and the MSI/MSI-X capabilities. */
#ifndef GC_PCICAP_H
#define GC_PCICAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCI_CAP_ID_MSI 0x05
#define PCI_CAP_ID_MSIX 0x11
/* Unprivileged reads of sysfs "config" stop after the standard header. */
#define PCI_CFG_UNPRIVILEGED_LEN 64

enum gc_cap_state {
	GC_CAP_FOUND,
	GC_CAP_NOT_FOUND,   /* the whole list was walked */
	GC_CAP_TRUNCATED,   /* the list points past the bytes we could read */
	GC_CAP_MALFORMED,   /* looping or broken chain, reserved field values */
};

struct gc_msi_cap {
	enum gc_cap_state state;
	uint8_t offset;
	uint16_t control;     /* Message Control */
	unsigned capable;     /* Multiple Message Capable, in vectors */
	unsigned enabled_n;   /* Multiple Message Enable, in vectors */
	bool enabled;         /* MSI Enable bit */
	bool is64;
	bool maskable;
};

struct gc_msix_cap {
	enum gc_cap_state state;
	uint8_t offset;
	unsigned table_size;
	bool enabled;
};

struct gc_pci_caps {
	struct gc_msi_cap msi;
	struct gc_msix_cap msix;
	const char *problem;  /* why the walk stopped early, for evidence */
};

/* Walk the capability list of cfg[0..len) and decode MSI and MSI-X. */
void gc_pci_caps_parse(const uint8_t *cfg, size_t len, struct gc_pci_caps *out);

const char *gc_cap_state_str(enum gc_cap_state s);

#endif
