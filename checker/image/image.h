/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Image mode: a guest root that is not running (a mounted disk image, an
 * unpacked tree, a container or rootfs build directory), judged for what
 * it will boot. Facts come only from files below the root, through the
 * same file layer; nothing in the image is run.
 */
#ifndef GC_IMAGE_H
#define GC_IMAGE_H

#include "../../probes/bootcfg.h"
#include "../../probes/kconfig.h"
#include "../../probes/kernelpkg.h"
#include "../../probes/fixtable.h"
#include "../../probes/modprobe.h"
#include "../../probes/kversion.h"
#include "../../probes/guestos.h"
#include "../../probes/osrelease.h"
#include "../options.h"
#include "../result.h"
#include "../registry.h"

struct gc_image_kernel {
	char *release;
	char *image;      /* /boot/vmlinuz-<release> or /lib/modules/<release>/vmlinuz, NULL when neither */
	bool moddir;      /* /lib/modules/<release> exists */
};

/* Where a module for the default kernel comes from. */
enum gc_modsrc {
	GC_MODSRC_UNKNOWN,   /* the module tree could not be read */
	GC_MODSRC_NONE,
	GC_MODSRC_BUILTIN,   /* modules.builtin, or =y in the kernel config */
	GC_MODSRC_INTREE,    /* kernel/ in modules.dep */
	GC_MODSRC_EXTERNAL,  /* updates/, extra/ (the vendor SDK, DKMS) in modules.dep */
	GC_MODSRC_UNINDEXED, /* a file in updates/ or extra/ that modules.dep does not list */
	GC_MODSRC_DKMS,      /* a DKMS source that is not built for this kernel */
};

struct gc_image_module {
	enum gc_modsrc src;
	int err;             /* when UNKNOWN */
	char *path;          /* file below /lib/modules/<release>, modules.builtin line or DKMS source */
	char **missing;      /* modules.dep dependencies (or the module itself) not on disk */
	size_t n_missing;
	char **deps;         /* modules.dep dependencies */
	size_t n_deps;
};

struct gc_image {
	char *dir;
	int kernels_err;
	struct gc_image_kernel *k;
	size_t n_k;
	ssize_t def;                 /* index into k of the kernel judged, -1 when none */
	char *def_release;           /* what the boot configuration names (may not be installed) */
	char def_how[640];           /* how it was chosen */
	int def_err;                 /* gc_boot_default's result */
	bool def_assumed;            /* no configuration said: the only or the newest kernel */
	struct gc_boot_default boot_default;
	struct gc_bootcfg boot;
	struct gc_modprobe modprobe;
	struct gc_kconfig kconfig;   /* of the default kernel */
	struct gc_image_module qaic, mhi;
	const char *hyperv_sign;     /* a file that says the image is made for Hyper-V, or NULL */
	struct gc_kernelpkg kpkg;    /* of the default kernel */
	struct gc_fixtable fixtable;
	char *unit_file, *unit_enabled, *unit_masked;
	struct gc_osrelease os;          /* the image's os-release; architecture from its kernel */
	struct gc_guestos_table guestos; /* the vendor's table, read from the host as live */
	char *guestos_shipped;
	const struct gc_root *root;
};

void gc_image_gather(const struct gc_root *r, const char *data_dir, struct gc_image *out);
void gc_image_free(struct gc_image *im);

/* The kernel judged, or NULL. */
const struct gc_image_kernel *gc_image_default(const struct gc_image *im);

/* An image check: the check's identity as the reports know it, and how the image decides it. */
struct gc_image_check {
	struct gc_check c;
	void (*run)(const struct gc_image *im, const struct gc_options *o, struct gc_result *r);
};

const struct gc_check *gc_image_check_find(const char *id);
/* The i-th check only image mode runs (list-checks), or NULL past the last. */
const struct gc_check *gc_image_only_check(size_t i);

/*
 * Run the image checks, then every live check the image checks do not
 * replace, as skip "decided at boot". res holds gc_image_n_results().
 */
size_t gc_image_n_results(void);
size_t gc_image_run_checks(const struct gc_image *im, const struct gc_options *o, struct gc_result *res);

#endif
