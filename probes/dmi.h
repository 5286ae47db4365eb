/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SMBIOS strings from /sys/class/dmi/id (world-readable ones only). */
#ifndef GC_DMI_H
#define GC_DMI_H

#include "sysroot.h"

enum gc_dmi_field {
	GC_DMI_SYS_VENDOR,
	GC_DMI_PRODUCT_NAME,
	GC_DMI_PRODUCT_VERSION,
	GC_DMI_BOARD_VENDOR,
	GC_DMI_BIOS_VENDOR,
	_GC_DMI_MAX,
};

struct gc_dmi {
	int err;                   /* -ENOENT: no DMI at all */
	char *v[_GC_DMI_MAX];      /* NULL when absent */
	unsigned unread;           /* fields there but not read (these are world-readable: damage) */
};

extern const char *const gc_dmi_files[_GC_DMI_MAX];

int gc_dmi_probe(const struct gc_root *r, struct gc_dmi *out);
void gc_dmi_free(struct gc_dmi *d);

#endif
