/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Paravirtual buses and hypervisor files: /sys/hypervisor, /proc/xen, /sys/bus/vmbus. */
#ifndef GC_HYPERVISOR_H
#define GC_HYPERVISOR_H

#include "sysroot.h"

/* VMBus class of the PCI pass-through channel (include/linux/hyperv.h HV_PCIE_GUID). */
#define GC_HV_PCIE_GUID "44c4f61d-4444-4400-9d52-802e27ede19f"

struct gc_hvfiles {
	char *type;             /* /sys/hypervisor/type ("xen") */
	int type_err;           /* reading it: -ENOENT absent; anything else: there but not read */
	char *guest_type;       /* /sys/hypervisor/guest_type ("PV", "PVH", "HVM") */
	char *features;         /* /sys/hypervisor/properties/features (hex) */
	bool xen_control_d;     /* /proc/xen/capabilities contains control_d (dom0) */
	bool proc_xen;
	int vmbus_err;          /* -ENOENT: no VMBus */
	size_t n_vmbus;         /* VMBus devices */
	char **vpci;            /* instance GUIDs of PCI pass-through channels */
	char **vpci_driver;     /* the VMBus driver bound to each (hv_pci), or NULL */
	size_t n_vpci;
};

int gc_hvfiles_probe(const struct gc_root *r, struct gc_hvfiles *out);
void gc_hvfiles_free(struct gc_hvfiles *h);

/* "{44C4F61D-...}" or "44c4f61d-..." to lower case without braces, in place. */
char *gc_guid_normalize(char *s);

#endif
