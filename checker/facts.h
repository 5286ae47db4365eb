/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Everything the probes found, gathered before any check runs, plus what is derived from it. */
#ifndef GC_FACTS_H
#define GC_FACTS_H

#include "../probes/acpi.h"
#include "../probes/cmdline.h"
#include "../probes/cpuid.h"
#include "../probes/dmi.h"
#include "../probes/fixtable.h"
#include "../probes/guestos.h"
#include "../probes/host.h"
#include "../probes/hypervisor.h"
#include "../probes/interrupts.h"
#include "../probes/iommu.h"
#include "../probes/kallsyms.h"
#include "../probes/kconfig.h"
#include "../probes/kernelpkg.h"
#include "../probes/kmsg.h"
#include "../probes/kversion.h"
#include "../probes/mhi.h"
#include "../probes/minors.h"
#include "../probes/firmware.h"
#include "../probes/modules.h"
#include "../probes/osrelease.h"
#include "../probes/pci.h"
#include "../probes/sysroot.h"
#include "checks/hvfixes.h"
#include "platform.h"

/* Which installed module would drive a card without a driver (libkmod, by modalias). */
struct gc_dev_module {
	int err;
	char **names;
	size_t n;
	char *path;
};

struct gc_facts {
	bool live;
	bool privileged;          /* live and euid 0 */
	char *sysroot;
	struct gc_host host;          /* for the report's "where" */
	struct gc_pci_facts pci;
	struct gc_dev_module *dev_mod;  /* parallel to pci.devs; looked up only for unbound cards */
	struct gc_mhi *mhi;             /* parallel to pci.devs: each card's MHI controller */
	struct gc_fw_file *fw;          /* the qaic images (gc_qaic_fw_names), looked up in the tree */
	size_t n_fw;
	char *fw_custom;                /* firmware_class.path, searched first; NULL when unset */
	struct gc_minors minors;         /* DRM and accel minors in use, by owner */
	struct gc_kmsg kmsg;
	struct gc_modules mods;
	struct gc_kversion kver;  /* of mods.release */
	int kver_err;
	struct gc_cpuid cpuid;
	struct gc_dmi dmi;
	struct gc_hvfiles hvf;
	struct gc_acpi acpi;
	struct gc_iommu iommu;
	struct gc_interrupts irqs;
	struct gc_cmdline cmdline;
	struct gc_kconfig kconfig;
	struct gc_platform platform;  /* derived */
	struct gc_osrelease os;
	struct gc_guestos_table guestos;  /* read from the host, like the fix table */
	char *guestos_shipped;            /* the shipped table's directory, for evidence */

	/* Read only on Hyper-V, where a verdict needs them. */
	bool hyperv_read;
	struct gc_kallsyms ksyms;
	struct gc_kernelpkg kpkg;
	struct gc_fixtable fixtable;
};

/*
 * Whether a card's firmware is up (checker/checks/health.c), from its MHI channel
 * devices, its accel node and the kernel log: the per-card fact that
 * device.health reports and that a caller waiting for the cards can poll.
 */
enum gc_card_state {
	GC_CARD_UNKNOWN,  /* cannot be told (yet): no evidence either way */
	GC_CARD_ONLINE,   /* the control channel is bound to qaic: the device firmware answers */
	GC_CARD_FAILED,   /* the kernel says it did not come up */
};
enum gc_card_state gc_card_state(const struct gc_facts *f, size_t idx);
const char *gc_card_state_name(enum gc_card_state s);  /* "online", "failed", "unknown" */
/* The kernel log has an error line of this card (its PCI device, MHI controller or channels). */
bool gc_card_failure_logged(const struct gc_facts *f, size_t idx);

/* The images qaic loads for AIC100/AIC080 on this kernel (n returned); none before qaic. */
size_t gc_qaic_fw_names(const struct gc_facts *f, const char *const **ret_names);
struct gc_result;
/* Evidence for each image looked up; returns how many are missing or empty (unreadable ones are unknown). */
size_t gc_firmware_judge(struct gc_result *r, const struct gc_fw_file *fw, size_t n, const char *custom);

/* data_dir: the shipped fix table's directory (hyperv-fixes.d lives below it). */
int gc_facts_gather(const struct gc_root *r, const struct gc_pci_id *extra, const char *data_dir,
		    struct gc_facts *out);
void gc_facts_free(struct gc_facts *f);
/* The guest OS table into out->guestos (image mode reads it too). */
void gc_facts_gather_guestos(const char *data_dir, struct gc_facts *out);

/* A kernel config option's value for evidence ("y", "m", "not set", "unknown: ..."). */
const char *gc_facts_kconfig(const struct gc_facts *f, const char *option, char *buf, size_t size);

#endif
