// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-commit decisions for the Hyper-V vPCI multi-MSI fixes. Sources:
 * kernel-facts.md §1-2 (mainline v5.19-rc1; stable 5.18.15, 5.15.58,
 * 5.10.134, 5.4.208, 4.19.254, 4.14.290; none for 4.9, 5.16, 5.17) and,
 * for c234ba804292, the Linux 6.0.11 announcement (2022-12-02) and its
 * presence in mainline before v6.1.
 */
#include <stdio.h>

#include "hvfixes.h"
#include "../../probes/util.h"

const struct gc_fix_info gc_fix_info[_GC_FIX_MAX] = {
	[GC_FIX_MULTI_MSI] = { "08e61e861a0e", "PCI: hv: Fix multi-MSI to allow more than one MSI vector" },
	[GC_FIX_UNMASK] = { "455880dfe292", "PCI: hv: Fix hv_arch_irq_unmask() for multi-MSI" },
	[GC_FIX_REUSE_IRTE] = { "b4b77778ecc5", "PCI: hv: Reuse existing IRTE allocation in compose_msi_msg()" },
	[GC_FIX_MAPPING] = { "a2bad844a67b", "PCI: hv: Fix interrupt mapping for multi-MSI" },
	[GC_FIX_FOLLOWUP] = { "c234ba804292", "PCI: hv: Only reuse existing IRTE allocation for Multi-MSI" },
};

const char *gc_fix_state_name(enum gc_fix_state s)
{
	return s == GC_FIX_PRESENT ? "present" : s == GC_FIX_ABSENT ? "absent" : "unknown";
}

/* Stable branches that received the four, and the first release that has them. */
static const struct { int major, minor, patch; } stable_four[] = {
	{ 5, 18, 15 }, { 5, 15, 58 }, { 5, 10, 134 }, { 5, 4, 208 }, { 4, 19, 254 }, { 4, 14, 290 },
};

static bool at_least_mm(const struct gc_kversion *v, int major, int minor)
{
	return v->major > major || (v->major == major && v->minor >= minor);
}

static enum gc_fix_state four_by_version(const struct gc_kversion *up, const struct gc_kversion *base,
					 char *why, size_t size)
{
	const struct gc_kversion *v = up ? up : base;
	size_t i;

	if (v && at_least_mm(v, 5, 19)) {
		snprintf(why, size, "kernel %d.%d carries it (first in v5.19-rc1)", v->major, v->minor);
		return GC_FIX_PRESENT;
	}
	if (!v) {
		snprintf(why, size, "the kernel release is not known");
		return GC_FIX_UNKNOWN;
	}
	if (!up) {
		snprintf(why, size, "distribution kernel %d.%d, older than 5.19, with no known upstream version",
			 v->major, v->minor);
		return GC_FIX_UNKNOWN;
	}
	for (i = 0; i < ARRAY_SIZE(stable_four); i++) {
		if (up->major != stable_four[i].major || up->minor != stable_four[i].minor)
			continue;
		if (up->patch >= stable_four[i].patch) {
			snprintf(why, size, "upstream %d.%d.%d, at or after %d.%d.%d on the %d.%d stable branch",
				 up->major, up->minor, up->patch, stable_four[i].major, stable_four[i].minor,
				 stable_four[i].patch, up->major, up->minor);
			return GC_FIX_PRESENT;
		}
		snprintf(why, size, "upstream %d.%d.%d, before %d.%d.%d where the %d.%d stable branch got it",
			 up->major, up->minor, up->patch, stable_four[i].major, stable_four[i].minor,
			 stable_four[i].patch, up->major, up->minor);
		return GC_FIX_ABSENT;
	}
	snprintf(why, size, "upstream %d.%d.%d: the %d.%d branch never received it", up->major, up->minor,
		 up->patch, up->major, up->minor);
	return GC_FIX_ABSENT;
}

static enum gc_fix_state followup_by_version(const struct gc_kversion *up, const struct gc_kversion *base,
					     char *why, size_t size)
{
	const struct gc_kversion *v = up ? up : base;

	if (v && v->rc == 0 && at_least_mm(v, 6, 1)) {
		snprintf(why, size, "kernel %d.%d carries it (in mainline before v6.1)", v->major, v->minor);
		return GC_FIX_PRESENT;
	}
	if (up && up->major == 6 && up->minor == 0) {
		snprintf(why, size, "upstream 6.0.%d, %s 6.0.11 where the 6.0 branch got it", up->patch,
			 up->patch >= 11 ? "at or after" : "before");
		return up->patch >= 11 ? GC_FIX_PRESENT : GC_FIX_ABSENT;
	}
	if (up && up->major == 5 && up->minor == 19) {
		snprintf(why, size, "upstream 5.19.%d: the 5.19 branch ended before the fix", up->patch);
		return GC_FIX_ABSENT;
	}
	snprintf(why, size, "which releases of this branch carry it was not verified");
	return GC_FIX_UNKNOWN;
}

enum gc_fix_state gc_fix_by_version(const struct gc_kversion *upstream, const struct gc_kversion *base,
				    enum gc_fix fix, char *why, size_t size)
{
	if (fix == GC_FIX_FOLLOWUP)
		return followup_by_version(upstream, base, why, size);
	return four_by_version(upstream, base, why, size);
}

