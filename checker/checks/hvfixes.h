/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pci-hyperv multi-MSI fixes: which evidence decides each, in what order. */
#ifndef GC_HVFIXES_H
#define GC_HVFIXES_H

#include "../../probes/fixtable.h"
#include "../../probes/kallsyms.h"
#include "../../probes/kversion.h"

enum gc_fix {
	GC_FIX_MULTI_MSI,      /* 08e61e861a0e */
	GC_FIX_UNMASK,         /* 455880dfe292 */
	GC_FIX_REUSE_IRTE,     /* b4b77778ecc5 */
	GC_FIX_MAPPING,        /* a2bad844a67b */
	GC_FIX_FOLLOWUP,       /* c234ba804292, repairs a regression of b4b77778ecc5 */
	_GC_FIX_MAX,
};
#define GC_FIX_REQUIRED 4     /* the first four are the vendor guide's */

struct gc_fix_info {
	const char *id;
	const char *subject;
};
extern const struct gc_fix_info gc_fix_info[_GC_FIX_MAX];

enum gc_fix_state { GC_FIX_UNKNOWN, GC_FIX_PRESENT, GC_FIX_ABSENT };

struct gc_fix_inputs {
	int runtime;                  /* 1 multi-MSI worked behind vPCI, 0 it fell back, -1 no evidence,
					 -2 a card holds 1 vector and the log that would say why is unreadable */
	const char *runtime_how;
	const char *changelog;        /* path read, NULL when none */
	const bool *changelog_found;  /* per fix, when changelog */
	const struct gc_kversion *upstream;  /* exact upstream version, NULL when unknown */
	const char *upstream_src;
	const struct gc_kversion *base;      /* from the release string: major.minor hold even for distributions */
	const struct gc_kallsyms *ksyms;     /* NULL when not read */
	bool kallsyms_all;            /* CONFIG_KALLSYMS_ALL=y: static variables are listed */
	const struct gc_fixtable *table;
	const char *release;
	bool not_x86;                 /* arm64: 08e61e and 455880 touch x86-only code */
};

struct gc_fix_result {
	enum gc_fix_state state;
	char how[384];
};

/* Decide each fix from the strongest evidence: a version that proves it, runtime, changelog, version, symbols, table. */
void gc_fixes_decide(const struct gc_fix_inputs *in, struct gc_fix_result out[_GC_FIX_MAX]);

/* The version rule alone (upstream: exact upstream version or NULL; base: from the release). */
enum gc_fix_state gc_fix_by_version(const struct gc_kversion *upstream, const struct gc_kversion *base,
				    enum gc_fix fix, char *why, size_t size);

const char *gc_fix_state_name(enum gc_fix_state s);

#endif
