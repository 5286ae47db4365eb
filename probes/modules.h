/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel modules: what is loaded (/proc/modules), built in (modules.builtin)
 * and installed (libkmod over <sysroot>/lib/modules/<release>). libkmod
 * reads /proc/modules and /sys/module at fixed host paths, so those are
 * read here through the file layer instead.
 */
#ifndef GC_MODULES_H
#define GC_MODULES_H

#include "sysroot.h"

struct gc_modules {
	char *release;          /* /proc/sys/kernel/osrelease */
	int release_err;
	int loaded_err;
	char **loaded;          /* names from /proc/modules */
	size_t n_loaded;
	int builtin_err;
	char **builtin;         /* names from modules.builtin */
	size_t n_builtin;
	int sysfs_err;
	char **sysfs;           /* /sys/module entries: loaded modules and built-in ones with parameters */
	size_t n_sysfs;
	char *moddir;           /* /lib/modules/<release>, NULL when unknown */
	char *view;             /* below a tree: libkmod's private view (probes/view.h) */
	int moddir_err;
};

int gc_modules_probe(const struct gc_root *r, struct gc_modules *out);
void gc_modules_free(struct gc_modules *m);

/* Module names compare equal across '-' and '_' (as the kernel does). */
bool gc_modname_eq(const char *a, const char *b);
bool gc_module_loaded(const struct gc_modules *m, const char *name);
/* Built in: listed in modules.builtin, or in /sys/module without being loaded. */
bool gc_module_builtin(const struct gc_modules *m, const char *name);

/*
 * Ask libkmod which installed modules match name or alias (a modalias
 * string works). On success *ret_names holds 0 or more module names and
 * *ret_path the file of the first, if any.
 */
int gc_module_lookup(const struct gc_modules *m, const char *name_or_alias, char ***ret_names,
		     size_t *ret_n, char **ret_path);

/* Parse one /proc/modules line into its module name (first field). */
int gc_proc_modules_name(const char *line, char *buf, size_t size);

void gc_strv_free(char **v, size_t n);

#endif
