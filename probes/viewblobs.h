/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Equal files of a private view share one inode. libpci's view holds a
 * dozen small attributes per PCI function, mostly equal across functions
 * ("0x8086\n"); creating an inode for each can cost more than everything
 * else the checker does (on an ext4 without a journal a new inode is
 * searched past every one freed in the last seconds: fs/ext4/ialloc.c
 * find_inode_bit(), recently_deleted(), torvalds/linux a02633e9).
 * The first file of each content is kept under <view>/.blobs and the
 * others are hard links to it. libpci only reads them; the view is private
 * (0700) and removed afterwards, so sharing cannot be observed.
 */
#ifndef GC_VIEWBLOBS_H
#define GC_VIEWBLOBS_H

#include <stddef.h>

/* Contents kept in memory for comparison, at most; beyond, files are written plainly. */
#define GC_VIEW_BLOBS_MAX (4u << 20)

struct gc_view_blobs {
	int dirfd;                  /* <view>/.blobs; -1: no sharing, every file written */
	struct gc_view_blob {
		char *data;         /* NULL: empty slot */
		size_t len;
		unsigned id;        /* its name below dirfd */
	} *slots;
	size_t cap, n, bytes;
};

/* Make <view>/.blobs; without it files are still written, one inode each. */
void gc_view_blobs_open(struct gc_view_blobs *b, const char *view);
/* Create name below dfd holding data: a link to an equal file when there is one. */
int gc_view_blobs_put(struct gc_view_blobs *b, int dfd, const char *name, const void *data, size_t len);
void gc_view_blobs_close(struct gc_view_blobs *b);

#endif
