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

/*
 * How to load one table: parse() turns a line into an entry of size
 * bytes (1: an entry, 0: blank or comment, <0: malformed); the loader
 * appends it to *entries and sets its char * at file_offset to
 * "path:line". A malformed line ("path:line: not understood") and a file
 * or directory that cannot be read ("path: reason") are kept in
 * *problems, so a check can say its table is not whole.
 */
struct gc_dropin_table {
	int (*parse)(const char *line, void *entry);
	size_t size;
	size_t file_offset;
	void *entries;       /* address of the table's entry array pointer */
	size_t *n;
	char ***problems;
	size_t *n_problems;
};

/* dirs: NULL-terminated. Returns 0; what could not be read is in *t->problems. */
int gc_dropin_load(const struct gc_root *r, const char *const *dirs, const struct gc_dropin_table *t);

/* The source field that ends an entry line, trailing blanks cut; NULL when there is none. */
char *gc_dropin_source(const char *text);

void gc_dropin_problems_free(char **problems, size_t n);

#endif
