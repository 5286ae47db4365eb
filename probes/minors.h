/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The device minors in use: /sys/class/drm (DRM primary "cardN" and render
 * "renderDN" nodes; connectors such as "card0-HDMI-A-1" are not minors) and
 * /sys/class/accel ("accelN"). Each class entry is a link to the minor's
 * device below its parent, ".../<parent>/drm/card0", so the link names the
 * device that owns the minor without following it.
 */
#ifndef GC_MINORS_H
#define GC_MINORS_H

#include "sysroot.h"

enum gc_minor_kind { GC_MINOR_PRIMARY, GC_MINOR_RENDER, GC_MINOR_ACCEL };

struct gc_minor_node {
	enum gc_minor_kind kind;
	char *name;    /* "card0", "renderD128", "accel0" */
	char *owner;   /* the parent device's name ("0000:00:02.0"); NULL when the link could not be read */
};

struct gc_minor_class {
	int err;       /* -ENOENT: the class does not exist (its core not loaded, or not captured) */
	struct gc_minor_node *nodes;
	size_t n;
};

struct gc_minors {
	struct gc_minor_class drm, accel;
};

void gc_minors_probe(const struct gc_root *r, struct gc_minors *out);
void gc_minors_free(struct gc_minors *m);
/* The parent named in a class link's target: "../../devices/pci0000:00/0000:00:02.0/drm/card0" -> "0000:00:02.0". */
char *gc_minor_owner(const char *target, const char *class_dir, const char *name);

#endif
