/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The running kernel's build configuration: /boot/config-<release>, else /proc/config.gz. */
#ifndef GC_KCONFIG_H
#define GC_KCONFIG_H

#include "sysroot.h"

struct gc_kconfig {
	int err;             /* -ENOENT: neither file */
	const char *source;  /* which file */
	char *text;
};

int gc_kconfig_probe(const struct gc_root *r, const char *release, struct gc_kconfig *out);
void gc_kconfig_free(struct gc_kconfig *k);

/*
 * Value of option ("CONFIG_IRQ_REMAP") in text: "y", "m", a string, "n"
 * for "# CONFIG_X is not set", NULL when the option is not mentioned.
 * Writes at most size bytes to buf.
 */
const char *gc_kconfig_get(const char *text, const char *option, char *buf, size_t size);

#endif
