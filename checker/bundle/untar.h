/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A strict reader for bundle archives (tar, gzip'ed or not), unpacking into
 * a directory the caller made private. It refuses, naming the entry:
 * absolute names, ".." components, device nodes, FIFOs and any type but
 * files, directories and links; symlinks that point outside the tree
 * (absolute or climbing above it) and hard links to anything but a file
 * already unpacked; entries reached through a symlink; a file twice; a
 * damaged header or a truncated archive; and more than the limits below
 * (a tar bomb stops at the first byte past them).
 */
#ifndef GC_UNTAR_H
#define GC_UNTAR_H

#include <stdint.h>

/*
 * Entries, and directories made for them (an entry "a/b/c/f" may make
 * three). A bundle of 4,096 PCI functions holds about 16,500; a hostile
 * archive at this limit is refused after about 20 s of mkdir here (at
 * 500,000 it was 81 s).
 */
#define GC_UNTAR_MAX_ENTRIES 100000u
#define GC_UNTAR_MAX_FILE (64ull << 20)
#define GC_UNTAR_MAX_TOTAL (1ull << 30)
#define GC_UNTAR_MAX_PATH 4095u
/* Components in a name: sysfs device paths are a few dozen deep. */
#define GC_UNTAR_MAX_DEPTH 128u

/* Returns 0, or -errno with a message (to free) in *err_msg. */
int gc_untar(const char *archive, int dirfd, char **err_msg);

/* gc_untar with other limits than the ones above: tests reach them without unpacking 1 GiB. */
struct gc_untar_limits {
	uint64_t entries, file, total;
};
int gc_untar_limited(const char *archive, int dirfd, const struct gc_untar_limits *lim, char **err_msg);

#endif
