/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vendor's table of supported guest operating systems, as drop-in
 * files: the shipped <datadir>/guest-os.d and the operator's
 * /etc/aic-guestcheck/guest-os.d, every *.conf in name order (dropin.h).
 * One entry a line, '#' starts a comment:
 *
 *   ID  VERSION-GLOB  ARCH  SOURCE...
 *
 * ID and VERSION-GLOB are matched against os-release(5) ID and VERSION_ID
 * (VERSION-GLOB is an fnmatch(3) pattern), ARCH against the machine
 * ("x86_64"), SOURCE says where the entry comes from (required). The table
 * describes products, not this guest, so it is read from the host even
 * under --sysroot.
 */
#ifndef GC_GUESTOS_H
#define GC_GUESTOS_H

#include "sysroot.h"

struct gc_guestos_entry {
	char *id, *version, *arch, *source;
	char *file;  /* where the entry was read, "path:line" */
};

struct gc_guestos_table {
	struct gc_guestos_entry *e;
	size_t n;
	char **problems;  /* lines that could not be parsed, as "file:line" */
	size_t n_problems;
};

int gc_guestos_load(const struct gc_root *host, const char *const *dirs, struct gc_guestos_table *out);
/* Pure: 1 for an entry, 0 for blank/comment, -EINVAL for garbage. */
int gc_guestos_parse_line(const char *line, struct gc_guestos_entry *out);
/* The first entry for id, version_id and machine; NULL when none. */
const struct gc_guestos_entry *gc_guestos_lookup(const struct gc_guestos_table *t, const char *id,
						 const char *version_id, const char *machine);
void gc_guestos_free(struct gc_guestos_table *t);

#endif
