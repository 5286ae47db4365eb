/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The support bundle: a .tar.gz of every file the probes read, laid out as
 * a sysroot (relative symlinks kept), plus the kernel log and CPUID as
 * replay files, the report and a note of provenance. Unpacked, it replays
 * with --sysroot and gives the same verdicts.
 */
#ifndef GC_BUNDLE_H
#define GC_BUNDLE_H

#include "facts.h"

struct gc_bundle_info {
	const char *report_json;   /* the report made when bundling */
	size_t files;              /* written, for the caller to tell */
	size_t unreadable;
};

/* out_path "-" writes to stdout. Returns 0 or -errno; *err_msg set on failure (static text). */
int gc_bundle_write(const struct gc_root *src, const struct gc_record *rec, const struct gc_facts *f,
		    const char *out_path, struct gc_bundle_info *info, const char **err_msg);

/* Pure: resolve "." and ".." in an absolute path, in place ("/a/b/../c" -> "/a/c"). */
char *gc_path_normalize(char *path);

#endif
