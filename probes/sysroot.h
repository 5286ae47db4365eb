/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one file layer. Every file the tool reads is named by its absolute
 * path on a live system ("/sys/...") and opened below the root given with
 * --sysroot, so a fixture, a support bundle and the live system look the
 * same to the probes. Functions return 0 or a negative errno; they never
 * print.
 */
#ifndef GC_SYSROOT_H
#define GC_SYSROOT_H

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

/*
 * Every path the probes touched, for the support bundle (gc_root_record),
 * with what a whole read of it gave when that was small: the bundle then
 * holds the very bytes the checks judged, without reading them again.
 */
struct gc_record_entry {
	char *path;
	char *data;     /* NULL: not read whole, or not kept */
	size_t len;
	unsigned lmode; /* with data: the mode of the last component itself when known no link, else 0 */
	bool looked;    /* noted by a stat (gc_stat_size), not a read or a listing */
};

struct gc_record {
	struct gc_record_entry *e;
	size_t n;
	size_t kept;    /* bytes of data held, at most GC_RECORD_KEEP_TOTAL */
};

#define GC_RECORD_KEEP_FILE (64u << 10)
#define GC_RECORD_KEEP_TOTAL (32u << 20)

struct gc_dircache;

struct gc_root {
	int dirfd;      /* directory fd of the root */
	char *dir;      /* "/" when live */
	bool live;      /* reading the running system, not a tree */
	bool in_root;   /* openat2(RESOLVE_IN_ROOT) confines; else the layer walks the path itself */
	char **denied;  /* <sysroot>/.unreadable, as listed and canonical (links resolved in the tree) */
	size_t n_denied;
	struct gc_record *rec;  /* when set, every path opened, listed or looked at is noted */
	struct gc_not_captured { char *path; int err; } *not_captured;  /* <sysroot>/.not-captured */
	size_t n_not_captured;
	struct gc_size_only { char *path; int64_t size; } *size_only;  /* <sysroot>/.size-only */
	size_t n_size_only;
	struct gc_dircache *held;  /* the directory of the last path looked up (sysroot.c) */
};

/*
 * A capture made without root lists the files and directories it could not
 * read in <sysroot>/.unreadable, one absolute path a line; the layer answers
 * -EACCES for them and for everything below a listed directory, under any
 * spelling of the path (e.g. /sys/bus/pci/devices/X/msi_irqs and the
 * /sys/devices/... directory the link leads to), so a replay sees what the
 * unprivileged run saw. AIC_GUESTCHECK_NO_OPENAT2 in the environment makes
 * the layer walk paths itself as on kernels without openat2 (for tests).
 */
#define GC_UNREADABLE_LIST ".unreadable"

/*
 * A support bundle lists in <sysroot>/.not-captured ("<errno> <path>" a
 * line, '#' comments) what it could not take: files whose read failed
 * otherwise than for want of root, directories that could not be listed,
 * and files cut for size (EFBIG). Opening or listing such a path answers
 * that errno, as the original read did.
 */
#define GC_NOT_CAPTURED_LIST ".not-captured"

/*
 * A support bundle holds only the size of a file the probes looked at but
 * never read (firmware images: megabytes the vendor ships, checked for
 * presence and size): an empty file in the tree, listed in
 * <sysroot>/.size-only as "<bytes> <path>" a line. A stat of it answers
 * that size; opening it answers -ENODATA, since its bytes were not taken.
 */
#define GC_SIZE_ONLY_LIST ".size-only"

/* Largest file read whole; bigger ones are read as streams (gc_fopen). */
#define GC_READ_MAX (4u << 20)

/*
 * Longest line gc_foreach_line() hands over whole (a /proc/interrupts line
 * of 8192 CPUs is about 90 KiB). Of a longer line the first GC_LINE_MAX
 * bytes are handed over and the rest is skipped and counted.
 */
#define GC_LINE_MAX (1u << 20)

/* dir == NULL: the live system. */
int gc_root_open(struct gc_root *r, const char *dir);
void gc_root_close(struct gc_root *r);
/*
 * Close the directories the layer holds open (it keeps the last few for
 * lookups below them): a later look sees the tree as it is then. For each
 * new look at a tree that may change (--wait).
 */
void gc_root_forget(const struct gc_root *r);

/* Start noting paths into rec (owned by the caller; free with gc_record_free). */
void gc_root_record(struct gc_root *r, struct gc_record *rec);
void gc_record_free(struct gc_record *rec);

/* Open path (absolute, as on a live system) for reading; returns fd or -errno. */
int gc_open(const struct gc_root *r, const char *path, int extra_flags);

/*
 * Read at most max bytes of path. *ret_buf is NUL-terminated (not counted
 * in *ret_len). -EFBIG when the file holds more than max bytes.
 */
int gc_read_file(const struct gc_root *r, const char *path, size_t max, char **ret_buf,
		 size_t *ret_len);
/* A one-value file (sysfs attribute): trailing newline stripped. */
int gc_read_string(const struct gc_root *r, const char *path, char **ret);
/*
 * A sysfs number in base (0: C rules); -EINVAL when the content is not a
 * number or lacks the final newline every sysfs number has (it was cut).
 */
int gc_read_u64(const struct gc_root *r, const char *path, int base, uint64_t *ret);
int gc_fopen(const struct gc_root *r, const char *path, FILE **ret);
/*
 * Stream path line by line (newline kept) into fn, which returns 0 to go
 * on. NUL bytes inside a line reach fn as '?'. Returns 0, -errno when the
 * file cannot be opened, -EIO on a read error, -ENOMEM when the line buffer
 * cannot be had (never a silent end of file).
 */
typedef int (*gc_line_fn)(char *line, unsigned lineno, void *ctx);
int gc_foreach_line(const struct gc_root *r, const char *path, gc_line_fn fn, void *ctx);
/* The same; *ret_cut counts the lines longer than GC_LINE_MAX (cut to their head). */
int gc_foreach_line_cut(const struct gc_root *r, const char *path, gc_line_fn fn, void *ctx,
			unsigned long *ret_cut);
int gc_opendir(const struct gc_root *r, const char *path, DIR **ret);
int gc_readlink(const struct gc_root *r, const char *path, char **ret);
/* 0 when path exists (symlinks followed), else -errno. */
int gc_access(const struct gc_root *r, const char *path);
/* lstat-like: mode of path itself. */
int gc_stat(const struct gc_root *r, const char *path, bool follow, unsigned *ret_mode);
/* The same with the size; -1 for a file a capture lists as unreadable (it holds no copy). */
int gc_stat_size(const struct gc_root *r, const char *path, bool follow, unsigned *ret_mode, int64_t *ret_size);
/*
 * The canonical spelling of path in the tree, as RESOLVE_IN_ROOT resolves
 * it (every link followed inside the tree, ".." after a link taken from
 * where the link led); a missing tail is kept as written. NULL when a
 * component cannot be walked. Allocated.
 */
char *gc_canonical(const struct gc_root *r, const char *path);

/* The host path of path under the root, for libraries that take a path (libpci, libkmod). */
char *gc_host_path(const struct gc_root *r, const char *path);

/* snprintf into buf; -ENAMETOOLONG on truncation. */
int gc_pathf(char *buf, size_t size, const char *fmt, ...) _printf_(3, 4);

/* Count directory entries not starting with a dot; -errno on failure. */
int gc_count_entries(const struct gc_root *r, const char *path);

#endif
