/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A streaming tar.gz writer: POSIX ustar headers, a pax extended header
 * for a path or link target longer than ustar holds, gzip by zlib. It
 * replaced libarchive, which pulled ICU, libxml2 and libcrypto into every
 * run and into the static binary for the few formats the bundle needs.
 * Functions return 0 or -errno; an error sticks and every later call
 * returns it.
 */
#ifndef GC_TAR_H
#define GC_TAR_H

#include <stdint.h>
#include <time.h>
#include <zlib.h>

struct gc_tar {
	int fd;
	z_stream z;
	unsigned char in[65536];   /* gathered before deflate: entries are mostly two blocks */
	size_t in_len;
	unsigned char out[65536];
	time_t mtime;          /* of every entry */
	uint64_t left;         /* data bytes the open file entry still expects */
	uint64_t size;         /* of the open file entry */
	int err;
};

int gc_tar_open(struct gc_tar *t, int fd, time_t mtime);
int gc_tar_add_dir(struct gc_tar *t, const char *name);
int gc_tar_add_symlink(struct gc_tar *t, const char *name, const char *target);
/* A regular file of exactly size bytes: gc_tar_write them, then gc_tar_end_file. */
int gc_tar_begin_file(struct gc_tar *t, const char *name, uint64_t size);
int gc_tar_write(struct gc_tar *t, const void *data, size_t n);
int gc_tar_end_file(struct gc_tar *t);
/* The end-of-archive blocks and the gzip trailer; frees zlib state either way. */
int gc_tar_close(struct gc_tar *t);
/* Frees zlib state without finishing (after an error). */
void gc_tar_abort(struct gc_tar *t);

#endif
