/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The check table: stable IDs, titles and the functions that decide them. */
#ifndef GC_REGISTRY_H
#define GC_REGISTRY_H

#include "facts.h"
#include "options.h"
#include "result.h"

struct gc_check {
	const char *id;     /* stable, documented in README */
	const char *title;
	/* Decide from facts alone; never read files. */
	void (*run)(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);
};

extern const struct gc_check gc_checks[];
extern const size_t gc_n_checks;

const struct gc_check *gc_check_find(const char *id);

/* Whether --only/--skip leave check id to run. */
bool gc_check_selected(const struct gc_options *o, const char *id);
/* The PCI bus was read and holds cards; otherwise r gets the verdict that says why not (checks/device.c). */
bool gc_cards_to_check(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);
/* qaic is loaded, built in, or installed for card idx's modalias. */
bool gc_qaic_available(const struct gc_facts *f, size_t idx);

/* Run the selected checks; returns how many results were written to res. */
size_t gc_run_checks(const struct gc_facts *f, const struct gc_options *o, struct gc_result *res);

/* checks/platform.c */
void check_platform_hypervisor(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);
void check_kvm_machine_type(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);
void check_iommu_present(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);
void check_iommu_interrupt_remapping(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);
void check_iommu_caching_mode(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);
void check_kernel_cmdline(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);
/* True, with the reason, when the platform is known unable to give multi-message MSI. */
bool gc_platform_cannot_multi_msi(const struct gc_facts *f, const char **why);

/* checks/hyperv.c */
void check_hyperv_vpci(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);
void check_hyperv_kernel_fixes(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);

/* checks/device.c */
void check_device_present(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);
void check_device_driver(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);
void check_device_msi(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);

/* checks/health.c */
void check_device_health(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);
void check_device_firmware(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);
void check_device_minors(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);

/* checks/guest.c */
void check_guest_os(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r);

#endif