static bool decide_symbols(const struct gc_fix_inputs *in, enum gc_fix fix, struct gc_fix_result *r)
{
	const struct gc_kallsyms *k = in->ksyms;
	const struct gc_kversion *b = in->base;

	if (!k || k->err || !k->driver)
		return false;
	/*
	 * 08e61e861a0e lives in hv_msi_prepare(), so on a 4.14-5.15 base its
	 * absence proves the fix absent. Its presence proves nothing: mainline
	 * had the function before the fix (831c1ae725f7, v5.17; the 5.18.15
	 * backport only rewrites its body) and a distribution can carry that
	 * commit alone (verified-facts Q5).
	 */
	if (fix == GC_FIX_MULTI_MSI && b && at_least_mm(b, 4, 14) && !at_least_mm(b, 5, 16) && !k->hv_msi_prepare) {
		r->state = GC_FIX_ABSENT;
		snprintf(r->how, sizeof(r->how), "/proc/kallsyms: hv_msi_prepare not listed in pci-hyperv on a %d.%d kernel",
			 b->major, b->minor);
		return true;
	}
	/* The follow-up leaves a static multi_msi_cpu_lock, listed only with CONFIG_KALLSYMS_ALL. */
	if (fix == GC_FIX_FOLLOWUP && (k->multi_msi_cpu_lock || in->kallsyms_all)) {
		r->state = k->multi_msi_cpu_lock ? GC_FIX_PRESENT : GC_FIX_ABSENT;
		snprintf(r->how, sizeof(r->how), "/proc/kallsyms: multi_msi_cpu_lock %s in pci-hyperv",
			 k->multi_msi_cpu_lock ? "listed" : "not listed (CONFIG_KALLSYMS_ALL=y)");
		return true;
	}
	return false;
}

void gc_fixes_decide(const struct gc_fix_inputs *in, struct gc_fix_result out[_GC_FIX_MAX])
{
	int i;

	for (i = 0; i < _GC_FIX_MAX; i++) {
		struct gc_fix_result *r = &out[i];
		const struct gc_fixentry *e;
		char why[256];

		*r = (struct gc_fix_result){ .state = GC_FIX_UNKNOWN };
		/* 0. On arm64 08e61e and 455880 change x86-only code (hv_msi_prepare is NULL there). */
		if (in->not_x86 && (i == GC_FIX_MULTI_MSI || i == GC_FIX_UNMASK)) {
			r->state = GC_FIX_PRESENT;
			snprintf(r->how, sizeof(r->how), "not needed: it changes x86-only code");
			continue;
		}
		/* 1. The running kernel gave the card more than one vector behind vPCI (x86). */
		if (i == GC_FIX_MULTI_MSI && in->runtime == 1 && !in->not_x86) {
			r->state = GC_FIX_PRESENT;
			snprintf(r->how, sizeof(r->how), "runtime: %s", in->runtime_how);
			continue;
		}
		/* 2. The distribution's changelog names it (its silence proves nothing). */
		if (in->changelog && in->changelog_found[i]) {
			r->state = GC_FIX_PRESENT;
			snprintf(r->how, sizeof(r->how), "%s names \"%s\"", in->changelog, gc_fix_info[i].subject);
			continue;
		}
		/*
		 * 3. The version, when it proves the fix: every kernel from 5.19 has
		 * it (d474d92d7025 removed its code again in 6.2), so a 1-MSI
		 * fallback there has another cause and does not outrank it.
		 */
		r->state = gc_fix_by_version(in->upstream, in->base, (enum gc_fix)i, why, sizeof(why));
		if (r->state == GC_FIX_PRESENT) {
			snprintf(r->how, sizeof(r->how), "%s%s%s", why, in->upstream_src ? ", from " : "",
				 in->upstream_src ? in->upstream_src : "");
			continue;
		}
		r->state = GC_FIX_UNKNOWN;
		/* 4. The card fell back to one vector behind vPCI (x86). */
		if (i == GC_FIX_MULTI_MSI && in->runtime == 0 && !in->not_x86) {
			r->state = GC_FIX_ABSENT;
			snprintf(r->how, sizeof(r->how), "runtime: %s", in->runtime_how);
			continue;
		}
		/* 5. The kernel version, when it proves the fix absent. */
		r->state = gc_fix_by_version(in->upstream, in->base, (enum gc_fix)i, why, sizeof(why));
		if (r->state != GC_FIX_UNKNOWN) {
			snprintf(r->how, sizeof(r->how), "%s%s%s", why, in->upstream_src ? ", from " : "",
				 in->upstream_src ? in->upstream_src : "");
			continue;
		}
		/* 6. Symbols of the loaded driver. */
		if (decide_symbols(in, (enum gc_fix)i, r))
			continue;
		/* 7. The drop-in table. */
		e = in->table ? gc_fixtable_lookup(in->table, in->release, gc_fix_info[i].id) : NULL;
		if (e) {
			r->state = e->present ? GC_FIX_PRESENT : GC_FIX_ABSENT;
			snprintf(r->how, sizeof(r->how), "table %s (source: %s)", e->file, e->source);
			continue;
		}
		snprintf(r->how, sizeof(r->how), "no evidence: %s", why);
	}
}
