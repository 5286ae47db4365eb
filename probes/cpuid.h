/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CPUID: executed live, replayed under --sysroot from <sysroot>/dev/cpuid,
 * which holds lines in the raw format of the `cpuid -r` tool:
 *   "   0x40000000 0x00: eax=0x40000001 ebx=0x54474354 ecx=0x43544743 edx=0x47435447"
 * Only the first CPU block is read.
 */
#ifndef GC_CPUID_H
#define GC_CPUID_H

#include <stdbool.h>
#include <stdint.h>

#include "sysroot.h"

struct gc_cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

struct gc_cpuid_hvleaf {
	uint32_t base;
	uint32_t max_leaf;    /* EAX */
	char sig[13];         /* EBX, ECX, EDX as text, NULs kept as end */
};

struct gc_cpuid {
	int err;              /* -ENOENT no replay file, -ENOTSUP not x86, -EBADMSG damaged
	                         replay, -ENODATA replay without leaf 1 */
	char problem[64];     /* for -EBADMSG/-ENODATA: what is wrong */
	const char *source;
	bool leaf1;           /* leaf 1 was read; without it hv_bit means nothing */
	bool hv_bit;          /* leaf 1 ECX bit 31 */
	char vendor[13];      /* leaf 0 */
	struct gc_cpuid_hvleaf hv[8];  /* self-consistent hypervisor leaves, lowest base first */
	size_t n_hv;
	struct {
		uint32_t leaf;
		struct gc_cpuid_regs r;
	} raw[10];            /* the leaves the decoding rests on, for a replayable capture */
	size_t n_raw;
};

/* Write the leaves in raw in the `cpuid -r` format that dev/cpuid replays. */
void gc_cpuid_format(const struct gc_cpuid *c, FILE *out);

/* Replay table: leaves read from a file. */
struct gc_cpuid_table {
	struct {
		uint32_t leaf;
		struct gc_cpuid_regs r;
	} *e;
	size_t n;
	unsigned bad_line;    /* -EBADMSG: the first line that is not a `cpuid -r` line */
};

int gc_cpuid_probe(const struct gc_root *r, struct gc_cpuid *out);

/* Parse one "cpuid -r" line; 0 on success, -EINVAL for other lines. Subleaf must be 0. */
int gc_cpuid_parse_line(const char *line, uint32_t *leaf, struct gc_cpuid_regs *regs);
/* The same for any subleaf; values must be hex that fits 32 bits, nothing may follow. */
int gc_cpuid_parse_line_sub(const char *line, uint32_t *leaf, uint32_t *sub, struct gc_cpuid_regs *regs);
/* The first CPU block of a `cpuid -r` dump; -EBADMSG (t->bad_line set) on any other line. */
int gc_cpuid_table_parse(const char *text, struct gc_cpuid_table *t);
void gc_cpuid_table_free(struct gc_cpuid_table *t);
/* A gc_cpuid_fn over a table (ctx): the leaf's registers, or -ENOENT. */
int gc_cpuid_table_lookup(void *ctx, uint32_t leaf, struct gc_cpuid_regs *regs);

/*
 * Decode leaves 0, 1 and the hypervisor range from a lookup function
 * (returns 0 and fills regs, or -ENOENT). Pure, for tests.
 */
typedef int (*gc_cpuid_fn)(void *ctx, uint32_t leaf, struct gc_cpuid_regs *regs);
void gc_cpuid_decode(gc_cpuid_fn fn, void *ctx, struct gc_cpuid *out);

#endif
