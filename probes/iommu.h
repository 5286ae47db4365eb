/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IOMMU units the kernel registered: /sys/class/iommu and /sys/kernel/iommu_groups. */
#ifndef GC_IOMMU_H
#define GC_IOMMU_H

#include <stdint.h>

#include "sysroot.h"

struct gc_iommu_unit {
	char *name;            /* dmar0, ivhd0, ... */
	bool intel;            /* has intel-iommu/ */
	int cap_err, ecap_err;
	uint64_t cap, ecap;    /* intel-iommu/cap, ecap: hex without 0x */
};

struct gc_iommu {
	int err;               /* of /sys/class/iommu; -ENOENT: no unit registered */
	struct gc_iommu_unit *u;
	size_t n;
	int n_groups;          /* /sys/kernel/iommu_groups entries, or -errno */
};

/* VT-d register bits (drivers/iommu/intel/iommu.h). */
#define VTD_CAP_CM(c) (((c) >> 7) & 1)
#define VTD_ECAP_IR(e) (((e) >> 3) & 1)
#define VTD_ECAP_EIM(e) (((e) >> 4) & 1)
#define VTD_ECAP_MHMV(e) (((e) >> 20) & 0xf)

/*
 * A unit's registers as alloc_iommu() logs them, even with intel_iommu=off
 * (drivers/iommu/intel/dmar.c: pr_info("%s: reg_base_addr %llx ver %d:%d
 * cap %llx ecap %llx\n")), from the message text after "DMAR: ".
 * 0 on success, -EINVAL for any other line or a garbled value.
 */
struct gc_iommu_logged {
	char name[16];
	uint64_t cap, ecap;
};
int gc_iommu_parse_logged(const char *msg, struct gc_iommu_logged *out);

int gc_iommu_probe(const struct gc_root *r, struct gc_iommu *out);
void gc_iommu_free(struct gc_iommu *m);

#endif
