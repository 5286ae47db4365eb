/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel command line, split as the kernel splits it (quotes group
 * words), and evaluated with the kernel's own rules for the parameters that
 * decide multi-MSI. Pure functions over any string, so the same rules judge
 * /proc/cmdline and a boot loader's configuration.
 */
#ifndef GC_CMDLINE_H
#define GC_CMDLINE_H

#include "sysroot.h"

struct gc_param {
	char *key;
	char *value;  /* NULL for a bare word */
};

struct gc_cmdline {
	int err;
	char *raw;
	struct gc_param *p;
	size_t n;
};

int gc_cmdline_probe(const struct gc_root *r, struct gc_cmdline *out);
/* Pure: split text into out->p (raw is not set). */
void gc_cmdline_parse(const char *text, struct gc_cmdline *out);
void gc_cmdline_free(struct gc_cmdline *c);

/* Parameter names as the kernel compares them: '-' and '_' are equal (kernel/params.c parameq). */
bool gc_param_eq(const char *a, const char *b);

/* Last value of key ("" for a bare word), or NULL when absent; "--" ends kernel parameters. */
const char *gc_cmdline_get(const struct gc_cmdline *c, const char *key);
/* Whether a comma-separated value of key, in any occurrence, contains word ("pci=noaer,nomsi"). */
bool gc_cmdline_has_word(const struct gc_cmdline *c, const char *key, const char *word);

/* What the command line does to multi-MSI, each decided by the rule of the code that parses it. */
enum gc_cmdline_effect {
	GC_EFFECT_NO_IRQ_REMAP,   /* intremap=off / nointremap, unless a later intremap=on */
	GC_EFFECT_NO_MSI,         /* pci=nomsi */
	GC_EFFECT_NO_LAPIC,       /* nolapic */
	GC_EFFECT_APIC_DISABLED,  /* disableapic */
	GC_EFFECT_QAIC_BLOCKED,   /* module_blacklist=qaic (last one wins), modprobe.blacklist=qaic */
	GC_EFFECT_INTEL_IOMMU_OFF,/* intel_iommu=off, unless a later intel_iommu=on */
	GC_EFFECT_AMD_IOMMU_OFF,  /* amd_iommu=off */
	GC_EFFECT_IOMMU_OFF,      /* iommu=off */
	GC_EFFECT_NO_IOAPIC,      /* noapic */
	_GC_EFFECT_MAX,
};

/*
 * For each effect, the index in c->p of the parameter that decided it, or
 * -1 when the effect does not hold (absent, or undone by a later parameter).
 */
void gc_cmdline_effects(const struct gc_cmdline *c, int out[_GC_EFFECT_MAX]);
/* The parameter as written ("intremap=on,off"), into buf. */
const char *gc_cmdline_param_text(const struct gc_cmdline *c, int i, char *buf, size_t size);

#endif
