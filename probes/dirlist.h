/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sorted listings of configuration directories (modprobe.d, grub.d, loader/entries). */
#ifndef GC_DIRLIST_H
#define GC_DIRLIST_H

#include "sysroot.h"

/* Most entries taken from one directory: a hostile tree cannot make the list unbounded. */
#define GC_DIRLIST_MAX 1024

/*
 * Names in path (not starting with a dot) that end in suffix (NULL: any),
 * sorted bytewise as glob(7) and kmod sort them. Returns 0 or -errno; at
 * most GC_DIRLIST_MAX names (-E2BIG beyond, with the first ones kept).
 */
int gc_list_dir(const struct gc_root *r, const char *path, const char *suffix, char ***ret, size_t *ret_n);

#endif
