/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Module loading policy of a guest root: `blacklist` and `install` lines
 * of modprobe.d (kmod's directories and override rule: files are read in
 * name order across /etc, /run, /usr/local/lib, /usr/lib and /lib
 * modprobe.d, and a file name seen in an earlier directory hides the same
 * name in a later one; kmod libkmod-config.c conf_files_insert_sorted),
 * and the modules loaded by name at boot (modules-load.d, Debian's
 * /etc/modules). Parsed only.
 */
#ifndef GC_MODPROBE_H
#define GC_MODPROBE_H

#include "sysroot.h"

enum gc_modprobe_kind { GC_MODPROBE_BLACKLIST, GC_MODPROBE_INSTALL };

struct gc_modprobe_rule {
	enum gc_modprobe_kind kind;
	char *module;
	char *command;   /* install: the command run instead of loading */
	char *file;
	unsigned line;
};

struct gc_modprobe {
	int err;          /* -ENOENT when no directory exists */
	struct gc_modprobe_rule *rules;
	size_t n;
	char **files;     /* read, in order */
	size_t n_files;
	char **load;      /* modules-load.d and /etc/modules names */
	char **load_file; /* parallel: where each was named */
	size_t n_load;
};

/* Pure: the blacklist and install lines of one modprobe.d file. */
void gc_modprobe_parse(const char *text, const char *file, struct gc_modprobe *out);
/* Pure: module names of one modules-load.d file ('#' and ';' start comments). */
void gc_modules_load_parse(const char *text, const char *file, struct gc_modprobe *out);

int gc_modprobe_probe(const struct gc_root *r, struct gc_modprobe *out);
void gc_modprobe_free(struct gc_modprobe *m);

/* The first rule of kind for module (names compare across '-' and '_'), or NULL. */
const struct gc_modprobe_rule *gc_modprobe_find(const struct gc_modprobe *m, enum gc_modprobe_kind kind,
						 const char *module);
/* Where module is loaded by name at boot, or NULL. */
const char *gc_modules_load_find(const struct gc_modprobe *m, const char *module);
/* An install command that loads nothing: /bin/true, /bin/false, true, false, exit N. */
bool gc_install_disables(const char *command);

#endif
