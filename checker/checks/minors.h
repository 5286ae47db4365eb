/* SPDX-License-Identifier: GPL-2.0-or-later */
/* device.minors: whether every card function can get the device minor its driver needs. */
#ifndef GC_CHECK_MINORS_H
#define GC_CHECK_MINORS_H

#include <stdbool.h>
#include <stddef.h>

#include "../result.h"

/*
 * DRM primary minors: drm_minor_alloc() takes them from 64 * type ..
 * 64 * (type + 1) (drivers/gpu/drm/drm_drv.c, idr before 6.2): 64 per
 * system. Accel minors: ACCEL_MAX_MINORS (include/drm/drm_accel.h), the
 * minors register_chrdev(ACCEL_MAJOR) reserves.
 */
#define GC_DRM_PRIMARY_MINORS 64
#define GC_ACCEL_MINORS 256

enum gc_minor_space {
	GC_SPACE_UNKNOWN,  /* the kernel config is unreadable: either may apply */
	GC_SPACE_DRM,      /* each card function takes a DRM primary minor */
	GC_SPACE_ACCEL,    /* each card function takes an accel minor */
};

struct gc_minor_budget {
	enum gc_minor_space space;
	bool drm_firm;       /* the kernel is older than 6.2: no DRM minor beyond the 64 */
	size_t cards;        /* card functions, one minor each (an Ultra card is four) */
	size_t other_drm;    /* DRM primary minors of other devices */
	size_t other_accel;  /* accel minors of other devices */
};

/* pass: fits; warn: fits only if the kernel has the accel framework (or extends DRM minors); fail: cannot fit. */
enum gc_status gc_minor_verdict(const struct gc_minor_budget *b);

#endif
