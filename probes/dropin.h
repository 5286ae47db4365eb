/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Drop-in directories of line-based tables, as systemd and modprobe.d
 * read theirs: every *.conf below each directory, directories in the
 * order given, files in name order, line by line. Missing directories
 * are fine. Used by the pci-hyperv fix table and the guest OS table.
 */
#ifndef GC_DROPIN_H
#define GC_DROPIN_H

#include "sysroot.h"

/* One line of path (newline kept); return 0 to go on with the file. */
typedef int (*gc_dropin_fn)(const char *path, char *line, unsigned lineno, void *ctx);

/* dirs: NULL-terminated. Unreadable files and directories are skipped; returns 0. */
int gc_dropin_foreach(const struct gc_root *r, const char *const *dirs, gc_dropin_fn fn, void *ctx);

#endif
