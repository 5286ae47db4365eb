/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/kallsyms, streamed (it holds 100,000+ lines) and reduced to the few
 * pci-hyperv symbols that tell fixes apart. Names are listed without root;
 * only the addresses read as zero.
 */
#ifndef GC_KALLSYMS_H
#define GC_KALLSYMS_H

#include <stdint.h>

#include "sysroot.h"

struct gc_ksym {
	uint64_t addr;
	char type;
	char name[128];
	char module[64];   /* "" for built-in code */
};

struct gc_kallsyms {
	int err;
	size_t lines;
	bool driver;              /* pci-hyperv code is listed (hv_compose_msi_msg) */
	bool driver_is_module;    /* ... tagged [pci_hyperv] */
	bool hv_msi_prepare;      /* added by the 4.14-5.15 backports of 08e61e861a0e */
	bool multi_msi_cpu_lock;  /* static lock added by c234ba804292 */
};

/* Parse "ffffffffc0a01230 t hv_msi_prepare\t[pci_hyperv]"; -EINVAL for anything else. */
int gc_kallsyms_parse_line(const char *line, struct gc_ksym *out);
int gc_kallsyms_probe(const struct gc_root *r, struct gc_kallsyms *out);

#endif
