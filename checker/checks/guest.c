// SPDX-License-Identifier: GPL-2.0-or-later
/* guest.os: the distribution and architecture against the vendor's table of supported guests. */
#include <errno.h>

#include "../registry.h"

static bool is_vm(const struct gc_facts *f)
{
	return f->platform.hv != GC_HV_NONE && f->platform.hv != GC_HV_UNKNOWN;
}

static void evidence_os(const struct gc_facts *f, struct gc_result *r)
{
	const struct gc_osrelease *os = &f->os;

	gc_evidence_add(r, os->source, "ID=%s VERSION_ID=%s (%s)", os->id ? os->id : "(none)",
			os->version_id ? os->version_id : "(none)",
			os->pretty_name ? os->pretty_name : os->name ? os->name : "no PRETTY_NAME");
	gc_evidence_add(r, "architecture", "%s%s%s%s", os->machine ? os->machine : "unknown",
			os->machine_source ? " (from " : "", os->machine_source ? os->machine_source : "",
			os->machine_source ? ")" : "");
}

void check_guest_os(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	const struct gc_osrelease *os = &f->os;
	const struct gc_guestos_entry *e;
	size_t i;

	(void)o;
	if (os->err) {
		if (os->err == -ENOENT) {
			gc_result_add(r, GC_UNKNOWN, "no os-release: the distribution cannot be told");
			gc_evidence_add(r, "/etc/os-release, /usr/lib/os-release", "absent");
			gc_remedy_add(r, "compare the distribution with the vendor's list by hand: CentOS 7, Ubuntu "
					 "18.04/20.04/22.04, RHEL 7.9/8.9/9.3, Amazon Linux 2/2023, x86-64");
		} else {
			gc_result_unreadable(r, "os-release", os->source, os->err);
		}
		return;
	}
	evidence_os(f, r);
	for (i = 0; i < f->guestos.n_problems; i++)
		gc_evidence_add(r, "guest OS table", "%s; ignored", f->guestos.problems[i]);
	if (os->machine && !streq(os->machine, "x86_64")) {
		if (is_vm(f)) {
			gc_result_add(r, GC_FAIL, "%s guest on %s: the vendor supports VM guests on x86-64 only",
				      gc_hv_name(f->platform.hv), os->machine);
			gc_remedy_add(r, "run the card in an x86-64 guest on an x86-64 host");
		} else {
			gc_result_add(r, GC_WARN, "%s on %s: the vendor's guest list covers x86-64 VMs only",
				      os->pretty_name ? os->pretty_name : os->id ? os->id : "this system", os->machine);
		}
		return;
	}
	if (!os->machine && f->cpuid.err) {
		gc_result_add(r, GC_UNKNOWN, "the architecture of this tree cannot be told (no kernel config, "
					     "no architecture in the release, no CPUID capture)");
		return;
	}
	if (f->guestos.n == 0) {
		gc_result_add(r, GC_UNKNOWN, "no guest OS table could be read");
		gc_evidence_add(r, f->guestos_shipped, "no entries (install the data files or pass --data-dir)");
		return;
	}
	/* A tree without the word size: a CPUID capture shows an x86 CPU, not a 64-bit kernel. */
	e = gc_guestos_lookup(&f->guestos, os->id, os->version_id, os->machine ? os->machine : "x86_64");
	if (e && !os->machine) {
		gc_result_add(r, GC_WARN, "%s %s is a supported guest on x86-64, but this tree does not show "
					  "whether its kernel is 64-bit", os->id, os->version_id ? os->version_id : "");
		gc_evidence_add(r, f->cpuid.source, "CPUID answered: an x86 CPU");
		gc_evidence_add(r, e->file, "%s %s %s: %s", e->id, e->version, e->arch, e->source);
		return;
	}
	if (e) {
		gc_result_add(r, GC_PASS, "%s %s on %s is a supported guest",
			      os->id, os->version_id ? os->version_id : "", os->machine);
		gc_evidence_add(r, e->file, "%s %s %s: %s", e->id, e->version, e->arch, e->source);
		return;
	}
	gc_result_add(r, GC_WARN, "%s is not in the vendor's list of guests; it may still work",
		      os->pretty_name ? os->pretty_name : os->id ? os->id : "this distribution");
	gc_remedy_add(r, "the vendor lists CentOS 7, Ubuntu 18.04/20.04/22.04, RHEL 7.9/8.9/9.3 and Amazon "
			 "Linux 2/2023 (x86-64); if this guest is supported by your own validation, add it to "
			 "/etc/aic-guestcheck/guest-os.d/<name>.conf as 'ID VERSION ARCH SOURCE'");
}
