/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which distribution and architecture the guest (or an image tree) is:
 * os-release(5) from /etc/os-release, else /usr/lib/os-release; the
 * architecture from uname(2) when live, else from the kernel build
 * configuration or the release string of a tree.
 */
#ifndef GC_OSRELEASE_H
#define GC_OSRELEASE_H

#include "sysroot.h"

struct gc_osrelease {
	int err;              /* -ENOENT: neither file */
	const char *source;   /* the file read */
	char *id, *version_id, *name, *pretty_name, *id_like;
	char *machine;        /* "x86_64", "aarch64", ...; NULL when unknown */
	const char *machine_source;
};

/* kconfig_text, release: the running kernel's (may be NULL); used for the architecture of a tree. */
int gc_osrelease_probe(const struct gc_root *r, const char *kconfig_text, const char *release,
		       struct gc_osrelease *out);
void gc_osrelease_free(struct gc_osrelease *o);

/* Pure: fill the os-release fields of out from text; returns how many keys were recognised. */
int gc_osrelease_parse(const char *text, struct gc_osrelease *out);
/* Pure: the architecture a kernel config or a release string names, NULL when neither does. */
const char *gc_arch_from_kernel(const char *kconfig_text, const char *release, const char **ret_how);

#endif
