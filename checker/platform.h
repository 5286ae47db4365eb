/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which hypervisor runs this guest, decided from several probes, with how it was decided. */
#ifndef GC_PLATFORM_H
#define GC_PLATFORM_H

#include "../probes/cpuid.h"
#include "../probes/dmi.h"
#include "../probes/hypervisor.h"
#include "../probes/kmsg.h"

enum gc_hv {
	GC_HV_UNKNOWN,
	GC_HV_NONE,      /* bare metal */
	GC_HV_KVM,       /* KVM or QEMU (TCG) */
	GC_HV_HYPERV,
	GC_HV_VMWARE,
	GC_HV_XEN,
	GC_HV_OTHER,
	_GC_HV_MAX,
};

enum gc_xen_mode { GC_XEN_MODE_UNKNOWN, GC_XEN_HVM, GC_XEN_PVH, GC_XEN_PV };

struct gc_signal {
	char *source;
	char *value;
};

struct gc_platform {
	enum gc_hv hv;
	enum gc_xen_mode xen;
	bool xen_dom0;
	bool tcg;                /* QEMU without KVM */
	bool hv_enlightened;     /* also presents Hyper-V's interface */
	enum gc_hv dmi_hv;       /* what DMI alone says */
	bool conflict;           /* DMI, or Xen's files, name another hypervisor than the one decided */
	const char *decided_by;  /* the source that settled it */
	const char *conflict_src; /* the source that disagrees, and dmi_hv is what it names */
	const char *doubt;       /* a source that is there could not be read: it might have disagreed */
	const char *undecided;   /* why the sources could not settle it (hv unknown), or NULL */
	struct gc_signal *sig;   /* every source consulted and what it said */
	size_t n_sig;
};

const char *gc_hv_name(enum gc_hv hv);   /* "KVM/QEMU", ... */
const char *gc_hv_id(enum gc_hv hv);     /* "kvm", "hyperv", ... (JSON) */
const char *gc_xen_mode_name(enum gc_xen_mode m);

/* Match DMI strings (systemd's order and prefixes); GC_HV_UNKNOWN when none says VM. */
enum gc_hv gc_dmi_match(const struct gc_dmi *d, const char **ret_field, const char **ret_value, bool *ret_cloud);
/* Map a CPUID hypervisor signature; GC_HV_UNKNOWN for unknown ones. */
enum gc_hv gc_cpuid_sig_match(const char *sig, bool *ret_tcg);
/* Xen guest mode from /sys/hypervisor/properties/features (lscpu's rule). */
enum gc_xen_mode gc_xen_mode_from_features(const char *hex);

/* k (may be NULL): the kernel log, for Xen's boot banner. */
void gc_platform_decide(const struct gc_cpuid *c, const struct gc_dmi *d, const struct gc_hvfiles *h,
			const struct gc_kmsg *k, struct gc_platform *out);
void gc_platform_free(struct gc_platform *p);

#endif
