/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table of distribution kernels whose pci-hyperv fixes are known, as
 * drop-in files: the one shipped in <datadir>/aic-guestcheck/hyperv-fixes.d
 * and the operator's in /etc/aic-guestcheck/hyperv-fixes.d, every *.conf
 * file in name order. One entry a line, '#' starts a comment:
 *
 *   RELEASE-GLOB  COMMIT|all  present|absent  SOURCE...
 *
 * RELEASE-GLOB is an fnmatch(3) pattern for the kernel release (uname -r),
 * COMMIT a 12-digit commit ID, SOURCE where the fact was checked (required).
 * These describe kernels, not this guest, so they are read from the host
 * even under --sysroot.
 */
#ifndef GC_FIXTABLE_H
#define GC_FIXTABLE_H

#include "sysroot.h"

struct gc_fixentry {
	char *glob;
	char *commit;    /* "all" or an ID */
	bool present;
	char *source;
	char *file;      /* where the entry was read, with its line */
};

struct gc_fixtable {
	struct gc_fixentry *e;
	size_t n;
	char **problems;  /* lines that could not be parsed, as "file:line" */
	size_t n_problems;
};

/* Read every *.conf below each directory in dirs (NULL-terminated); missing directories are fine. */
int gc_fixtable_load(const struct gc_root *host, const char *const *dirs, struct gc_fixtable *out);
/* Pure: parse one line; 1 for an entry, 0 for blank/comment, -EINVAL for garbage. */
int gc_fixtable_parse_line(const char *line, struct gc_fixentry *out);
void gc_fixtable_free(struct gc_fixtable *t);

/* The last entry matching release and commit (or "all"), NULL when none. */
const struct gc_fixentry *gc_fixtable_lookup(const struct gc_fixtable *t, const char *release,
					     const char *commit);

#endif
